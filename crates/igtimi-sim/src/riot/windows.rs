//! `data_access_windows` (GET, POST, DELETE) and the legacy `GET resources` of the Riot
//! API. Times are integer milliseconds here, not the JSON API's floats.

use super::auth::RiotCall;
use super::devices::json_object;
use super::error::{RiotError, RiotResult};
use super::points::kind_of;
use crate::params::Params;
use crate::server::Shared;
use crate::world::DataAccessWindow;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

fn window_json(w: &DataAccessWindow) -> Value {
    json!({
        "id": w.id,
        "start_time": w.start_ms,
        "end_time": w.end_ms,
        "device_serial_number": w.device_serial_number,
    })
}

/// Optional `start_time`/`end_time` (open when absent); an end before the start is a 400.
fn span(params: &Params) -> RiotResult<(i64, i64)> {
    let start = params
        .get_i64("start_time")
        .map_err(RiotError::BadRequest)?;
    let end = params.get_i64("end_time").map_err(RiotError::BadRequest)?;
    let (start, end) = (start.unwrap_or(i64::MIN), end.unwrap_or(i64::MAX));
    if end < start {
        return Err(RiotError::bad(format!(
            "end_time ({end}) is before start_time ({start})"
        )));
    }
    Ok((start, end))
}

/// `GET data_access_windows`: the windows the caller can read on the given serials that
/// overlap the span, wrapped per item. `permission`, `type` and `stream_ids[]` are ignored.
/// The service's quirk is kept: without `serial_numbers[]` the list is empty.
pub async fn list(State(state): State<Shared>, call: RiotCall) -> RiotResult<Json<Value>> {
    let (start, end) = span(call.params())?;
    let serials = call.params().all("serial_numbers");
    let mut windows = state.riot.readable_windows(&state.world, call.user());
    windows.retain(|w| {
        serials.contains(&w.device_serial_number.as_str()) && w.start_ms <= end && w.end_ms >= start
    });
    windows.sort_by_key(|w| (w.start_ms, w.id));
    let items: Vec<Value> = windows
        .iter()
        .map(|w| json!({ "data_access_window": window_json(w) }))
        .collect();
    Ok(Json(json!({ "data_access_windows": items })))
}

/// A whole-millisecond time field of a JSON body.
fn time_field(body: &serde_json::Map<String, Value>, name: &str) -> RiotResult<i64> {
    let value = body
        .get(name)
        .ok_or_else(|| RiotError::bad(format!("The field {name} is required (milliseconds)")))?;
    value
        .as_i64()
        .or_else(|| value.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
        .ok_or_else(|| RiotError::bad(format!("The field {name} must be a number, got {value}")))
}

/// `POST data_access_windows` with `{"id":0,"start_time":ms,"end_time":ms,
/// "device_serial_number":".."}`: the created window, unwrapped, with the id the server
/// gave it (`id` in the body is ignored). Only the device's owner may (403 otherwise, also
/// for an unknown serial); the window grants the owner.
pub async fn create(State(state): State<Shared>, call: RiotCall) -> RiotResult<Json<Value>> {
    let body = json_object(&call.request.body)?;
    let start = time_field(&body, "start_time")?;
    let end = time_field(&body, "end_time")?;
    let serial = body
        .get("device_serial_number")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| RiotError::bad("The field device_serial_number is required"))?;
    if end < start {
        return Err(RiotError::bad(format!(
            "end_time ({end}) is before start_time ({start})"
        )));
    }
    let window = state
        .riot
        .add_window(&state.world, call.user(), serial, start, end)?;
    Ok(Json(window_json(&window)))
}

/// `DELETE data_access_windows/{id}`: 200 with an empty body; 404 for an unknown id, 403
/// unless the caller owns the window's device. The data it covered is unreadable after.
pub async fn delete(
    State(state): State<Shared>,
    Path(id): Path<String>,
    call: RiotCall,
) -> RiotResult<Response> {
    let id = id
        .parse::<u64>()
        .map_err(|_| RiotError::NotFound(format!("No data access window {id:?}")))?;
    state.riot.delete_window(&state.world, call.user(), id)?;
    Ok(().into_response())
}

/// `GET resources` (legacy): the demo's blocks of data the caller can read some of, with
/// `data_types` as `DataPoint` field numbers. Filters: `start_time`/`end_time` (overlap),
/// `serial_numbers[]` (all readable devices when absent).
pub async fn resources(State(state): State<Shared>, call: RiotCall) -> RiotResult<Json<Value>> {
    let (start, end) = span(call.params())?;
    let serials = call.params().all("serial_numbers");
    let mut items: Vec<(i64, u64, Value)> = Vec::new();
    let now = state.clock.now_ms();
    for r in &state.world.resources {
        let serial = r.device_serial_number.as_str();
        // A block still being recorded ends now (the live days run into tomorrow).
        let r_end = r.end_ms.min(now);
        if (!serials.is_empty() && !serials.contains(&serial))
            || r.start_ms > end
            || r.start_ms > now
            || r_end < start
        {
            continue;
        }
        let readable =
            state
                .riot
                .readable_within(&state.world, call.user(), serial, r.start_ms, r.end_ms);
        if readable.is_empty() {
            continue;
        }
        let mut fields: Vec<u32> = r
            .data_types
            .iter()
            .filter_map(|&code| kind_of(code))
            .map(|k| k.field)
            .collect();
        fields.sort_unstable();
        fields.dedup();
        items.push((
            r.start_ms,
            r.id,
            json!({
                "id": r.id,
                "start_time": r.start_ms,
                "end_time": r_end,
                "device_serial_number": serial,
                "data_types": fields,
            }),
        ));
    }
    items.sort_by_key(|(start, id, _)| (*start, *id));
    let items: Vec<Value> = items.into_iter().map(|(_, _, v)| v).collect();
    Ok(Json(json!({ "resources": items })))
}
