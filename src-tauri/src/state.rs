//! The managed state: the accounts, or why there are none (broken settings).

use std::sync::Arc;
use telltale_core::multi::Accounts;
use telltale_core::session::AccountTokens;
use telltale_core::{AppError, Config};

/// Telltale's accounts, shared by commands, the login window and deep links.
pub struct AppState {
    accounts: Result<Arc<Accounts>, AppError>,
}

impl AppState {
    /// Reads the settings and opens the accounts; in demo mode this starts the simulator on
    /// Tauri's async runtime. A failure is kept and shown by the UI.
    pub fn load() -> Self {
        let accounts = Config::load()
            .map_err(AppError::from)
            .and_then(|config| {
                tracing::info!(demo = config.client_id.is_none(), server = %config.server, "settings loaded");
                tauri::async_runtime::block_on(Accounts::open(&config))
            });
        if let Err(err) = &accounts {
            tracing::error!(error = %err, "no accounts");
        }
        Self::from_accounts(accounts)
    }

    /// State around already opened accounts (tests).
    pub fn from_accounts(accounts: Result<Accounts, AppError>) -> Self {
        AppState {
            accounts: accounts.map(Arc::new),
        }
    }

    /// The accounts, or the reason there are none.
    pub fn accounts(&self) -> Result<Arc<Accounts>, AppError> {
        self.accounts.clone()
    }

    /// The active account's tokens, for browsing.
    pub async fn active_session(&self) -> Result<Arc<AccountTokens>, AppError> {
        self.accounts()?.active_session().await
    }
}
