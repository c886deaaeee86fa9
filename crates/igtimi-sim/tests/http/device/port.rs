//! Authentication, heartbeats, hostile frames and `GET server`.

use super::*;
use crate::riot::get_json;
use riot_proto::{token, Token};

#[tokio::test]
async fn any_non_empty_device_group_token_is_accepted() {
    let sim = start().await;
    let mut raw = Raw::connect(&sim).await;
    raw.send(&messages::auth_request("some other group", 5))
        .await;
    let Kind::AuthResponse(answer) = raw.next_kind().await else {
        panic!("an auth response");
    };
    assert!(answer.ack);
    assert_eq!(
        (answer.code, answer.reason.as_str()),
        (200, "Authenticated")
    );
    assert_eq!(
        answer.token,
        Some(messages::device_group_token("some other group")),
        "the token is echoed"
    );
    assert!(answer.timestamp > 1_700_000_000_000, "the server's time");
}

/// An `auth_request` with any token or none.
fn hello_with(token: Option<Token>) -> Msg {
    use riot_proto::channel_management::Management;
    use riot_proto::{authentication, msg, AuthRequest, Authentication, ChannelManagement};
    Msg {
        msg: Some(msg::Msg::ChannelManagement(ChannelManagement {
            management: Some(Management::Auth(Authentication {
                auth: Some(authentication::Auth::AuthRequest(AuthRequest {
                    timestamp: 1,
                    token,
                })),
            })),
        })),
    }
}

#[tokio::test]
async fn unusable_tokens_are_refused_with_401() {
    let sim = start().await;
    let user_token = Token {
        token: Some(token::Token::UserToken("bob's".into())),
    };
    let cases = [
        (messages::auth_request("  ", 1), "empty"),
        (hello_with(Some(user_token)), "not a user token"),
        (hello_with(None), "no token"),
    ];
    for (hello, needle) in cases {
        let mut raw = Raw::connect(&sim).await;
        raw.send(&hello).await;
        let Kind::AuthResponse(answer) = raw.next_kind().await else {
            panic!("an auth response");
        };
        assert!(!answer.ack);
        assert_eq!(answer.code, 401);
        assert!(answer.reason.contains(needle), "{answer:?}");
        raw.expect_disconnect(401, needle).await;
    }
}

#[tokio::test]
async fn the_first_message_must_authenticate_in_time() {
    let sim = start_with(SimConfig {
        riot_device_auth_timeout: Duration::from_millis(300),
        ..SimConfig::default()
    })
    .await;
    let mut data_first = Raw::connect(&sim).await;
    data_first
        .send(&messages::data("ZZ-DEV-1", vec![], 0))
        .await;
    data_first
        .expect_disconnect(400, "first message must be an authentication")
        .await;

    let mut silent = Raw::connect(&sim).await;
    silent
        .expect_disconnect(401, "No authentication request within 0.3 s")
        .await;
}

#[tokio::test]
async fn hostile_frames_get_a_reason_and_the_port_keeps_serving() {
    let sim = start().await;
    // 2^40 bytes announced, before authenticating and after.
    let huge = [0x80, 0x80, 0x80, 0x80, 0x80, 0x20];
    let mut raw = Raw::connect(&sim).await;
    raw.send_bytes(&huge).await;
    raw.expect_disconnect(413, "at most 1048576 bytes").await;
    let mut raw = Raw::authenticated(&sim).await;
    raw.send_bytes(&huge).await;
    raw.expect_disconnect(413, "at most").await;

    let mut raw = Raw::authenticated(&sim).await;
    raw.send_bytes(&[4, 0xff, 0xff, 0xff, 0xff]).await;
    raw.expect_disconnect(400, "not a valid Riot Msg").await;

    let mut raw = Raw::authenticated(&sim).await;
    raw.send_bytes(&[0xff; 11]).await;
    raw.expect_disconnect(400, "not a valid varint").await;

    // Half a frame, then the device stops sending.
    let mut raw = Raw::authenticated(&sim).await;
    raw.send_bytes(&[50, 1, 2]).await;
    raw.write.shutdown().await.unwrap();
    raw.expect_disconnect(400, "ended inside a message (2 of 50 bytes)")
        .await;

    // A serial no one could register.
    let mut raw = Raw::authenticated(&sim).await;
    raw.send(&messages::data(&"X".repeat(65), vec![], 0)).await;
    raw.expect_disconnect(400, "serial number").await;

    Raw::authenticated(&sim).await;
}

#[tokio::test]
async fn heartbeats_count_up_at_the_configured_period() {
    let sim = start_with(SimConfig {
        riot_device_heartbeat: Duration::from_millis(100),
        ..SimConfig::default()
    })
    .await;
    let mut raw = Raw::authenticated(&sim).await;
    let started = std::time::Instant::now();
    for expected in 1..=3 {
        match raw.next_kind().await {
            Kind::Heartbeat(n) => assert_eq!(n, expected),
            other => panic!("a heartbeat, got {other:?}"),
        }
        // The device's own heartbeats are let be.
        raw.send(&messages::heartbeat(expected)).await;
    }
    assert!(started.elapsed() >= Duration::from_millis(250));
}

#[tokio::test]
async fn stopping_the_simulator_says_goodbye() {
    let sim = start().await;
    let mut raw = Raw::authenticated(&sim).await;
    sim.shutdown().await;
    raw.expect_disconnect(503, "shutting down").await;
}

#[tokio::test]
async fn get_server_names_the_bound_port() {
    let sim = start().await;
    let port = sim.device_addr().unwrap().port();
    assert_ne!(port, 0);
    let bob = bob(&sim).await;
    assert_eq!(
        get_json(&sim, &bob, "server").await,
        json!({ "port": port })
    );
    let plain = common::start().await;
    assert_eq!(plain.device_addr(), None, "no device port by default");
    assert_eq!(plain.state().config.riot_device_listen, None);
    assert_eq!(
        plain.manifest().riot.device_group_token,
        DEMO_DEVICE_GROUP_TOKEN
    );
}
