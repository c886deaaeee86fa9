//! Riot's WebSocket: authentication on the upgrade, the subscription and time reply,
//! binary frames of one `Msg` each equal to `resources/data`, readable devices only,
//! heartbeats both ways, garbage from the client.

use super::*;
use crate::riot::{data_query, decode, token};
use base64::Engine;
use igtimi_sim::riot::points::kind_of;
use reqwest::StatusCode;

/// The binary frames among `messages`, decoded: (serial, points).
fn frames(messages: &[Message]) -> Vec<(String, Vec<DataPoint>)> {
    messages
        .iter()
        .filter_map(|m| match m {
            Message::Binary(bytes) => Some(riot_points(bytes)),
            _ => None,
        })
        .collect()
}

/// A socket of `username` (Bearer) subscribed to `devices`.
async fn open(sim: &Simulator, username: &str, devices: &[&str]) -> Socket {
    let bearer = format!("Bearer {}", token(sim, username).await);
    let mut socket = connect_riot(sim, Some(&bearer)).await.expect("upgraded");
    let subscription = serde_json::json!({ "devices": devices }).to_string();
    let server_now = configure(&mut socket, &subscription).await;
    assert!((server_now - sim.state().clock.now_ms()).abs() < 5_000);
    socket
}

#[tokio::test]
async fn lister_names_the_socket() {
    let sim = start().await;
    let body = crate::riot::get_json(
        &sim,
        &token(&sim, "bob").await,
        "server_listers/web_sockets",
    )
    .await;
    assert_eq!(
        body,
        serde_json::json!({"web_socket_servers": [format!("ws://{}/igtimi/websocket", sim.addr())]})
    );
}

#[tokio::test]
async fn each_frame_is_one_msg_equal_to_resources_data() {
    let sim = start().await;
    let mut socket = open(&sim, "bob", &[TERN]).await;
    let mut live: Vec<Msg> = Vec::new();
    for message in data_during(&mut socket, 2.5).await {
        match message {
            Message::Binary(bytes) => live.push(Msg::decode(&bytes[..]).expect("one Msg")),
            Message::Text(text) => assert_eq!(text.as_str(), "1"),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(live.len() >= 2, "one message per second");
    let second = |m: &Msg| {
        let Some(msg::Msg::Data(data)) = &m.msg else {
            panic!("data");
        };
        let points = &data.data[0].data;
        let t = timestamp(&points[0]);
        assert!(
            points.iter().all(|p| timestamp(p) / 1000 == t / 1000),
            "one second"
        );
        t / 1000
    };
    let seconds: Vec<u64> = live.iter().map(second).collect();
    assert!(seconds.windows(2).all(|w| w[1] == w[0] + 1), "{seconds:?}");
    let (first, last) = (seconds[0] * 1000, seconds[seconds.len() - 1] * 1000 + 999);
    let mut fields: Vec<u32> = sim
        .state()
        .data
        .sensors(TERN)
        .iter()
        .filter_map(|k| kind_of(k.code))
        .map(|k| k.field)
        .collect();
    fields.sort_unstable();
    fields.dedup();
    let types: Vec<String> = fields.iter().map(|f| format!("types[{f}]=0")).collect();
    let path = data_query(&[TERN], first as i64, last as i64, &types.join("&"));
    let body = crate::riot::get_json(&sim, &token(&sim, "bob").await, &path).await;
    let mut served: Vec<Msg> = body[TERN]
        .as_array()
        .expect("a list")
        .iter()
        .map(|b| decode(b.as_str().expect("base64")))
        .collect();
    served.sort_by_key(second);
    assert_eq!(live, served, "live equals resources/data");
}

#[tokio::test]
async fn only_readable_subscribed_devices_arrive() {
    let sim = start().await;
    // Kai reads Tern today through a window, Petrel never; the buoy is not subscribed.
    let mut kai = open(&sim, "kai", &[TERN, PETREL]).await;
    // Basic credentials work too; a new subscription replaces the set.
    let basic = base64::engine::general_purpose::STANDARD.encode("ana:leeward-2");
    let mut ana = connect_riot(&sim, Some(&format!("Basic {basic}")))
        .await
        .expect("upgraded");
    configure(&mut ana, r#"{"devices":["AA-BT-0417"]}"#).await;
    configure(&mut ana, r#"{"devices":["AA-BT-0731","AA-BT-0658"]}"#).await;
    let kai_frames = frames(&data_during(&mut kai, 2.5).await);
    assert!(kai_frames.iter().all(|(serial, _)| serial == TERN));
    let mut serials: Vec<String> = frames(&data_during(&mut ana, 0.3).await)
        .into_iter()
        .map(|(serial, _)| serial)
        .collect();
    serials.sort();
    serials.dedup();
    assert_eq!(serials, [SKUA, BUOY]);
}

#[tokio::test]
async fn anonymous_sockets_read_nothing_but_hear_heartbeats() {
    let sim = start().await;
    let mut socket = connect_riot(&sim, None).await.expect("upgraded");
    configure(&mut socket, r#"{"devices":["AA-BT-0417","AA-BT-0731"]}"#).await;
    send(&mut socket, "1").await;
    let messages = during(&mut socket, 1.5).await;
    assert!(messages.len() >= 2, "heartbeats: {messages:?}");
    for message in messages {
        assert_eq!(message, Message::text("1"));
    }
}

#[tokio::test]
async fn bad_credentials_get_401_before_the_upgrade_and_count_toward_the_lockout() {
    let sim = start().await;
    let good = format!("Bearer {}", token(&sim, "bob").await);
    for _ in 0..10 {
        match connect_riot(&sim, Some("Bearer not-a-token")).await {
            Err(tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), StatusCode::UNAUTHORIZED)
            }
            other => panic!("expected 401, got {other:?}"),
        }
    }
    match connect_riot(&sim, Some("Basic Ym9iOm5vcGU=")).await {
        Err(tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED)
        }
        other => panic!("expected 401, got {other:?}"),
    }
    // Ten unknown tokens locked this address out: a good token is refused too.
    assert!(connect_riot(&sim, Some(&good)).await.is_err());
}

#[tokio::test]
async fn garbage_from_the_client_closes_with_a_reason() {
    let sim = start().await;
    for garbage in ["hello", r#"{"devices":"AA-BT-0417"}"#, r#"{"serials":[]}"#] {
        let mut socket = connect_riot(&sim, None).await.expect("upgraded");
        send(&mut socket, garbage).await;
        expect_close(&mut socket, "Expected {\"devices\"").await;
    }
    let mut socket = connect_riot(&sim, None).await.expect("upgraded");
    socket
        .send(Message::binary(vec![1, 2, 3]))
        .await
        .expect("sent");
    expect_close(&mut socket, "text messages only").await;
}

#[tokio::test]
async fn a_rotated_token_ends_the_socket() {
    let sim = start().await;
    let mut socket = open(&sim, "bob", &[TERN]).await;
    let state = sim.state();
    let bob = state.world.user_by_name("bob").expect("bob").id;
    state.riot.rotate_token(bob);
    expect_close(&mut socket, "not valid").await;
}

/// Riot's `resources/data` and `resources` end now too, though the live days run on.
#[tokio::test]
async fn riot_serves_nothing_after_now() {
    let sim = start().await;
    let token = sim.state().riot.token_for(BOB);
    let now = sim.state().clock.now_ms();
    let base = format!("{}/igtimi/api/v1", sim.base_url());
    let data: serde_json::Value = crate::common::http()
        .get(format!(
            "{base}/resources/data?start_time={}&end_time={}&serial_numbers[]={TERN}&types[]=9",
            now - 10_000,
            now + 3_600_000
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    let decoded = telltale_free_decode(&data, TERN);
    assert!(!decoded.is_empty(), "samples of the last 10 s");
    assert!(
        decoded.iter().all(|&t| t <= now as u64),
        "{decoded:?} after {now}"
    );
    let resources: serde_json::Value = crate::common::http()
        .get(format!(
            "{base}/resources?start_time={}&end_time={}",
            now - 60_000,
            now + 86_400_000
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    let list = resources["resources"].as_array().expect("a list");
    assert!(!list.is_empty());
    for r in list {
        let r = r.get("resource").unwrap_or(r);
        assert!(
            r["end_time"].as_i64().expect("ms") <= sim.state().clock.now_ms(),
            "{r}"
        );
    }
}

/// The timestamps of the SOG points in a Riot `resources/data` answer for `serial`.
fn telltale_free_decode(body: &serde_json::Value, serial: &str) -> Vec<u64> {
    use base64::Engine as _;
    let mut out = Vec::new();
    for item in body[serial].as_array().expect("messages") {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(item.as_str().expect("base64"))
            .expect("base64");
        let msg = Msg::decode(bytes.as_slice()).expect("a Msg");
        if let Some(msg::Msg::Data(data)) = msg.msg {
            for dm in data.data {
                for p in dm.data {
                    if let Some(Point::Sog(sog)) = p.point {
                        out.push(sog.timestamp);
                    }
                }
            }
        }
    }
    out
}
