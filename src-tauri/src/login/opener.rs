//! Hands a URL to the desktop's browser, as `open::that_detached` does (the same openers,
//! from `open::commands`, tried in turn), with one difference: the browser does not inherit
//! the options meant for Telltale's own web processes (`crate::web_process`).

use std::io;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long an opener may take to fail before it counts as started (`open`'s own figure).
const FAILURE_CHECK: Duration = Duration::from_millis(250);

/// Opens `url` with the first opener that starts and does not fail at once; the error of
/// the first that failed, else of the last that could not start.
pub fn open_detached(url: &str) -> io::Result<()> {
    let mut failed = None;
    let mut missing = None;
    for mut command in open::commands(url) {
        match start(&mut command) {
            Ok(None) => return Ok(()),
            Ok(Some(err)) => failed = failed.or(Some(err)),
            Err(err) => missing = Some(err),
        }
    }
    Err(failed
        .or(missing)
        .unwrap_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no opener on this system")))
}

/// Starts `command` in a session of its own; `Some` error when it exits unsuccessfully
/// within [`FAILURE_CHECK`]. A child still running then is reaped by a thread of its own.
fn start(command: &mut Command) -> io::Result<Option<io::Error>> {
    crate::web_process::scrub(command);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(command, 0);
    let mut child = command.spawn()?;
    let started = Instant::now();
    loop {
        match child.try_wait()? {
            Some(status) if status.success() => return Ok(None),
            Some(status) => {
                return Ok(Some(io::Error::other(format!(
                    "the opener exited with {status}"
                ))))
            }
            None if started.elapsed() >= FAILURE_CHECK => break,
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    reap(child);
    Ok(None)
}

/// Waits for `child` on a thread, so it leaves no zombie when it ends.
fn reap(mut child: Child) {
    let spawned = std::thread::Builder::new()
        .name("opener-reaper".into())
        .stack_size(64 * 1024)
        .spawn(move || {
            let _ = child.wait();
        });
    if let Err(err) = spawned {
        tracing::debug!(error = %err, "no thread to wait for the browser's opener");
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn an_opener_that_exits_at_once_is_judged_by_its_status() {
        assert!(start(&mut Command::new("true")).unwrap().is_none());
        let failed = start(&mut Command::new("false")).unwrap();
        assert!(failed.is_some_and(|err| err.to_string().contains("exit status: 1")));
    }

    #[test]
    fn an_opener_still_running_after_the_check_counts_as_started() {
        let begun = Instant::now();
        let mut sleeper = Command::new("sleep");
        sleeper.arg("5");
        assert!(start(&mut sleeper).unwrap().is_none());
        let waited = begun.elapsed();
        assert!(
            waited >= FAILURE_CHECK && waited < Duration::from_secs(3),
            "waited {waited:?}"
        );
    }

    #[test]
    fn an_opener_that_is_not_installed_cannot_start() {
        let err = start(&mut Command::new("/nonexistent/xdg-open")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
