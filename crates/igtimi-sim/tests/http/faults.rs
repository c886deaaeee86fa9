//! Tests of fault injection and the admin endpoints over real HTTP.
//!
//! The faulted requests go to the user-info call of the Iternio dialect: a real handler with
//! a small, known JSON answer, so the faults that pass the real answer through (latency,
//! truncation, slow drip) can be compared with it.

mod admin;
mod kinds;
mod missing;
mod parsing;

use crate::common;
use igtimi_sim::config::TokenLifetime;
use igtimi_sim::demo::BOB;
use igtimi_sim::store::Origin;
use igtimi_sim::Simulator;
use serde_json::Value;

/// The path every faulted request in these tests goes to.
pub const USERINFO: &str = "/iternio/1/oauth/userinfo";

/// A token the user-info call accepts (issued to the demo's Iternio client).
pub fn iternio_token(sim: &Simulator) -> String {
    let state = sim.state();
    state
        .store
        .issue(
            TokenLifetime::Never,
            state.clock.now_secs(),
            BOB,
            "4242",
            "",
            Origin::Implicit,
        )
        .access_token
}

/// Sends the user-info request.
pub async fn userinfo(
    sim: &Simulator,
    http: &reqwest::Client,
    token: &str,
) -> reqwest::Result<reqwest::Response> {
    http.get(format!("{}{USERINFO}", sim.base_url()))
        .bearer_auth(token)
        .send()
        .await
}

/// The user-info answer's body when nothing is faulted.
pub async fn plain_userinfo_body(sim: &Simulator, http: &reqwest::Client, token: &str) -> Vec<u8> {
    let response = userinfo(sim, http, token).await.expect("user-info answers");
    assert_eq!(response.status(), 200);
    response.bytes().await.expect("full body").to_vec()
}

/// Adds a fault rule through the admin endpoint; returns the endpoint's answer.
pub async fn add_fault(sim: &Simulator, http: &reqwest::Client, rule: Value) -> Value {
    let response = http
        .post(format!("{}/__admin/faults", sim.base_url()))
        .json(&rule)
        .send()
        .await
        .expect("admin answers");
    assert_eq!(response.status(), 201, "rule {rule} is accepted");
    response.json().await.expect("JSON answer")
}

/// A simulator and a fresh HTTP client (a new connection pool per test).
pub async fn setup() -> (Simulator, reqwest::Client) {
    (common::start().await, common::http())
}
