//! Token endpoint and API faults at the app level, measured: every fault the simulator can
//! inject × every call the app makes (code exchange, refresh, account, device list, a data
//! load), through [`telltale_core::multi::Accounts`] (the app's sign-in path, its HTTP calls
//! with [`network`]'s short limits) and [`DataBrowser`] over loopback HTTP (run inside
//! `scripts/with-keyring.sh`; without it the suite says it was skipped). Each case checks: a clear [`AppError`] of the expected kind in
//! plain words without a token, within a bounded time, the number of attempts the simulator
//! saw (1 for one-time calls, 1 + retries for safe ones when the failure may pass), and that
//! nothing wrong was kept. Prints "<family>: N cases, N passed" and
//! "api faults: N cases, N passed".

mod calls;
mod cases;

use igtimi_client::RetryPolicy;
use igtimi_sim::config::TokenLifetime;
use igtimi_sim::{SimConfig, Simulator};
use std::sync::Arc;
use std::time::Duration;
use telltale_core::browse::{DataBrowser, FetchOptions};
use telltale_core::multi::{Accounts, Channel};
use telltale_core::tokens::{AccountTokens, AccountView, NetworkOptions};
use telltale_core::AppError;
use telltale_test_support::demo::{self, Decision};

#[path = "../support/signed_in.rs"]
mod signed_in;
pub use signed_in::*;

pub use telltale_test_support::demo::TERN;
/// Race 1 of the demo week: day 1, 10:00 UTC; the loads take its first ten minutes.
pub const LOAD_FROM: i64 = demo::WEEK + 10 * demo::HOUR;
pub const LOAD_TO: i64 = LOAD_FROM + 10 * demo::MIN;
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

/// A simulator, the accounts with [`network`], and a data browser.
pub struct World {
    /// The simulator and the settings pointing Telltale at it.
    place: signed_in::World,
    pub accounts: Accounts,
    pub data: DataBrowser,
}

impl World {
    /// A simulator (tokens expiring after [`SHORT_LIFETIME_SECS`] when `expiring`) and
    /// accounts that nobody has signed in to yet (inside the keyring harness: see
    /// [`api_faults`]).
    pub async fn start(tag: &str, expiring: bool) -> World {
        let token_lifetime = if expiring {
            TokenLifetime::Expiring {
                access_secs: SHORT_LIFETIME_SECS,
            }
        } else {
            TokenLifetime::Never
        };
        let sim_config = SimConfig {
            token_lifetime,
            ..SimConfig::default()
        };
        let place = signed_in::World::start_with(tag, sim_config)
            .await
            .expect("inside the keyring harness");
        let accounts = signed_in::open_accounts(&place, &network()).await;
        World {
            place,
            accounts,
            data: DataBrowser::new(fetch_options()),
        }
    }

    /// The simulator.
    pub fn sim(&self) -> &Simulator {
        &self.place.sim
    }

    /// Bob approves a sign-in in the simulator's pages; the redirect back, not yet handed
    /// to the accounts.
    pub async fn bob_approves(&self) -> String {
        signed_in::redirect_of(&self.place, &self.accounts, demo::BOB, Decision::Authorize).await
    }

    /// Hands `callback` to the accounts, as the sign-in window does.
    pub async fn complete(&self, callback: &str) -> Result<AccountView, AppError> {
        let signed_in = self
            .accounts
            .complete_sign_in(callback, Channel::Window)
            .await?;
        Ok(signed_in.account)
    }

    /// Signs Bob in (no faults active).
    pub async fn sign_in_bob(&self) {
        signed_in::sign_in(&self.place, &self.accounts, demo::BOB).await;
    }

    /// Reads the account again, as the app's "refresh account" command does.
    pub async fn refresh(&self) -> Result<AccountView, AppError> {
        signed_in::refresh(&self.accounts).await
    }

    /// The account the overview shows.
    pub async fn shown(&self) -> Option<AccountView> {
        self.accounts.overview().await.account
    }

    /// The active account's tokens, which the data browser's calls take.
    pub async fn tokens(&self) -> Arc<AccountTokens> {
        signed_in::tokens(&self.accounts).await
    }

    /// Every token, code and verifier the simulator issued or saw.
    pub fn secrets(&self) -> Vec<String> {
        self.sim().state().store.secrets()
    }

    /// Signs out, so no keychain entry outlives the test.
    pub async fn finish(self) {
        if let Some(key) = self.accounts.active_key().await {
            let _ = self.accounts.sign_out(&key.to_string()).await;
        }
    }
}

pub use telltale_test_support::Tally;

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
    // Outside the keyring harness the world says the suite is skipped.
    if signed_in::World::start("api_faults").await.is_none() {
        return;
    }
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
