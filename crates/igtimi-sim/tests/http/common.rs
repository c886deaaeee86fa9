//! Helpers shared by the integration tests.
#![allow(dead_code)]

use igtimi_sim::config::TokenLifetime;
use igtimi_sim::store::Origin;
use igtimi_sim::world::Client;
use igtimi_sim::{SimConfig, Simulator};

/// Starts a simulator with default settings on an ephemeral loopback port.
pub async fn start() -> Simulator {
    start_with(SimConfig::default()).await
}

pub async fn start_with(config: SimConfig) -> Simulator {
    Simulator::start(config).await.expect("simulator starts")
}

/// An HTTP client that does not follow redirects (OAuth tests look at each 302), keeps
/// cookies, and gives up after 10 s.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .expect("client builds")
}

/// The demo's Telltale app client.
pub fn app_client(sim: &Simulator) -> Client {
    sim.telltale_client()
        .expect("demo registers the Telltale client")
}

/// An access token for a user, issued directly (for tests of the API, not of OAuth).
pub fn token_for(sim: &Simulator, user_id: u64) -> String {
    let state = sim.state();
    let client = app_client(sim);
    state
        .store
        .issue(
            TokenLifetime::Never,
            state.clock.now_secs(),
            user_id,
            &client.client_id,
            "read",
            Origin::Password,
        )
        .access_token
}

/// True when an I/O error of kind `ConnectionReset` is somewhere in the error's sources
/// (the reset fault's proof that the server sent a TCP RST).
pub fn caused_by_reset(error: &reqwest::Error) -> bool {
    use std::error::Error as _;
    let mut source = error.source();
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionReset {
                return true;
            }
        }
        source = e.source();
    }
    false
}
