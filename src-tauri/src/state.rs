//! The managed state: the accounts and the map's tiles, or why there are none (broken
//! settings), and the main window's UI preferences.

use std::sync::Arc;
use telltale_core::multi::Accounts;
use telltale_core::prefs::UiPrefs;
use telltale_core::tiles::Tiles;
use telltale_core::tokens::AccountTokens;
use telltale_core::{AppError, Config};

/// Telltale's accounts, shared by commands, the login window and deep links, and its map
/// tiles.
pub struct AppState {
    accounts: Result<Arc<Accounts>, AppError>,
    /// The map's tile source and disk cache, for the `tile:` scheme and `map_tiles`.
    tiles: Result<Arc<Tiles>, AppError>,
    /// The theme and pane sizes the page keeps (see `telltale_core::prefs`).
    prefs: Arc<UiPrefs>,
}

impl AppState {
    /// Reads the settings and opens the accounts; in demo mode this starts the simulator on
    /// Tauri's async runtime. A failure is kept and shown by the UI.
    pub fn load() -> Self {
        let config = Config::load().map_err(AppError::from);
        let tiles = config.clone().and_then(|config| open_tiles(&config));
        let accounts = config
            .and_then(|config| {
                tracing::info!(demo = config.client_id.is_none(), server = %config.server, "settings loaded");
                tauri::async_runtime::block_on(Accounts::open(&config))
            });
        if let Err(err) = &accounts {
            tracing::error!(error = %err, "no accounts");
        }
        // Without a config folder (or with broken settings) preferences last one run.
        let dir = telltale_core::config::config_dir().ok().flatten();
        AppState {
            tiles,
            prefs: Arc::new(UiPrefs::open(dir.as_deref())),
            ..Self::from_accounts(accounts)
        }
    }

    /// State around already opened accounts (tests).
    pub fn from_accounts(accounts: Result<Accounts, AppError>) -> Self {
        AppState {
            accounts: accounts.map(Arc::new),
            tiles: Err(AppError::Internal {
                detail: "the map was not set up".into(),
            }),
            prefs: Arc::new(UiPrefs::open(None)),
        }
    }

    /// The same state with the map's tiles from `tiles` (tests).
    pub fn with_tiles(self, tiles: Tiles) -> Self {
        AppState {
            tiles: Ok(Arc::new(tiles)),
            ..self
        }
    }

    /// The main window's UI preferences.
    pub fn prefs(&self) -> &UiPrefs {
        &self.prefs
    }

    /// The map's tiles, or the reason there are none.
    pub fn tiles(&self) -> Result<Arc<Tiles>, AppError> {
        self.tiles.clone()
    }

    /// The accounts, or the reason there are none.
    pub fn accounts(&self) -> Result<Arc<Accounts>, AppError> {
        self.accounts.clone()
    }

    /// The active account's tokens, for browsing.
    pub async fn active_tokens(&self) -> Result<Arc<AccountTokens>, AppError> {
        self.accounts()?.active_tokens().await
    }
}

/// The map's tiles as the settings say, cached in the app's cache folder.
fn open_tiles(config: &Config) -> Result<Arc<Tiles>, AppError> {
    let cache_dir = telltale_core::config::cache_dir()?;
    let tiles = Tiles::open(&config.tiles, cache_dir)?;
    tracing::info!(source = %tiles.source().host(), cache = %tiles.cache().root().display(), "map tiles");
    Ok(Arc::new(tiles))
}
