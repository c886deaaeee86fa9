//! Sign-in in the system browser. The provider's page opens in the user's own browser
//! (from Rust, with the `open` crate; no window can ask for it), and the
//! answer comes back either as an OS deep link to this instance (`via: "browser"`, see
//! [`crate::deep_link`]) or to a loopback listener of this app (`via: "loopback"`). Both
//! end in [`crate::callback::deliver`], with the same state and PKCE checks as the sign-in
//! window. While an attempt waits, the main window shows it and can cancel it.

use crate::callback;
use crate::events::{AppEvent, SignInFinished};
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Manager, Runtime};
use telltale_core::accounts::SignInMethod;
use telltale_core::multi::{Accounts, Attempt, Channel};
use telltale_core::tokens::SIGN_IN_TTL;
use telltale_core::AppError;
use tokio::sync::watch;
use url::Url;

/// Where a sign-in happens: the `via` argument of `start_sign_in`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The app's own sign-in window (the default).
    Window,
    /// The system browser, coming back as an OS deep link.
    Browser,
    /// The system browser, coming back to a loopback listener.
    Loopback,
}

impl Via {
    /// Reads `via`; none means [`Via::Window`].
    pub fn parse(via: Option<&str>) -> Result<Via, AppError> {
        match via {
            None | Some("window") => Ok(Via::Window),
            Some("browser") => Ok(Via::Browser),
            Some("loopback") => Ok(Via::Loopback),
            Some(_) => Err(AppError::Internal {
                detail: "unknown sign-in method (use window, browser or loopback)".into(),
            }),
        }
    }
}

/// How the shell opens a page in the system browser: the desktop's default browser in the
/// app, a recorder in the shell's tests on the mock runtime.
pub struct Launcher<R: Runtime> {
    open: LaunchFn<R>,
}

type LaunchFn<R> = Box<dyn Fn(&AppHandle<R>, &Url) -> Result<(), String> + Send + Sync>;

impl<R: Runtime> Launcher<R> {
    /// Opens pages in the desktop's default browser (`xdg-open` or the desktop's own
    /// opener on Linux, `open` on macOS, the shell on Windows), without waiting for it.
    /// The failure names only its kind: the opener's own message can quote the command
    /// line, which holds the authorize URL with its state and challenge.
    pub fn system() -> Self {
        Self::new(|_app, url| {
            super::opener::open_detached(url.as_str()).map_err(|err| opener_failure(&err))
        })
    }

    /// Opens pages with `open`.
    pub fn new(
        open: impl Fn(&AppHandle<R>, &Url) -> Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        Launcher {
            open: Box::new(open),
        }
    }
}

/// Why the opener failed, in words that cannot carry the URL it was given.
fn opener_failure(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no program to open web pages was found".into(),
        std::io::ErrorKind::PermissionDenied => "the program to open web pages may not run".into(),
        kind => format!("the program to open web pages failed ({kind})"),
    }
}

/// The browser sign-in waiting for its answer, if any.
#[derive(Default)]
pub struct SystemBrowserSignIn {
    waiting: Mutex<Option<Arc<Waiting>>>,
}

/// One waiting attempt, and the switch that stops its background task.
struct Waiting {
    attempt: Attempt,
    stop: watch::Sender<bool>,
}

/// Starts a sign-in at `profile` with `method` in the system browser. A browser sign-in
/// already waiting is replaced.
pub fn open<R: Runtime>(
    app: &AppHandle<R>,
    accounts: Arc<Accounts>,
    profile: &str,
    method: SignInMethod,
    via: Via,
) -> Result<(), AppError> {
    let launcher = app
        .try_state::<Launcher<R>>()
        .ok_or_else(|| AppError::Internal {
            detail: "this build cannot open the system browser".into(),
        })?;
    if let Some(old) = take(app, None) {
        stop(&old);
        accounts.cancel_sign_in(&old.attempt);
    }
    let (url, attempt, loopback) = match via {
        Via::Loopback => {
            let (url, attempt, loopback) = accounts.begin_loopback(profile)?;
            (url, attempt, Some(loopback))
        }
        _ => {
            let (url, attempt) = accounts.begin(profile, method, Channel::DeepLink)?;
            (url, attempt, None)
        }
    };
    let (stop_switch, stopped) = watch::channel(false);
    let waiting = Arc::new(Waiting {
        attempt,
        stop: stop_switch,
    });
    *lock(&app.state::<SystemBrowserSignIn>().waiting) = Some(waiting.clone());
    if let Err(reason) = (launcher.open)(app, &url) {
        take(app, Some(&waiting));
        accounts.cancel_sign_in(&waiting.attempt);
        tracing::warn!(%reason, "the system browser could not be opened");
        return Err(AppError::Internal {
            detail: format!("the system browser could not be opened: {reason}"),
        });
    }
    tracing::info!(?via, "sign-in page opened in the system browser");
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut stopped = stopped;
        let ended = match loopback {
            Some(loopback) => tokio::select! {
                biased;
                () = until_stopped(&mut stopped) => return,
                ended = accounts.wait_for_browser(loopback, &waiting.attempt, SIGN_IN_TTL) => ended,
            },
            None => tokio::select! {
                biased;
                () = until_stopped(&mut stopped) => return,
                () = tokio::time::sleep(SIGN_IN_TTL) => {
                    // Still waiting (not signed in meanwhile): the attempt has expired.
                    if !accounts.cancel_sign_in(&waiting.attempt) {
                        return;
                    }
                    Err(AppError::InvalidCallback {
                        detail: "the browser did not come back to Telltale in time".into(),
                    })
                }
            },
        };
        match ended {
            Ok(callback_url) => callback::deliver(&app, callback_url, Channel::Loopback),
            Err(error) => {
                if take(&app, Some(&waiting)).is_some() {
                    callback::tell_main(
                        &app,
                        AppEvent::SignInFinished(SignInFinished::Failed { error }),
                    );
                }
            }
        }
    });
    Ok(())
}

/// Cancels the waiting browser sign-in, if any, and reports the cancellation. Returns
/// whether one was waiting.
pub fn cancel<R: Runtime>(app: &AppHandle<R>, accounts: Option<Arc<Accounts>>) -> bool {
    let Some(waiting) = take(app, None) else {
        return false;
    };
    stop(&waiting);
    if let Some(accounts) = accounts {
        accounts.cancel_sign_in(&waiting.attempt);
    }
    tracing::info!("browser sign-in cancelled");
    callback::tell_main(
        app,
        AppEvent::SignInFinished(SignInFinished::Failed {
            error: AppError::Cancelled,
        }),
    );
    true
}

/// Forgets the waiting browser sign-in once a sign-in's outcome is known.
pub fn finish<R: Runtime>(app: &AppHandle<R>) {
    if let Some(waiting) = take(app, None) {
        stop(&waiting);
    }
}

/// Takes the waiting attempt: any, or only `which`.
fn take<R: Runtime>(app: &AppHandle<R>, which: Option<&Arc<Waiting>>) -> Option<Arc<Waiting>> {
    let state = app.try_state::<SystemBrowserSignIn>()?;
    let mut waiting = lock(&state.waiting);
    match (waiting.as_ref(), which) {
        (Some(current), Some(which)) if !Arc::ptr_eq(current, which) => None,
        _ => waiting.take(),
    }
}

fn stop(waiting: &Waiting) {
    waiting.stop.send_replace(true);
}

async fn until_stopped(stopped: &mut watch::Receiver<bool>) {
    while !*stopped.borrow_and_update() {
        if stopped.changed().await.is_err() {
            return;
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn via_defaults_to_the_window_and_refuses_the_unknown() {
        assert_eq!(Via::parse(None), Ok(Via::Window));
        assert_eq!(Via::parse(Some("window")), Ok(Via::Window));
        assert_eq!(Via::parse(Some("browser")), Ok(Via::Browser));
        assert_eq!(Via::parse(Some("loopback")), Ok(Via::Loopback));
        assert!(Via::parse(Some("Browser")).is_err());
        assert!(Via::parse(Some("")).is_err());
    }

    #[test]
    fn an_opener_failure_never_quotes_the_authorize_url() {
        let url = "http://127.0.0.1:9/oauth/authorize?state=STATE-SECRET&code_challenge=CHALLENGE";
        for kind in [
            std::io::ErrorKind::NotFound,
            std::io::ErrorKind::PermissionDenied,
            std::io::ErrorKind::Other,
        ] {
            let err = std::io::Error::new(kind, format!("xdg-open {url}: exited with 3"));
            let said = opener_failure(&err);
            assert!(
                !said.contains("STATE-SECRET") && !said.contains("CHALLENGE"),
                "{said}"
            );
            assert!(!said.is_empty());
        }
    }
}
