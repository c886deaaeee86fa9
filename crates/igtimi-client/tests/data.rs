//! `resources/data` over real HTTP: raw bytes with the types filter, refusals with the
//! server's reason, `_method=GET` for long queries, the size cap and the time limit.

#[path = "support/sim.rs"]
mod sim;
#[allow(dead_code)]
mod support;

use igtimi_client::{
    AccessToken, ApiError, DataQuery, IgtimiClient, DATA_BODY_LIMIT, MAX_QUERY_BYTES,
};
use igtimi_sim::{FaultKind, FaultRule, SimConfig};
use serde_json::Value;
use sim::{start, start_with};
use std::time::{Duration, Instant};
use telltale_test_support::demo::{BOB, BUOY, DAY, HOUR, KAI, TERN, WEEK};

const DATA_PATH: &str = "/api/v1/resources/data";

/// Ten minutes of race 1 (day 1, 10:00 UTC).
fn race_query(serials: &[&str], types: &[u16]) -> DataQuery {
    let start = WEEK + 10 * HOUR;
    DataQuery {
        start,
        end: start + 10 * 60_000 - 1,
        serials: serials.iter().map(|s| s.to_string()).collect(),
        types: types.iter().map(|&code| (code, 0.0)).collect(),
    }
}

fn fault(kind: FaultKind, times: Option<u32>) -> FaultRule {
    FaultRule {
        kind,
        path_prefix: Some(DATA_PATH.into()),
        times,
    }
}

fn keys(value: &Value) -> Vec<String> {
    value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn raw_bytes_hold_only_the_requested_types() {
    let (_sim, client, token) = start(BOB).await;
    let bytes = client
        .data(&token, &race_query(&[TERN, BUOY], &[1, 9]))
        .await
        .expect("data");
    assert!(bytes.starts_with(b"{\""), "raw JSON bytes");
    let value: Value = serde_json::from_slice(&bytes).expect("valid JSON");
    let mut devices = keys(&value);
    devices.sort();
    assert_eq!(devices, vec![TERN.to_string(), BUOY.to_string()]);
    let mut tern = keys(&value[TERN]);
    tern.sort();
    // Tern has a second GPS on data source 100: both sources of 1 and 9 come back.
    assert_eq!(tern, vec!["1", "1:100", "9", "9:100"]);
    assert_eq!(keys(&value[BUOY]).len(), 2, "{:?}", keys(&value[BUOY]));
    let position = &value[TERN]["1"];
    let t = position["t"].as_array().expect("t");
    assert!(t.len() >= 590, "about 1 Hz for ten minutes: {}", t.len());
    assert_eq!(position["1"].as_array().map(Vec::len), Some(t.len()));
    assert_eq!(position["2"].as_array().map(Vec::len), Some(t.len()));
    let first = t[0].as_f64().expect("float ms") as i64;
    assert!(first >= WEEK + 10 * HOUR);
    let lon = position["1"][0].as_f64().expect("lon");
    assert!((10.0..11.0).contains(&lon), "\"1\" is longitude: {lon}");
}

#[tokio::test]
async fn a_coach_gets_only_the_shared_day() {
    let (sim, client, _) = start(BOB).await;
    let kai = sim::token_for(&sim, KAI);
    let day = |d: i64| DataQuery {
        start: WEEK + d * DAY + 12 * HOUR,
        end: WEEK + d * DAY + 12 * HOUR + 60_000,
        serials: vec![TERN.into()],
        types: vec![(9, 0.0)],
    };
    let shared: Value =
        serde_json::from_slice(&client.data(&kai, &day(2)).await.expect("day 3")).expect("json");
    assert!(shared[TERN]["9"]["t"]
        .as_array()
        .is_some_and(|t| !t.is_empty()));
    let other: Value =
        serde_json::from_slice(&client.data(&kai, &day(1)).await.expect("day 2")).expect("json");
    assert_eq!(other, serde_json::json!({}), "nothing outside the window");
}

#[tokio::test]
async fn a_span_too_long_is_refused_with_the_servers_reason() {
    let config = SimConfig {
        max_data_span_ms: DAY,
        ..SimConfig::default()
    };
    let (_sim, client, token) = start_with(config, BOB).await;
    let query = DataQuery {
        start: WEEK,
        end: WEEK + 2 * DAY,
        serials: vec![TERN.into()],
        types: vec![(9, 0.0)],
    };
    match client.data(&token, &query).await {
        Err(err @ ApiError::Refused { status: 400, .. }) => {
            let text = err.to_string();
            assert!(text.contains("span_too_long"), "{text}");
            assert!(text.contains("split the request"), "{text}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let unknown = client.data(&token, &race_query(&[TERN], &[99])).await;
    assert!(
        matches!(&unknown, Err(ApiError::Refused { status: 400, reason }) if reason.contains("unknown data type 99")),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn an_error_object_with_status_200_is_a_refusal() {
    let server = support::serve(support::json_ok(
        r#"{"error":"archived","reason":"restore the archive first"}"#,
    ))
    .await;
    let client = IgtimiClient::new(server.base.clone()).expect("client");
    let token = AccessToken::new("abc123").expect("token");
    let result = client.data(&token, &race_query(&[TERN], &[9])).await;
    assert_eq!(
        result,
        Err(ApiError::Refused {
            status: 200,
            reason: "archived (restore the archive first)".into()
        })
    );
}

#[tokio::test]
async fn a_long_query_is_posted_with_method_get() {
    // Against a canned server: the request line shows the POST.
    let mut canned = support::serve(support::json_ok("{}")).await;
    let canned_client = IgtimiClient::new(canned.base.clone()).expect("client");
    let token = AccessToken::new("abc123").expect("token");
    let many: Vec<String> = (0..400).map(|i| format!("ZZ-XX-{i:04}")).collect();
    let mut long = race_query(&[TERN], &[1, 9]);
    long.serials.extend(many);
    canned_client.data(&token, &long).await.expect("answer");
    let head = canned.requests.recv().await.expect("a request");
    assert!(
        head.starts_with("POST /api/v1/resources/data HTTP/1.1"),
        "{head}"
    );
    assert!(head
        .to_ascii_lowercase()
        .contains("application/x-www-form-urlencoded"));
    canned_client
        .data(&token, &race_query(&[TERN], &[9]))
        .await
        .expect("answer");
    let head = canned.requests.recv().await.expect("a request");
    assert!(
        head.starts_with("GET /api/v1/resources/data?start_time="),
        "{head}"
    );

    // Against the simulator: the long form gives the same data as the short one.
    let (_sim, client, token) = start(BOB).await;
    let short = client
        .data(&token, &race_query(&[TERN], &[1, 9]))
        .await
        .expect("short");
    let posted = client.data(&token, &long).await.expect("posted");
    assert!(short.len() > 1000);
    assert_eq!(posted, short);
    assert!(long.serials.len() * 30 > MAX_QUERY_BYTES);
}

#[tokio::test]
async fn answers_over_the_cap_are_refused() {
    let (sim, client, token) = start(BOB).await;
    let small = client
        .clone()
        .with_data_limits(Duration::from_secs(30), 1000);
    assert_eq!(
        small.data(&token, &race_query(&[TERN], &[1])).await,
        Err(ApiError::TooLarge { limit_bytes: 1000 })
    );
    // A declared 300 MiB body fails at the default cap before it is read.
    sim.faults().add(fault(
        FaultKind::HugeBody {
            bytes: 300 * 1024 * 1024,
        },
        Some(1),
    ));
    let started = Instant::now();
    assert_eq!(
        client.data(&token, &race_query(&[TERN], &[1])).await,
        Err(ApiError::TooLarge {
            limit_bytes: DATA_BODY_LIMIT
        })
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn data_has_its_own_time_limit() {
    let (sim, _, token) = start(BOB).await;
    let base: url::Url = sim.base_url().parse().expect("URL");
    let quick = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_millis(300))
        .build()
        .expect("http");
    let client = IgtimiClient::with_http(base, quick).expect("client");
    // Slower than the client's 300 ms, well within the data limit: the answer arrives.
    sim.faults()
        .add(fault(FaultKind::Latency { ms: 700 }, Some(1)));
    client
        .data(&token, &race_query(&[TERN], &[9]))
        .await
        .expect("data waits longer than other calls");
    // The data limit itself applies.
    sim.faults()
        .add(fault(FaultKind::Latency { ms: 3000 }, Some(1)));
    let strict = client.with_data_limits(Duration::from_millis(400), DATA_BODY_LIMIT);
    assert_eq!(
        strict.data(&token, &race_query(&[TERN], &[9])).await,
        Err(ApiError::Timeout)
    );
}

#[tokio::test]
async fn transport_faults_are_told_apart() {
    let (sim, client, token) = start(BOB).await;
    let query = race_query(&[TERN], &[1, 9]);
    sim.faults()
        .add(fault(FaultKind::Status { code: 503 }, Some(1)));
    assert_eq!(
        client.data(&token, &query).await,
        Err(ApiError::Server { status: 503 })
    );
    sim.faults().add(fault(FaultKind::TruncatedJson, Some(1)));
    assert!(matches!(
        client.data(&token, &query).await,
        Err(ApiError::InvalidResponse { detail }) if detail.contains("cut off")
    ));
    sim.faults().add(fault(FaultKind::Reset, Some(1)));
    assert!(matches!(
        client.data(&token, &query).await,
        Err(ApiError::Unreachable { .. })
    ));
    client
        .data(&token, &query)
        .await
        .expect("faults are used up");
    assert!(sim.revoke_token(token.expose_secret()));
    assert_eq!(
        client.data(&token, &query).await,
        Err(ApiError::Unauthorized)
    );
}
