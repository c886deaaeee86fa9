//! The JSON dialect's lister and WebSocket: config forms, the time reply, the samples of
//! today equal to `resources/data`, readable devices only, heartbeats, the idle limit.

use super::*;
use crate::common;
use reqwest::StatusCode;
use serde_json::{json, Map, Value};

/// The data messages among `messages`: each `[{"SERIAL":{..}}]`, as (serial, channels).
fn data_of(messages: &[Message]) -> Vec<(String, Map<String, Value>)> {
    messages
        .iter()
        .filter_map(|m| match m {
            Message::Text(t) if t.as_str() != "1" => Some(t.as_str().to_string()),
            _ => None,
        })
        .map(|text| {
            let value: Value = serde_json::from_str(&text).expect("JSON data");
            let array = value.as_array().expect("a JSON array");
            assert_eq!(array.len(), 1, "one object per message: {text}");
            let devices = array[0].as_object().expect("an object");
            assert_eq!(devices.len(), 1, "one device per message: {text}");
            let (serial, channels) = devices.iter().next().expect("one device");
            (
                serial.clone(),
                channels.as_object().expect("channels").clone(),
            )
        })
        .collect()
}

/// Appends one message's channels to `all`, column by column.
fn append(all: &mut Map<String, Value>, channels: &Map<String, Value>) {
    for (key, series) in channels {
        let target = all.entry(key.clone()).or_insert_with(|| json!({}));
        for (column, values) in series.as_object().expect("a series") {
            let list = target
                .as_object_mut()
                .expect("a series")
                .entry(column.clone())
                .or_insert_with(|| json!([]));
            let list = list.as_array_mut().expect("a column");
            list.extend(values.as_array().expect("a column").iter().cloned());
        }
    }
}

async fn open(sim: &Simulator, user: u64, devices: &[&str]) -> Socket {
    let mut socket = connect_json(sim).await;
    let config = json!({"access_token": common::token_for(sim, user), "devices": devices});
    let server_now = configure(&mut socket, &config.to_string()).await;
    let now = sim.state().clock.now_ms();
    assert!((server_now - now).abs() < 5_000, "{server_now} vs {now}");
    socket
}

#[tokio::test]
async fn web_socket_lister_names_the_host_used() {
    let sim = start().await;
    let response = common::http()
        .get(format!("{}/server_listers/web_sockets", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"web_socket_servers": [format!("ws://{}/websocket", sim.addr())]})
    );
}

#[tokio::test]
async fn todays_samples_equal_resources_data() {
    let sim = start().await;
    let mut socket = open(&sim, BOB, &[TERN, SKUA]).await;
    let messages = data_during(&mut socket, 2.5).await;
    let data = data_of(&messages);
    assert!(data.len() >= 2, "a message per second: {data:?}");
    let mut live = Map::new();
    for (serial, channels) in &data {
        assert_eq!(serial, TERN, "Skua is Ana's");
        append(&mut live, channels);
    }
    let t: Vec<f64> = live["1"]["t"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        t.windows(2).all(|w| w[1] - w[0] == 1000.0),
        "every second: {t:?}"
    );
    let (first, last) = (t[0] as i64, t[t.len() - 1] as i64);
    let types: String = sim
        .state()
        .data
        .sensors(TERN)
        .iter()
        .map(|k| format!("&types[{}]=0", k.code))
        .collect();
    let token = common::token_for(&sim, BOB);
    let path =
        format!("resources/data?start_time={first}&end_time={last}&serial_numbers[]={TERN}{types}");
    let body = crate::api::get_ok(&sim, &token, &path).await;
    assert_eq!(
        Value::Object(live),
        body[TERN],
        "live equals resources/data"
    );
}

#[tokio::test]
async fn config_in_the_auth_token_form_and_a_new_config_replaces_the_set() {
    let sim = start().await;
    let mut socket = connect_json(&sim).await;
    let token = common::token_for(&sim, ANA);
    let config = json!({"auth_token": token, "units": [BUOY, TERN]});
    configure(&mut socket, &config.to_string()).await;
    let data = data_of(&data_during(&mut socket, 1.0).await);
    for (serial, channels) in &data {
        assert_eq!(serial, BUOY, "Tern is Bob's");
        assert!(channels.contains_key("23"), "the buoy logs true wind speed");
    }
    // The client's heartbeat is taken; a new config (without the token) replaces the set.
    send(&mut socket, "1").await;
    configure(&mut socket, &json!({"devices": [SKUA]}).to_string()).await;
    let data = data_of(&data_during(&mut socket, 1.0).await);
    assert!(data.iter().all(|(serial, _)| serial == SKUA), "{data:?}");
    socket.close(None).await.unwrap();
}

#[tokio::test]
async fn only_what_the_user_reads_now_arrives() {
    let sim = start().await;
    // Kai reads Tern today through a window, Petrel never; the buoy is not asked for.
    let mut kai = open(&sim, KAI, &[TERN, PETREL]).await;
    // An empty list: every device Kai can read (Tern and, through Team Tern, the buoy).
    let mut all = open(&sim, KAI, &[]).await;
    let data = data_of(&data_during(&mut kai, 2.5).await);
    assert!(data.iter().all(|(serial, _)| serial == TERN), "{data:?}");
    let mut serials: Vec<String> = data_of(&data_during(&mut all, 0.5).await)
        .into_iter()
        .map(|(serial, _)| serial)
        .collect();
    serials.sort();
    serials.dedup();
    assert_eq!(serials, [TERN, BUOY]);
}

#[tokio::test]
async fn bad_configs_are_closed_with_a_reason() {
    let sim = start().await;
    let mut socket = connect_json(&sim).await;
    send(&mut socket, r#"{"access_token":"nope","devices":[]}"#).await;
    expect_close(&mut socket, "The access token is invalid").await;

    let mut socket = connect_json(&sim).await;
    send(&mut socket, r#"{"devices":["AA-BT-0417"]}"#).await;
    expect_close(&mut socket, "No access token").await;

    let mut socket = connect_json(&sim).await;
    send(&mut socket, "hello").await;
    expect_close(&mut socket, "JSON config").await;

    // After a good config, text that is neither a config nor `1` closes too.
    let mut socket = open(&sim, BOB, &[SKUA]).await;
    send(&mut socket, "hello").await;
    expect_close(&mut socket, "heartbeat 1").await;
}

#[tokio::test]
async fn a_revoked_token_ends_the_feed() {
    let sim = start().await;
    let token = common::token_for(&sim, BOB);
    let mut socket = connect_json(&sim).await;
    configure(
        &mut socket,
        &json!({"access_token": token, "devices": [SKUA]}).to_string(),
    )
    .await;
    assert!(sim.revoke_token(&token));
    expect_close(&mut socket, "revoked").await;
}

#[tokio::test]
async fn heartbeats_after_the_config_and_silent_clients_are_dropped() {
    let sim = common::start_with(SimConfig {
        live_idle_limit: Duration::from_millis(1500),
        ..config()
    })
    .await;
    // Nothing before the config: no heartbeat, no data.
    let mut socket = connect_json(&sim).await;
    assert!(during(&mut socket, 0.5).await.is_empty());
    // Ana asks for nothing she can read: heartbeats only (and no boat sails for her).
    let mut socket = open(&sim, ANA, &[TERN]).await;
    let started = std::time::Instant::now();
    match next(&mut socket, 2.0).await {
        Message::Text(text) => assert_eq!(text.as_str(), "1"),
        other => panic!("expected the heartbeat, got {other:?}"),
    }
    assert!(started.elapsed() >= Duration::from_millis(200));
    // The server's heartbeats do not count as the client's: it is dropped.
    expect_close(&mut socket, "Nothing received").await;
}

/// The live days run into tomorrow, but what has not happened yet is not served: data ends
/// now, and a resource still being recorded ends now.
#[tokio::test]
async fn nothing_after_now_is_served() {
    let sim = start().await;
    let token = common::token_for(&sim, BOB);
    let now = sim.state().clock.now_ms();
    let path = format!(
        "resources/data?start_time={}&end_time={}&serial_numbers[]={TERN}&types[9]=0",
        now - 60_000,
        now + 3_600_000
    );
    let body = crate::api::get_ok(&sim, &token, &path).await;
    let t = body[TERN]["9"]["t"].as_array().expect("SOG times");
    let last = t.last().and_then(Value::as_f64).expect("a sample");
    assert!(
        last <= now as f64 && last >= (now - 2_000) as f64,
        "last {last}, now {now}"
    );

    let path = format!(
        "resources?start_time={}&end_time={}",
        now - 60_000,
        now + 86_400_000
    );
    let body = crate::api::get_ok(&sim, &token, &path).await;
    let resources = crate::api::items(&body, "resources", "resource");
    assert!(!resources.is_empty());
    for r in &resources {
        let end = crate::api::float_ms(&r["end_time"]);
        assert!(
            end <= sim.state().clock.now_ms() as f64,
            "{r} ends after now"
        );
    }
}
