//! The live faults on both dialects at once, through the Rust API and `POST /__admin/live`;
//! shutdown closing live sockets, and a restart on the same port with remembered tokens.

use super::*;
use crate::common;
use igtimi_sim::LiveFault;
use serde_json::{json, Value};

/// One JSON socket (Bob on Tern) and one Riot socket (Bob on Tern), both configured.
async fn both(sim: &Simulator) -> (Socket, Socket) {
    let mut json_socket = connect_json(sim).await;
    let config = json!({"access_token": common::token_for(sim, BOB), "devices": [TERN]});
    configure(&mut json_socket, &config.to_string()).await;
    let bearer = format!("Bearer {}", crate::riot::token(sim, "bob").await);
    let mut riot_socket = connect_riot(sim, Some(&bearer)).await.expect("upgraded");
    configure(&mut riot_socket, r#"{"devices":["AA-BT-0417"]}"#).await;
    (json_socket, riot_socket)
}

/// True for a JSON socket's data message.
fn json_data(m: &Message) -> bool {
    matches!(m, Message::Text(t) if t.as_str().starts_with('['))
}

#[tokio::test]
async fn half_open_sends_nothing_until_resume_and_drop_aborts_without_a_close_frame() {
    let sim = start().await;
    let (mut json_socket, mut riot_socket) = both(&sim).await;
    until(&mut json_socket, FIRST_DATA_SECS, json_data).await;
    until(&mut riot_socket, FIRST_DATA_SECS, is_data).await;
    assert_eq!(sim.live_fault(LiveFault::HalfOpen), 2);
    // What was on its way before the fault may still come: let it drain.
    during(&mut json_socket, 0.3).await;
    during(&mut riot_socket, 0.3).await;
    assert_eq!(during(&mut json_socket, 1.2).await, Vec::<Message>::new());
    assert_eq!(during(&mut riot_socket, 0.1).await, Vec::<Message>::new());
    assert_eq!(sim.live_fault(LiveFault::Resume), 2);
    until(&mut json_socket, 5.0, json_data).await;
    until(&mut riot_socket, 5.0, is_data).await;

    assert_eq!(sim.live_fault(LiveFault::Drop), 2);
    for socket in [&mut json_socket, &mut riot_socket] {
        let end = loop {
            match next_message(socket, 5.0).await {
                Some(Ok(Message::Close(frame))) => panic!("a close frame: {frame:?}"),
                Some(Ok(_)) => continue,
                end => break end,
            }
        };
        // A TCP reset, not a clean end of the stream.
        match end {
            Some(Err(tungstenite::Error::Io(e))) => {
                assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset)
            }
            other => panic!("expected a connection reset, got {other:?}"),
        }
    }
    let open = sim.state().live_sockets.wait_closed(Duration::from_secs(2));
    assert_eq!(open.await, 0);
}

#[tokio::test]
async fn garbage_foreign_device_and_huge_frames_through_the_api_and_the_admin_endpoint() {
    let sim = start().await;
    let (mut json_socket, mut riot_socket) = both(&sim).await;
    until(&mut json_socket, FIRST_DATA_SECS, json_data).await;
    until(&mut riot_socket, FIRST_DATA_SECS, is_data).await;

    assert_eq!(sim.live_fault(LiveFault::Garbage), 2);
    until(&mut json_socket, 5.0, |m| match m {
        Message::Text(t) => {
            t.as_str() != "1" && serde_json::from_str::<Vec<Value>>(t.as_str()).is_err()
        }
        _ => false,
    })
    .await;
    until(&mut riot_socket, 5.0, |m| match m {
        Message::Binary(bytes) => Msg::decode(&bytes[..]).is_err(),
        _ => false,
    })
    .await;

    // Bob subscribed to Tern; his Petrel comes.
    assert_eq!(sim.live_fault(LiveFault::ForeignDevice), 2);
    let message = until(&mut json_socket, 5.0, |m| {
        json_data(m) && !m.to_text().unwrap_or_default().contains(TERN)
    })
    .await;
    let value: Value = serde_json::from_str(message.to_text().unwrap()).expect("JSON");
    assert!(value[0][PETREL].is_object(), "Bob's Petrel: {value}");
    let message = until(&mut riot_socket, 5.0, |m| match m {
        Message::Binary(bytes) => riot_points(bytes).0 != TERN,
        _ => false,
    })
    .await;
    let (serial, points) = riot_points(&message.into_data());
    assert_eq!(serial, PETREL);
    assert!(!points.is_empty());

    let admin = |body: Value| {
        common::http()
            .post(format!("{}/__admin/live", sim.base_url()))
            .json(&body)
            .send()
    };
    let response = admin(json!({"fault": "huge_frame"}))
        .await
        .expect("answers");
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body, json!({"fault": "huge_frame", "sockets": 2}));
    let huge = |m: &Message| m.len() == 1 << 20;
    let message = until(&mut json_socket, 5.0, huge).await;
    assert!(serde_json::from_str::<Value>(message.to_text().unwrap()).is_ok());
    let message = until(&mut riot_socket, 5.0, huge).await;
    assert!(matches!(message, Message::Binary(_)));
    let response = admin(json!({"fault": "teleport"})).await.expect("answers");
    assert_eq!(response.status(), reqwest::StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn shutdown_closes_live_sockets_and_a_restart_on_the_port_remembers_tokens() {
    let dir = std::env::temp_dir().join(format!("igtimi-sim-live-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = SimConfig {
        remember_tokens: Some(dir.join("tokens.json")),
        ..config()
    };
    let sim = common::start_with(config.clone()).await;
    let addr = sim.addr();
    let json_token = common::token_for(&sim, BOB);
    let riot_token = crate::riot::token(&sim, "bob").await;
    let (mut json_socket, mut riot_socket) = both(&sim).await;
    let started = std::time::Instant::now();
    sim.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(3), "promptly");
    expect_close(&mut json_socket, "shutting down").await;
    expect_close(&mut riot_socket, "shutting down").await;

    let sim = Simulator::start_on(config, addr)
        .await
        .expect("the port again");
    assert_eq!(sim.addr(), addr);
    let mut socket = connect_json(&sim).await;
    let config = json!({"access_token": json_token, "devices": [TERN]});
    configure(&mut socket, &config.to_string()).await;
    until(&mut socket, FIRST_DATA_SECS, json_data).await;
    let bearer = format!("Bearer {riot_token}");
    let mut socket = connect_riot(&sim, Some(&bearer))
        .await
        .expect("the token is remembered");
    configure(&mut socket, r#"{"devices":["AA-BT-0417"]}"#).await;
    until(&mut socket, FIRST_DATA_SECS, is_data).await;
    sim.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
