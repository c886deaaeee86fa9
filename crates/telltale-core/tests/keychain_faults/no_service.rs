//! No Secret Service: the app with no D-Bus session bus at all, and with a bus on which no
//! one provides `org.freedesktop.secrets`. Each runs in a child process of this test binary
//! (the address is in the environment), against the simulator.

use crate::{is_kind, key, sign_in_unsaved, Outcome, Problems, Tally, World};
use igtimi_sim::demo::BOB;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

/// Which bus the child is given.
const CHILD_ENV: &str = "TELLTALE_KEYCHAIN_FAULTS_CHILD";

#[tokio::test]
async fn no_secret_service() {
    if std::env::var("TELLTALE_REQUIRE_KEYRING").as_deref() != Ok("1") {
        eprintln!(
            "SKIPPED no_secret_service: needs the keyring harness; run \
             `scripts/with-keyring.sh cargo test -p telltale-core --test keychain_faults`"
        );
        return;
    }
    let nowhere = std::env::temp_dir()
        .join(format!("telltale-no-bus-{}", std::process::id()))
        .join("bus");
    run_child(
        "no session bus",
        &format!("unix:path={}", nowhere.display()),
    );
    let bus = EmptyBus::start();
    run_child("a bus without a Secret Service", &bus.address);
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
        crate::tally::report(line);
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
    sign_in_unsaved(&world, &accounts, family, &mut problems).await;
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

/// A private `dbus-daemon` on which nothing is activatable, stopped when dropped.
struct EmptyBus {
    daemon: Child,
    dir: PathBuf,
    address: String,
}

impl EmptyBus {
    fn start() -> EmptyBus {
        let dir = std::env::temp_dir().join(format!(
            "telltale-keychain-faults-bus-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let config = dir.join("bus.conf");
        // Without the eavesdrop rules this dbus-daemon accepts connections and then never
        // answers (a different fault: calls are cut off by the app's 10 s limit).
        let policy = "<policy context=\"default\">\
                      <allow send_destination=\"*\" eavesdrop=\"true\"/>\
                      <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy>";
        std::fs::write(
            &config,
            format!(
                "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" \
                 \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n\
                 <busconfig><type>session</type><listen>unix:dir={}</listen>\
                 <auth>EXTERNAL</auth>{policy}</busconfig>\n",
                dir.display()
            ),
        )
        .expect("bus config");
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts (scripts/install-deps.sh keyring)");
        let stdout = daemon.stdout.take().expect("piped");
        let mut address = String::new();
        BufReader::new(stdout)
            .read_line(&mut address)
            .expect("the bus address");
        let bus = EmptyBus {
            daemon,
            dir,
            address: address.trim().to_string(),
        };
        assert!(bus.address.starts_with("unix:"), "{}", bus.address);
        bus
    }
}

impl Drop for EmptyBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
