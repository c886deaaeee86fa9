//! One test's world: the in-process simulator, tauri-driver (which starts WebKitWebDriver,
//! which starts the app), the app's environment and the WebDriver session.
//!
//! tauri-driver runs in its own process group; dropping the [`Harness`] deletes the session
//! and kills that whole group, so no app or driver outlives a test.

use crate::driver::{delete_session_blocking, spawn_driver};
use crate::process::{free_port, group_members_running, signal_group};
use crate::wait::wait_until;
use crate::wd::{Session, TRANSPORT};
use crate::Failure;
use igtimi_sim::{SimConfig, Simulator};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::Duration;

/// The app binary cargo built for this test.
const APP: &str = env!("CARGO_BIN_EXE_telltale");
/// Where screenshots, logs and the app's directories go.
const TMP: &str = env!("CARGO_TARGET_TMPDIR");
/// How long the driver, the app's windows and the app's exit may take.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The running pieces of one end-to-end test.
pub struct Harness {
    test: String,
    dir: PathBuf,
    sim: Simulator,
    driver: Child,
    driver_url: String,
    session: Option<Session>,
    main_window: String,
    shots: u32,
}

impl Harness {
    /// Starts the simulator and tauri-driver for `test`, then the app (a new session).
    pub async fn start(test: &str) -> Result<Harness, Failure> {
        Self::start_with(test, SimConfig::default()).await
    }

    /// [`Harness::start`] with a simulator set up by `config` (extra users, faults).
    pub async fn start_with(test: &str, config: SimConfig) -> Result<Harness, Failure> {
        Self::start_with_env(test, config, &[]).await
    }

    /// [`Harness::start_with`], the app's environment changed by `overrides`.
    pub async fn start_with_env(
        test: &str,
        config: SimConfig,
        overrides: &[(&str, &str)],
    ) -> Result<Harness, Failure> {
        let dir = Path::new(TMP).join("e2e").join(test);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| Failure::io(&dir, e))?;
        let sim = Simulator::start(config)
            .await
            .map_err(|e| Failure(format!("the simulator did not start: {e}")))?;
        let (port, native_port) = (free_port()?, free_port()?);
        let driver = spawn_driver(&dir, &sim, port, native_port, overrides)?;
        let mut harness = Harness {
            test: test.to_string(),
            dir,
            sim,
            driver,
            driver_url: format!("http://127.0.0.1:{port}"),
            session: None,
            main_window: String::new(),
            shots: 0,
        };
        let started = match harness.wait_for_driver().await {
            Ok(()) => harness.start_app().await,
            Err(failure) => Err(failure),
        };
        match started {
            Ok(()) => Ok(harness),
            Err(failure) => Err(Failure(format!(
                "{failure}\n--- end of driver.log ---\n{}",
                harness.log_tail(60)
            ))),
        }
    }

    /// The simulator the app talks to.
    pub fn sim(&self) -> &Simulator {
        &self.sim
    }

    /// The current WebDriver session.
    pub fn wd(&self) -> &Session {
        self.session
            .as_ref()
            .expect("the app runs: a session exists")
    }

    /// Whether the app runs (a session exists).
    pub fn has_session(&self) -> bool {
        self.session.is_some()
    }

    /// The handle of the app's main window in the current session.
    pub fn main_window(&self) -> &str {
        &self.main_window
    }

    /// The process id of tauri-driver; the app and its WebKit helpers descend from it.
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    /// Where this test's files are written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    async fn wait_for_driver(&mut self) -> Result<(), Failure> {
        let status = format!("{}/status", self.driver_url);
        let http = reqwest::Client::new();
        let driver = &mut self.driver;
        let log = self.dir.join("driver.log").display().to_string();
        wait_until("tauri-driver to answer /status", PATIENCE, || {
            let exited = driver.try_wait().ok().flatten();
            let request = http.get(&status).timeout(Duration::from_secs(2)).send();
            let log = log.clone();
            async move {
                if let Some(code) = exited {
                    return Err(format!("tauri-driver exited ({code}); see {log}"));
                }
                match request.await {
                    Ok(r) if r.status().is_success() => Ok(()),
                    Ok(r) => Err(format!("HTTP {}", r.status())),
                    Err(e) => Err(e.to_string()),
                }
            }
        })
        .await?;
        Ok(())
    }

    /// Adds `providers` (`[[providers]]` tables) to the test's settings file and restarts
    /// the app, which reads it at start; waits for the first screen.
    pub async fn restart_with_providers(&mut self, providers: &str) -> Result<(), Failure> {
        let settings = self
            .dir
            .join("env")
            .join("telltale-config")
            .join("config.toml");
        let text = format!("{}{providers}", crate::driver::LEGACY_METHODS);
        std::fs::write(&settings, text).map_err(|e| Failure::io(&settings, e))?;
        self.quit_app().await?;
        self.start_app().await?;
        self.wait_for_view("signed-out").await
    }

    /// Starts the app: a new WebDriver session for the app binary. The main window becomes
    /// the current browsing context.
    pub async fn start_app(&mut self) -> Result<(), Failure> {
        if self.session.is_some() {
            return Err(Failure("start_app: the app already runs".into()));
        }
        let mut capabilities = thirtyfour::Capabilities::new();
        capabilities.insert("tauri:options".into(), json!({ "application": APP }));
        // On a loaded machine tauri-driver sometimes drops the connection of a new session
        // right after the previous one ended (a restart); that is retried, twice at most.
        let mut tries = 0;
        let session = loop {
            tries += 1;
            match Session::new(&self.driver_url, capabilities.clone()).await {
                Err(e) if e.error == TRANSPORT && tries < 3 => {
                    println!("[{}] new session: {e}; trying again", self.test);
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
                other => break other?,
            }
        };
        session.set_timeouts(15_000, 10_000, 0).await?;
        self.main_window = session.window_handle().await?;
        self.session = Some(session);
        Ok(())
    }

    /// Ends the session and waits until the app's process has exited.
    pub async fn quit_app(&mut self) -> Result<(), Failure> {
        let session = self
            .session
            .take()
            .ok_or_else(|| Failure("quit_app: the app does not run".into()))?;
        session.delete().await?;
        let pgid = self.driver.id();
        wait_until(
            "the app's process to exit after the session ended",
            PATIENCE,
            || {
                let left = group_members_running(pgid, Path::new(APP));
                async move {
                    match left.is_empty() {
                        true => Ok(()),
                        false => Err(format!("still running: pids {left:?}")),
                    }
                }
            },
        )
        .await?;
        Ok(())
    }

    /// Saves a screenshot of the current window as `<dir>/<nn>-<screen>.png` and prints the
    /// path.
    pub async fn screenshot(&mut self, screen: &str) -> Result<PathBuf, Failure> {
        let png = self.wd().screenshot().await?;
        self.shots += 1;
        let path = self.dir.join(format!("{:02}-{screen}.png", self.shots));
        std::fs::write(&path, png).map_err(|e| Failure::io(&path, e))?;
        println!("[{}] screenshot: {}", self.test, path.display());
        Ok(path)
    }

    /// Saves the whole display, native windows included (a GTK dialog, which WebDriver's
    /// screenshot of the page leaves out), as `<dir>/<nn>-<screen>.png`.
    pub fn display_screenshot(&mut self, screen: &str) -> Result<PathBuf, Failure> {
        self.shots += 1;
        let path = self.dir.join(format!("{:02}-{screen}.png", self.shots));
        crate::x11::save_display(&path)?;
        println!("[{}] screenshot: {}", self.test, path.display());
        Ok(path)
    }

    /// The last `lines` lines of tauri-driver's and the app's output.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(self.dir.join("driver.log")).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            delete_session_blocking(&self.driver_url, session.id());
        }
        let pgid = self.driver.id();
        signal_group(pgid, false);
        for _ in 0..30 {
            if let Ok(Some(_)) = self.driver.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // Whatever ignored SIGTERM (or outlived the driver) in the group goes now.
        signal_group(pgid, true);
        let _ = self.driver.wait();
    }
}
