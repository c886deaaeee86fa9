//! Tests of live data over real WebSockets on loopback: the JSON dialect's `/websocket`
//! ([`json`]), Riot's `/igtimi/websocket` ([`riot`]), the live faults, shutdown and restart
//! ([`faults`]). The demo boats sail today, so every socket streams real samples, which
//! must equal what `resources/data` serves for the same seconds.

mod faults;
mod json;
mod riot;

use futures_util::{SinkExt, StreamExt};
use igtimi_sim::{SimConfig, Simulator};
use riot_proto::data_point::Point;
use riot_proto::{msg, DataPoint, Message as _, Msg};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

pub use crate::api::{BUOY, PETREL, SKUA, TERN};
pub use igtimi_sim::demo::{ANA, BOB, KAI};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A simulator with a short heartbeat, so tests see it in well under a second.
pub async fn start() -> Simulator {
    crate::common::start_with(config()).await
}

/// The settings of [`start`].
pub fn config() -> SimConfig {
    SimConfig {
        live_heartbeat: Duration::from_millis(300),
        ..SimConfig::default()
    }
}

/// Opens the JSON dialect's socket.
pub async fn connect_json(sim: &Simulator) -> Socket {
    let url = format!("ws://{}/websocket", sim.addr());
    connect_async(url).await.expect("WebSocket handshake").0
}

/// Opens Riot's socket with this `Authorization` header (none: anonymous).
pub async fn connect_riot(
    sim: &Simulator,
    authorization: Option<&str>,
) -> Result<Socket, tungstenite::Error> {
    let mut request = format!("ws://{}/igtimi/websocket", sim.addr())
        .into_client_request()
        .expect("a request");
    if let Some(value) = authorization {
        request
            .headers_mut()
            .insert("authorization", value.parse().expect("a header value"));
    }
    connect_async(request).await.map(|(socket, _)| socket)
}

/// The next message, failing after `secs` seconds; `None` when the socket ended.
pub async fn next_message(
    socket: &mut Socket,
    secs: f64,
) -> Option<Result<Message, tungstenite::Error>> {
    tokio::time::timeout(Duration::from_secs_f64(secs), socket.next())
        .await
        .expect("a message in time")
}

/// The next message, which must arrive within `secs` and be a valid frame.
pub async fn next(socket: &mut Socket, secs: f64) -> Message {
    next_message(socket, secs)
        .await
        .expect("the socket stays open")
        .expect("a valid frame")
}

/// Sends a text message.
pub async fn send(socket: &mut Socket, text: &str) {
    socket.send(Message::text(text)).await.expect("sent");
}

/// Sends a config or subscription and returns the server's time reply, skipping the
/// heartbeats and data that may come first.
pub async fn configure(socket: &mut Socket, text: &str) -> i64 {
    send(socket, text).await;
    loop {
        match next(socket, 5.0).await {
            Message::Text(t) if t.as_str() != "1" && !t.as_str().starts_with('[') => {
                return t.as_str().parse().expect("the time as a bare integer");
            }
            Message::Close(frame) => panic!("closed instead of the time: {frame:?}"),
            _ => continue,
        }
    }
}

/// Expects a close frame whose reason contains `reason`, skipping other messages.
pub async fn expect_close(socket: &mut Socket, reason: &str) {
    loop {
        match next(socket, 5.0).await {
            Message::Close(Some(frame)) => {
                assert!(
                    frame.reason.as_str().contains(reason),
                    "close reason {:?}, wanted {reason:?}",
                    frame.reason
                );
                return;
            }
            Message::Close(None) => panic!("a close frame without a reason"),
            _ => continue,
        }
    }
}

/// How long the first sample may take: the first read of a simulator generates today's
/// data of every demo device (seconds in a debug build, on a busy machine more).
pub const FIRST_DATA_SECS: f64 = 60.0;

/// Reads until `wanted` accepts a message, within `secs`; returns it.
pub async fn until(socket: &mut Socket, secs: f64, wanted: impl Fn(&Message) -> bool) -> Message {
    let end = tokio::time::Instant::now() + Duration::from_secs_f64(secs);
    loop {
        let message = tokio::time::timeout_at(end, socket.next())
            .await
            .expect("the message in time")
            .expect("the socket stays open")
            .expect("a valid frame");
        if wanted(&message) {
            return message;
        }
    }
}

/// The first data message (JSON text array or Riot binary), then every message arriving
/// within `secs` after it.
pub async fn data_during(socket: &mut Socket, secs: f64) -> Vec<Message> {
    let first = until(socket, FIRST_DATA_SECS, is_data).await;
    let mut all = vec![first];
    all.extend(during(socket, secs).await);
    all
}

/// True for a data message of either dialect.
pub fn is_data(message: &Message) -> bool {
    match message {
        Message::Text(t) => t.as_str().starts_with('['),
        Message::Binary(_) => true,
        _ => false,
    }
}

/// Every message arriving within `secs` (the socket must stay open).
pub async fn during(socket: &mut Socket, secs: f64) -> Vec<Message> {
    let end = tokio::time::Instant::now() + Duration::from_secs_f64(secs);
    let mut out = Vec::new();
    while let Ok(next) = tokio::time::timeout_at(end, socket.next()).await {
        out.push(next.expect("the socket stays open").expect("a valid frame"));
    }
    out
}

/// A Riot frame's serial and points.
pub fn riot_points(bytes: &[u8]) -> (String, Vec<DataPoint>) {
    let Msg {
        msg: Some(msg::Msg::Data(data)),
    } = Msg::decode(bytes).expect("one Msg, no length prefix")
    else {
        panic!("a data message");
    };
    assert_eq!(data.data.len(), 1, "one DataMsg per Msg");
    let Some(riot_proto::data_msg::Source::SerialNumber(serial)) = &data.data[0].source else {
        panic!("a serial as the source");
    };
    (serial.clone(), data.data[0].data.clone())
}

/// A point's timestamp (ms).
pub fn timestamp(point: &DataPoint) -> u64 {
    match point.point.as_ref().expect("a point") {
        Point::Pos(p) => p.timestamp,
        Point::Satq(p) => p.timestamp,
        Point::Satc(p) => p.timestamp,
        Point::Cog(p) => p.timestamp,
        Point::Hdgm(p) => p.timestamp,
        Point::Hdg(p) => p.timestamp,
        Point::Sog(p) => p.timestamp,
        Point::Stw(p) => p.timestamp,
        Point::Awa(p) => p.timestamp,
        Point::Aws(p) => p.timestamp,
        Point::Hr(p) => p.timestamp,
        Point::Twd(p) => p.timestamp,
        Point::Tws(p) => p.timestamp,
        Point::Press(p) => p.timestamp,
        Point::Num(p) => p.timestamp,
        Point::Txt(p) => p.timestamp,
        other => panic!("the demo sends no {other:?}"),
    }
}
