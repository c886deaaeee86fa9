//! The system browser and the OS, as the app meets them in a sign-in with the browser.
//!
//! The "browser" is a script that appends each URL it is given to `<dir>/browser-urls.txt`;
//! the test then plays the person with reqwest. The opener plugin hands URLs to `xdg-open`,
//! which, on a display without a desktop session, opens the desktop's default handler of
//! `x-scheme-handler/http(s)` (on this machine Chromium), and only without a display uses
//! `$BROWSER`. So the recorder is made the default handler in the test's own
//! `XDG_CONFIG_HOME/mimeapps.list` (with its entry in `XDG_DATA_HOME/applications`), and
//! `$BROWSER` too.
//!
//! An OS deep link is delivered as the desktop does: the app binary is started a second time
//! with the URL as its only argument, in the app's environment; the single-instance plugin
//! forwards it to the running instance and the second process exits.

use crate::driver::app_environment;
use crate::harness::{Harness, PATIENCE};
use crate::wait::wait_until;
use crate::Failure;
use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The app binary cargo built for this test.
const APP: &str = env!("CARGO_BIN_EXE_telltale");
/// The desktop entry of the recording browser.
const DESKTOP_ENTRY: &str = "telltale-test-browser.desktop";

/// Where the recorder writes the URLs it was asked to open.
fn urls_file(dir: &Path) -> PathBuf {
    dir.join("browser-urls.txt")
}

/// Where the recorder writes the `JSC_` variables it was started with.
fn jsc_file(dir: &Path) -> PathBuf {
    dir.join("browser-jsc-env.txt")
}

/// Writes the recording browser and makes it the default one for the app started with
/// `<dir>/env` as its XDG folders; returns the variables to set (`BROWSER`).
pub fn recorder(dir: &Path) -> Result<Vec<(&'static str, OsString)>, Failure> {
    let env = dir.join("env");
    let script = env.join("browser.sh");
    let applications = env.join("xdg-data").join("applications");
    let config = env.join("xdg-config");
    for folder in [&applications, &config] {
        std::fs::create_dir_all(folder).map_err(|e| Failure::io(folder, e))?;
    }
    let log = urls_file(dir);
    let body = format!(
        "#!/bin/sh\n# Telltale's end-to-end tests: a browser that only records what it opens,\n# and the JavaScriptCore options it was started with.\nprintf '%s\\n' \"$1\" >> '{}'\nenv | grep '^JSC_' >> '{}'\nexit 0\n",
        log.display(),
        jsc_file(dir).display()
    );
    write(&script, &body)?;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Failure::io(&script, e))?;
    let entry = format!(
        "[Desktop Entry]\nType=Application\nName=Telltale test browser\nExec={} %u\nMimeType=x-scheme-handler/http;x-scheme-handler/https;\nNoDisplay=true\n",
        script.display()
    );
    write(&applications.join(DESKTOP_ENTRY), &entry)?;
    let defaults = format!(
        "[Default Applications]\nx-scheme-handler/http={DESKTOP_ENTRY}\nx-scheme-handler/https={DESKTOP_ENTRY}\n"
    );
    write(&config.join("mimeapps.list"), &defaults)?;
    Ok(vec![("BROWSER", script.into_os_string())])
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| Failure::io(path, e))
}

impl Harness {
    /// The URLs the app asked the system browser to open so far.
    pub fn opened_in_browser(&self) -> Vec<String> {
        std::fs::read_to_string(urls_file(self.dir()))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Waits until the app has asked the browser to open `count` pages; returns the last.
    pub async fn wait_for_browser_page(&self, count: usize) -> Result<String, Failure> {
        let what = format!("the system browser to be asked for page {count}");
        let page = wait_until(&what, PATIENCE, || async {
            let opened = self.opened_in_browser();
            match (opened.len() == count, opened.last()) {
                (true, Some(last)) => Ok(last.clone()),
                _ => Err(format!("opened {opened:?}")),
            }
        })
        .await?;
        // The app's options for its own web processes (src/web_process.rs) stay out of the
        // browser's environment (unless this test's environment set them for the app).
        let inherited = std::fs::read_to_string(jsc_file(self.dir())).unwrap_or_default();
        if std::env::var_os("JSC_useGenerationalGC").is_none()
            && inherited.contains("JSC_useGenerationalGC")
        {
            return Err(Failure(format!(
                "the system browser was started with the web processes' options: {}",
                inherited.trim()
            )));
        }
        Ok(page)
    }

    /// Starts the app binary again with `link` as its only argument, as the desktop does
    /// for a deep link, and waits for that second process to exit; fails when it does not
    /// exit (it must hand the link to the running app) or exits with an error.
    pub async fn deliver_link_as_the_os(&self, link: &str) -> Result<(), Failure> {
        let log_path = self.dir().join("second-launch.log");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| Failure::io(&log_path, e))?;
        let log2 = log.try_clone().map_err(|e| Failure::io(&log_path, e))?;
        let mut second = Command::new(APP)
            .arg(link)
            .env_clear()
            .envs(app_environment(self.dir(), self.sim())?)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .map_err(|e| Failure(format!("the app did not start a second time: {e}")))?;
        let started = Instant::now();
        loop {
            match second.try_wait()? {
                Some(status) if status.success() => return Ok(()),
                Some(status) => {
                    return Err(Failure(format!(
                        "the second launch failed ({status}); see {}",
                        log_path.display()
                    )))
                }
                None if started.elapsed() > PATIENCE => {
                    let _ = second.kill();
                    let _ = second.wait();
                    return Err(Failure(format!(
                        "the second launch did not exit within {} s: it did not hand the link over; see {}",
                        PATIENCE.as_secs(),
                        log_path.display()
                    )));
                }
                None => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}
