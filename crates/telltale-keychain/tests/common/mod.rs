//! Shared helpers for the tests that use a real Secret Service.
// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use std::time::Duration;
use telltale_keychain::{Keychain, StoredToken};

/// Whether the harness (`scripts/with-keyring.sh`) promised a usable keychain.
pub fn keyring_required() -> bool {
    std::env::var("TELLTALE_REQUIRE_KEYRING").is_ok_and(|value| value == "1")
}

/// A keychain with a service name no other test uses, after checking that the store
/// answers. Without `TELLTALE_REQUIRE_KEYRING=1` the test is skipped (returns `None`) so that
/// a developer's own keychain is never written to; with it, an unusable store fails loudly.
pub fn isolated_keychain(test: &str) -> Option<Keychain> {
    if !keyring_required() {
        eprintln!(
            "SKIPPED {test}: needs a private keychain; run \
             `scripts/with-keyring.sh cargo test -p telltale-keychain`"
        );
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
