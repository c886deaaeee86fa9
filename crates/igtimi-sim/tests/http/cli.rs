//! The `igtimi-sim` binary: flags, the printed demo manifest, start-up and faults from flags.

use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_igtimi-sim");

/// Starts the binary on a free port and returns it with its base URL (read from stdout).
async fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--riot-device-port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let first = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
        .await
        .expect("prints its address within 10 s")
        .expect("stdout readable")
        .expect("a first line");
    let base = first
        .strip_prefix("igtimi-sim listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_string();
    // Keep draining stdout so the child never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, base)
}

#[tokio::test]
async fn help_documents_every_flag() {
    let out = Command::new(BIN)
        .arg("--help")
        .output()
        .await
        .expect("runs");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--host",
        "--allow-host",
        "--port",
        "--data",
        "--seed",
        "--week-start",
        "--token-ttl",
        "--code-ttl",
        "--max-span-days",
        "--riot-device-port",
        "--client",
        "--fault",
        "--print-demo",
        "--quiet",
        "--hostile-sign-in-page",
        "--no-device-port",
        "/__admin/faults",
    ] {
        assert!(
            help.contains(flag),
            "--help does not mention {flag}:\n{help}"
        );
    }
}

#[tokio::test]
async fn print_demo_gives_users_clients_and_devices_as_json() {
    let out = Command::new(BIN)
        .args(["--print-demo", "--client", "extra,,http://127.0.0.1/cb"])
        .output()
        .await
        .expect("runs");
    assert!(out.status.success());
    let demo: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let users = demo["users"].as_array().expect("users");
    assert!(users.len() >= 3);
    assert!(users
        .iter()
        .all(|u| u["email"].is_string() && u["password"].is_string()));
    let clients = demo["clients"].as_array().expect("clients");
    let app = clients
        .iter()
        .find(|c| c["name"] == "Telltale")
        .expect("the app's client");
    assert_eq!(app["client_id"].as_str().map(str::len), Some(64));
    assert!(app["redirect_uris"]
        .as_array()
        .expect("uris")
        .iter()
        .any(|u| u == "io.telltale.app:/oauth/callback"));
    assert!(clients
        .iter()
        .any(|c| c["client_id"] == "extra" && c["client_secret"].is_null()));
    assert!(demo["devices"]
        .as_array()
        .is_some_and(|d| (3..=5).contains(&d.len())));
}

#[tokio::test]
async fn the_same_seed_gives_the_same_clients() {
    let run = |seed: &'static str| async move {
        let out = Command::new(BIN)
            .args(["--print-demo", "--seed", seed])
            .output()
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["clients"][0]["client_id"].as_str().unwrap().to_string()
    };
    assert_eq!(run("7").await, run("7").await);
    assert_ne!(run("7").await, run("8").await);
}

#[tokio::test]
async fn serves_the_api_and_the_sign_in_page() {
    let (_child, base) = spawn(&["--quiet"]).await;
    let http = reqwest::Client::new();
    let account = http
        .get(format!("{base}/api/v1/account"))
        .send()
        .await
        .expect("answers");
    assert_eq!(account.status(), 401, "no token, no account");
    let body: serde_json::Value = account.json().await.expect("a JSON error");
    assert_eq!(body["error"], "invalid_token");
}

#[tokio::test]
async fn the_hostile_sign_in_page_from_a_flag() {
    let (_child, base) = spawn(&[
        "--quiet",
        "--hostile-sign-in-page",
        "--client",
        "hostile-test,,urn:ietf:wg:oauth:2.0:oob",
    ])
    .await;
    let query = "response_type=token&client_id=hostile-test&redirect_uri=urn:ietf:wg:oauth:2.0:oob";
    let html = reqwest::get(format!("{base}/oauth/authorize?{query}"))
        .await
        .expect("answers")
        .text()
        .await
        .expect("a page");
    assert!(html.contains("id=\"hostile-results\""), "{html}");
    assert!(html.contains("id=\"new_user\""), "{html}");
}

#[tokio::test]
async fn faults_and_token_lifetime_from_flags() {
    let (_child, base) = spawn(&["--quiet", "--fault", "status:code=503,path=/api/,times=1"]).await;
    let http = reqwest::Client::new();
    let first = http
        .get(format!("{base}/api/v1/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 503);
    let second = http
        .get(format!("{base}/api/v1/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 401, "the fault retired after one hit");
}

#[tokio::test]
async fn bad_flags_are_refused_with_a_reason() {
    for (args, needle) in [
        (vec!["--fault", "earthquake"], "earthquake"),
        (vec!["--week-start", "June"], "YYYY-MM-DD"),
        (vec!["--client", "only-an-id"], "REDIRECT_URI"),
        (vec!["--data", "other"], "demo"),
    ] {
        let out = Command::new(BIN).args(&args).output().await.expect("runs");
        assert!(!out.status.success(), "{args:?} accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[tokio::test]
async fn a_busy_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(BIN)
        .args(["--port", &port])
        .output()
        .await
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

#[tokio::test]
async fn allow_host_adds_a_name_the_server_answers_to() {
    let (_child, base) = spawn(&["--quiet", "--allow-host", "sim.test"]).await;
    let port = base.rsplit(':').next().expect("a port");
    let http = reqwest::Client::new();
    for (host, expected) in [
        (format!("sim.test:{port}"), 401),
        (format!("evil.example:{port}"), 421),
    ] {
        let status = http
            .get(format!("{base}/api/v1/account"))
            .header("host", &host)
            .send()
            .await
            .expect("answers")
            .status();
        assert_eq!(status, expected, "Host {host}");
    }
}

#[tokio::test]
async fn the_device_subcommand_pushes_to_the_printed_device_port() {
    let mut server = Command::new(BIN)
        .args(["--port", "0", "--riot-device-port", "0", "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("binary starts");
    let mut lines = BufReader::new(server.stdout.take().expect("piped")).lines();
    let mut printed = Vec::new();
    for _ in 0..2 {
        let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
            .await
            .expect("a line within 10 s")
            .expect("stdout readable")
            .expect("a line");
        printed.push(line);
    }
    assert!(printed[0].starts_with("igtimi-sim listening on "));
    let second = &printed[1];
    let devices = second
        .strip_prefix("igtimi-sim Riot device port on ")
        .unwrap_or_else(|| panic!("unexpected second line {second:?}"))
        .to_string();
    let out = Command::new(BIN)
        .args(["device", "--server", &devices, "--serial", "ZZ-CLI-1"])
        .args([
            "--boat", "petrel", "--seed", "7", "--rate", "5", "--for", "1",
        ])
        .output()
        .await
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 connection(s)"), "{stdout}");
    assert!(!stdout.contains(" 0 messages"), "{stdout}");

    let refused = Command::new(BIN)
        .args([
            "device", "--server", &devices, "--serial", "ZZ-CLI-2", "--token", "",
        ])
        .output()
        .await
        .expect("runs");
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("refused the device: 401"), "{err}");
    let no_boat = Command::new(BIN)
        .args([
            "device", "--server", &devices, "--serial", "X", "--boat", "Titanic",
        ])
        .output()
        .await
        .expect("runs");
    assert!(!no_boat.status.success());
    assert!(String::from_utf8_lossy(&no_boat.stderr).contains("no boat \"Titanic\""));
}
