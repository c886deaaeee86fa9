//! Each fault kind on the wire, and how `path` and `times` scope a rule.

use super::{add_fault, iternio_token, plain_userinfo_body, setup, userinfo, USERINFO};
use crate::common;
use igtimi_sim::{FaultKind, FaultRule, SimConfig};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn latency_delays_then_answers_normally() {
    let (sim, http) = setup().await;
    let token = iternio_token(&sim);
    let expected = plain_userinfo_body(&sim, &http, &token).await;
    add_fault(&sim, &http, json!({"kind": "latency", "ms": 400})).await;
    let started = Instant::now();
    let response = userinfo(&sim, &http, &token).await.expect("answers");
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.expect("body").to_vec(), expected);
}

#[tokio::test]
async fn status_answers_json_error_with_that_status() {
    let (sim, http) = setup().await;
    let token = iternio_token(&sim);
    add_fault(&sim, &http, json!({"kind": "status", "code": 503})).await;
    let response = userinfo(&sim, &http, &token).await.expect("answers");
    assert_eq!(response.status(), 503);
    assert!(content_type(&response).starts_with("application/json"));
    let body: Value = response.json().await.expect("a JSON error body");
    assert_eq!(body["error"], "Service Unavailable");
    assert!(body["reason"].as_str().unwrap_or_default().contains("503"));
}

#[tokio::test]
async fn html_error_answers_an_html_page() {
    let (sim, http) = setup().await;
    let token = iternio_token(&sim);
    add_fault(&sim, &http, json!("html:code=502")).await;
    let response = userinfo(&sim, &http, &token).await.expect("answers");
    assert_eq!(response.status(), 502);
    assert!(content_type(&response).starts_with("text/html"));
    let text = response.text().await.expect("body");
    assert!(text.contains("<html>") && text.contains("502 Bad Gateway"));
    assert!(serde_json::from_str::<Value>(&text).is_err());
}

#[tokio::test]
async fn html_error_defaults_to_500() {
    let (sim, http) = setup().await;
    add_fault(&sim, &http, json!({"kind": "html_error"})).await;
    let response = userinfo(&sim, &http, "x").await.expect("answers");
    assert_eq!(response.status(), 500);
    assert!(content_type(&response).starts_with("text/html"));
}

#[tokio::test]
async fn malformed_json_is_200_json_that_does_not_parse() {
    let (sim, http) = setup().await;
    let token = iternio_token(&sim);
    add_fault(&sim, &http, json!({"kind": "malformed_json"})).await;
    let response = userinfo(&sim, &http, &token).await.expect("answers");
    assert_eq!(response.status(), 200);
    assert_eq!(content_type(&response), "application/json");
    let bytes = response
        .bytes()
        .await
        .expect("the whole (bad) body arrives");
    assert!(!bytes.is_empty());
    assert!(serde_json::from_slice::<Value>(&bytes).is_err());
}

#[tokio::test]
async fn truncated_json_sends_headers_and_half_the_body_then_aborts() {
    let (sim, http) = setup().await;
    let token = iternio_token(&sim);
    let expected = plain_userinfo_body(&sim, &http, &token).await;
    add_fault(&sim, &http, json!({"kind": "truncated_json", "times": 1})).await;
    let mut response = userinfo(&sim, &http, &token)
        .await
        .expect("the headers arrive");
    assert_eq!(response.status(), 200);
    assert_eq!(response.content_length(), Some(expected.len() as u64));
    let mut received = Vec::new();
    let failure = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received.extend_from_slice(&chunk),
            Ok(None) => panic!("the body ended cleanly after {} bytes", received.len()),
            Err(e) => break e,
        }
    };
    assert!(failure.is_body() || failure.is_decode(), "{failure:?}");
    assert_eq!(received, expected[..expected.len() / 2]);
    // The rule is used up: the next request is whole again.
    assert_eq!(plain_userinfo_body(&sim, &http, &token).await, expected);
}

#[tokio::test]
async fn reset_fails_the_request_with_a_connection_reset() {
    let (sim, http) = setup().await;
    let token = iternio_token(&sim);
    add_fault(&sim, &http, json!("reset:times=1")).await;
    let started = Instant::now();
    let error = userinfo(&sim, &http, &token)
        .await
        .expect_err("no answer arrives");
    assert!(!error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        common::caused_by_reset(&error),
        "not a TCP reset: {error:?}"
    );
    assert_eq!(
        userinfo(&sim, &http, &token)
            .await
            .expect("answers")
            .status(),
        200
    );
}

#[tokio::test]
async fn slow_drip_sends_the_real_answer_slowly() {
    let (sim, http) = setup().await;
    let token = iternio_token(&sim);
    let expected = plain_userinfo_body(&sim, &http, &token).await;
    add_fault(&sim, &http, json!("slow-drip:bytes=8,interval=40")).await;
    let started = Instant::now();
    let mut response = userinfo(&sim, &http, &token).await.expect("answers");
    assert_eq!(response.content_length(), Some(expected.len() as u64));
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = response.chunk().await.expect("the body arrives whole") {
        received.extend_from_slice(&chunk);
        chunks += 1;
    }
    let pauses = expected.len().div_ceil(8) as u32 - 1;
    assert!(started.elapsed() >= Duration::from_millis(40) * pauses);
    assert!(chunks > 1);
    assert_eq!(received, expected);
}

#[tokio::test]
async fn huge_body_streams_exactly_the_stated_size() {
    let (sim, http) = setup().await;
    let size: u64 = 24 * 1024 * 1024;
    add_fault(&sim, &http, json!({"kind": "huge_body", "bytes": size})).await;
    let mut response = userinfo(&sim, &http, "x").await.expect("answers");
    assert_eq!(response.status(), 200);
    assert_eq!(content_type(&response), "application/json");
    assert_eq!(response.content_length(), Some(size));
    let mut counted: u64 = 0;
    let mut chunks = 0u64;
    let mut head = Vec::new();
    let mut tail = Vec::new();
    while let Some(chunk) = response.chunk().await.expect("streams to the end") {
        counted += chunk.len() as u64;
        chunks += 1;
        if head.len() < 64 {
            head.extend_from_slice(&chunk[..chunk.len().min(64)]);
        }
        tail = chunk.to_vec();
    }
    assert_eq!(counted, size);
    assert!(chunks > 10, "streamed in pieces, got {chunks}");
    assert!(head.starts_with(b"{\"devices\":[ {\"device\":{\"id\":"));
    let tail = String::from_utf8(tail).expect("ASCII");
    assert!(tail.trim_end().ends_with("}}]}"), "{tail:?}");
}

#[tokio::test]
async fn huge_body_is_valid_json() {
    let (sim, http) = setup().await;
    add_fault(&sim, &http, json!("huge-body:bytes=5000")).await;
    let response = userinfo(&sim, &http, "x").await.expect("answers");
    let bytes = response.bytes().await.expect("body");
    assert_eq!(bytes.len(), 5000);
    let value: Value = serde_json::from_slice(&bytes).expect("valid JSON");
    assert!(value["devices"].as_array().is_some_and(|a| a.len() > 10));
}

#[tokio::test]
async fn path_and_times_scope_a_rule() {
    let (sim, http) = setup().await;
    let token = iternio_token(&sim);
    add_fault(&sim, &http, json!("status:code=500,path=/iternio/,times=2")).await;
    // Another path is untouched and does not use up the rule.
    let other = http
        .post(format!("{}/v1/oauth/", sim.base_url()))
        .query(&[
            ("username", "bob@telltale.demo"),
            ("password", "windward-1"),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(other.status(), 200);
    assert_eq!(sim.faults().list()[0].times, Some(2));
    for _ in 0..2 {
        let hit = userinfo(&sim, &http, &token).await.expect("answers");
        assert_eq!(hit.status(), 500);
    }
    assert!(sim.faults().list().is_empty(), "the rule retired");
    let after = userinfo(&sim, &http, &token).await.expect("answers");
    assert_eq!(after.status(), 200);
}

#[tokio::test]
async fn first_matching_rule_wins() {
    let (sim, http) = setup().await;
    add_fault(&sim, &http, json!("status:code=429,path=/v1/")).await;
    add_fault(&sim, &http, json!("status:code=502")).await;
    let on_v1 = http
        .post(format!("{}/v1/oauth/", sim.base_url()))
        .send()
        .await
        .expect("answers");
    assert_eq!(on_v1.status(), 429);
    let elsewhere = userinfo(&sim, &http, "x").await.expect("answers");
    assert_eq!(elsewhere.status(), 502);
}

#[tokio::test]
async fn rules_from_the_configuration_are_active_at_start() {
    let rule = FaultRule {
        kind: FaultKind::Status { code: 504 },
        path_prefix: Some(USERINFO.into()),
        times: Some(1),
    };
    let sim = common::start_with(SimConfig {
        faults: vec![rule],
        ..SimConfig::default()
    })
    .await;
    let http = common::http();
    let token = iternio_token(&sim);
    assert_eq!(userinfo(&sim, &http, &token).await.unwrap().status(), 504);
    assert_eq!(userinfo(&sim, &http, &token).await.unwrap().status(), 200);
}
