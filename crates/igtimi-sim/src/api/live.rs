//! Live data: `GET /server_listers/web_sockets` and the WebSocket at `GET /websocket`.
//!
//! The client's first text message configures the feed: `{"access_token":..,"devices":[..]}`
//! or `{"auth_token":..,"units":[..]}` (an empty or missing list means every device the user
//! can read). A bad token or config gets a close frame with the reason. Then the server sends
//! its current time in ms as a bare integer, every second a JSON array with one object in
//! the `resources/data` encoding holding the newest sample of each device readable now, and
//! the heartbeat `1` every 15 s. A client that sends nothing for 5 minutes is dropped.

use super::encode::{encode_into, DeviceData};
use super::error::{ApiError, ApiResult};
use crate::demo::data::Series;
use crate::demo::track;
use crate::server::{AppState, Shared};
use axum::extract::ws::{close_code, CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::time::{interval_at, sleep_until, Instant, MissedTickBehavior};

/// How often data is sent.
const DATA_PERIOD: Duration = Duration::from_secs(1);
/// How often the heartbeat `1` is sent.
const HEARTBEAT_PERIOD: Duration = Duration::from_secs(15);
/// A client silent this long is dropped (the first message included).
const IDLE_LIMIT: Duration = Duration::from_secs(300);

/// `GET /server_listers/web_sockets`: the one WebSocket server, on the host the client used.
pub async fn web_socket_servers(headers: HeaderMap) -> ApiResult<Json<Value>> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .filter(|h| !h.is_empty() && !h.contains(['/', ' ', '\\', '?', '#', '@']))
        .ok_or_else(|| ApiError::bad("A valid Host header is required to name the server"))?;
    Ok(Json(
        json!({ "web_socket_servers": [format!("ws://{host}/websocket")] }),
    ))
}

/// The first message, in either documented form.
#[derive(Debug, Deserialize)]
struct Config {
    access_token: Option<String>,
    auth_token: Option<String>,
    devices: Option<Vec<String>>,
    units: Option<Vec<String>>,
}

/// `GET /websocket`.
pub async fn websocket(State(state): State<Shared>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| serve(state, socket))
}

async fn close(mut socket: WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: Utf8Bytes::from(reason),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

/// Waits for the configuring message; `Err` is the close code and reason.
async fn read_config(socket: &mut WebSocket) -> Result<Config, (u16, String)> {
    let deadline = Instant::now() + IDLE_LIMIT;
    loop {
        let message = tokio::select! {
            m = socket.recv() => m,
            _ = sleep_until(deadline) => {
                return Err((close_code::POLICY, "No configuration received within 5 minutes".into()));
            }
        };
        match message {
            Some(Ok(Message::Text(text))) => {
                return serde_json::from_str::<Config>(text.as_str()).map_err(|e| {
                    (
                        close_code::INVALID,
                        format!("The first message must be a JSON config: {e}"),
                    )
                });
            }
            Some(Ok(Message::Binary(_))) => {
                return Err((
                    close_code::UNSUPPORTED,
                    "The configuration must be a text message".into(),
                ))
            }
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => {
                return Err((close_code::NORMAL, String::new()))
            }
            Some(Ok(_)) => continue,
        }
    }
}

/// The serials to stream: those asked for, or all the user can read when none are.
fn chosen_devices(state: &AppState, user_id: u64, asked: Vec<String>) -> Vec<String> {
    if !asked.is_empty() {
        return asked;
    }
    state
        .world
        .devices
        .iter()
        .filter(|d| {
            !state
                .world
                .readable_intervals(user_id, &d.serial_number)
                .is_empty()
        })
        .map(|d| d.serial_number.clone())
        .collect()
}

/// One data message: the newest sample (in `(now-1 s, now]`) of each device readable now.
fn data_message(state: &AppState, user_id: u64, serials: &[String], now: i64) -> Option<String> {
    let mut devices: Vec<DeviceData> = Vec::new();
    for serial in serials {
        let Some(device) = state.world.device_by_serial(serial) else {
            continue;
        };
        let readable = state
            .world
            .readable_intervals(user_id, serial)
            .iter()
            .any(|&(s, e)| s <= now && now <= e);
        if !readable {
            continue;
        }
        let chunk = track::generate(device, now - 999, now);
        let Some(last) = chunk.t.len().checked_sub(1) else {
            continue;
        };
        let channels = chunk
            .channels
            .iter()
            .map(|(key, columns)| {
                let series = Series {
                    t: vec![chunk.t[last]],
                    fields: columns
                        .iter()
                        .map(|c| c.get(last).copied().into_iter().collect())
                        .collect(),
                };
                (*key, series)
            })
            .collect();
        devices.push((serial.clone(), channels));
    }
    if devices.is_empty() {
        return None;
    }
    let mut buf = Vec::with_capacity(256 * devices.len());
    buf.push(b'[');
    encode_into(&mut buf, &devices);
    buf.push(b']');
    String::from_utf8(buf).ok()
}

async fn serve(state: Shared, mut socket: WebSocket) {
    let config = match read_config(&mut socket).await {
        Ok(c) => c,
        Err((code, reason)) => return close(socket, code, &reason).await,
    };
    let token = config.access_token.or(config.auth_token);
    let check = |token: Option<&str>| state.store.authenticate(token, state.clock.now_secs());
    let user_id = match check(token.as_deref()) {
        Ok(t) => t.user_id,
        Err(rejection) => return close(socket, close_code::POLICY, rejection.describe()).await,
    };
    let serials = chosen_devices(
        &state,
        user_id,
        config.devices.or(config.units).unwrap_or_default(),
    );
    let now = state.clock.now_ms();
    if socket
        .send(Message::Text(now.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    let start = Instant::now();
    let mut data_tick = interval_at(start + DATA_PERIOD, DATA_PERIOD);
    data_tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut heartbeat = interval_at(start + HEARTBEAT_PERIOD, HEARTBEAT_PERIOD);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut idle_deadline = Instant::now() + IDLE_LIMIT;
    loop {
        tokio::select! {
            _ = data_tick.tick() => {
                if let Err(rejection) = check(token.as_deref()) {
                    return close(socket, close_code::POLICY, rejection.describe()).await;
                }
                let now = state.clock.now_ms();
                if let Some(text) = data_message(&state, user_id, &serials, now) {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
            }
            _ = heartbeat.tick() => {
                if socket.send(Message::Text("1".into())).await.is_err() {
                    return;
                }
            }
            _ = sleep_until(idle_deadline) => {
                return close(socket, close_code::POLICY, "Nothing received for 5 minutes").await;
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => idle_deadline = Instant::now() + IDLE_LIMIT,
            },
        }
    }
}
