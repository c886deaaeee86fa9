//! Token endpoint and API faults at the app level, measured: every fault the simulator can
//! inject × every call the app makes (code exchange, refresh, account, device list, a data
//! load), through [`Session`] and [`Browser`] over loopback HTTP (run inside
//! `scripts/with-keyring.sh`; without a Secret Service the sign-ins stay in memory, which these
//! cases do not depend on). Each case checks: a clear [`AppError`] of the expected kind in
//! plain words without a token, within a bounded time, the number of attempts the simulator
//! saw (1 for one-time calls, 1 + retries for safe ones when the failure may pass), and that
//! nothing wrong was kept. Prints "<family>: N cases, N passed" and
//! "api faults: N cases, N passed".

mod calls;
mod cases;

use igtimi_client::RetryPolicy;
use igtimi_sim::browser::{person_signs_in, Decision};
use igtimi_sim::config::TokenLifetime;
use igtimi_sim::{SimConfig, Simulator};
use std::time::Duration;
use telltale_core::browse::{Browser, FetchOptions};
use telltale_core::session::{NetworkOptions, Session, SessionOptions};
use telltale_core::{AppError, Config};

/// Bob's account id in the demo world.
pub const BOB_ID: u64 = 1373;
/// Bob's boat Tern.
pub const TERN: &str = "AA-BT-0417";
/// Race 1 of the demo week: day 1, 10:00 UTC; the loads take its first ten minutes.
pub const LOAD_FROM: i64 = igtimi_sim::config::DEFAULT_WEEK_START_MS + 10 * 3_600_000;
pub const LOAD_TO: i64 = LOAD_FROM + 10 * 60_000;
/// Access-token lifetime of the simulator in the refresh family (the simulator counts
/// whole seconds, so a token may live almost a second less; signing in must fit).
pub const SHORT_LIFETIME_SECS: u64 = 5;

/// Time limit of one request in these tests (the latency and slow-drip faults exceed it;
/// a clean data answer of the debug-built simulator, with a dozen cases running at once on
/// two cores, can take more than a second).
pub const REQUEST_TIMEOUT: Duration = Duration::from_millis(2000);
/// Largest data answer read in these tests (the huge body exceeds it).
pub const DATA_LIMIT: u64 = 16 * 1024 * 1024;
/// Retries of the API's reading calls and of data chunks in these tests.
pub const RETRIES: u32 = 2;

/// Short time limits and pauses, so the suite runs in seconds.
pub fn network() -> NetworkOptions {
    NetworkOptions {
        connect_timeout: Duration::from_secs(2),
        request_timeout: REQUEST_TIMEOUT,
        data_timeout: REQUEST_TIMEOUT,
        data_limit: DATA_LIMIT,
        retry: RetryPolicy {
            retries: RETRIES,
            first_pause: Duration::from_millis(50),
            max_pause: Duration::from_millis(200),
        },
    }
}

/// One-window loads with quick chunk retries.
pub fn fetch_options() -> FetchOptions {
    FetchOptions {
        concurrency: 2,
        retries: RETRIES,
        backoff: vec![Duration::from_millis(50), Duration::from_millis(100)],
        ..FetchOptions::default()
    }
}

/// A simulator, a session pointed at it with [`network`], and a browser.
pub struct World {
    pub sim: Simulator,
    pub session: Session,
    pub browser: Browser,
}

impl World {
    /// A simulator (tokens expiring after [`SHORT_LIFETIME_SECS`] when `expiring`) and a
    /// session that nobody has signed in to yet.
    pub async fn start(tag: &str, expiring: bool) -> World {
        let token_lifetime = if expiring {
            TokenLifetime::Expiring {
                access_secs: SHORT_LIFETIME_SECS,
            }
        } else {
            TokenLifetime::Never
        };
        let sim = Simulator::start(SimConfig {
            token_lifetime,
            ..SimConfig::default()
        })
        .await
        .expect("simulator starts");
        let app = sim.telltale_client().expect("the demo registers Telltale");
        let config = Config {
            server: sim.base_url(),
            client_id: Some(app.client_id),
            client_secret: app.client_secret,
            ..Config::default()
        };
        let options = SessionOptions {
            keychain_service: format!("io.telltale.test.api_faults.{tag}.{}", std::process::id()),
            data_dir: None,
        };
        let session = Session::open_with(&config, &options)
            .await
            .expect("session opens")
            .with_network(&network())
            .expect("network options apply");
        World {
            sim,
            session,
            browser: Browser::new(fetch_options()),
        }
    }

    /// Bob approves a sign-in in the simulator's pages; the redirect back, not yet handed
    /// to the session.
    pub async fn bob_approves(&self) -> String {
        let (authorize, _attempt) = self.session.begin_sign_in();
        person_signs_in(
            &self.sim.base_url(),
            authorize.as_str(),
            "bob@telltale.demo",
            "windward-1",
            Decision::Authorize,
        )
        .await
    }

    /// Signs Bob in (no faults active).
    pub async fn sign_in_bob(&self) {
        let callback = self.bob_approves().await;
        let signed_in = self
            .session
            .complete_sign_in(&callback)
            .await
            .expect("bob signs in");
        assert_eq!(signed_in.account.id, BOB_ID);
    }

    /// Every token, code and verifier the simulator issued or saw.
    pub fn secrets(&self) -> Vec<String> {
        self.sim.state().store.secrets()
    }

    /// Signs out, so no keychain entry outlives the test.
    pub async fn finish(self) {
        let _ = self.session.sign_out().await;
    }
}

#[path = "../support/tally.rs"]
mod tally;
pub use tally::Tally;

/// Why a message is not plain words for a user: Rust type names, debug output, a token.
pub fn message_problems(error: &AppError, secrets: &[String]) -> Vec<String> {
    let message = error.to_string();
    let mut problems = Vec::new();
    for marker in [
        "::", "reqwest", "hyper", "serde", "Error {", "Some(", "None", "kind:", "{ ", "\\u",
    ] {
        if message.contains(marker) {
            problems.push(format!("message contains {marker:?}: {message}"));
        }
    }
    if message.trim().len() < 20 {
        problems.push(format!("message too short to explain: {message:?}"));
    }
    for secret in secrets.iter().filter(|s| s.len() >= 8) {
        if message.contains(secret.as_str()) {
            problems.push("message contains a token, code or verifier".to_string());
        }
    }
    problems
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn api_faults() {
    let mut total = Tally::new("api faults");
    for family in [
        cases::Family::Exchange,
        cases::Family::Refresh,
        cases::Family::Account,
        cases::Family::Devices,
        cases::Family::DataLoad,
        cases::Family::RiddenOut,
    ] {
        let tally = cases::run_family(family).await;
        tally.print();
        total.absorb(tally);
    }
    total.finish();
}
