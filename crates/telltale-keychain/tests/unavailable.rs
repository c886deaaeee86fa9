//! No D-Bus session at all: every call reports `Unavailable`, quickly, without panicking.
//!
//! This file holds a single test because it changes the process environment.
#![cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]

mod common;

use std::time::Instant;
use telltale_keychain::KeychainError;

#[test]
fn a_session_bus_that_is_not_there_means_unavailable() {
    let nowhere = std::env::temp_dir()
        .join(format!("telltale-no-bus-{}", std::process::id()))
        .join("bus");
    assert!(!nowhere.exists());
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", nowhere.display()),
    );

    let started = Instant::now();
    let errors = common::save_load_delete("telltale-test-unavailable");
    eprintln!("gave up after {:?}", started.elapsed());

    for (call, error) in errors {
        match error {
            Some(error @ KeychainError::Unavailable { .. }) => {
                assert!(error.to_string().contains("not available"), "{error}");
            }
            other => panic!("{call}: expected Unavailable, got {other:?}"),
        }
    }
}
