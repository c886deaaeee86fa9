//! Browsing against the real simulator over loopback HTTP with Bob signed in through
//! [`telltale_core::multi::Accounts`] and the simulator's pages, his token kept in the real
//! Secret Service (run inside `scripts/with-keyring.sh`; without it the tests say they were
//! skipped): catalog, resources, chunked loads with faults, retries, cancellation and the
//! cache, downsampled views, latest values, the sailing analysis and exports.

mod analysis;
mod catalog;
mod dialects;
mod faults;
mod load;
mod show;

use igtimi_sim::{FaultKind, FaultRule, SimConfig, Simulator};
use std::sync::Arc;
use std::time::Duration;
use telltale_core::browse::{DataBrowser, FetchOptions, LoadProgress, LoadRequest};
use telltale_core::tokens::{AccountTokens, NetworkOptions};

#[path = "../support/signed_in.rs"]
mod signed_in;
pub use signed_in::*;

pub use telltale_test_support::demo::{BUOY, DAY, HOUR, MIN, PETREL, TERN, WEEK};

/// Race 1: day 1, 10:00 UTC, 65 minutes.
pub const RACE_START: i64 = WEEK + 10 * HOUR;
pub const RACE_END: i64 = RACE_START + 65 * MIN;
/// The data path, for faults.
pub const DATA_PATH: &str = "/api/v1/resources/data";
/// The window the tests split a race into (the simulator allows no more).
pub const WINDOW_MS: i64 = 10 * MIN;

/// A simulator, the accounts with Bob signed in, his tokens and a data browser.
pub struct World {
    /// Shared with progress callbacks and request counters.
    pub signed_in: Arc<SignedIn>,
    /// Bob's tokens, which the data browser's calls take.
    pub tokens: Arc<AccountTokens>,
    pub data: Arc<DataBrowser>,
}

/// Fetch options for tests: 10-minute windows, quick retries.
pub fn options() -> FetchOptions {
    FetchOptions {
        concurrency: 3,
        max_window_ms: WINDOW_MS,
        retries: 3,
        backoff: vec![Duration::from_millis(20), Duration::from_millis(50)],
        ..FetchOptions::default()
    }
}

impl World {
    /// A simulator that answers at most 10 minutes of data per request; Bob signed in.
    /// `None` outside the keyring harness.
    pub async fn start(test: &str) -> Option<World> {
        Self::start_with(test, options()).await
    }

    /// Like [`World::start`] with other fetch options.
    pub async fn start_with(test: &str, fetch: FetchOptions) -> Option<World> {
        let sim_config = SimConfig {
            max_data_span_ms: WINDOW_MS,
            ..SimConfig::default()
        };
        let signed_in = SignedIn::start(test, sim_config, &NetworkOptions::default()).await?;
        let tokens = signed_in.tokens().await;
        Some(World {
            signed_in: Arc::new(signed_in),
            tokens,
            data: Arc::new(DataBrowser::new(fetch)),
        })
    }

    /// The simulator.
    pub fn sim(&self) -> &Simulator {
        &self.signed_in.world.sim
    }

    /// Loads race 1 for Tern and the buoy, collecting the progress events.
    pub async fn load_race(
        &self,
    ) -> (
        Result<telltale_core::browse::LoadSummary, telltale_core::AppError>,
        Vec<LoadProgress>,
    ) {
        self.load(race_request()).await
    }

    /// Loads `request`, collecting the progress events.
    pub async fn load(
        &self,
        request: LoadRequest,
    ) -> (
        Result<telltale_core::browse::LoadSummary, telltale_core::AppError>,
        Vec<LoadProgress>,
    ) {
        let events = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = events.clone();
        let result = self
            .data
            .load(&self.tokens, request, move |p| {
                sink.lock().expect("events").push(p)
            })
            .await;
        let events = events.lock().expect("events").clone();
        (result, events)
    }

    /// Starts counting `resources/data` requests (a rule that delays them by 0 ms, added
    /// after any fault so faults still win).
    pub fn count_data_requests(&self) -> RequestCounter {
        self.sim().faults().add(FaultRule {
            kind: FaultKind::Latency { ms: COUNTER_MARK },
            path_prefix: Some(DATA_PATH.into()),
            times: Some(COUNTER_START),
        });
        RequestCounter {
            signed_in: self.signed_in.clone(),
        }
    }
}

/// Race 1 for Tern and the buoy.
pub fn race_request() -> LoadRequest {
    LoadRequest {
        from: RACE_START,
        to: RACE_END,
        serials: vec![TERN.into(), BUOY.into()],
    }
}

/// A latency of 0 ms that only counts: `Latency { ms: 0 }` is what marks it.
const COUNTER_MARK: u64 = 0;
const COUNTER_START: u32 = 1_000_000;

/// Counts the requests a counting rule has seen.
pub struct RequestCounter {
    signed_in: Arc<SignedIn>,
}

impl RequestCounter {
    /// Requests counted so far.
    pub fn count(&self) -> u32 {
        uses_of(
            &self.signed_in.world.sim,
            &FaultKind::Latency { ms: COUNTER_MARK },
            COUNTER_START,
        )
    }
}

/// How many times the rule of `kind` that started with `times` has been used.
pub fn uses_of(sim: &Simulator, kind: &FaultKind, times: u32) -> u32 {
    let left = sim
        .faults()
        .list()
        .into_iter()
        .find(|rule| &rule.kind == kind)
        .and_then(|rule| rule.times)
        .unwrap_or(0);
    times - left
}

/// A fault on `resources/data`, `times` times (forever when `None`).
pub fn data_fault(kind: FaultKind, times: Option<u32>) -> FaultRule {
    FaultRule {
        kind,
        path_prefix: Some(DATA_PATH.into()),
        times,
    }
}
