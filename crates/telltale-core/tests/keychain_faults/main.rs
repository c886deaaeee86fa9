//! Keychain faults, measured: [`Accounts`] against the simulator and the real Secret Service
//! (run inside `scripts/with-keyring.sh`; without it every test says it was skipped) when the
//! keychain is missing, locked, emptied behind the app's back, holds garbage, or is written
//! by two app instances at once. Each case states what is attempted and what must happen;
//! each family prints "keychain, <family>: N cases, N passed".
//!
//! The families that lock the shared `login` collection or replace entries run one after
//! another inside a single test, so no other test of this binary sees a locked keychain.
//! The "no Secret Service" family runs in child processes of this binary, because it
//! changes `DBUS_SESSION_BUS_ADDRESS`.

mod deleted;
mod locked;
mod no_service;
mod proxy;
mod raw;
mod unreadable;

use igtimi_sim::demo::{ANA, BOB};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use telltale_core::accounts::SignInMethod;
use telltale_core::multi::{AccountSignedIn, Accounts};
use telltale_core::{AppError, Config};
use telltale_test_support::demo;

#[path = "../support/accounts_world.rs"]
mod accounts_world;
pub use accounts_world::*;

/// The longest any one app call may take while the keychain misbehaves.
pub const BOUND: Duration = Duration::from_secs(12);

pub use telltale_test_support::Tally;

/// Collects the ways one case went wrong.
#[derive(Default)]
pub struct Problems(pub Vec<String>);

impl Problems {
    /// Notes `what` unless `ok`.
    pub fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }
}

/// How one app call ended.
#[derive(Debug)]
pub enum Outcome<T> {
    /// It returned.
    Returned(Result<T, AppError>),
    /// It panicked (the panic's message).
    Panicked(String),
    /// It took longer than [`BOUND`] and was abandoned.
    Hung,
}

impl<T: Send + 'static> Outcome<T> {
    /// Runs `call` on its own task (so a panic is caught and reported) within [`BOUND`],
    /// and measures it.
    pub async fn of<F, Fut>(accounts: &Arc<Accounts>, call: F) -> (Outcome<T>, Duration)
    where
        F: FnOnce(Arc<Accounts>) -> Fut,
        Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    {
        let started = Instant::now();
        let task = tokio::spawn(call(accounts.clone()));
        let abort = task.abort_handle();
        let outcome = match tokio::time::timeout(BOUND, task).await {
            Ok(Ok(result)) => Outcome::Returned(result),
            Ok(Err(join)) => Outcome::Panicked(join.to_string()),
            Err(_) => {
                abort.abort();
                Outcome::Hung
            }
        };
        (outcome, started.elapsed())
    }
}

/// Signs Bob in while the keychain cannot save (locked, or no Secret Service); notes in
/// `problems` unless that works for this run only, with a `keychain_unavailable` notice
/// naming the keychain. `label` starts the printed timing line.
pub async fn sign_in_unsaved(accounts: &Arc<Accounts>, label: &str, problems: &mut Problems) {
    let bob = demo::bob();
    let (outcome, took) = Outcome::of(accounts, |a| async move {
        a.sign_in_with_password(IGTIMI, SignInMethod::Password, &bob.email, &bob.password)
            .await
    })
    .await;
    println!("{label}: sign-in answered after {took:?}: {outcome:?}");
    match &outcome {
        Outcome::Returned(Ok(signed_in)) => {
            problems.check(
                signed_in
                    .notice
                    .as_ref()
                    .is_some_and(|notice| is_kind(notice, "keychain_unavailable", "keychain")),
                || format!("no clear keychain notice: {:?}", signed_in.notice),
            );
            problems.check(!signed_in.account.saved_in_keychain, || {
                "the account claims to be saved".into()
            });
        }
        other => problems
            .0
            .push(format!("sign-in gave {other:?} after {took:?}")),
    }
}

/// The `{kind, message}` the UI gets for `error`.
pub fn as_ui(error: &AppError) -> serde_json::Value {
    serde_json::to_value(error).unwrap_or_default()
}

/// Whether `error` reaches the UI as `kind` with a message mentioning `word`.
pub fn is_kind(error: &AppError, kind: &str, word: &str) -> bool {
    let shown = as_ui(error);
    shown["kind"] == kind
        && shown["message"]
            .as_str()
            .is_some_and(|message| message.to_lowercase().contains(word))
}

impl World {
    /// Signs demo user `id` in at the Igtimi profile with the password grant.
    pub async fn sign_in(&self, accounts: &Accounts, id: u64) -> Result<AccountSignedIn, AppError> {
        let user = demo::user(id);
        accounts
            .sign_in_with_password(IGTIMI, SignInMethod::Password, &user.email, &user.password)
            .await
    }

    /// The accounts opened with other settings (e.g. through the recording proxy).
    pub async fn accounts_at(&self, config: &Config) -> Accounts {
        Accounts::open_with(config, &self.options())
            .await
            .expect("accounts open")
    }

    /// Every token, code and verifier the simulator issued or was shown.
    pub fn secrets(&self) -> Vec<String> {
        self.sim.state().store.secrets()
    }

    /// The files under the test's settings folder holding any of the simulator's secrets.
    pub fn plaintext_hits(&self) -> Vec<String> {
        let secrets = self.secrets();
        let mut hits = Vec::new();
        scan(self.dir.path(), &secrets, &mut hits);
        hits
    }
}

/// Adds to `hits` every file under `dir` that contains one of `secrets`.
fn scan(dir: &Path, secrets: &[String], hits: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            scan(&path, secrets, hits);
        } else if let Ok(bytes) = std::fs::read(&path) {
            let text = String::from_utf8_lossy(&bytes);
            if secrets.iter().any(|secret| text.contains(secret.as_str())) {
                hits.push(path.display().to_string());
            }
        }
    }
}

/// The account key of demo user `id` at the Igtimi profile.
pub fn key(id: u64) -> String {
    format!("{IGTIMI}/{id}")
}

/// Two demo users whose accounts the families use.
pub const USERS: [u64; 2] = [BOB, ANA];

/// The families that change the shared keychain, one after another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keychain_faults() {
    let Some(world) = World::start("faults").await else {
        return;
    };
    unreadable::family(&world).await;
    deleted::family(&world).await;
    deleted::two_instances(&world).await;
    locked::family(&world).await;
}
