//! A signed-in account's tokens ([`telltale_core::tokens::AccountTokens`]) through
//! [`telltale_core::multi::Accounts`], against the real simulator over loopback HTTP and the
//! real Secret Service (run inside `scripts/with-keyring.sh`; without it the tests say they
//! were skipped): sign-in through the simulator's pages, restore from the keychain after a
//! restart, account reads, sign-out, the offline demo, and every failure the UI must
//! explain.

mod failures;
mod flow;

use telltale_core::AppError;

#[path = "../support/signed_in.rs"]
mod signed_in;
pub use signed_in::*;

/// Asserts `result` failed with `kind`.
pub fn assert_kind<T: std::fmt::Debug>(result: Result<T, AppError>, kind: &str) -> AppError {
    match result {
        Ok(value) => panic!("expected a {kind} error, got {value:?}"),
        Err(err) => {
            assert_eq!(err.kind(), kind, "{err}");
            err
        }
    }
}
