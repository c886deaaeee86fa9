//! No D-Bus session at all: every call reports `Unavailable`, quickly, without panicking.
//!
//! This file holds a single test because it changes the process environment.
#![cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]

mod common;

use std::sync::mpsc;
use std::time::Instant;
use telltale_keychain::{Keychain, KeychainError};

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
    let (report, results) = mpsc::channel();
    std::thread::spawn(move || {
        let keychain = Keychain::new("telltale-test-unavailable");
        let outcome = (
            keychain.save("skipper", &common::token("x")),
            keychain.load("skipper"),
            keychain.delete("skipper"),
        );
        let _ = report.send(outcome);
    });
    let (saved, loaded, deleted) = results
        .recv_timeout(common::CALL_LIMIT)
        .expect("keychain calls must give up within the limit and not panic");
    eprintln!("gave up after {:?}", started.elapsed());

    for (call, error) in [
        ("save", saved.err()),
        ("load", loaded.err()),
        ("delete", deleted.err()),
    ] {
        match error {
            Some(error @ KeychainError::Unavailable { .. }) => {
                assert!(error.to_string().contains("not available"), "{error}");
            }
            other => panic!("{call}: expected Unavailable, got {other:?}"),
        }
    }
}
