//! The Riot device port over real TCP on loopback: authentication, heartbeats, hostile
//! frames ([`port`]), what pushed data becomes ([`data`]) and the device emulator
//! ([`emulator`]).

mod data;
mod emulator;
mod port;

use crate::common;
use crate::riot::{api, token};
use igtimi_sim::riot::device::framing::{encode_frame, FrameReader, ReadError};
use igtimi_sim::riot::device::messages::{self, Kind};
use igtimi_sim::riot::device::DEMO_DEVICE_GROUP_TOKEN;
use igtimi_sim::{SimConfig, Simulator};
use reqwest::StatusCode;
use riot_proto::Msg;
use serde_json::json;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;

/// A simulator with a device port on an ephemeral loopback port.
pub async fn start_with(config: SimConfig) -> Simulator {
    common::start_with(SimConfig {
        riot_device_listen: Some(([127, 0, 0, 1], 0).into()),
        ..config
    })
    .await
}

pub async fn start() -> Simulator {
    start_with(SimConfig::default()).await
}

/// One raw device connection.
pub struct Raw {
    pub reader: FrameReader<OwnedReadHalf>,
    pub write: OwnedWriteHalf,
}

impl Raw {
    pub async fn connect(sim: &Simulator) -> Raw {
        let addr = sim.device_addr().expect("a device port");
        let stream = TcpStream::connect(addr)
            .await
            .expect("the device port accepts");
        let (read, write) = stream.into_split();
        Raw {
            reader: FrameReader::new(read),
            write,
        }
    }

    /// Connects and authenticates with the demo token.
    pub async fn authenticated(sim: &Simulator) -> Raw {
        let mut raw = Raw::connect(sim).await;
        raw.send(&messages::auth_request(DEMO_DEVICE_GROUP_TOKEN, now_ms()))
            .await;
        match raw.next_kind().await {
            Kind::AuthResponse(r) => {
                assert!(r.ack, "{r:?}");
                assert_eq!((r.code, r.reason.as_str()), (200, "Authenticated"));
            }
            other => panic!("expected an auth response, got {other:?}"),
        }
        raw
    }

    pub async fn send(&mut self, msg: &Msg) {
        self.send_bytes(&encode_frame(msg)).await;
    }

    pub async fn send_bytes(&mut self, bytes: &[u8]) {
        self.write.write_all(bytes).await.expect("sent");
    }

    /// The next message within 5 s; `None` when the server closed.
    pub async fn next(&mut self) -> Option<Msg> {
        tokio::time::timeout(Duration::from_secs(5), self.reader.next())
            .await
            .expect("the server answers within 5 s")
            .unwrap_or_else(|e: ReadError| panic!("the server sent no frame: {e}"))
    }

    pub async fn next_kind(&mut self) -> Kind {
        Kind::from(self.next().await.expect("a message, not the end"))
    }

    /// Expects `disconnect{code}` with a reason containing `needle`, then the end.
    pub async fn expect_disconnect(&mut self, code: u32, needle: &str) {
        match self.next_kind().await {
            Kind::Disconnect(bye) => {
                assert_eq!(bye.code, code, "{bye:?}");
                assert!(bye.reason.contains(needle), "{needle:?} not in {bye:?}");
            }
            other => panic!("expected a disconnect {code}, got {other:?}"),
        }
        assert!(self.next().await.is_none(), "closed after the disconnect");
    }
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// `POST devices` of a serial as `user_token`'s owner.
pub async fn register(sim: &Simulator, user_token: &str, serial: &str) {
    let response = common::http()
        .post(api(sim, "devices"))
        .bearer_auth(user_token)
        .json(&json!({"id": 0, "serial_number": serial, "name": "Emulated"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

/// `POST data_access_windows` over `[start, end]`.
pub async fn open_window(sim: &Simulator, user_token: &str, serial: &str, start: i64, end: i64) {
    let response = common::http()
        .post(api(sim, "data_access_windows"))
        .bearer_auth(user_token)
        .json(
            &json!({"id": 0, "start_time": start, "end_time": end, "device_serial_number": serial}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{:?}",
        response.text().await
    );
}

/// Bob's Riot token.
pub async fn bob(sim: &Simulator) -> String {
    token(sim, "bob").await
}
