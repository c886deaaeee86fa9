//! The loopback redirect over real HTTP on 127.0.0.1: what the browser sees, what ends the
//! wait and what does not, and a whole sign-in through the simulator's pages with the
//! loopback redirect URI.

mod support;

use std::time::Duration;
use support::sim;
use telltale_auth::{
    finish_sign_in, AuthError, AuthHttp, LoopbackRedirect, PendingSignIns, SignIn,
    MAX_REQUEST_BYTES,
};
use telltale_test_support::demo::{self, Decision};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use url::Url;

const PATIENCE: Duration = Duration::from_secs(20);

/// Binds a listener and starts waiting in the background for the answer with `state`.
fn listening(state: &str) -> (Url, JoinHandle<Result<String, AuthError>>) {
    let (uri, loopback) = LoopbackRedirect::bind("/oauth/callback").expect("binds");
    (uri, tokio::spawn(loopback.wait(PATIENCE, state)))
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

/// GETs `url` and returns the status and the page.
async fn get(url: &str) -> (u16, String) {
    let response = browser().get(url).send().await.expect("an answer");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a page"))
}

/// Sends `request` as is on a fresh connection and returns the whole answer.
async fn raw(uri: &Url, request: &[u8]) -> String {
    let port = uri.port().expect("a port");
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connects");
    // The server may answer and close before the whole request is written.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

async fn still_waiting(wait: &JoinHandle<Result<String, AuthError>>) {
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!wait.is_finished(), "the wait ended early");
}

async fn outcome(wait: JoinHandle<Result<String, AuthError>>) -> Result<String, AuthError> {
    tokio::time::timeout(PATIENCE, wait)
        .await
        .expect("the wait ends in time")
        .expect("the wait does not panic")
}

#[tokio::test]
async fn the_redirect_uri_is_http_to_127_0_0_1_at_a_free_port() {
    let (first, _a) = LoopbackRedirect::bind("/oauth/callback").expect("binds");
    let (second, _b) = LoopbackRedirect::bind("/oauth/callback").expect("binds again");
    for uri in [&first, &second] {
        assert_eq!(uri.scheme(), "http");
        assert_eq!(uri.host_str(), Some("127.0.0.1"));
        assert_eq!(uri.path(), "/oauth/callback");
        assert!(uri.port().is_some_and(|port| port != 0), "{uri}");
    }
    assert_ne!(first.port(), second.port());
}

#[tokio::test]
async fn one_answer_ends_the_wait_the_browser_is_told_and_the_port_closes() {
    let (uri, wait) = listening("st4te-secret");
    let callback = format!("{uri}?code=c0de-secret&state=st4te-secret");
    let (status, page) = get(&callback).await;
    assert_eq!(status, 200);
    assert!(page.contains("You are signed in to Telltale"), "{page}");
    assert!(page.contains("close this tab"), "{page}");
    assert!(!page.contains("c0de-secret") && !page.contains("st4te-secret"));
    assert_eq!(outcome(wait).await, Ok(callback.clone()));
    let again = browser().get(&callback).send().await;
    assert!(again.is_err(), "still listening after the answer");
}

#[tokio::test]
async fn other_paths_get_404_and_the_wait_goes_on() {
    let (uri, wait) = listening("b");
    let base = uri.as_str().trim_end_matches("/oauth/callback").to_string();
    for path in [
        "/",
        "/favicon.ico",
        "/oauth/callback/x?code=a&state=b",
        "/oauth",
    ] {
        let (status, page) = get(&format!("{base}{path}")).await;
        assert_eq!(status, 404, "{path}: {page}");
    }
    still_waiting(&wait).await;
    let callback = format!("{uri}?code=a&state=b");
    get(&callback).await;
    assert_eq!(outcome(wait).await, Ok(callback));
}

#[tokio::test]
async fn malformed_answers_are_refused_in_words_and_the_wait_goes_on() {
    let (uri, wait) = listening("s");
    for query in [
        "",
        "?code=only",
        "?state=s",
        "?code=a&code=b&state=s",
        "?code=a&error=x&state=s",
    ] {
        let (status, page) = get(&format!("{uri}{query}")).await;
        assert_eq!(status, 400, "{query}: {page}");
        assert!(page.contains("not a valid sign-in answer"), "{page}");
    }
    let posted = browser()
        .post(format!("{uri}?code=a&state=b"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(posted.status().as_u16(), 405);
    still_waiting(&wait).await;
    let denied = format!("{uri}?error=access_denied&state=s");
    let (status, page) = get(&denied).await;
    assert_eq!(status, 200);
    assert!(page.contains("declined"), "{page}");
    assert_eq!(outcome(wait).await, Ok(denied));
}

#[tokio::test]
async fn requests_are_bounded_and_another_host_is_refused() {
    let (uri, wait) = listening("b");
    let huge = format!(
        "GET /oauth/callback?code=a&state=b HTTP/1.1\r\nHost: 127.0.0.1\r\nX: {}\r\n\r\n",
        "y".repeat(MAX_REQUEST_BYTES + 10)
    );
    let answer = raw(&uri, huge.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer:.80}");
    let rebound = "GET /oauth/callback?code=a&state=b HTTP/1.1\r\nHost: evil.example\r\n\r\n";
    let answer = raw(&uri, rebound.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer:.80}");
    // A connection that never finishes its request does not hold up the real answer.
    let port = uri.port().expect("port");
    let _silent = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connects");
    still_waiting(&wait).await;
    let callback = format!("{uri}?code=a&state=b");
    get(&callback).await;
    assert_eq!(outcome(wait).await, Ok(callback));
}

#[tokio::test]
async fn a_timeout_and_a_cancel_end_the_wait() {
    let (_, loopback) = LoopbackRedirect::bind("/oauth/callback").expect("binds");
    let started = std::time::Instant::now();
    let result = loopback.wait(Duration::from_millis(200), "s").await;
    assert_eq!(result, Err(AuthError::BrowserTimeout));
    assert!(started.elapsed() < Duration::from_secs(5));

    let (uri, loopback) = LoopbackRedirect::bind("/oauth/callback").expect("binds");
    let cancel = loopback.canceller();
    let wait = tokio::spawn(loopback.wait(PATIENCE, "s"));
    still_waiting(&wait).await;
    cancel.cancel();
    assert_eq!(outcome(wait).await, Err(AuthError::Cancelled));
    assert!(
        browser().get(uri.as_str()).send().await.is_err(),
        "still listening after the cancel"
    );

    let (_, loopback) = LoopbackRedirect::bind("/oauth/callback").expect("binds");
    loopback.canceller().cancel();
    let early = tokio::time::timeout(Duration::from_secs(5), loopback.wait(PATIENCE, "s")).await;
    assert_eq!(
        early,
        Ok(Err(AuthError::Cancelled)),
        "cancelled before waiting"
    );
}

#[tokio::test]
async fn a_sign_in_through_the_simulator_comes_back_to_the_loopback_address() {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    let (uri, loopback) = LoopbackRedirect::bind("/oauth/callback").expect("binds");
    let mut attempt_provider = provider.clone();
    attempt_provider.redirect_uri = uri.clone();
    let registry = PendingSignIns::new();
    let (_, pending) = SignIn::start(&attempt_provider);
    let state = pending.state_secret().to_string();
    registry.insert(pending);

    // An app-scheme link with this attempt's state may not end it.
    let forged = format!("io.telltale.app:/oauth/callback?code=forged&state={state}");
    let refused = finish_sign_in(&registry, &forged, &provider, &AuthHttp::new())
        .await
        .expect_err("an app-scheme link for a loopback attempt");
    assert!(
        matches!(refused, AuthError::InvalidCallback { .. }),
        "{refused:?}"
    );

    // The attempt was consumed by that link; start again and do it properly.
    let (authorize, pending) = SignIn::start(&attempt_provider);
    let wait = tokio::spawn(loopback.wait(PATIENCE, pending.state_secret()));
    registry.insert(pending);
    let redirect = demo::bob()
        .signs_in(&sim.base_url(), authorize.as_str(), Decision::Authorize)
        .await;
    assert!(redirect.starts_with(uri.as_str()), "{redirect}");
    let (status, page) = get(&redirect).await;
    assert_eq!(status, 200, "{page}");
    let callback = outcome(wait).await.expect("the answer arrives");
    assert_eq!(callback, redirect);
    let tokens = finish_sign_in(&registry, &callback, &provider, &AuthHttp::new())
        .await
        .expect("the code exchange repeats the loopback redirect URI");
    let api = igtimi_client::IgtimiClient::new(Url::parse(&sim.base_url()).expect("base"))
        .expect("api client");
    let account = api.account(&tokens.access_token).await.expect("account");
    assert_eq!(account.id, demo::BOB);
}

#[tokio::test]
async fn a_loopback_answer_cannot_end_an_app_scheme_attempt() {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    let registry = PendingSignIns::new();
    let (_, pending) = SignIn::start(&provider);
    let state = pending.state_secret().to_string();
    registry.insert(pending);
    let forged = format!("http://127.0.0.1:9/oauth/callback?code=forged&state={state}");
    let refused = finish_sign_in(&registry, &forged, &provider, &AuthHttp::new())
        .await
        .expect_err("a loopback answer for an app-scheme attempt");
    assert!(
        matches!(refused, AuthError::InvalidCallback { .. }),
        "{refused:?}"
    );
    // Elsewhere entirely: refused before any attempt is looked at.
    let (_, pending) = SignIn::start(&provider);
    let state = pending.state_secret().to_string();
    registry.insert(pending);
    let elsewhere = format!("https://evil.example/oauth/callback?code=x&state={state}");
    let refused = finish_sign_in(&registry, &elsewhere, &provider, &AuthHttp::new())
        .await
        .expect_err("another site");
    assert!(matches!(refused, AuthError::InvalidCallback { .. }));
    // Neither refused answer ended its attempt: both still wait for their real redirect.
    assert_eq!(registry.len(), 2, "the attempts still wait");
}
