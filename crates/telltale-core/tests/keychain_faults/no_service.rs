//! No Secret Service: the app with no D-Bus session bus at all, and with a bus on which no
//! one provides `org.freedesktop.secrets`. Each runs in a child process of this test binary
//! (the address is in the environment), against the simulator.

use crate::{is_kind, key, sign_in_unsaved, Outcome, Problems, Tally, World};
use igtimi_sim::demo::BOB;
use std::process::Command;
use std::sync::Arc;
use telltale_test_support::{keyring, EmptyBus};

/// Which bus the child is given.
const CHILD_ENV: &str = "TELLTALE_KEYCHAIN_FAULTS_CHILD";

#[tokio::test]
async fn no_secret_service() {
    if keyring::skip_outside_harness(
        "no_secret_service",
        "scripts/with-keyring.sh cargo test -p telltale-core --test keychain_faults",
    ) {
        return;
    }
    let nowhere = std::env::temp_dir()
        .join(format!("telltale-no-bus-{}", std::process::id()))
        .join("bus");
    run_child(
        "no session bus",
        &format!("unix:path={}", nowhere.display()),
    );
    let bus = EmptyBus::start().expect("dbus-daemon starts (scripts/install-deps.sh keyring)");
    run_child("a bus without a Secret Service", bus.address());
}

/// Runs [`child`] in a child process with `address` as its session bus; fails if it fails.
fn run_child(variant: &str, address: &str) {
    let exe = std::env::current_exe().expect("the test binary");
    let output = Command::new(exe)
        .args(["--ignored", "--exact", "no_service::child", "--nocapture"])
        .env("DBUS_SESSION_BUS_ADDRESS", address)
        .env(CHILD_ENV, variant)
        .output()
        .expect("run the child");
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines().filter(|line| line.starts_with("keychain")) {
        telltale_test_support::report(line);
    }
    assert!(
        output.status.success() && stdout.contains("keychain, no secret service"),
        "{variant}: the child failed\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The app's behaviour without a Secret Service (the child's side).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by no_secret_service in a child process with its own session bus"]
async fn child() {
    let Ok(variant) = std::env::var(CHILD_ENV) else {
        eprintln!("SKIPPED child: runs only as a child of no_secret_service");
        return;
    };
    let Some(world) = World::start("no-service").await else {
        return;
    };
    let family: &'static str = if variant.starts_with("no session") {
        "no secret service (no session bus)"
    } else {
        "no secret service (a bus without it)"
    };
    let mut tally = Tally::new(format!("keychain, {family}"));
    let accounts = Arc::new(world.accounts().await);

    let mut problems = Problems::default();
    sign_in_unsaved(&accounts, family, &mut problems).await;
    let (outcome, _) = Outcome::of(&accounts, |a| async move { a.restore().await }).await;
    problems.check(
        matches!(&outcome, Outcome::Returned(Ok(Some(view))) if view.id == BOB),
        || format!("the sign-in in memory does not restore: {outcome:?}"),
    );
    tally.record_case(
        "sign Bob in with no Secret Service",
        "signed in for this run only, with a keychain_unavailable notice naming the keychain",
        problems.0,
    );

    let mut problems = Problems::default();
    let restarted = Arc::new(world.accounts().await);
    let (outcome, took) = Outcome::of(&restarted, |a| async move { a.restore().await }).await;
    println!("{family}: restore answered after {took:?}: {outcome:?}");
    match &outcome {
        Outcome::Returned(Err(error)) => problems
            .check(is_kind(error, "keychain_unavailable", "keychain"), || {
                format!("not a clear keychain error: {error:?}")
            }),
        other => problems
            .0
            .push(format!("restore gave {other:?} after {took:?}")),
    }
    tally.record_case(
        "start the app again with no Secret Service",
        "keychain_unavailable naming the keychain, within the bound",
        problems.0,
    );

    let mut problems = Problems::default();
    let (outcome, took) =
        Outcome::of(&accounts, |a| async move { a.sign_out(&key(BOB)).await }).await;
    println!("{family}: sign-out answered after {took:?}");
    match &outcome {
        Outcome::Returned(Ok(out)) => problems.check(out.message.contains("keychain"), || {
            format!(
                "the sign-out does not mention the keychain: {:?}",
                out.message
            )
        }),
        other => problems.0.push(format!("sign-out gave {other:?}")),
    }
    tally.record_case(
        "sign out with no Secret Service",
        "signed out and revoked; the message says the keychain could not be used",
        problems.0,
    );

    let mut problems = Problems::default();
    let hits = world.plaintext_hits();
    problems.check(hits.is_empty(), || {
        format!("tokens in plain text: {hits:?}")
    });
    problems.check(!world.secrets().is_empty(), || {
        "the simulator issued nothing".into()
    });
    tally.record_case(
        "look for any token in the settings folder",
        "no token, code or verifier in any file (no plaintext fallback)",
        problems.0,
    );
    tally.finish();
}
