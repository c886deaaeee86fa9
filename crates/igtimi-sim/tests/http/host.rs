//! The Host allow-list: requests that do not name this server (as a DNS-rebinding page's
//! would) get 421 and reach no handler; requests that do are served.

use crate::common;
use igtimi_sim::demo::BOB;
use igtimi_sim::{SimConfig, Simulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `GET /api/v1/account` as Bob, with `host` as the Host header when given.
async fn account(sim: &Simulator, host: Option<&str>) -> (u16, String) {
    let mut request = common::http()
        .get(format!("{}/api/v1/account", sim.base_url()))
        .bearer_auth(common::token_for(sim, BOB));
    if let Some(host) = host {
        request = request.header("host", host);
    }
    let response = request.send().await.expect("answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

/// Sends `head` (a request without body) over a fresh connection; the answer's status line.
async fn raw(sim: &Simulator, head: &str) -> String {
    let mut stream = TcpStream::connect(sim.addr()).await.expect("connects");
    stream.write_all(head.as_bytes()).await.expect("sends");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("reads");
    let answer = String::from_utf8_lossy(&answer);
    answer.lines().next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_foreign_host_is_refused_and_reaches_nothing() {
    let sim = common::start().await;
    let port = sim.addr().port();
    for host in ["evil.example".to_string(), format!("evil.example:{port}")] {
        let (status, body) = account(&sim, Some(&host)).await;
        assert_eq!(status, 421, "Host {host}: {body}");
        assert!(body.contains("is not this server"), "Host {host}: {body}");
        assert!(
            !body.contains("telltale.demo"),
            "Host {host} got an account: {body}"
        );
    }
    // Refused before the routes: the request counts never saw them.
    assert_eq!(sim.requests().snapshot().get("/api/v1/account"), None);
}

#[tokio::test]
async fn the_servers_own_loopback_names_are_served() {
    let sim = common::start().await;
    let port = sim.addr().port();
    let (status, body) = account(&sim, None).await;
    assert_eq!(status, 200, "reqwest's own Host (127.0.0.1:{port}): {body}");
    assert!(body.contains("bob@telltale.demo"), "{body}");
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, body) = account(&sim, Some(&host)).await;
        assert_eq!(status, 200, "Host {host}: {body}");
    }
    // The right name on another port is another server.
    let other = format!("127.0.0.1:{}", port.wrapping_add(1));
    assert_eq!(account(&sim, Some(&other)).await.0, 421, "Host {other}");
}

#[tokio::test]
async fn a_configured_host_is_served() {
    let config = SimConfig {
        allowed_hosts: vec!["sim.test".into()],
        ..SimConfig::default()
    };
    let sim = common::start_with(config).await;
    let host = format!("sim.test:{}", sim.addr().port());
    assert_eq!(account(&sim, Some(&host)).await.0, 200, "Host {host}");
    let evil = format!("evil.example:{}", sim.addr().port());
    assert_eq!(account(&sim, Some(&evil)).await.0, 421, "Host {evil}");
}

#[tokio::test]
async fn no_host_or_a_foreign_absolute_target_is_refused() {
    let sim = common::start().await;
    let addr = sim.addr();
    let served = raw(
        &sim,
        &format!("GET /oauth/authorize HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert!(!served.contains(" 421 "), "own Host: {served}");
    let no_host = raw(&sim, "GET /oauth/authorize HTTP/1.0\r\n\r\n").await;
    assert!(no_host.contains(" 421 "), "no Host: {no_host}");
    let absolute = raw(
        &sim,
        &format!(
            "GET http://evil.example:{}/oauth/authorize HTTP/1.1\r\nHost: {addr}\r\n\
             Connection: close\r\n\r\n",
            addr.port()
        ),
    )
    .await;
    assert!(
        absolute.contains(" 421 "),
        "foreign absolute target: {absolute}"
    );
}
