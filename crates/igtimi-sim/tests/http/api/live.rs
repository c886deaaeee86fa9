//! The WebSocket server lister and the live-data WebSocket.

use super::*;
use futures_util::{SinkExt, StreamExt};
use igtimi_sim::Simulator;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

async fn connect(sim: &Simulator) -> Socket {
    let url = format!("ws://{}/websocket", sim.addr());
    connect_async(url).await.expect("WebSocket handshake").0
}

/// The next message, failing after `secs` seconds.
async fn next(socket: &mut Socket, secs: u64) -> Message {
    tokio::time::timeout(Duration::from_secs(secs), socket.next())
        .await
        .expect("a message in time")
        .expect("the socket stays open")
        .expect("a valid frame")
}

/// The next text message that is not the heartbeat.
async fn next_data(socket: &mut Socket) -> Value {
    loop {
        match next(socket, 5).await {
            Message::Text(text) if text.as_str() != "1" => {
                return serde_json::from_str(text.as_str()).expect("JSON data")
            }
            Message::Text(_) | Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// Expects a close frame whose reason contains `reason`.
async fn expect_close(socket: &mut Socket, reason: &str) {
    match next(socket, 5).await {
        Message::Close(Some(frame)) => {
            assert!(
                frame.reason.as_str().contains(reason),
                "close reason {:?}",
                frame.reason
            )
        }
        other => panic!("expected a close frame, got {other:?}"),
    }
}

#[tokio::test]
async fn web_socket_lister_names_the_host_used() {
    let sim = common::start().await;
    let response = common::http()
        .get(format!("{}/server_listers/web_sockets", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"web_socket_servers": [format!("ws://{}/websocket", sim.addr())]})
    );
}

#[tokio::test]
async fn live_exchange_sends_time_then_newest_samples() {
    let sim = common::start().await;
    let token = common::token_for(&sim, BOB);
    let mut socket = connect(&sim).await;
    let config = serde_json::json!({"access_token": token, "devices": [TERN, SKUA]});
    socket
        .send(Message::text(config.to_string()))
        .await
        .unwrap();

    let before = sim.state().clock.now_ms();
    let Message::Text(first) = next(&mut socket, 5).await else {
        panic!("the time comes first, as text");
    };
    let server_now: i64 = first.as_str().parse().expect("a bare integer");
    assert!(
        (server_now - before).abs() < 5_000,
        "{server_now} vs {before}"
    );

    for _ in 0..2 {
        let data = next_data(&mut socket).await;
        let after = sim.state().clock.now_ms();
        let objects = data.as_array().expect("an array");
        assert_eq!(objects.len(), 1);
        let devices = objects[0].as_object().unwrap();
        // Skua is Ana's: only Tern is sent.
        assert_eq!(devices.keys().collect::<Vec<_>>(), vec![TERN]);
        let position = &devices[TERN]["1"];
        let t = position["t"].as_array().unwrap();
        assert_eq!(t.len(), 1);
        let t = float_ms(&t[0]);
        assert!(
            t > (server_now - 1000) as f64 && t <= after as f64,
            "sample time {t}"
        );
        assert_eq!(position["1"].as_array().unwrap().len(), 1);
        assert_eq!(position["2"].as_array().unwrap().len(), 1);
        assert!(devices[TERN].get("9:100").is_some());
    }

    // A revoked token ends the feed with a reason.
    assert!(sim.revoke_token(&token));
    loop {
        match next(&mut socket, 5).await {
            Message::Close(Some(frame)) => {
                assert!(frame.reason.as_str().contains("revoked"), "{frame:?}");
                break;
            }
            Message::Text(_) => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn live_config_in_the_auth_token_form() {
    let sim = common::start().await;
    let token = common::token_for(&sim, ANA);
    let mut socket = connect(&sim).await;
    let config = serde_json::json!({"auth_token": token, "units": [BUOY, TERN]});
    socket
        .send(Message::text(config.to_string()))
        .await
        .unwrap();
    let Message::Text(first) = next(&mut socket, 5).await else {
        panic!("time first");
    };
    assert!(first.as_str().parse::<i64>().is_ok());
    let data = next_data(&mut socket).await;
    let devices = data[0].as_object().unwrap();
    assert_eq!(devices.keys().collect::<Vec<_>>(), vec![BUOY]);
    assert!(
        devices[BUOY].get("23").is_some(),
        "the buoy logs true wind speed"
    );
    socket.send(Message::text("1")).await.unwrap();
    socket.close(None).await.unwrap();
}

#[tokio::test]
async fn bad_configs_are_closed_with_a_reason() {
    let sim = common::start().await;
    let mut socket = connect(&sim).await;
    socket
        .send(Message::text(r#"{"access_token":"nope","devices":[]}"#))
        .await
        .unwrap();
    expect_close(&mut socket, "The access token is invalid").await;

    let mut socket = connect(&sim).await;
    socket
        .send(Message::text(r#"{"devices":["AA-BT-0417"]}"#))
        .await
        .unwrap();
    expect_close(&mut socket, "No access token").await;

    let mut socket = connect(&sim).await;
    socket.send(Message::text("hello")).await.unwrap();
    expect_close(&mut socket, "JSON config").await;
}

#[tokio::test]
async fn heartbeat_every_fifteen_seconds() {
    let sim = common::start().await;
    // Kai can read nothing live (his windows are in the regatta week), so only the
    // heartbeat arrives.
    let mut socket = connect(&sim).await;
    let config = serde_json::json!({"access_token": common::token_for(&sim, KAI), "devices": []});
    socket
        .send(Message::text(config.to_string()))
        .await
        .unwrap();
    let Message::Text(first) = next(&mut socket, 5).await else {
        panic!("time first");
    };
    assert!(first.as_str().parse::<i64>().is_ok());
    let started = std::time::Instant::now();
    match next(&mut socket, 18).await {
        Message::Text(text) => assert_eq!(text.as_str(), "1"),
        other => panic!("expected the heartbeat, got {other:?}"),
    }
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(14),
        "heartbeat after {waited:?}"
    );
}
