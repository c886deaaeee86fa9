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

/// Whether a probe's error says the driver could not be reached (see `protocol::transport`).
fn is_unreachable(error: &str) -> bool {
    error.contains(": transport: ")
}
