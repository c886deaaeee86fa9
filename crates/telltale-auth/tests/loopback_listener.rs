//! The loopback listener over real TCP on 127.0.0.1 (security review L1): only the answer
//! with the attempt's `state` at the profile's callback path ends the wait; other answers,
//! paths, hosts, slow or oversized heads and idle sockets cannot end it or keep the real
//! redirect out.

use std::time::{Duration, Instant};
use telltale_auth::{
    AuthError, LoopbackRedirect, HEAD_TIMEOUT, MAX_CONNECTIONS, MAX_REQUEST_BYTES,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use url::Url;

const PATH: &str = "/oauth/callback/igtimi";
const STATE: &str = "the-attempts-st4te";
const PATIENCE: Duration = Duration::from_secs(20);

type Wait = JoinHandle<Result<String, AuthError>>;

/// Binds at [`PATH`] and waits in the background for the answer with [`STATE`].
fn listening() -> (Url, Wait) {
    let (uri, loopback) = LoopbackRedirect::bind(PATH).expect("binds");
    (uri, tokio::spawn(loopback.wait(PATIENCE, STATE)))
}

fn port(uri: &Url) -> u16 {
    uri.port().expect("a port")
}

/// GETs `url` as a browser would (within `limit`) and returns the status and the page.
async fn get_within(url: &str, limit: Duration) -> Result<(u16, String), reqwest::Error> {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(limit)
        .build()
        .expect("client");
    let response = browser.get(url).send().await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}

async fn get(url: &str) -> (u16, String) {
    get_within(url, Duration::from_secs(10))
        .await
        .expect("an answer")
}

/// Sends `request` as is on a fresh connection and returns the whole answer.
async fn raw(uri: &Url, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port(uri)))
        .await
        .expect("connects");
    // The server may answer and close before the whole request is written.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn request(uri: &Url, query: &str, host: &str) -> String {
    let port = port(uri);
    format!("GET {PATH}?{query} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n")
}

async fn still_waiting(wait: &Wait) {
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!wait.is_finished(), "the wait ended early");
}

async fn outcome(wait: Wait) -> Result<String, AuthError> {
    tokio::time::timeout(PATIENCE, wait)
        .await
        .expect("the wait ends in time")
        .expect("the wait does not panic")
}

/// True when the server closes `stream` within `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut byte = [0u8; 1];
    matches!(
        tokio::time::timeout(limit, stream.read(&mut byte)).await,
        Ok(Ok(0) | Err(_))
    )
}

/// Ends the wait with the right answer and checks it is the one returned.
async fn answer_properly(uri: &Url, wait: Wait) {
    let callback = format!("{uri}?code=c0de&state={STATE}");
    let (status, page) = get(&callback).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("You are signed in to Telltale"), "{page}");
    assert_eq!(outcome(wait).await, Ok(callback));
}

#[tokio::test]
async fn the_answer_with_the_attempts_state_is_taken_and_returned_whole() {
    let (uri, wait) = listening();
    assert_eq!(uri.path(), PATH);
    answer_properly(&uri, wait).await;
}

#[tokio::test]
async fn a_wrong_state_gets_400_and_the_right_one_still_ends_the_wait() {
    let (uri, wait) = listening();
    for state in ["forged", "the-attempts-st4tf", "the-attempts-st4te-", ""] {
        let (status, page) = get(&format!("{uri}?code=c0de&state={state}")).await;
        assert_eq!(status, 400, "{state:?}: {page}");
        assert!(page.contains("Telltale cannot use this request"), "{page}");
        assert!(!page.contains(STATE) && !page.contains("c0de"), "{page}");
    }
    let (status, _) = get(&format!("{uri}?error=access_denied&state=forged")).await;
    assert_eq!(status, 400, "a forged denial does not end it either");
    still_waiting(&wait).await;
    answer_properly(&uri, wait).await;
}

#[tokio::test]
async fn a_missing_state_gets_400() {
    let (uri, wait) = listening();
    let (status, page) = get(&format!("{uri}?code=c0de")).await;
    assert_eq!(status, 400, "{page}");
    still_waiting(&wait).await;
    answer_properly(&uri, wait).await;
}

#[tokio::test]
async fn other_paths_get_404_and_other_methods_405() {
    let (uri, wait) = listening();
    let base = format!("http://127.0.0.1:{}", port(&uri));
    let query = format!("code=c0de&state={STATE}");
    for path in [
        "/oauth/callback",
        "/oauth/callback/other",
        "/oauth/callback/igtimi/",
        "/oauth/callback/igtimi/x",
        "/favicon.ico",
    ] {
        let (status, page) = get(&format!("{base}{path}?{query}")).await;
        assert_eq!(status, 404, "{path}: {page}");
    }
    let posted = reqwest::Client::new()
        .post(format!("{uri}?{query}"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(posted.status().as_u16(), 405);
    still_waiting(&wait).await;
    answer_properly(&uri, wait).await;
}

#[tokio::test]
async fn another_host_is_refused_and_localhost_is_this_address() {
    let (uri, wait) = listening();
    let query = format!("code=c0de&state={STATE}");
    for host in ["evil.example", "127.0.0.2"] {
        let answer = raw(&uri, request(&uri, &query, host).as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{host}: {answer:.80}");
    }
    let other_port = format!(
        "GET {PATH}?{query} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        port(&uri).wrapping_add(1)
    );
    let answer = raw(&uri, other_port.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer:.80}");
    still_waiting(&wait).await;
    // A browser may follow the redirect by the name `localhost`; the answer is still
    // returned on the redirect URI's own address.
    let answer = raw(&uri, request(&uri, &query, "localhost").as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.80}");
    assert_eq!(outcome(wait).await, Ok(format!("{uri}?{query}")));
}

#[tokio::test]
async fn idle_sockets_filling_every_slot_do_not_keep_the_redirect_out() {
    let (uri, wait) = listening();
    let mut idle = Vec::new();
    for n in 0..MAX_CONNECTIONS + 4 {
        let mut stream = TcpStream::connect(("127.0.0.1", port(&uri)))
            .await
            .expect("connects");
        if n % 2 == 1 {
            // Half of them start a request and never finish it.
            stream
                .write_all(b"GET / HTTP/1.1\r\n")
                .await
                .expect("writes");
        }
        idle.push(stream);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The surplus closed the oldest to get in, not the other way round.
    for stream in &mut idle[..4] {
        assert!(closed_within(stream, Duration::from_secs(1)).await);
    }
    let newest = idle.last_mut().expect("sockets");
    assert!(!closed_within(newest, Duration::from_millis(20)).await);
    // Well before HEAD_TIMEOUT would free any slot.
    let callback = format!("{uri}?code=c0de&state={STATE}");
    let started = Instant::now();
    let (status, page) = get_within(&callback, Duration::from_secs(3))
        .await
        .expect("the redirect gets an answer while idle sockets hold the slots");
    assert_eq!(status, 200, "{page}");
    assert!(started.elapsed() < HEAD_TIMEOUT);
    assert_eq!(outcome(wait).await, Ok(callback));
}

#[tokio::test]
async fn the_oldest_idle_socket_is_the_one_closed_for_a_new_one() {
    let (uri, wait) = listening();
    let mut idle = Vec::new();
    for _ in 0..MAX_CONNECTIONS + 1 {
        idle.push(
            TcpStream::connect(("127.0.0.1", port(&uri)))
                .await
                .expect("connects"),
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (oldest, rest) = idle.split_first_mut().expect("sockets");
    assert!(closed_within(oldest, Duration::from_secs(1)).await);
    for (n, stream) in rest.iter_mut().enumerate() {
        assert!(
            !closed_within(stream, Duration::from_millis(20)).await,
            "socket {} of {MAX_CONNECTIONS} was closed too",
            n + 2
        );
    }
    still_waiting(&wait).await;
    drop(idle);
    answer_properly(&uri, wait).await;
}

#[tokio::test]
async fn a_slow_request_head_is_cut_off_after_head_timeout() {
    let (uri, wait) = listening();
    let mut slow = TcpStream::connect(("127.0.0.1", port(&uri)))
        .await
        .expect("connects");
    let started = Instant::now();
    // Half a head with the right answer, then a byte now and then lengthening a header,
    // never its end: progress does not buy more time.
    let half = format!(
        "GET {PATH}?code=c0de&state={STATE} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Slow: ",
        port(&uri)
    );
    slow.write_all(half.as_bytes()).await.expect("writes");
    let mut cut_off = None;
    for _ in 0..200 {
        if slow.write_all(b"a").await.is_err()
            || closed_within(&mut slow, Duration::from_millis(250)).await
        {
            cut_off = Some(started.elapsed());
            break;
        }
    }
    let cut_off = cut_off.expect("the slow head was cut off");
    assert!(
        cut_off >= HEAD_TIMEOUT - Duration::from_millis(500),
        "{cut_off:?}"
    );
    assert!(
        cut_off < HEAD_TIMEOUT + Duration::from_secs(2),
        "{cut_off:?}"
    );
    still_waiting(&wait).await;
    answer_properly(&uri, wait).await;
}

#[tokio::test]
async fn an_oversized_head_is_refused_even_with_the_right_state() {
    let (uri, wait) = listening();
    let query = format!("code=c0de&state={STATE}");
    let huge = format!(
        "GET {PATH}?{query} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX: {}\r\n\r\n",
        port(&uri),
        "y".repeat(MAX_REQUEST_BYTES)
    );
    let answer = raw(&uri, huge.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer:.80}");
    still_waiting(&wait).await;
    // A large head within the limit is fine.
    let large = format!(
        "GET {PATH}?{query} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX: {}\r\n\r\n",
        port(&uri),
        "y".repeat(MAX_REQUEST_BYTES / 2)
    );
    let answer = raw(&uri, large.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.80}");
    assert_eq!(outcome(wait).await, Ok(format!("{uri}?{query}")));
}

#[tokio::test]
async fn a_cancel_ends_the_wait_and_closes_the_port_and_its_connections() {
    let (uri, loopback) = LoopbackRedirect::bind(PATH).expect("binds");
    let cancel = loopback.canceller();
    let wait = tokio::spawn(loopback.wait(PATIENCE, STATE));
    let mut open = TcpStream::connect(("127.0.0.1", port(&uri)))
        .await
        .expect("connects");
    still_waiting(&wait).await;
    cancel.cancel();
    assert_eq!(outcome(wait).await, Err(AuthError::Cancelled));
    assert!(closed_within(&mut open, Duration::from_secs(1)).await);
    assert!(
        TcpStream::connect(("127.0.0.1", port(&uri))).await.is_err(),
        "still listening after the cancel"
    );
}

#[tokio::test]
async fn a_timeout_ends_the_wait_even_with_a_connection_open() {
    let (uri, loopback) = LoopbackRedirect::bind(PATH).expect("binds");
    let wait = tokio::spawn(loopback.wait(Duration::from_millis(300), STATE));
    let _open = TcpStream::connect(("127.0.0.1", port(&uri)))
        .await
        .expect("connects");
    let started = Instant::now();
    assert_eq!(outcome(wait).await, Err(AuthError::BrowserTimeout));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn paths_that_cannot_be_matched_exactly_are_refused() {
    for odd in ["oauth/callback", "/oauth/callback?x", "/oauth/callback#x"] {
        assert!(
            matches!(LoopbackRedirect::bind(odd), Err(AuthError::Config { .. })),
            "{odd}"
        );
    }
}
