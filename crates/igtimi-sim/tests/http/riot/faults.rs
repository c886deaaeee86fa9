//! Every fault kind on the Riot paths: rules with path prefixes under `/igtimi/api/v1/`
//! and `/security/api/restsecurity/` hit those requests and no others.

use super::*;
use crate::faults::add_fault;
use serde_json::json;
use std::time::{Duration, Instant};

const DEVICES: &str = "/igtimi/api/v1/devices";
const HELLO: &str = "/security/api/restsecurity/hello";

async fn send(
    sim: &Simulator,
    http: &reqwest::Client,
    path: &str,
    token: &str,
) -> reqwest::Result<reqwest::Response> {
    http.get(format!("{}{path}", sim.base_url()))
        .bearer_auth(token)
        .send()
        .await
}

async fn plain(sim: &Simulator, http: &reqwest::Client, path: &str, token: &str) -> Vec<u8> {
    let response = send(sim, http, path, token).await.expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    response.bytes().await.unwrap().to_vec()
}

async fn setup() -> (Simulator, reqwest::Client, String) {
    let sim = common::start().await;
    let token = token(&sim, "bob").await;
    (sim, common::http(), token)
}

fn content_type(response: &reqwest::Response) -> String {
    response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn latency_and_slow_drip_deliver_the_real_answer_late() {
    let (sim, http, token) = setup().await;
    let devices = plain(&sim, &http, DEVICES, &token).await;
    let hello = plain(&sim, &http, HELLO, &token).await;
    add_fault(
        &sim,
        &http,
        json!({"kind": "latency", "ms": 300, "path": DEVICES, "times": 1}),
    )
    .await;
    add_fault(
        &sim,
        &http,
        json!(format!(
            "slow-drip:bytes=16,interval=30,path={HELLO},times=1"
        )),
    )
    .await;
    let started = Instant::now();
    assert_eq!(plain(&sim, &http, DEVICES, &token).await, devices);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    let mut response = send(&sim, &http, HELLO, &token).await.unwrap();
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = response.chunk().await.expect("whole") {
        received.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert_eq!(received, hello);
    assert!(chunks > 1);
    assert!(started.elapsed() >= Duration::from_millis(30) * (hello.len().div_ceil(16) as u32 - 1));
}

#[tokio::test]
async fn status_html_and_malformed_json() {
    let (sim, http, token) = setup().await;
    add_fault(
        &sim,
        &http,
        json!(format!("status:code=503,path={API}/resources,times=1")),
    )
    .await;
    add_fault(
        &sim,
        &http,
        json!(format!(
            "html:code=502,path={SECURITY}/access_token,times=1"
        )),
    )
    .await;
    add_fault(
        &sim,
        &http,
        json!({"kind": "malformed_json", "path": HELLO, "times": 1}),
    )
    .await;
    let data = data_query(&[TERN], week(), week() + 1000, "types[9]=0");
    let status = send(&sim, &http, &format!("{API}/{data}"), &token)
        .await
        .unwrap();
    assert_eq!(status.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(content_type(&status).starts_with("application/json"));
    let html = send(&sim, &http, &format!("{SECURITY}/access_token"), &token)
        .await
        .unwrap();
    assert_eq!(html.status(), StatusCode::BAD_GATEWAY);
    assert!(content_type(&html).starts_with("text/html"));
    assert!(html.text().await.unwrap().contains("502 Bad Gateway"));
    let bad = send(&sim, &http, HELLO, &token).await.unwrap();
    assert_eq!(
        (bad.status(), content_type(&bad).as_str()),
        (StatusCode::OK, "application/json")
    );
    assert!(serde_json::from_slice::<Value>(&bad.bytes().await.unwrap()).is_err());
    // All three retired after one hit each: the real answers again.
    assert_eq!(
        send(&sim, &http, &format!("{API}/{data}"), &token)
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        send(&sim, &http, &format!("{SECURITY}/access_token"), &token)
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert!(serde_json::from_slice::<Value>(&plain(&sim, &http, HELLO, &token).await).is_ok());
}

#[tokio::test]
async fn truncated_json_sends_half_of_a_riot_data_answer() {
    let (sim, http, token) = setup().await;
    let path = format!(
        "{API}/{}",
        data_query(
            &[TERN],
            week() + 10 * HOUR_MS,
            week() + 10 * HOUR_MS + 30_000,
            "types[1]=0"
        )
    );
    let expected = plain(&sim, &http, &path, &token).await;
    add_fault(
        &sim,
        &http,
        json!({"kind": "truncated_json", "path": format!("{API}/resources/data"), "times": 1}),
    )
    .await;
    let mut response = send(&sim, &http, &path, &token)
        .await
        .expect("headers arrive");
    assert_eq!(response.content_length(), Some(expected.len() as u64));
    let mut received = Vec::new();
    let failure = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received.extend_from_slice(&chunk),
            Ok(None) => panic!("the body ended cleanly"),
            Err(e) => break e,
        }
    };
    assert!(failure.is_body() || failure.is_decode(), "{failure:?}");
    assert_eq!(received, expected[..expected.len() / 2]);
}

#[tokio::test]
async fn reset_on_the_security_service() {
    let (sim, http, token) = setup().await;
    add_fault(
        &sim,
        &http,
        json!(format!("reset:path={SECURITY}/,times=1")),
    )
    .await;
    let error = send(&sim, &http, HELLO, &token)
        .await
        .expect_err("no answer");
    assert!(common::caused_by_reset(&error), "{error:?}");
    assert_eq!(
        send(&sim, &http, HELLO, &token).await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn huge_body_on_the_api() {
    let (sim, http, token) = setup().await;
    add_fault(
        &sim,
        &http,
        json!({"kind": "huge_body", "bytes": 200_000, "path": DEVICES}),
    )
    .await;
    let response = send(&sim, &http, &format!("{DEVICES}/"), &token)
        .await
        .unwrap();
    assert_eq!(response.content_length(), Some(200_000));
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len(), 200_000);
    assert!(serde_json::from_slice::<Value>(&body).is_ok());
}

#[tokio::test]
async fn missing_fields_in_riot_answers() {
    let (sim, http, token) = setup().await;
    add_fault(
        &sim,
        &http,
        json!("missing-fields:fields=service_tag,path=/igtimi/api/v1/devices,times=1"),
    )
    .await;
    add_fault(&sim, &http, json!({"kind": "missing_fields", "fields": ["access_token"], "path": format!("{SECURITY}/access_token")})).await;
    let devices: Value =
        serde_json::from_slice(&plain(&sim, &http, DEVICES, &token).await).unwrap();
    let list = devices["devices"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(list
        .iter()
        .all(|d| d.get("service_tag").is_none() && d["serial_number"].is_string()));
    let answer: Value = serde_json::from_slice(
        &plain(&sim, &http, &format!("{SECURITY}/access_token"), &token).await,
    )
    .unwrap();
    assert_eq!(answer, json!({"username": "bob"}));
}

#[tokio::test]
async fn a_prefix_on_one_service_leaves_the_other_alone() {
    let (sim, http, token) = setup().await;
    add_fault(
        &sim,
        &http,
        json!(format!("status:code=500,path={SECURITY}/,times=2")),
    )
    .await;
    assert_eq!(
        send(&sim, &http, DEVICES, &token).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        send(&sim, &http, "/api/v1/account", "x")
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sim.faults().list()[0].times,
        Some(2),
        "untouched by other paths"
    );
    for _ in 0..2 {
        assert_eq!(
            send(&sim, &http, HELLO, &token).await.unwrap().status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
    assert!(sim.faults().list().is_empty());
    // Counted all the same: setup's access_token and the two hellos; the one devices call.
    assert_eq!(sim.requests().with_prefix(SECURITY), 3);
    assert_eq!(sim.requests().with_prefix(API), 1);
}
