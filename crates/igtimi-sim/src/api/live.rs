//! Live data: `GET /server_listers/web_sockets` and the WebSocket at `GET /websocket`.
//!
//! The client's first text message configures the feed: `{"access_token":..,"devices":[..]}`
//! or `{"auth_token":..,"units":[..]}` (an empty or missing list means every device the user
//! can read). A bad token or config gets a close frame with the reason. The server answers
//! each config with its current time in ms as a bare integer, then sends every new sample of
//! the configured devices that the user can read at that sample's time, as it arrives in the
//! hub ([`crate::live`]): one text message per batch, a JSON array holding one object in the
//! `resources/data` encoding (`[{"SERIAL":{"9":{"t":[..],"1":[..]},..}}]`). A later config
//! replaces the device set (and the token, when it names one); `1` is the client's
//! heartbeat. The server sends `1` every 15 s and drops a client silent for 5 minutes.

use super::access::readable_within;
use super::encode::{encode_into, DeviceData};
use super::error::{ApiError, ApiResult};
use crate::demo::data::Series;
use crate::live::socket::{self, Answer, Dialect, MAX_CLIENT_MESSAGE};
use crate::live::sockets::HUGE_FRAME_BYTES;
use crate::live::{demo, LivePoints};
use crate::server::{AppState, ConnInfo, Shared};
use crate::world::TypeKey;
use axum::extract::ws::{close_code, Message, WebSocketUpgrade};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;

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

/// A config message, in either documented form.
#[derive(Debug, Deserialize)]
struct Config {
    access_token: Option<String>,
    auth_token: Option<String>,
    devices: Option<Vec<String>>,
    units: Option<Vec<String>>,
}

/// `GET /websocket`.
pub async fn websocket(State(state): State<Shared>, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    let conn = parts.extensions.get::<ConnectInfo<ConnInfo>>().map(|c| c.0);
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    upgrade
        .max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |ws| socket::serve(state, ws, JsonLive::default(), conn))
}

/// The JSON dialect of one socket: its token (none before the first config), user and
/// devices.
#[derive(Debug, Default)]
struct JsonLive {
    token: Option<String>,
    user_id: u64,
    devices: BTreeSet<String>,
}

/// The serials to stream: those asked for, or all when none are; of them, those the user
/// can read at some time (this dialect's windows never change, so a socket asking only for
/// devices it cannot read never makes the demo boats sail).
fn chosen_devices(state: &AppState, user_id: u64, asked: Vec<String>) -> BTreeSet<String> {
    let all = || state.world.devices.iter().map(|d| d.serial_number.clone());
    let asked: Vec<String> = if asked.is_empty() {
        all().collect()
    } else {
        asked
    };
    asked
        .into_iter()
        .filter(|serial| readable(state, user_id, serial))
        .collect()
}

fn readable(state: &AppState, user_id: u64, serial: &str) -> bool {
    !state.world.readable_intervals(user_id, serial).is_empty()
}

/// One data message: `[{"SERIAL":{..}}]`.
fn data_message(points: &LivePoints) -> Message {
    let devices: [DeviceData; 1] = [(points.serial.clone(), points.channels.clone())];
    let mut buf = Vec::with_capacity(64 + 48 * points.channels.len());
    buf.push(b'[');
    encode_into(&mut buf, &devices);
    buf.push(b']');
    // The encoder writes JSON, which is UTF-8.
    Message::Text(String::from_utf8_lossy(&buf).into_owned().into())
}

impl Dialect for JsonLive {
    fn started(&self) -> bool {
        self.token.is_some()
    }

    fn wants_samples(&self) -> bool {
        self.token.is_some() && !self.devices.is_empty()
    }

    fn on_text(&mut self, state: &AppState, text: &str) -> Answer {
        if self.token.is_some() && text.trim() == "1" {
            return Answer::Nothing;
        }
        let config = match serde_json::from_str::<Config>(text) {
            Ok(config) => config,
            Err(e) if self.token.is_none() => {
                let reason = format!("The first message must be a JSON config: {e}");
                return Answer::Close(close_code::INVALID, reason);
            }
            Err(e) => {
                let reason = format!("Expected a JSON config or the heartbeat 1: {e}");
                return Answer::Close(close_code::INVALID, reason);
            }
        };
        let token = config
            .access_token
            .or(config.auth_token)
            .or_else(|| self.token.clone());
        let now = state.clock.now_secs();
        let user_id = match state.store.authenticate(token.as_deref(), now) {
            Ok(record) => record.user_id,
            Err(rejection) => {
                return Answer::Close(close_code::POLICY, rejection.describe().into());
            }
        };
        let asked = config.devices.or(config.units).unwrap_or_default();
        self.devices = chosen_devices(state, user_id, asked);
        self.user_id = user_id;
        self.token = token;
        Answer::Send(Message::Text(state.clock.now_ms().to_string().into()))
    }

    fn frames(&mut self, state: &AppState, batch: &LivePoints) -> Vec<Message> {
        if !self.devices.contains(&batch.serial) {
            return Vec::new();
        }
        let (Some(first), Some(last)) = (batch.first_ms(), batch.last_ms()) else {
            return Vec::new();
        };
        let intervals = readable_within(&state.world, self.user_id, &batch.serial, first, last);
        let kept = batch.within(&intervals);
        if kept.channels.is_empty() {
            return Vec::new();
        }
        vec![data_message(&kept)]
    }

    fn still_allowed(&self, state: &AppState) -> Result<(), (u16, String)> {
        let Some(token) = &self.token else {
            return Ok(());
        };
        match state
            .store
            .authenticate(Some(token), state.clock.now_secs())
        {
            Ok(_) => Ok(()),
            Err(rejection) => Err((close_code::POLICY, rejection.describe().into())),
        }
    }

    fn garbage(&self) -> Message {
        Message::Text("{\"this is\": not a JSON array".into())
    }

    fn huge_frame(&self) -> Message {
        Message::Text(huge_array().into())
    }

    fn foreign_device(&self, state: &AppState) -> Option<Message> {
        let device = state.world.devices.iter().find(|d| {
            !self.devices.contains(&d.serial_number)
                && readable(state, self.user_id, &d.serial_number)
        })?;
        let now = state.clock.now_ms();
        let points = demo::samples(state, &device.serial_number, now - 999, now).unwrap_or_else(
            // No data now: one made-up speed over ground, still well-formed.
            || LivePoints {
                serial: device.serial_number.clone(),
                channels: vec![(
                    TypeKey::new(9),
                    Series {
                        t: vec![(now - now.rem_euclid(1000)) as f64],
                        fields: vec![vec![0.0]],
                    },
                )],
            },
        );
        Some(data_message(&points))
    }
}

/// A JSON array of zeros, exactly [`HUGE_FRAME_BYTES`] long: `[0,0,..,0 ]`.
fn huge_array() -> String {
    let zeros = (HUGE_FRAME_BYTES - 2) / 2;
    let mut text = String::with_capacity(HUGE_FRAME_BYTES);
    text.push('[');
    for i in 0..zeros {
        text.push_str(if i == 0 { "0" } else { ",0" });
    }
    while text.len() < HUGE_FRAME_BYTES - 1 {
        text.push(' ');
    }
    text.push(']');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_huge_frame_is_a_mebibyte_of_json() {
        let text = huge_array();
        assert_eq!(text.len(), HUGE_FRAME_BYTES);
        let value: Value = serde_json::from_str(&text).expect("JSON");
        assert!(value.as_array().is_some_and(|a| a.len() > 500_000));
        let Message::Text(garbage) = JsonLive::default().garbage() else {
            panic!("text");
        };
        assert!(serde_json::from_str::<Vec<Value>>(garbage.as_str()).is_err());
    }

    #[test]
    fn data_messages_are_an_array_of_one_object() {
        let points = LivePoints {
            serial: "S".into(),
            channels: vec![(
                TypeKey::new(9),
                Series {
                    t: vec![1000.0],
                    fields: vec![vec![5.5]],
                },
            )],
        };
        let Message::Text(text) = data_message(&points) else {
            panic!("text");
        };
        assert_eq!(text.as_str(), r#"[{"S":{"9":{"t":[1000.0],"1":[5.5]}}}]"#);
    }
}
