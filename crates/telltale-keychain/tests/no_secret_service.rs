//! A working D-Bus session bus on which nobody provides the Secret Service (a desktop
//! without a keyring daemon): every call reports `Unavailable`, quickly, without panicking.
//!
//! This file holds a single test because it changes the process environment. It starts its
//! own `dbus-daemon` with no service directories, so nothing can be auto-started.
#![cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use telltale_keychain::{Keychain, KeychainError};

/// A private `dbus-daemon`, stopped when dropped.
struct PrivateBus {
    daemon: Child,
    dir: std::path::PathBuf,
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts a bus without any activatable services; returns it and its address.
fn start_bus_without_services() -> Option<(PrivateBus, String)> {
    let dir = std::env::temp_dir().join(format!("telltale-empty-bus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let config = dir.join("bus.conf");
    std::fs::write(
        &config,
        format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
            dir.display()
        ),
    )
    .expect("bus config");
    let spawned = Command::new("dbus-daemon")
        .arg(format!("--config-file={}", config.display()))
        .args(["--nofork", "--print-address=1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut daemon = match spawned {
        Ok(daemon) => daemon,
        Err(error) => {
            let _ = std::fs::remove_dir_all(&dir);
            if common::keyring_required() {
                panic!("TELLTALE_REQUIRE_KEYRING=1 but dbus-daemon cannot start: {error}");
            }
            eprintln!("SKIPPED: dbus-daemon is not available ({error})");
            return None;
        }
    };
    let stdout = daemon.stdout.take().expect("stdout was piped");
    let bus = PrivateBus { daemon, dir };
    let mut address = String::new();
    BufReader::new(stdout)
        .read_line(&mut address)
        .expect("read the bus address");
    let address = address.trim().to_string();
    assert!(
        address.starts_with("unix:"),
        "unexpected address {address:?}"
    );
    Some((bus, address))
}

#[test]
fn a_bus_without_a_secret_service_means_unavailable() {
    let Some((_bus, address)) = start_bus_without_services() else {
        return;
    };
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);

    let (report, results) = mpsc::channel();
    std::thread::spawn(move || {
        let keychain = Keychain::new("telltale-test-no-secret-service");
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

    for (call, error) in [
        ("save", saved.err()),
        ("load", loaded.err()),
        ("delete", deleted.err()),
    ] {
        assert!(
            matches!(error, Some(KeychainError::Unavailable { .. })),
            "{call}: expected Unavailable, got {error:?}"
        );
    }
}
