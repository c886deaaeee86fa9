//! `devices` and `devices/data_access_windows`.

use super::auth::ApiCall;
use super::error::ApiResult;
use super::query::{permission_filter, serial_filter, serial_matches, TimeFilter};
use super::shape;
use crate::server::Shared;
use crate::world::{DataAccessWindow, Device, Recipient, World};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

/// A device's documented fields, as its owner sees it.
fn device_json(d: &Device) -> Value {
    json!({
        "id": d.id,
        "name": d.name,
        "serial_number": d.serial_number,
        "uid": d.uid,
        "imei": d.imei,
        "owner_id": d.owner_id,
        "device_user_group_id": d.device_user_group_id,
        "admin_device_user_group_id": d.admin_device_user_group_id,
        "permissions": shape::permissions(true, true),
        "blob": false,
        "device_info": d.device_info,
        "service_tag": d.service_tag,
    })
}

/// `GET devices` (`serial_numbers[]`): the devices the caller owns.
pub async fn devices(State(state): State<Shared>, call: ApiCall) -> Json<Value> {
    let serials = serial_filter(&call.params);
    let devices = state
        .world
        .devices
        .iter()
        .filter(|d| d.owner_id == call.user_id() && serial_matches(&serials, &d.serial_number))
        .map(device_json);
    Json(shape::list("devices", "device", devices))
}

/// A window's recipient: `{"user":{..}}` or `{"group":{..}}`.
fn recipient_json(world: &World, recipient: &Recipient, viewer: u64) -> Value {
    match recipient {
        Recipient::User(id) => match world.user(*id) {
            Some(u) => json!({ "user": shape::user(u) }),
            None => json!({ "user": { "id": id } }),
        },
        Recipient::Group(id) => match world.groups.iter().find(|g| g.id == *id) {
            Some(g) => json!({ "group": shape::group(g, viewer) }),
            None => json!({ "group": { "id": id } }),
        },
    }
}

fn window_json(world: &World, w: &DataAccessWindow, viewer: u64) -> Value {
    json!({
        "id": w.id,
        "start_time": shape::ms(w.start_ms),
        "end_time": shape::ms(w.end_ms),
        "device_serial_number": w.device_serial_number,
        "permissions": shape::permissions(w.read, w.modify),
        "recipient": recipient_json(world, &w.recipient, viewer),
    })
}

/// `GET devices/data_access_windows`: windows on the caller's devices and windows granted
/// to the caller (directly or through a group). Filters: `start_time`/`end_time` (overlap),
/// `serial_numbers[]`, and `type=read|modify` or `types[]=..` (a window matches when it
/// grants any of the permissions asked for).
pub async fn data_access_windows(
    State(state): State<Shared>,
    call: ApiCall,
) -> ApiResult<Json<Value>> {
    let world = &state.world;
    let viewer = call.user_id();
    let times = TimeFilter::parse(&call.params)?;
    let serials = serial_filter(&call.params);
    let wanted = permission_filter(&call.params, &["type", "types"])?;
    let windows = world
        .windows
        .iter()
        .filter(|w| {
            let owns = world
                .device_by_serial(&w.device_serial_number)
                .is_some_and(|d| d.owner_id == viewer);
            owns || world.window_grants_to(w, viewer)
        })
        .filter(|w| times.overlaps(w.start_ms, w.end_ms))
        .filter(|w| serial_matches(&serials, &w.device_serial_number))
        .filter(|w| wanted.is_empty() || wanted.iter().any(|p| p.granted_by(w.read, w.modify)))
        .map(|w| window_json(world, w, viewer));
    Ok(Json(shape::list(
        "data_access_windows",
        "data_access_window",
        windows,
    )))
}
