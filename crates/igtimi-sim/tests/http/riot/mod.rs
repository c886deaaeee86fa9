//! Tests of the Riot dialect: the security service under `/security/api/restsecurity/`
//! and the client API under `/igtimi/api/v1/`, over real HTTP.

mod accounts;
mod data;
mod devices;
mod faults;
mod lockout;
mod security;
mod windows;

use crate::common;
use base64::Engine;
use igtimi_sim::Simulator;
use reqwest::StatusCode;
use riot_proto::data_point::Point;
use riot_proto::{msg, DataPoint, Message, Msg};
use serde_json::Value;

pub use crate::api::{week, BUOY, DAY_MS, HOUR_MS, PETREL, SKUA, TERN};
pub use igtimi_sim::demo::{BOB, KAI};

pub const SECURITY: &str = "/security/api/restsecurity";
pub const API: &str = "/igtimi/api/v1";

/// `{base}/security/api/restsecurity/{call}`.
pub fn security(sim: &Simulator, call: &str) -> String {
    format!("{}{SECURITY}/{call}", sim.base_url())
}

/// `{base}/igtimi/api/v1/{path}`.
pub fn api(sim: &Simulator, path: &str) -> String {
    format!("{}{API}/{path}", sim.base_url())
}

/// The demo password of a Riot username, from the simulator's manifest.
pub fn password(sim: &Simulator, username: &str) -> String {
    sim.manifest()
        .users
        .into_iter()
        .find(|u| u.username == username)
        .unwrap_or_else(|| panic!("no demo user {username}"))
        .password
}

/// The user's token from `POST access_token` with the form username and password.
pub async fn token(sim: &Simulator, username: &str) -> String {
    let response = common::http()
        .post(security(sim, "access_token"))
        .form(&[
            ("username", username),
            ("password", &password(sim, username)),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["username"], username);
    body["access_token"].as_str().expect("a token").to_string()
}

/// `GET {API}/{path}` with a bearer token: the status and the body as text.
pub async fn get_text(sim: &Simulator, token: &str, path: &str) -> (StatusCode, String) {
    let response = common::http()
        .get(api(sim, path))
        .bearer_auth(token)
        .send()
        .await
        .expect("answers");
    let status = response.status();
    (status, response.text().await.expect("a body"))
}

/// `GET {API}/{path}` that must answer 200 with JSON.
pub async fn get_json(sim: &Simulator, token: &str, path: &str) -> Value {
    let (status, text) = get_text(sim, token, path).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {path} is not JSON ({e}): {text}"))
}

/// Asserts a plain-text error with this status whose message contains `needle`.
pub async fn assert_plain(response: reqwest::Response, status: StatusCode, needle: &str) {
    assert_eq!(response.status(), status);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(kind.starts_with("text/plain"), "content type {kind}");
    let text = response.text().await.unwrap();
    assert!(text.contains(needle), "{needle:?} not in {text:?}");
}

/// The `resources/data` query of serials over a span with the given `types[..]` part.
pub fn data_query(serials: &[&str], start: i64, end: i64, types: &str) -> String {
    let serials: String = serials
        .iter()
        .map(|s| format!("&serial_numbers[]={s}"))
        .collect();
    format!("resources/data?start_time={start}&end_time={end}{serials}&{types}")
}

/// Decodes one base64 `Msg`.
pub fn decode(text: &str) -> Msg {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap_or_else(|e| panic!("{text:?} is not standard base64: {e}"));
    Msg::decode(&bytes[..]).expect("a Msg")
}

/// The messages of one serial in an answer, decoded, in the order sent; each holds one
/// `DataMsg` of that serial, whose points it returns.
pub fn messages(body: &Value, serial: &str) -> Vec<Vec<DataPoint>> {
    body[serial]
        .as_array()
        .unwrap_or_else(|| panic!("{serial} has a list in {body}"))
        .iter()
        .map(|m| {
            let Some(msg::Msg::Data(data)) = decode(m.as_str().expect("a string")).msg else {
                panic!("not a data message");
            };
            assert_eq!(data.data.len(), 1, "one DataMsg per Msg");
            let data_msg = &data.data[0];
            assert_eq!(
                data_msg.source,
                Some(riot_proto::data_msg::Source::SerialNumber(serial.into()))
            );
            data_msg.data.clone()
        })
        .collect()
}

/// A point's field number, timestamp and values (`pos`: latitude, longitude, altitude,
/// fields; heart rate: event time, count, rate; scalars: the value).
pub fn summary(p: &DataPoint) -> (u32, u64, Vec<f64>) {
    match p.point.as_ref().expect("a point") {
        Point::Pos(v) => (
            1,
            v.timestamp,
            vec![v.latitude, v.longitude, v.altitude, f64::from(v.fields)],
        ),
        Point::Satq(v) => (2, v.timestamp, vec![f64::from(v.value)]),
        Point::Satc(v) => (3, v.timestamp, vec![f64::from(v.value)]),
        Point::Cog(v) => (6, v.timestamp, vec![v.value]),
        Point::Hdgm(v) => (7, v.timestamp, vec![v.value]),
        Point::Hdg(v) => (8, v.timestamp, vec![v.value]),
        Point::Sog(v) => (9, v.timestamp, vec![v.value]),
        Point::Stw(v) => (10, v.timestamp, vec![v.value]),
        Point::Awa(v) => (11, v.timestamp, vec![v.value]),
        Point::Aws(v) => (12, v.timestamp, vec![v.value]),
        Point::Hr(v) => (
            13,
            v.timestamp,
            vec![
                v.event_time as f64,
                f64::from(v.hb_count),
                f64::from(v.heart_rate),
            ],
        ),
        Point::Twd(v) => (22, v.timestamp, vec![v.value]),
        Point::Tws(v) => (23, v.timestamp, vec![v.value]),
        Point::Press(v) => (24, v.timestamp, vec![v.value]),
        Point::Num(v) => (50, v.timestamp, vec![v.value]),
        other => panic!("the demo sends no {other:?}"),
    }
}

/// The numbers of a JSON array.
pub fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("{v} is an array"))
        .iter()
        .map(|n| n.as_f64().expect("number"))
        .collect()
}
