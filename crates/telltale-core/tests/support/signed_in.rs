//! The setup of the tests that need a signed-in account (`tests/tokens`, `tests/browse`,
//! `tests/api_faults`): the [`World`] of `accounts_world.rs` (a simulator, settings pointing
//! the built-in Igtimi profile at it, a scratch settings folder and a keychain service of
//! the test's own; re-exported here), the [`Accounts`] as after an app start, and demo users
//! signed in there the way the app does it by default: the authorization code with PKCE at
//! the `igtimi` profile, through the simulator's pages in the sign-in window. Included with
//! `#[path]`; it includes `accounts_world.rs` itself. Like [`World`], the setup is `None`
//! (the test is skipped, and says so) outside `scripts/with-keyring.sh`.

#[path = "accounts_world.rs"]
mod accounts_world;
pub use accounts_world::*;

use igtimi_sim::SimConfig;
use std::sync::Arc;
use telltale_core::accounts::SignInMethod;
use telltale_core::multi::{AccountSignedIn, Accounts, Channel};
use telltale_core::tokens::{AccountTokens, AccountView, NetworkOptions};
use telltale_core::AppError;
use telltale_keychain::Keychain;
use telltale_test_support::demo::{self, Decision};

/// The accounts of `world` as after an app start, their HTTP calls with `network`'s time
/// limits and retries.
pub async fn open_accounts(world: &World, network: &NetworkOptions) -> Accounts {
    Accounts::open_with(&world.config, &world.options())
        .await
        .expect("accounts open")
        .with_network(network)
        .expect("network options apply")
}

/// Demo user `id` goes through the simulator's pages of a code sign-in started on `accounts`
/// at the Igtimi profile (sign-in window) and answers `decision`: the redirect back, not yet
/// handed to `accounts`.
pub async fn redirect_of(
    world: &World,
    accounts: &Accounts,
    id: u64,
    decision: Decision,
) -> String {
    let (url, _attempt) = accounts
        .begin(IGTIMI, SignInMethod::Code, Channel::Window)
        .expect("sign-in starts");
    demo::user(id)
        .signs_in(&world.sim.base_url(), url.as_str(), decision)
        .await
}

/// Signs demo user `id` in completely (code with PKCE at the Igtimi profile) and checks who
/// it is and that the keychain saved the sign-in.
pub async fn sign_in(world: &World, accounts: &Accounts, id: u64) -> AccountSignedIn {
    let callback = redirect_of(world, accounts, id, Decision::Authorize).await;
    let signed_in = accounts
        .complete_sign_in(&callback, Channel::Window)
        .await
        .expect("the demo user signs in");
    assert_eq!(signed_in.account.id, id);
    assert_eq!(signed_in.notice, None, "the keychain saved the sign-in");
    signed_in
}

/// Reads the active account again, as the app's "refresh account" command does.
pub async fn refresh(accounts: &Accounts) -> Result<AccountView, AppError> {
    accounts.restore().await?.ok_or(AppError::SignedOut)
}

/// The active account's tokens, which the data browser's calls take.
pub async fn tokens(accounts: &Accounts) -> Arc<AccountTokens> {
    accounts.active_tokens().await.expect("an active account")
}

/// Access tokens the simulator considers live.
pub fn live_tokens(world: &World) -> usize {
    let state = world.sim.state();
    state.store.live_access_tokens(state.clock.now_ms())
}

/// Whether the keychain holds an entry for account `key`.
pub async fn saved_entry(world: &World, key: &str) -> bool {
    let (keychain, key) = (Keychain::new(&world.service), key.to_string());
    tokio::task::spawn_blocking(move || keychain.load(&key))
        .await
        .expect("keychain call")
        .expect("keychain readable")
        .is_some()
}

/// A simulator, the accounts as after an app start and Bob signed in.
pub struct SignedIn {
    pub world: World,
    pub accounts: Accounts,
    /// Bob's sign-in (his account key is `bob.summary.key`).
    pub bob: AccountSignedIn,
}

impl SignedIn {
    /// A simulator started with `sim_config`, the accounts (their HTTP calls with
    /// `network`) and Bob signed in. `None` outside the keyring harness.
    pub async fn start(
        test: &str,
        sim_config: SimConfig,
        network: &NetworkOptions,
    ) -> Option<SignedIn> {
        let world = World::start_with(test, sim_config).await?;
        let accounts = open_accounts(&world, network).await;
        let bob = sign_in(&world, &accounts, demo::BOB).await;
        Some(SignedIn {
            world,
            accounts,
            bob,
        })
    }

    /// Bob's tokens, for the data browser.
    pub async fn tokens(&self) -> Arc<AccountTokens> {
        tokens(&self.accounts).await
    }
}
