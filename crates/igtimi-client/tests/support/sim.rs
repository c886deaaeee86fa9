//! A real simulator on loopback and tokens issued directly for its demo users
//! (`telltale_test_support::demo`), so the API calls are tested against the same server the
//! app talks to in tests and the demo.
#![allow(dead_code)]

use igtimi_client::{AccessToken, IgtimiClient};
use igtimi_sim::{SimConfig, Simulator};
use telltale_test_support::demo;

/// A simulator with `config`, a client for it and a token for `user`.
pub async fn start_with(config: SimConfig, user: u64) -> (Simulator, IgtimiClient, AccessToken) {
    let sim = Simulator::start(config).await.expect("simulator starts");
    let client = IgtimiClient::new(sim.base_url().parse().expect("base URL")).expect("client");
    let token = token_for(&sim, user);
    (sim, client, token)
}

/// A default simulator, a client and a token for `user`.
pub async fn start(user: u64) -> (Simulator, IgtimiClient, AccessToken) {
    start_with(SimConfig::default(), user).await
}

/// A never-expiring token for `user`, issued by the simulator's store directly.
pub fn token_for(sim: &Simulator, user: u64) -> AccessToken {
    AccessToken::new(demo::token(sim, user)).expect("the simulator issues valid tokens")
}
