//! A working D-Bus session bus on which nobody provides the Secret Service (a desktop
//! without a keyring daemon): every call reports `Unavailable`, quickly, without panicking.
//!
//! This file holds a single test because it changes the process environment. It starts its
//! own `dbus-daemon` with no service directories, so nothing can be auto-started.
#![cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]

mod common;

use telltale_keychain::KeychainError;
use telltale_test_support::{keyring, EmptyBus};

#[test]
fn a_bus_without_a_secret_service_means_unavailable() {
    let bus = match EmptyBus::start() {
        Ok(bus) => bus,
        Err(error) if keyring::required() => {
            panic!("TELLTALE_REQUIRE_KEYRING=1 but dbus-daemon cannot start: {error}")
        }
        Err(error) => {
            eprintln!("SKIPPED: dbus-daemon is not available ({error})");
            return;
        }
    };
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", bus.address());

    for (call, error) in common::save_load_delete("telltale-test-no-secret-service") {
        assert!(
            matches!(error, Some(KeychainError::Unavailable { .. })),
            "{call}: expected Unavailable, got {error:?}"
        );
    }
}
