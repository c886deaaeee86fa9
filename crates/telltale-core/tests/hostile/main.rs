//! Hostile input, measured: forged and malformed sign-in redirects against [`Accounts`]
//! with the simulator and the real Secret Service (run inside `scripts/with-keyring.sh`;
//! without it the tests say they were skipped), and the same redirects against the
//! callback readers of `telltale_auth` directly. Each case states what is attempted and what
//! must happen; each family prints "<family>: N cases, N passed".

mod bindings;
mod callbacks;
mod readers;

use telltale_core::multi::{Accounts, Channel};
use telltale_core::AppError;
use telltale_test_support::demo::{self, Decision};

pub use accounts_world::{IGTIMI, ITERNIO};

/// One hostile input: what is attempted, and the check of what must happen.
pub struct Case {
    /// What the input attempts, in words.
    pub attempt: String,
    /// The redirect delivered.
    pub raw: String,
    /// What must happen, in words (printed on failure).
    pub must: &'static str,
    /// Whether the outcome is what must happen.
    pub check: fn(&Result<(), AppError>) -> bool,
}

pub use telltale_test_support::Tally;

/// A refusal as a forged or malformed redirect gets it: `InvalidCallback`.
pub fn refused(outcome: &Result<(), AppError>) -> bool {
    matches!(outcome, Err(AppError::InvalidCallback { .. }))
}

/// Refused as unknown (no sign-in waits for this state).
pub fn unknown(outcome: &Result<(), AppError>) -> bool {
    matches!(outcome, Err(AppError::InvalidCallback { detail }) if detail.contains("unknown"))
}

#[path = "../support/accounts_world.rs"]
mod accounts_world;
pub use accounts_world::World;

impl World {
    /// Has demo user `id` approve the sign-in at `authorize_url` on the simulator's pages and
    /// returns the redirect the browser was sent to (not yet delivered to the app).
    pub async fn approve(&self, authorize_url: &str, id: u64) -> String {
        demo::user(id)
            .signs_in(&self.sim.base_url(), authorize_url, Decision::Authorize)
            .await
    }
}

/// Delivers `raw` and keeps only whether (and how) it failed.
pub async fn deliver(accounts: &Accounts, raw: &str) -> Result<(), AppError> {
    accounts
        .complete_sign_in(raw, Channel::Window)
        .await
        .map(|_| ())
}

/// The value of query parameter `name` in `url` (raw, not decoded).
pub fn raw_param(url: &str, name: &str) -> String {
    let query = url.split_once(['?', '#']).map(|(_, q)| q).unwrap_or("");
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or_default()
        .to_owned()
}
