//! Shared helpers for the tests that use a real Secret Service.
// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use std::sync::mpsc;
use std::time::Duration;
use telltale_keychain::{Keychain, KeychainError, StoredToken};
use telltale_test_support::keyring;

/// A keychain with a service name no other test uses, after checking that the store
/// answers. Outside the keyring harness the test is skipped (returns `None`) so that a
/// developer's own keychain is never written to; inside it, an unusable store fails loudly.
pub fn isolated_keychain(test: &str) -> Option<Keychain> {
    if keyring::skip_outside_harness(
        test,
        "scripts/with-keyring.sh cargo test -p telltale-keychain",
    ) {
        return None;
    }
    let keychain = Keychain::new(&format!("telltale-test-{}-{test}", std::process::id()));
    match keychain.load("probe") {
        Ok(None) => Some(keychain),
        Ok(Some(token)) => panic!("a fresh service already holds a token: {token:?}"),
        Err(error) => panic!(
            "TELLTALE_REQUIRE_KEYRING=1 but the keychain cannot be used: {error} ({error:?})"
        ),
    }
}

/// A token whose fields all differ with `seed`.
pub fn token(seed: &str) -> StoredToken {
    StoredToken {
        access_token: format!("access-{seed}"),
        refresh_token: Some(format!("refresh-{seed}")),
        expires_at: Some(1_700_000_000 + seed.len() as u64),
        token_type: "Bearer".to_string(),
        issuer: None,
        client_id: None,
    }
}

/// How long a keychain call may take before a test calls it hung.
pub const CALL_LIMIT: Duration = Duration::from_secs(10);

/// The errors of a save, a load and a delete at `service`, each `None` if it worked.
pub type Errors = [(&'static str, Option<KeychainError>); 3];

/// Saves, loads and deletes at `service` on another thread; fails unless all three give up
/// within [`CALL_LIMIT`] without panicking.
pub fn save_load_delete(service: &'static str) -> Errors {
    let (report, results) = mpsc::channel();
    std::thread::spawn(move || {
        let keychain = Keychain::new(service);
        let outcome = (
            keychain.save("skipper", &token("x")),
            keychain.load("skipper"),
            keychain.delete("skipper"),
        );
        let _ = report.send(outcome);
    });
    let (saved, loaded, deleted) = results
        .recv_timeout(CALL_LIMIT)
        .expect("keychain calls must give up within the limit and not panic");
    [
        ("save", saved.err()),
        ("load", loaded.err()),
        ("delete", deleted.err()),
    ]
}
