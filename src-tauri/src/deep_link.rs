//! Sign-in redirects arriving as OS deep links (`io.telltale.app:/oauth/callback?...`), for
//! a sign-in finished in the system browser. A second launch carrying the link hands it to
//! this instance (`single_instance.rs` on Linux, the single-instance plugin elsewhere), and
//! the deep-link plugin turns it into an event.

use crate::callback;
use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_deep_link::DeepLinkExt;
use telltale_core::multi::Channel;
use url::Url;

/// Listens for deep links, handles any the app was started with, and, in development
/// builds on Linux, registers the scheme with the desktop (installed packages declare it in
/// their `.desktop` entry).
pub fn setup<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(target_os = "linux")]
    if cfg!(debug_assertions) {
        if let Err(err) = app.deep_link().register_all() {
            tracing::warn!(error = %err, "could not register the sign-in link scheme");
        }
    }
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            handle_link(&handle, &url);
        }
    });
    match app.deep_link().get_current() {
        Ok(Some(urls)) => urls.iter().for_each(|url| handle_link(app, url)),
        Ok(None) => {}
        Err(err) => tracing::warn!(error = %err, "could not read the start-up link"),
    }
}

fn handle_link<R: Runtime>(app: &AppHandle<R>, url: &Url) {
    let ours = app
        .state::<AppState>()
        .accounts()
        .map(|accounts| accounts.is_callback(url))
        .unwrap_or(false);
    if ours {
        tracing::info!("a sign-in link arrived from the system");
        callback::deliver(app, url.to_string(), Channel::DeepLink);
    } else {
        tracing::warn!(
            scheme = url.scheme(),
            "ignored a link that is not a sign-in link"
        );
    }
}
