//! The admin endpoints: fault rules, token expiry and revocation, the clock, the manifest,
//! the loopback check, and that faults never touch them.

use super::{add_fault, iternio_token, setup, userinfo};
use crate::common;
use igtimi_sim::demo::BOB;
use igtimi_sim::store::TokenRejection;
use igtimi_sim::{SimConfig, Simulator};
use serde_json::{json, Value};
use std::net::{IpAddr, SocketAddr, UdpSocket};

fn admin_url(sim: &Simulator, path: &str) -> String {
    format!("{}/__admin/{path}", sim.base_url())
}

async fn post_raw(sim: &Simulator, http: &reqwest::Client, path: &str, body: &str) -> (u16, Value) {
    let response = http
        .post(admin_url(sim, path))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("admin answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON answer"))
}

#[tokio::test]
async fn faults_are_listed_added_and_cleared_over_http() {
    let (sim, http) = setup().await;
    let listed: Value = http
        .get(admin_url(&sim, "faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!({"faults": []}));

    let added = add_fault(
        &sim,
        &http,
        json!({"kind": "status", "code": 503, "path_prefix": "/api/", "times": 2}),
    )
    .await;
    assert_eq!(added["added"]["code"], 503);
    let added = add_fault(&sim, &http, json!("latency:ms=5")).await;
    assert_eq!(added["faults"].as_array().map(Vec::len), Some(2));
    assert_eq!(sim.faults().list()[1].to_string(), "latency:ms=5");

    let listed: Value = http
        .get(admin_url(&sim, "faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed["faults"][0],
        json!({"kind": "status", "code": 503, "path_prefix": "/api/", "times": 2})
    );
    assert_eq!(listed["faults"][1], json!({"kind": "latency", "ms": 5}));

    let cleared = http.delete(admin_url(&sim, "faults")).send().await.unwrap();
    assert_eq!(cleared.status(), 200);
    assert_eq!(
        cleared.json::<Value>().await.unwrap(),
        json!({"cleared": 2})
    );
    assert!(sim.faults().list().is_empty());
}

#[tokio::test]
async fn bad_fault_rules_get_clear_400s() {
    let (sim, http) = setup().await;
    let cases = [
        ("{\"kind\":", "Invalid JSON"),
        ("", "empty"),
        ("{\"kind\":\"teleport\"}", "teleport"),
        ("{\"kind\":\"status\",\"code\":200}", "400..=599"),
        ("{\"kind\":\"status\",\"code\":503,\"times\":0}", "times"),
        ("\"status:code=abc\"", "code must be"),
        ("\"slow-drip:bytes=0\"", "at least 1"),
        ("[1,2]", "JSON object"),
    ];
    for (body, hint) in cases {
        let (status, answer) = post_raw(&sim, &http, "faults", body).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(answer["error"], "bad_request");
        let description = answer["error_description"].as_str().unwrap_or_default();
        assert!(description.contains(hint), "{body}: {description}");
    }
    assert!(sim.faults().list().is_empty());
}

#[tokio::test]
async fn admin_endpoints_are_never_faulted() {
    let (sim, http) = setup().await;
    add_fault(&sim, &http, json!("reset")).await;
    add_fault(&sim, &http, json!("status:code=500,path=/__admin")).await;
    // Everything else is reset now...
    assert!(userinfo(&sim, &http, "x").await.is_err());
    // ...but the admin endpoints answer, and can clear the rules.
    let listed = http.get(admin_url(&sim, "faults")).send().await.unwrap();
    assert_eq!(listed.status(), 200);
    let manifest = http.get(admin_url(&sim, "demo")).send().await.unwrap();
    assert_eq!(manifest.status(), 200);
    assert_eq!(
        sim.faults().list().len(),
        2,
        "admin requests used up nothing"
    );
    let cleared = http.delete(admin_url(&sim, "faults")).send().await.unwrap();
    assert_eq!(
        cleared.json::<Value>().await.unwrap(),
        json!({"cleared": 2})
    );
    let token = iternio_token(&sim);
    assert_eq!(userinfo(&sim, &http, &token).await.unwrap().status(), 200);
}

#[tokio::test]
async fn expire_all_makes_tokens_fail() {
    let (sim, http) = setup().await;
    let token = common::token_for(&sim, BOB);
    let state = sim.state();
    assert!(state
        .store
        .authenticate(Some(&token), state.clock.now_secs())
        .is_ok());
    let (status, answer) = post_raw(&sim, &http, "tokens/expire_all", "").await;
    assert_eq!(status, 200);
    assert_eq!(answer["expired"], 1);
    let result = state
        .store
        .authenticate(Some(&token), state.clock.now_secs());
    assert_eq!(result.err(), Some(TokenRejection::Expired));
}

#[tokio::test]
async fn revoke_revokes_one_token() {
    let (sim, http) = setup().await;
    let revoked = common::token_for(&sim, BOB);
    let kept = common::token_for(&sim, BOB);
    let body = json!({"token": revoked}).to_string();
    let (status, answer) = post_raw(&sim, &http, "tokens/revoke", &body).await;
    assert_eq!((status, answer), (200, json!({"revoked": true})));
    let state = sim.state();
    let now = state.clock.now_secs();
    assert_eq!(
        state.store.authenticate(Some(&revoked), now).err(),
        Some(TokenRejection::Revoked)
    );
    assert!(state.store.authenticate(Some(&kept), now).is_ok());

    let (status, answer) = post_raw(&sim, &http, "tokens/revoke", "{\"token\":\"nope\"}").await;
    assert_eq!(status, 404);
    assert_eq!(answer["error"], "unknown_token");
    let (status, answer) = post_raw(&sim, &http, "tokens/revoke", "{\"tok\":1}").await;
    assert_eq!(status, 400);
    assert!(answer["error_description"]
        .as_str()
        .is_some_and(|d| d.contains("token")));
}

#[tokio::test]
async fn clock_advance_moves_the_simulator_clock() {
    let (sim, http) = setup().await;
    let before = sim.state().clock.now_secs();
    let (status, answer) = post_raw(&sim, &http, "clock/advance", "{\"secs\":86400}").await;
    assert_eq!(status, 200);
    assert_eq!(answer["advanced_secs"], 86400);
    let now = answer["now"].as_i64().expect("now in seconds");
    assert!((before + 86400..before + 86400 + 5).contains(&now));
    assert!(sim.state().clock.now_secs() >= before + 86400);

    for bad in [
        "{\"secs\":-5}",
        "{\"secs\":\"soon\"}",
        "{}",
        "{\"secs\":1e300}",
    ] {
        let (status, answer) = post_raw(&sim, &http, "clock/advance", bad).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(answer["error"], "bad_request");
    }
}

#[tokio::test]
async fn demo_manifest_lists_users_with_passwords() {
    let (sim, http) = setup().await;
    let manifest: Value = http
        .get(admin_url(&sim, "demo"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let users = manifest["users"].as_array().expect("users");
    let bob = users
        .iter()
        .find(|u| u["id"] == BOB)
        .expect("Bob is in the demo");
    assert_eq!(bob["email"], "bob@telltale.demo");
    assert_eq!(bob["password"], "windward-1");
    assert!(manifest["clients"]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| c["client_id"] == "4242")));
}

/// An address of this machine that is not loopback, if it has one.
fn non_loopback_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    // Connecting a UDP socket sends nothing; it only picks the outgoing interface.
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[tokio::test]
async fn admin_refuses_peers_that_are_not_loopback() {
    let Some(ip) = non_loopback_address() else {
        eprintln!("no non-loopback address on this machine; only the unit test covers this");
        return;
    };
    // The Host check would refuse the LAN address before the loopback check could.
    let config = SimConfig {
        allowed_hosts: vec![ip.to_string()],
        ..SimConfig::default()
    };
    let sim = Simulator::start_on(config, SocketAddr::from(([0, 0, 0, 0], 0)))
        .await
        .expect("starts on all interfaces");
    let http = common::http();
    let url = format!("http://{ip}:{}/__admin/faults", sim.addr().port());
    let refused = http.get(&url).send().await.expect("answers");
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "forbidden");
    let refused = http
        .post(&url)
        .json(&json!("reset"))
        .send()
        .await
        .expect("answers");
    assert_eq!(refused.status(), 403);
    assert!(sim.faults().list().is_empty());
    // The same endpoint over loopback works.
    let local = format!("http://127.0.0.1:{}/__admin/faults", sim.addr().port());
    assert_eq!(http.get(&local).send().await.unwrap().status(), 200);
}
