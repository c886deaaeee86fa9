//! The keyring harness: `scripts/with-keyring.sh` runs the tests in a private D-Bus session
//! with an unlocked keyring and promises it with `TELLTALE_REQUIRE_KEYRING=1`. Outside it, a
//! test that needs the keychain skips (so a developer's own keychain is never written to);
//! inside it, an unusable keychain is a failure.

/// Whether the harness promised a usable keychain.
pub fn required() -> bool {
    std::env::var("TELLTALE_REQUIRE_KEYRING").as_deref() == Ok("1")
}

/// Outside the harness: says that `test` is skipped and how to run it (`run`, a command)
/// and returns true. Inside it: false.
pub fn skip_outside_harness(test: &str, run: &str) -> bool {
    if required() {
        return false;
    }
    eprintln!("SKIPPED {test}: needs a private keychain; run `{run}`");
    true
}
