//! `devices` (GET, POST), `server` and `server_listers/web_sockets` of the Riot API.

use super::auth::RiotCall;
use super::error::{RiotError, RiotResult};
use crate::config::DEFAULT_RIOT_DEVICE_PORT;
use crate::server::Shared;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// Longest serial number `POST devices` accepts.
const MAX_SERIAL_CHARS: usize = 64;

/// `GET devices/`: the devices the caller may read, each unwrapped (unlike the JSON API).
pub async fn list(State(state): State<Shared>, call: RiotCall) -> Json<Value> {
    let mut devices = state.riot.readable_devices(&state.world, call.user());
    devices.sort_by_key(|d| d.id);
    let devices: Vec<Value> = devices
        .iter()
        .map(|d| {
            json!({
                "id": d.id,
                "serial_number": d.serial_number,
                "name": d.name,
                "service_tag": d.service_tag,
            })
        })
        .collect();
    Json(json!({ "devices": devices }))
}

/// The JSON object of a POST body; 400 names what is wrong.
pub fn json_object(body: &[u8]) -> RiotResult<serde_json::Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(RiotError::bad("The body must be a JSON object")),
        Err(e) => Err(RiotError::bad(format!("The body is not JSON: {e}"))),
    }
}

/// `POST devices` with `{"id":0,"serial_number":"..","name":".."}`: 200 with an empty
/// body. A new serial becomes a device of the caller's (no sensors, no data); an unclaimed
/// one becomes the caller's; a device with an owner (anyone, the caller too) is left as it
/// is, still with 200, as the service does. `id` must be present (any number).
pub async fn register(State(state): State<Shared>, call: RiotCall) -> RiotResult<Response> {
    let body = json_object(&call.request.body)?;
    if !body.get("id").is_some_and(Value::is_number) {
        return Err(RiotError::bad(
            "The field id is required (0 for a new device)",
        ));
    }
    let serial = body
        .get("serial_number")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| RiotError::bad("The field serial_number is required"))?;
    if serial.chars().count() > MAX_SERIAL_CHARS || serial.chars().any(char::is_control) {
        return Err(RiotError::bad(format!(
            "serial_number must be at most {MAX_SERIAL_CHARS} printable characters"
        )));
    }
    let name = match body.get("name") {
        None | Some(Value::Null) => "",
        Some(Value::String(name)) => name.trim(),
        Some(_) => return Err(RiotError::bad("The field name must be a string")),
    };
    let outcome = state.riot.register(&state.world, call.user(), serial, name);
    tracing::debug!(serial, ?outcome, "riot device registration");
    Ok(().into_response())
}

/// `GET server`: the device TCP port: the bound one when the device port runs, else
/// Riot's usual 6000 (where nothing listens).
pub async fn server(State(state): State<Shared>, _call: RiotCall) -> Json<Value> {
    let port = state
        .config
        .riot_device_listen
        .map_or(DEFAULT_RIOT_DEVICE_PORT, |addr| addr.port());
    Json(json!({ "port": port }))
}

/// True when a proxy in front says the client came over https.
fn behind_https(headers: &HeaderMap) -> bool {
    let value = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    value("x-forwarded-proto")
        .split(',')
        .next()
        .is_some_and(|p| p.trim() == "https")
        || value("forwarded").contains("proto=https")
}

/// `GET server_listers/web_sockets`: Riot's WebSocket on the host the client used, `wss`
/// behind an https proxy (`X-Forwarded-Proto` or `Forwarded`), `ws` otherwise.
pub async fn web_socket_servers(call: RiotCall) -> RiotResult<Json<Value>> {
    let headers = &call.request.headers;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .filter(|h| !h.is_empty() && !h.contains(['/', ' ', '\\', '?', '#', '@']))
        .ok_or_else(|| RiotError::bad("A valid Host header is required to name the server"))?;
    let scheme = if behind_https(headers) { "wss" } else { "ws" };
    Ok(Json(
        json!({ "web_socket_servers": [format!("{scheme}://{host}/igtimi/websocket")] }),
    ))
}
