//! The calls the app makes, each run once against a faulted simulator, and the checks that
//! nothing wrong was kept once the fault is gone.

use crate::{fetch_options, World, LOAD_FROM, LOAD_TO, SHORT_LIFETIME_SECS, TERN};
use std::time::{Duration, Instant};
use telltale_core::browse::{DataBrowser, DeviceView, LoadRequest, ViewRequest};
use telltale_core::tokens::AccountView;
use telltale_core::AppError;
use telltale_test_support::demo::BOB;

/// A call the app makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// Finishing a sign-in: the authorization code for tokens.
    Exchange,
    /// Renewing expired tokens with the refresh token (before reading the account).
    Refresh,
    /// Reading the account.
    Account,
    /// Listing the devices (the browsing catalog).
    Devices,
    /// Loading ten minutes of Tern's data.
    DataLoad,
}

impl Call {
    pub fn name(self) -> &'static str {
        match self {
            Call::Exchange => "code exchange",
            Call::Refresh => "refresh",
            Call::Account => "account",
            Call::Devices => "device list",
            Call::DataLoad => "data load",
        }
    }

    /// The path the fault is put on and whose requests are counted.
    pub fn path(self) -> &'static str {
        match self {
            Call::Exchange | Call::Refresh => "/oauth/token",
            Call::Account => "/api/v1/account",
            Call::Devices => "/api/v1/devices",
            Call::DataLoad => "/api/v1/resources/data",
        }
    }

    /// Calls that must never be sent twice (a code is single-use, refresh tokens rotate).
    pub fn one_time(self) -> bool {
        matches!(self, Call::Exchange | Call::Refresh)
    }
}

/// What a call needs, and the clean answers to compare with afterwards.
pub struct Prepared {
    callback: Option<String>,
    account: Option<AccountView>,
    devices: Option<Vec<DeviceView>>,
}

/// How a faulted call ended.
pub struct Outcome {
    pub result: Result<(), AppError>,
    pub elapsed: Duration,
    /// Requests the simulator received on the call's path.
    pub attempts: u64,
    /// Requests on paths starting with the call's path.
    pub under_prefix: u64,
}

/// Readies `world` for `call` with no fault active: Bob approves (and, except for the
/// exchange, signs in); for a refresh, waits until the access token has expired.
pub async fn prepare(world: &World, call: Call) -> Prepared {
    if call == Call::Exchange {
        return Prepared {
            callback: Some(world.bob_approves().await),
            account: None,
            devices: None,
        };
    }
    world.sign_in_bob().await;
    let account = world.refresh().await.ok();
    let devices = match call {
        Call::Devices => Some(
            world
                .data
                .catalog(&*world.tokens().await)
                .await
                .expect("clean catalog")
                .devices,
        ),
        _ => None,
    };
    if call == Call::Refresh {
        tokio::time::sleep(Duration::from_millis(SHORT_LIFETIME_SECS * 1000 + 200)).await;
    }
    Prepared {
        callback: None,
        account,
        devices,
    }
}

fn load_request() -> LoadRequest {
    LoadRequest {
        from: LOAD_FROM,
        to: LOAD_TO,
        serials: vec![TERN.to_string()],
    }
}

/// Loads Tern's ten minutes with `data`: a failed chunk is the load's error.
async fn load(world: &World, data: &DataBrowser) -> Result<u64, AppError> {
    let summary = data
        .load(&*world.tokens().await, load_request(), |_| {})
        .await?;
    match summary.failed.into_iter().next() {
        Some(failed) => Err(failed.error),
        None => Ok(summary.samples),
    }
}

/// Runs `call` once, timing it and counting the requests on its path.
pub async fn perform(world: &World, call: Call, prepared: &Prepared) -> Outcome {
    world.sim().requests().reset();
    let started = Instant::now();
    let result = match call {
        Call::Exchange => {
            let callback = prepared.callback.as_deref().unwrap_or_default();
            world.complete(callback).await.map(|_| ())
        }
        Call::Refresh | Call::Account => world.refresh().await.map(|_| ()),
        Call::Devices => world.data.catalog(&*world.tokens().await).await.map(|_| ()),
        Call::DataLoad => load(world, &world.data).await.map(|_| ()),
    };
    let elapsed = started.elapsed();
    let attempts = world
        .sim()
        .requests()
        .snapshot()
        .get(call.path())
        .copied()
        .unwrap_or(0);
    let under_prefix = world.sim().requests().with_prefix(call.path());
    Outcome {
        result,
        elapsed,
        attempts,
        under_prefix,
    }
}

/// With the faults cleared: what the app shows and caches must be the real thing. Returns
/// the problems found.
pub async fn nothing_wrong_kept(
    world: &World,
    call: Call,
    prepared: &Prepared,
    what: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    let shown = world.shown().await;
    if shown.as_ref().is_some_and(|a| a.id != BOB) {
        problems.push(format!("the overview shows another account: {shown:?}"));
    }
    match call {
        Call::Exchange => {
            if shown.is_some() {
                problems.push("an account is shown after a failed sign-in".into());
            }
            let callback = world.bob_approves().await;
            match world.complete(&callback).await {
                Ok(account) if account.id == BOB => {}
                other => problems.push(format!("a new sign-in did not work: {other:?}")),
            }
        }
        Call::Refresh => match world.refresh().await {
            Ok(view) if view.id == BOB => {}
            // The lost answer carried the rotated refresh token: the old one is dead, so
            // the sign-in is over, and nothing of it is shown.
            Err(AppError::TokenRejected) => {
                println!("  note: {what}: the sign-in ended (the refresh token had rotated)");
                if world.shown().await.is_some() {
                    problems.push("a dropped sign-in is still shown".into());
                }
                let listed = world.accounts.overview().await.accounts;
                if !listed.iter().all(|account| account.signed_out) {
                    problems.push(format!("a dropped sign-in is not signed out: {listed:?}"));
                }
            }
            other => problems.push(format!("after the fault: {other:?}")),
        },
        Call::Account => match world.refresh().await {
            Ok(view) if Some(&view) == prepared.account.as_ref() => {
                let shown = world.shown().await;
                if shown.as_ref() != Some(&view) {
                    problems.push(format!("the overview shows {shown:?}"));
                }
            }
            other => problems.push(format!("the account read again is {other:?}")),
        },
        Call::Devices => match world.data.catalog(&*world.tokens().await).await {
            Ok(catalog) if Some(&catalog.devices) == prepared.devices.as_ref() => {}
            other => problems.push(format!("the catalog read again differs: {other:?}")),
        },
        Call::DataLoad => problems.extend(same_data_as_a_fresh_data_browser(world).await),
    }
    problems
}

/// Loads again with the faulted data browser and with a fresh one: the views must be identical.
async fn same_data_as_a_fresh_data_browser(world: &World) -> Vec<String> {
    let view_request = || ViewRequest {
        from: LOAD_FROM,
        to: LOAD_TO,
        width: 1000,
    };
    let again = load(world, &world.data).await;
    let again_view = world.data.view(view_request()).await;
    let fresh = DataBrowser::new(fetch_options());
    let clean = load(world, &fresh).await;
    let clean_view = fresh.view(view_request()).await;
    let mut problems = Vec::new();
    match (&again, &clean) {
        (Ok(a), Ok(c)) if a == c && *c > 0 => {}
        _ => problems.push(format!(
            "samples after the fault {again:?}, on a fresh data browser {clean:?}"
        )),
    }
    match (again_view, clean_view) {
        (Ok(a), Ok(c)) if a == c => {}
        (a, c) => problems.push(format!(
            "the view after the fault differs from a fresh one (ok: {}, {})",
            a.is_ok(),
            c.is_ok()
        )),
    }
    problems
}
