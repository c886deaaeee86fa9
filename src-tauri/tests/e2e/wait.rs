//! Polling for a condition, with a timeout and a message that says what was awaited.

use std::future::Future;
use std::time::{Duration, Instant};

/// The first pause between two polls; it grows to [`SLOWEST_POLL`].
const FIRST_POLL: Duration = Duration::from_millis(100);
/// The longest pause between two polls. WebKitWebDriver answers a query made while a page
/// navigates only once the navigation settles, and it has been seen to die when queried
/// over and over meanwhile: a slow, steady pace gives it room.
const SLOWEST_POLL: Duration = Duration::from_millis(400);
/// This many polls in a row that could not reach the driver at all mean it is gone.
const UNREACHABLE_POLLS: u32 = 5;

/// Polls `probe` until it gives `Ok(value)` or `timeout` passes, first every 100 ms, then
/// less often (up to every 400 ms).
///
/// `probe` returns `Err(last)` while the condition does not hold yet, where `last`
/// describes what it saw; on timeout the error names `what` was awaited and that last
/// observation, so a failing test says why. When the driver could not be reached at all
/// for several polls in a row (a `transport` error: tauri-driver or WebKitWebDriver died),
/// the wait stops at once and says so: retrying would only hide that behind a timeout.
pub async fn wait_until<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> Result<T, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let start = Instant::now();
    let mut pause = FIRST_POLL;
    let mut unreachable = 0;
    loop {
        match probe().await {
            Ok(value) => return Ok(value),
            Err(last) if start.elapsed() >= timeout => {
                return Err(format!(
                    "timed out after {:.1} s waiting for {what}; last seen: {last}",
                    timeout.as_secs_f32()
                ));
            }
            Err(last) => {
                unreachable = if is_unreachable(&last) {
                    unreachable + 1
                } else {
                    0
                };
                if unreachable >= UNREACHABLE_POLLS {
                    return Err(format!(
                        "the WebDriver stopped answering while waiting for {what} \
                         ({unreachable} polls in a row; see driver.log): {last}"
                    ));
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 3 / 2).min(SLOWEST_POLL);
            }
        }
    }
}

/// Whether a probe's error says the driver could not be reached (see `wd::TRANSPORT`).
fn is_unreachable(error: &str) -> bool {
    error.contains(&format!(": {}: ", crate::wd::TRANSPORT))
}

/// The wait against a fake WebDriver server on loopback, through the real client (`wd`,
/// thirtyfour): a driver that died ends it at once, a driver that answers with errors does
/// not, and the error names the command and its W3C code.
mod tests {
    use super::wait_until;
    use crate::wd::Session;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
    use tokio::net::TcpListener;

    /// Serves New Session and Set Timeouts, then answers every other command "no such
    /// element" (Delete Session too, counted in `DELETES`).
    async fn fake_driver() -> (String, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let server = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let mut stream = BufReader::new(stream);
                let (mut request, mut length) = (String::new(), 0);
                loop {
                    let mut line = String::new();
                    if stream.read_line(&mut line).await.unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = n.trim().parse().unwrap_or(0);
                    }
                    request.push_str(&line);
                }
                let mut body = vec![0; length];
                let _ = stream.read_exact(&mut body).await;
                let first = request.lines().next().unwrap_or_default();
                if first.starts_with("DELETE /session/s1 ") {
                    DELETES.fetch_add(1, Ordering::SeqCst);
                }
                let (status, value) = match first.split(' ').nth(1).unwrap_or_default() {
                    "/session" => ("200 OK", r#"{"sessionId":"s1","capabilities":{}}"#),
                    "/session/s1/timeouts" => ("200 OK", "null"),
                    _ => (
                        "404 Not Found",
                        r#"{"error":"no such element","message":"nothing here","stacktrace":""}"#,
                    ),
                };
                let body = format!(r#"{{"value":{value}}}"#);
                let answer = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.get_mut().write_all(answer.as_bytes()).await;
            }
        });
        (url, server)
    }

    /// Delete Session requests the fake drivers received (one test sends them).
    static DELETES: AtomicUsize = AtomicUsize::new(0);

    /// A session on a fresh fake driver, and the driver's task.
    async fn fake_session() -> (Session, tokio::task::JoinHandle<()>) {
        let (url, server) = fake_driver().await;
        let wd = Session::new(&url, Default::default())
            .await
            .expect("session");
        (wd, server)
    }

    async fn wait_for_element(wd: &Session, timeout: Duration) -> Result<(), String> {
        wait_until("#x", timeout, || async {
            wd.find("#x").await.map(drop).map_err(|e| e.to_string())
        })
        .await
    }

    #[tokio::test]
    async fn a_driver_that_died_ends_the_wait_at_once() {
        let (wd, server) = fake_session().await;
        server.abort();
        let _ = server.await;
        let start = Instant::now();
        let error = wait_for_element(&wd, Duration::from_secs(60))
            .await
            .expect_err("nothing answers");
        assert!(error.contains("stopped answering"), "{error}");
        assert!(error.contains("find #x: transport: "), "{error}");
        assert!(start.elapsed() < Duration::from_secs(10), "{error}");
    }

    #[tokio::test]
    async fn a_driver_that_answers_with_errors_is_waited_for() {
        let (wd, server) = fake_session().await;
        let error = wait_for_element(&wd, Duration::from_secs(1))
            .await
            .expect_err("the element never comes");
        assert!(error.starts_with("timed out after 1.0 s"), "{error}");
        assert!(
            error.contains("find #x: no such element: nothing here"),
            "{error}"
        );
        server.abort();
    }

    #[tokio::test]
    async fn a_failed_delete_is_named_and_not_sent_again() {
        let (wd, server) = fake_session().await;
        let error = wd.delete().await.expect_err("the driver refuses");
        assert_eq!(error.command, "delete session");
        assert_eq!(error.error, "no such element");
        // thirtyfour would send another, blocking the thread, when its handle went.
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(DELETES.load(Ordering::SeqCst), 1);
        server.abort();
    }
}
