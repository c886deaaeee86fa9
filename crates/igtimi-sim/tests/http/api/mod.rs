//! Tests of the REST API under `/api/v1/` (live data: [`crate::live`]).

mod auth;
mod data;
mod directory;
mod resources;
mod sessions;

use crate::common;
use igtimi_sim::{SimConfig, Simulator};
use reqwest::StatusCode;
use serde_json::Value;

pub use igtimi_sim::demo::{ANA, BOB, KAI};
pub const TERN: &str = "AA-BT-0417";
pub const PETREL: &str = "AA-BT-0522";
pub const SKUA: &str = "AA-BT-0658";
pub const BUOY: &str = "AA-BT-0731";
pub const DAY_MS: i64 = 24 * 3600 * 1000;
pub const HOUR_MS: i64 = 3600 * 1000;

/// Start of the demo week (a UTC midnight), ms.
pub fn week() -> i64 {
    SimConfig::default().demo_week_start_ms
}

/// `GET {base}/api/v1/{path}` with a bearer token; the status and the JSON body
/// (`Value::Null` when the body is not JSON).
pub async fn get(sim: &Simulator, token: &str, path: &str) -> (StatusCode, Value) {
    let response = common::http()
        .get(format!("{}/api/v1/{path}", sim.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("request is answered");
    let status = response.status();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

/// `GET` that must succeed; the JSON body.
pub async fn get_ok(sim: &Simulator, token: &str, path: &str) -> Value {
    let (status, body) = get(sim, token, path).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

/// The items of a wrapped list: `{"<plural>":[{"<singular>":item}]}` → items.
pub fn items(body: &Value, plural: &str, singular: &str) -> Vec<Value> {
    body[plural]
        .as_array()
        .unwrap_or_else(|| panic!("{plural} is a list in {body}"))
        .iter()
        .map(|wrapped| {
            let item = &wrapped[singular];
            assert!(item.is_object(), "{singular} wraps each item in {wrapped}");
            item.clone()
        })
        .collect()
}

/// The numeric ids of a wrapped list, in order.
pub fn ids(body: &Value, plural: &str, singular: &str) -> Vec<u64> {
    items(body, plural, singular)
        .iter()
        .map(|i| i["id"].as_u64().expect("numeric id"))
        .collect()
}

/// A time field that must be a float in ms (`1750500000000.0`).
pub fn float_ms(v: &Value) -> f64 {
    assert!(v.is_f64(), "time {v} is sent as a float");
    v.as_f64().expect("float")
}
