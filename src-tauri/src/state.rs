//! The managed state: the session, or why there is none (broken settings).

use std::sync::Arc;
use telltale_core::browse::{Browser, FetchOptions};
use telltale_core::session::Session;
use telltale_core::{AppError, Config};

/// Telltale's session, shared by commands, the login window and deep links.
pub struct AppState {
    session: Result<Arc<Session>, AppError>,
    browser: Browser,
}

impl AppState {
    /// Reads the settings and opens the session; in demo mode this starts the simulator on
    /// Tauri's async runtime. A failure is kept and shown by the UI.
    pub fn load() -> Self {
        let session = Config::load()
            .map_err(AppError::from)
            .and_then(|config| {
                tracing::info!(demo = config.client_id.is_none(), server = %config.server, "settings loaded");
                tauri::async_runtime::block_on(Session::open(&config))
            });
        if let Err(err) = &session {
            tracing::error!(error = %err, "no session");
        }
        Self::from_session(session)
    }

    /// State around an already opened session (tests).
    pub fn from_session(session: Result<Session, AppError>) -> Self {
        AppState {
            session: session.map(Arc::new),
            browser: Browser::new(FetchOptions::default()),
        }
    }

    /// The session, or the reason there is none.
    pub fn session(&self) -> Result<Arc<Session>, AppError> {
        self.session.clone()
    }

    /// The data browser: catalog, loads and their cache, views, exports.
    pub fn browser(&self) -> &Browser {
        &self.browser
    }
}
