//! End-to-end tests of the Telltale app on its real WebKitGTK webview.
//!
//! Each test starts the Igtimi simulator in-process and the app through tauri-driver and
//! WebKitWebDriver, then drives the UI (by the element ids the UI promises in the issue 3
//! contract) and the simulator's sign-in pages in the app's sign-in window, through the
//! thirtyfour WebDriver client (`wd.rs`). They need a display, a session
//! bus with a Secret Service and tauri-driver, so they are `#[ignore]`d; run them with
//! `scripts/e2e.sh` (Xvfb, a private keyring, `--test-threads=1`).
//!
//! Screenshots and the driver's and app's output land in
//! `target/tmp/e2e/<test>/` (`<nn>-<screen>.png`, `driver.log`).

mod a11y;
mod accounts;
mod analysis;
mod app;
mod bench_live;
mod bench_plot;
mod browse;
mod browser_sign_in;
mod driver;
mod export_dialog;
mod harness;
mod hostile_content;
mod hostile_login;
mod isolation;
mod live;
mod map;
mod polar;
mod process;
mod riot;
mod secrets;
mod sign_in;
mod system_browser;
mod wait;
mod wd;
mod x11;

use harness::Harness;
use std::fmt;

/// Why a scenario failed, in plain words (printed as is).
pub struct Failure(pub String);

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Failure {
    /// A failed file operation on `path`.
    pub fn io(path: &std::path::Path, error: std::io::Error) -> Failure {
        Failure(format!("{}: {error}", path.display()))
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure(message)
    }
}

impl From<wd::WdError> for Failure {
    fn from(error: wd::WdError) -> Self {
        Failure(format!("WebDriver: {error}"))
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure(format!("I/O: {error}"))
    }
}

/// Fails the scenario with a message unless `cond` holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($message:tt)+) => {
        if !$cond {
            return Err($crate::Failure(format!($($message)+)));
        }
    };
}

/// Runs one scenario against a freshly started app. When it fails, a screenshot of the
/// current window and the end of the driver's/app's log are printed, then the test panics
/// with the failure.
pub async fn scenario<F>(test: &str, body: F)
where
    F: AsyncFnOnce(&mut Harness) -> Result<(), Failure>,
{
    scenario_with(test, igtimi_sim::SimConfig::default(), body).await
}

/// [`scenario`] with a simulator set up by `config`.
pub async fn scenario_with<F>(test: &str, config: igtimi_sim::SimConfig, body: F)
where
    F: AsyncFnOnce(&mut Harness) -> Result<(), Failure>,
{
    scenario_with_env(test, config, &[], body).await
}

/// [`scenario_with`], the app's environment changed by `overrides`.
pub async fn scenario_with_env<F>(
    test: &str,
    config: igtimi_sim::SimConfig,
    overrides: &[(&str, &str)],
    body: F,
) where
    F: AsyncFnOnce(&mut Harness) -> Result<(), Failure>,
{
    let mut harness = match Harness::start_with_env(test, config, overrides).await {
        Ok(harness) => harness,
        Err(failure) => panic!("{test}: could not start the app: {failure}"),
    };
    let outcome = body(&mut harness).await;
    if let Err(failure) = outcome {
        if harness.has_session() {
            if let Err(e) = harness.screenshot("failure").await {
                println!("[{test}] no failure screenshot: {e}");
            }
        }
        let log = harness.log_tail(60);
        let dir = harness.dir().display().to_string();
        drop(harness);
        panic!("{test} failed: {failure}\n--- end of {dir}/driver.log ---\n{log}");
    }
}
