//! Polling for a condition, with a timeout and a message that says what was awaited.

use std::future::Future;
use std::time::{Duration, Instant};

/// Polls `probe` every 100 ms until it gives `Ok(value)` or `timeout` passes.
///
/// `probe` returns `Err(last)` while the condition does not hold yet, where `last`
/// describes what it saw; on timeout the error names `what` was awaited and that last
/// observation, so a failing test says why.
pub async fn wait_until<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> Result<T, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let start = Instant::now();
    loop {
        match probe().await {
            Ok(value) => return Ok(value),
            Err(last) if start.elapsed() >= timeout => {
                return Err(format!(
                    "timed out after {:.1} s waiting for {what}; last seen: {last}",
                    timeout.as_secs_f32()
                ));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}
