//! A real simulator on loopback and tokens issued directly for its demo users, so the API
//! calls are tested against the same server the app talks to in tests and the demo.
#![allow(dead_code)]

use igtimi_client::{AccessToken, IgtimiClient};
use igtimi_sim::store::Origin;
use igtimi_sim::{SimConfig, Simulator, TokenLifetime};

/// Bob: owns Tern and Petrel, member of Team Tern (sees the wind buoy through a window).
pub const BOB: u64 = 1373;
/// Ana: owns Skua and the wind buoy.
pub const ANA: u64 = 1374;
/// Kai: a coach who sees Tern on day 3 only.
pub const KAI: u64 = 1375;
/// Tern's serial.
pub const TERN: &str = "AA-BT-0417";
/// Petrel's serial.
pub const PETREL: &str = "AA-BT-0522";
/// The wind buoy's serial.
pub const BUOY: &str = "AA-BT-0731";
/// The demo week's first midnight (Kiel Week 2025).
pub const WEEK: i64 = igtimi_sim::config::DEFAULT_WEEK_START_MS;
/// One day in ms.
pub const DAY: i64 = 86_400_000;
/// One hour in ms.
pub const HOUR: i64 = 3_600_000;

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
    let state = sim.state();
    let app = sim.telltale_client().expect("the demo registers Telltale");
    let issued = state.store.issue(
        TokenLifetime::Never,
        state.clock.now_secs(),
        user,
        &app.client_id,
        "read",
        Origin::Password,
    );
    AccessToken::new(issued.access_token).expect("the simulator issues valid tokens")
}
