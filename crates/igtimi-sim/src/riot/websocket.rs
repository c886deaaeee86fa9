//! Riot's live WebSocket, `GET /igtimi/websocket` (lister: `server_listers/web_sockets`).
//!
//! - The upgrade request authenticates with `Authorization: Bearer <token>` or Basic (see
//!   [`super::auth`]); without credentials the socket runs as the anonymous user, who reads
//!   nothing. Bad credentials get 401 before the upgrade; an unknown bearer token counts
//!   toward the address's lockout, and a locked-out address gets 401 too.
//! - The client sends the text `{"devices":["SERIAL",..]}`; sending it again replaces the
//!   set. The server answers each with its current time in ms, as text.
//! - The server sends the text `1` every 15 s and takes the client's `1` as its heartbeat.
//!   Anything else from the client closes the socket with the reason.
//! - Each device message is one binary frame holding exactly one `Msg` (no length prefix):
//!   one per device and second of samples, as `resources/data` has it ([`super::frames`]),
//!   only for subscribed devices and samples a window the user can read covers.
//! - A rotated or removed bearer token ends the socket.

use super::auth::{Presented, RiotRequest};
use super::encode::message;
use super::frames::messages;
use super::lockout::peer_ip;
use crate::live::socket::{self, Answer, Dialect, MAX_CLIENT_MESSAGE};
use crate::live::sockets::HUGE_FRAME_BYTES;
use crate::live::{demo, LivePoints};
use crate::params::Params;
use crate::server::{AppState, ConnInfo, Shared};
use axum::body::Bytes;
use axum::extract::ws::{close_code, Message, WebSocketUpgrade};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::response::{IntoResponse, Response};
use prost::Message as _;
use riot_proto::data_point::Point;
use riot_proto::{DataPoint, Text};
use serde::Deserialize;
use std::collections::BTreeSet;

/// The route, beside the client API (not under it).
pub const PATH: &str = "/igtimi/websocket";

/// `GET /igtimi/websocket`.
pub async fn websocket(State(state): State<Shared>, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    let conn = parts.extensions.get::<ConnectInfo<ConnInfo>>().map(|c| c.0);
    let call = RiotRequest {
        headers: parts.headers.clone(),
        params: Params::from_query(parts.uri.query()),
        body: Bytes::new(),
        peer: peer_ip(&parts.extensions),
    };
    let (user, bearer) = match call.presented(false) {
        Presented::Nothing => (None, None),
        presented => match call.identify(&state, false) {
            Ok(account) => {
                let bearer = match presented {
                    Presented::Bearer(token) => Some(token),
                    _ => None,
                };
                (Some(account.id), bearer)
            }
            Err(error) => return error.into_response(),
        },
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let dialect = RiotLive {
        user,
        bearer,
        devices: BTreeSet::new(),
    };
    upgrade
        .max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |ws| socket::serve(state, ws, dialect, conn))
}

/// The client's subscription.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Subscription {
    devices: Vec<String>,
}

/// Reads `{"devices":[..]}`: an object with that one field, nothing else.
fn subscription(text: &str) -> Result<Subscription, serde_json::Error> {
    let value: serde_json::Value = serde_json::from_str(text)?;
    if !value.is_object() {
        return Err(serde::de::Error::custom("not a JSON object"));
    }
    serde_json::from_value(value)
}

/// The Riot dialect of one socket: its user (`None`: anonymous), the bearer token it came
/// with, and the subscribed serials.
#[derive(Debug)]
struct RiotLive {
    user: Option<u64>,
    bearer: Option<String>,
    devices: BTreeSet<String>,
}

/// Binary frames of a batch's messages.
fn binary(points: &LivePoints) -> Vec<Message> {
    messages(points)
        .into_iter()
        .map(|(_, msg)| Message::Binary(msg.encode_to_vec().into()))
        .collect()
}

impl Dialect for RiotLive {
    fn started(&self) -> bool {
        true
    }

    fn wants_samples(&self) -> bool {
        self.user.is_some() && !self.devices.is_empty()
    }

    fn on_text(&mut self, state: &AppState, text: &str) -> Answer {
        if text.trim() == "1" {
            return Answer::Nothing;
        }
        match subscription(text) {
            Ok(subscription) => {
                self.devices = subscription.devices.into_iter().collect();
                Answer::Send(Message::Text(state.clock.now_ms().to_string().into()))
            }
            Err(e) => Answer::Close(
                close_code::INVALID,
                format!("Expected {{\"devices\":[\"SERIAL\",..]}} or the heartbeat 1: {e}"),
            ),
        }
    }

    fn frames(&mut self, state: &AppState, batch: &LivePoints) -> Vec<Message> {
        let Some(user) = self.user else {
            return Vec::new();
        };
        if !self.devices.contains(&batch.serial) {
            return Vec::new();
        }
        let (Some(first), Some(last)) = (batch.first_ms(), batch.last_ms()) else {
            return Vec::new();
        };
        let intervals = state
            .riot
            .readable_within(&state.world, user, &batch.serial, first, last);
        binary(&batch.within(&intervals))
    }

    fn still_allowed(&self, state: &AppState) -> Result<(), (u16, String)> {
        match &self.bearer {
            Some(token) if state.riot.token_user(token) != self.user => Err((
                close_code::POLICY,
                "The access token is not valid any more".into(),
            )),
            _ => Ok(()),
        }
    }

    fn garbage(&self) -> Message {
        Message::Binary(GARBAGE.to_vec().into())
    }

    fn huge_frame(&self) -> Message {
        let serial = self.devices.first().map_or("AA-BT-0000", String::as_str);
        Message::Binary(huge_msg(serial).into())
    }

    fn foreign_device(&self, state: &AppState) -> Option<Message> {
        let user = self.user?;
        let device = state
            .riot
            .readable_devices(&state.world, user)
            .into_iter()
            .find(|d| !self.devices.contains(&d.serial_number))?;
        let serial = device.serial_number;
        let now = state.clock.now_ms();
        let msg = demo::samples(state, &serial, now - 999, now)
            .and_then(|points| messages(&points).into_iter().next())
            .map(|(_, msg)| msg)
            // No data now: one made-up text point, still a well-formed message.
            .unwrap_or_else(|| message(&serial, vec![text_point(now, "no data now".into())]));
        Some(Message::Binary(msg.encode_to_vec().into()))
    }
}

/// Bytes no `Msg` decodes from: a varint longer than ten bytes.
const GARBAGE: [u8; 12] = [0xFF; 12];

fn text_point(t_ms: i64, value: String) -> DataPoint {
    DataPoint {
        source_id: 0,
        point: Some(Point::Txt(Text {
            timestamp: t_ms.max(0) as u64,
            value,
        })),
    }
}

/// A well-formed `Msg` of exactly [`HUGE_FRAME_BYTES`]: one text point padded to size.
fn huge_msg(serial: &str) -> Vec<u8> {
    let mut padding = HUGE_FRAME_BYTES;
    for _ in 0..4 {
        let msg = message(serial, vec![text_point(0, "x".repeat(padding))]);
        let bytes = msg.encode_to_vec();
        if bytes.len() == HUGE_FRAME_BYTES {
            return bytes;
        }
        padding = (padding + HUGE_FRAME_BYTES).saturating_sub(bytes.len());
    }
    message(serial, vec![text_point(0, "x".repeat(padding))]).encode_to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use riot_proto::Msg;

    #[test]
    fn fault_frames_are_what_they_claim() {
        assert!(Msg::decode(&GARBAGE[..]).is_err());
        let huge = huge_msg("AA-BT-0417");
        assert_eq!(huge.len(), HUGE_FRAME_BYTES);
        assert!(Msg::decode(&huge[..]).is_ok());
    }

    #[test]
    fn subscriptions_are_strict() {
        assert!(subscription(r#"{"devices":["A","B"]}"#).is_ok());
        for bad in [
            r#"{"devices":"A"}"#,
            r#"{"device":["A"]}"#,
            "hello",
            r#"[["A"]]"#,
        ] {
            assert!(subscription(bad).is_err(), "{bad}");
        }
    }
}
