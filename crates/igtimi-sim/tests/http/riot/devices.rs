//! `devices` (list and registration), `server` and the WebSocket lister.

use super::*;
use igtimi_sim::riot::state::UNCLAIMED_SERIAL;
use igtimi_sim::SimConfig;
use serde_json::json;

async fn serials(sim: &Simulator, token: &str) -> Vec<String> {
    let body = get_json(sim, token, "devices/").await;
    body["devices"]
        .as_array()
        .unwrap_or_else(|| panic!("a devices list in {body}"))
        .iter()
        .map(|d| d["serial_number"].as_str().unwrap().to_string())
        .collect()
}

async fn register(sim: &Simulator, token: &str, body: Value) -> reqwest::Response {
    common::http()
        .post(api(sim, "devices"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn each_user_lists_the_devices_they_may_read_unwrapped() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    let body = get_json(&sim, &bob, "devices").await;
    let tern = &body["devices"][0];
    assert_eq!(tern["serial_number"], TERN);
    assert_eq!(tern["id"], 2001);
    assert_eq!(tern["name"], "Tern");
    assert!(tern["service_tag"].as_str().unwrap().starts_with("ST-"));
    assert!(tern.get("device").is_none(), "not wrapped");
    // Bob also reads the buoy, through the window Ana granted Team Tern.
    assert_eq!(serials(&sim, &bob).await, [TERN, PETREL, BUOY]);
    assert_eq!(serials(&sim, &token(&sim, "ana").await).await, [SKUA, BUOY]);
    // Kai owns nothing: Tern through his window, the buoy through Team Tern's.
    assert_eq!(serials(&sim, &token(&sim, "kai").await).await, [TERN, BUOY]);
    assert!(serials(&sim, &token(&sim, "developer").await)
        .await
        .is_empty());
}

#[tokio::test]
async fn registering_new_unclaimed_and_owned_serials() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    let ana = token(&sim, "ana").await;
    let created = register(
        &sim,
        &bob,
        json!({"id": 0, "serial_number": "ZZ-NEW-1", "name": "Dinghy"}),
    )
    .await;
    assert_eq!(created.status(), StatusCode::OK);
    assert_eq!(created.bytes().await.unwrap().len(), 0, "an empty body");
    let body = get_json(&sim, &bob, "devices").await;
    let new = body["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["serial_number"] == "ZZ-NEW-1")
        .expect("the new device is Bob's")
        .clone();
    assert_eq!(new["name"], "Dinghy");
    assert!(new["id"].as_u64().unwrap() > 2100);

    // The unit that connected once without an owner: the first to register it owns it.
    assert!(!serials(&sim, &bob)
        .await
        .contains(&UNCLAIMED_SERIAL.to_string()));
    let claimed = register(
        &sim,
        &bob,
        json!({"id": 0, "serial_number": UNCLAIMED_SERIAL}),
    )
    .await;
    assert_eq!(claimed.status(), StatusCode::OK);
    assert!(serials(&sim, &bob)
        .await
        .contains(&UNCLAIMED_SERIAL.to_string()));

    // Devices with an owner stay as they are, with 200 all the same.
    for serial in [UNCLAIMED_SERIAL, "ZZ-NEW-1", TERN] {
        let response = register(
            &sim,
            &ana,
            json!({"id": 0, "serial_number": serial, "name": "Mine"}),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(serials(&sim, &ana).await, [SKUA, BUOY]);
    let after = get_json(&sim, &bob, "devices").await;
    assert!(after["devices"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["name"] != "Mine"));
}

#[tokio::test]
async fn registration_needs_an_id_and_a_serial() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    let cases = [
        (
            json!({"serial_number": "ZZ-1", "name": "x"}),
            "id is required",
        ),
        (
            json!({"id": "0", "serial_number": "ZZ-1"}),
            "id is required",
        ),
        (json!({"id": 0, "name": "x"}), "serial_number is required"),
        (
            json!({"id": 0, "serial_number": "  "}),
            "serial_number is required",
        ),
        (
            json!({"id": 0, "serial_number": "ZZ-1", "name": 5}),
            "name must be a string",
        ),
        (json!([1, 2]), "JSON object"),
    ];
    for (body, needle) in cases {
        let response = register(&sim, &bob, body).await;
        assert_plain(response, StatusCode::BAD_REQUEST, needle).await;
    }
    let not_json = common::http()
        .post(api(&sim, "devices"))
        .bearer_auth(&bob)
        .body("id=0")
        .send()
        .await
        .unwrap();
    assert_plain(not_json, StatusCode::BAD_REQUEST, "not JSON").await;
    assert_eq!(
        serials(&sim, &bob).await,
        [TERN, PETREL, BUOY],
        "nothing was registered"
    );
}

#[tokio::test]
async fn server_names_the_device_port() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    assert_eq!(get_json(&sim, &bob, "server").await, json!({"port": 6000}));
    // With a device port: the port it is bound to.
    let other = common::start_with(SimConfig {
        riot_device_listen: Some(([127, 0, 0, 1], 0).into()),
        ..SimConfig::default()
    })
    .await;
    let port = other.device_addr().expect("a device port").port();
    let bob = token(&other, "bob").await;
    assert_eq!(
        get_json(&other, &bob, "server").await,
        json!({ "port": port })
    );
    assert_eq!(
        get_text(&other, "", "server").await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_lister_names_the_websocket_on_the_host_used() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    let plain = get_json(&sim, &bob, "server_listers/web_sockets").await;
    assert_eq!(
        plain,
        json!({"web_socket_servers": [format!("ws://{}/igtimi/websocket", sim.addr())]})
    );
    for (name, value) in [
        ("x-forwarded-proto", "https"),
        ("forwarded", "for=1.2.3.4;proto=https"),
    ] {
        let behind_tls: Value = common::http()
            .get(api(&sim, "server_listers/web_sockets"))
            .bearer_auth(&bob)
            .header(name, value)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            behind_tls["web_socket_servers"][0],
            format!("wss://{}/igtimi/websocket", sim.addr())
        );
    }
}

#[tokio::test]
async fn unknown_riot_paths_are_404_plain_text() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    let (status, text) = get_text(&sim, &bob, "sessions").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        text.contains("No Riot endpoint at /igtimi/api/v1/sessions"),
        "{text}"
    );
    let response = common::http()
        .get(security(&sim, "whoami"))
        .send()
        .await
        .unwrap();
    assert_plain(response, StatusCode::NOT_FOUND, "No Riot endpoint").await;
}
