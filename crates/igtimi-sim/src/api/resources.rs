//! `GET resources`: the blocks of device data the caller can read.

use super::access::{can_modify, readable_within};
use super::auth::ApiCall;
use super::error::{ApiError, ApiResult};
use super::query::{serial_filter, serial_matches, Permission, TimeFilter};
use super::shape;
use crate::server::Shared;
use crate::world::Resource;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

fn resource_json(r: &Resource, modify: bool, now: i64) -> Value {
    json!({
        "id": r.id,
        "start_time": shape::ms(r.start_ms),
        // A block still being recorded ends now (the live days run into tomorrow).
        "end_time": shape::ms(r.end_ms.min(now)),
        "device_serial_number": r.device_serial_number,
        "data_types": r.data_types,
        "permissions": shape::permissions(true, modify),
        "blob": false,
    })
}

/// `GET resources`: `permission=read|modify`, `start_time`, `end_time` (overlap),
/// `serial_numbers[]`, `stream_ids[]` (accepted, ignored). Resources of the caller's own
/// devices, and of shared devices those overlapping a readable window.
pub async fn resources(State(state): State<Shared>, call: ApiCall) -> ApiResult<Json<Value>> {
    let world = &state.world;
    let viewer = call.user_id();
    let times = TimeFilter::parse(&call.params)?;
    let serials = serial_filter(&call.params);
    let wanted = match call.params.get("permission") {
        Some(v) => Some(Permission::parse("permission", v)?),
        None => None,
    };
    if let Some(bad) = call
        .params
        .all("stream_ids")
        .into_iter()
        .find(|v| v.parse::<u64>().is_err())
    {
        return Err(ApiError::bad(format!(
            "Parameter stream_ids[] must hold ids, got {bad:?}"
        )));
    }
    let mut items = Vec::new();
    let now = state.clock.now_ms();
    for r in &world.resources {
        if r.start_ms > now
            || !times.overlaps(r.start_ms, r.end_ms.min(now))
            || !serial_matches(&serials, &r.device_serial_number)
        {
            continue;
        }
        let serial = &r.device_serial_number;
        let read = !readable_within(world, viewer, serial, r.start_ms, r.end_ms).is_empty();
        if !read {
            continue;
        }
        let modify = can_modify(world, viewer, serial, r.start_ms, r.end_ms);
        if wanted.is_some_and(|p| !p.granted_by(read, modify)) {
            continue;
        }
        items.push((r.start_ms, r.id, resource_json(r, modify, now)));
    }
    items.sort_by_key(|(start, id, _)| (*start, *id));
    Ok(Json(shape::list(
        "resources",
        "resource",
        items.into_iter().map(|(_, _, v)| v),
    )))
}
