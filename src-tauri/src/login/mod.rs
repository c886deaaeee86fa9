//! The sign-in window: the provider's page in a separate webview that matches no
//! capability (so it can invoke nothing), runs no scripts of ours, may only show the
//! provider's origin, hands the redirect to [`crate::callback`] without loading it, and
//! forgets the provider's cookies once the sign-in is over.

mod guard;
mod opener;
pub mod system_browser;

pub use guard::{decide, Navigation};
pub use system_browser::{Launcher, SystemBrowserSignIn, Via};

use crate::callback;
use crate::events::{AppEvent, SignInFinished};
use crate::MAIN_LABEL;
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder, WindowEvent};
use telltale_core::accounts::SignInMethod;
use telltale_core::multi::{Accounts, Attempt, Channel};
use telltale_core::AppError;

/// The sign-in window's label. No capability names it.
pub const LOGIN_LABEL: &str = "login";

/// The attempt the open sign-in window belongs to, if any.
#[derive(Default)]
pub struct LoginWindow {
    open: Mutex<Option<Arc<OpenAttempt>>>,
}

/// One open sign-in window's attempt; `finished` once its outcome is known, so closing the
/// window afterwards is not a cancellation.
struct OpenAttempt {
    attempt: Attempt,
    finished: Mutex<bool>,
}

/// Opens the sign-in window for a fresh attempt at `profile` with `method`, or brings an
/// open one to the front.
pub fn open<R: Runtime>(
    app: &AppHandle<R>,
    accounts: Arc<Accounts>,
    profile: &str,
    method: SignInMethod,
) -> Result<(), AppError> {
    if let Some(window) = app.get_webview_window(LOGIN_LABEL) {
        let _ = window.set_focus();
        return Ok(());
    }
    let (url, attempt) = accounts.begin(profile, method, Channel::Window)?;
    let title = guard::title(attempt.host(), attempt.is_secure());
    let provider = attempt.origin().clone();
    let callback_scheme = attempt.callback_scheme().to_string();
    let current = Arc::new(OpenAttempt {
        attempt,
        finished: Mutex::new(false),
    });
    let navigating_app = app.clone();
    let mut builder = WebviewWindowBuilder::new(app, LOGIN_LABEL, WebviewUrl::External(url))
        .title(title)
        .inner_size(520.0, 700.0)
        .min_inner_size(360.0, 480.0)
        .focused(true)
        .on_navigation(move |url| match decide(url, &provider, &callback_scheme) {
            Navigation::Load => true,
            Navigation::Callback => {
                callback::deliver(&navigating_app, url.to_string(), Channel::Window);
                false
            }
            Navigation::Refuse => {
                tracing::warn!(origin = %url.origin().ascii_serialization(), "the sign-in window may not go there");
                false
            }
        })
        // No pop-ups or new tabs from the provider's page, said explicitly rather than left
        // to the runtime's default (e2e `hostile_login` tries six ways, one a real click).
        .on_new_window(|url, _features| {
            tracing::warn!(origin = %url.origin().ascii_serialization(), "the sign-in window may not open another window");
            tauri::webview::NewWindowResponse::Deny
        })
        // Nothing the provider's page offers is saved to disk (the main window refuses too:
        // both share one web context, see `open_main_window`).
        .on_download(|_webview, event| refuse_download(event));
    // Kept above the main window. Only on the real runtime: the mock one used by the shell's
    // tests has no native windows to relate.
    if std::any::TypeId::of::<R>() == std::any::TypeId::of::<tauri::Wry>() {
        if let Some(main) = app.get_webview_window(MAIN_LABEL) {
            builder = builder.parent(&main).map_err(internal)?;
        }
    }
    let window = builder.build().map_err(|err| {
        accounts.cancel_sign_in(&current.attempt);
        internal(err)
    })?;

    close_with_the_page(&window);
    let closing_app = app.clone();
    let closing = current.clone();
    window.on_window_event(move |event| {
        if matches!(event, WindowEvent::Destroyed) {
            let cancelled = !std::mem::replace(&mut *lock(&closing.finished), true)
                && accounts.cancel_sign_in(&closing.attempt);
            clear_open(&closing_app, &closing);
            // However the window ended (signed in, failed, cancelled), the provider's cookies go.
            forget_browsing_data(&closing_app);
            if cancelled {
                callback::tell_main(
                    &closing_app,
                    AppEvent::SignInFinished(SignInFinished::Failed {
                        error: AppError::Cancelled,
                    }),
                );
            }
        }
    });
    let login = app.state::<LoginWindow>();
    *lock(&login.open) = Some(current);
    Ok(())
}

/// Refuses a download in any of the app's webviews, and says so in the log (origin only).
pub(crate) fn refuse_download(event: tauri::webview::DownloadEvent<'_>) -> bool {
    if let tauri::webview::DownloadEvent::Requested { url, .. } = event {
        tracing::warn!(origin = %url.origin().ascii_serialization(), "a download was refused: the app's windows may not download");
    }
    false
}

/// Makes the page's own `window.close()` (or a WebDriver "close window") close the sign-in
/// window. The webview layer answers WebKitGTK's `close` by destroying only the view, which
/// leaves an empty window behind and the attempt waiting; destroying the window too makes it
/// a cancellation like any other close. (The view's `destroy` signal is watched because the
/// view's own `close` handlers stop once the view is gone.)
#[cfg(target_os = "linux")]
fn close_with_the_page<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    let owner = window.clone();
    let hooked = window.with_webview(move |view| {
        use webkit2gtk::glib::prelude::ObjectExt;
        view.inner().connect_local("destroy", false, move |_| {
            let _ = owner.destroy();
            None
        });
    });
    if let Err(err) = hooked {
        tracing::debug!(error = %err, "no native view to watch for close");
    }
}

#[cfg(not(target_os = "linux"))]
fn close_with_the_page<R: Runtime>(_window: &tauri::WebviewWindow<R>) {}

/// Ends the open sign-in window, or the waiting browser sign-in, after an attempt's outcome
/// is known (closing the window then forgets the provider's cookies, but is no
/// cancellation).
pub fn finish<R: Runtime>(app: &AppHandle<R>) {
    system_browser::finish(app);
    let login = app.state::<LoginWindow>();
    if let Some(open) = lock(&login.open).as_ref() {
        *lock(&open.finished) = true;
    }
    close(app);
}

/// Closes the sign-in window; its attempt is cancelled.
pub fn close<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(LOGIN_LABEL) {
        let _ = window.close();
    }
}

/// Clears cookies and storage of the web context: after each sign-in window, and at start
/// for anything a crash left. Login and main windows share one web context, so clearing
/// through the main window reaches the provider's cookies too.
pub fn forget_browsing_data<R: Runtime>(app: &AppHandle<R>) {
    if let Some(main) = app.get_webview_window(MAIN_LABEL) {
        if let Err(err) = main.clear_all_browsing_data() {
            tracing::warn!(error = %err, "could not clear old browsing data");
        }
    }
}

fn clear_open<R: Runtime>(app: &AppHandle<R>, which: &Arc<OpenAttempt>) {
    let login = app.state::<LoginWindow>();
    let mut open = lock(&login.open);
    if open
        .as_ref()
        .is_some_and(|current| Arc::ptr_eq(current, which))
    {
        *open = None;
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn internal(err: tauri::Error) -> AppError {
    AppError::Internal {
        detail: format!("the sign-in window could not open: {err}"),
    }
}
