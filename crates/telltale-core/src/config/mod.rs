//! Telltale's settings: a TOML file, then environment variables on top.
//!
//! The file is `<user config dir>/telltale/config.toml` (on Linux
//! `~/.config/telltale/config.toml`), or `$TELLTALE_CONFIG_DIR/config.toml` when that
//! variable is set. A missing file is fine: every setting has a default. Recognised keys:
//!
//! ```toml
//! server = "https://www.igtimi.com"   # provider base URL
//! client_id = "..."                   # OAuth client id; without it Telltale runs the demo
//! client_secret = "..."               # optional
//! scopes = ["read"]                   # optional OAuth scopes
//! default_provider = "igtimi"         # optional: the profile a new sign-in uses
//!
//! [[providers]]                       # more provider profiles, see `providers.rs`
//! id = "club"
//! kind = "igtimi"
//! base_url = "https://club.example"
//! client_id = "..."
//! ```
//!
//! The top-level `server`, `client_id`, `client_secret` and `scopes` describe the built-in
//! Igtimi profile; [`Config::profiles`] lists it with the built-in simulator profile and the
//! `[[providers]]` tables. A `[tiles]` table sets the map's tile source (`tiles.rs`).
//!
//! Then `TELLTALE_SERVER`, `TELLTALE_CLIENT_ID`, `TELLTALE_CLIENT_SECRET` and
//! `TELLTALE_TILE_URL` override the file. An empty variable clears the setting (an empty
//! `TELLTALE_CLIENT_ID` forces the demo; an empty `TELLTALE_SERVER` restores the default
//! server, an empty `TELLTALE_TILE_URL` OpenStreetMap's tiles).

mod error;
mod file;
mod providers;
#[cfg(test)]
mod tests;
mod tiles;

pub use error::ConfigError;
pub use tiles::{cache_dir, cache_dir_with, ENV_CACHE_DIR, ENV_TILE_URL};

use crate::accounts::{Profiles, ProviderProfile};
use std::ffi::OsString;
use std::path::PathBuf;

/// The provider used when neither the file nor the environment names one.
pub const DEFAULT_SERVER: &str = "https://www.igtimi.com";
/// The file name inside the configuration directory.
pub const FILE_NAME: &str = "config.toml";
/// Overrides the configuration directory (used by tests).
pub const ENV_CONFIG_DIR: &str = "TELLTALE_CONFIG_DIR";
/// Overrides the provider base URL.
pub const ENV_SERVER: &str = "TELLTALE_SERVER";
/// Overrides the OAuth client id.
pub const ENV_CLIENT_ID: &str = "TELLTALE_CLIENT_ID";
/// Overrides the OAuth client secret.
pub const ENV_CLIENT_SECRET: &str = "TELLTALE_CLIENT_SECRET";

/// Telltale's effective settings.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// The provider base URL (http or https, no trailing slash), e.g. `https://www.igtimi.com`.
    pub server: String,
    /// The OAuth client id; `None` means the offline demo.
    pub client_id: Option<String>,
    /// The OAuth client secret, for providers that require one.
    pub client_secret: Option<String>,
    /// The OAuth scopes to request; empty means the provider's default.
    pub scopes: Vec<String>,
    /// The sign-in methods the built-in Igtimi profile offers (`methods`); `None`: only the
    /// authorization code with PKCE. The legacy grants are opt-in.
    pub methods: Option<Vec<crate::accounts::SignInMethod>>,
    /// The file the settings were read from, if it existed.
    pub source_file: Option<PathBuf>,
    /// The id of the profile a new sign-in uses (`default_provider`); `None`: Igtimi when
    /// it has a client id, else the simulator.
    pub default_provider: Option<String>,
    /// The `[[providers]]` profiles of the settings file, checked, in file order.
    pub providers: Vec<ProviderProfile>,
    /// The map's tile source and cache cap (`[tiles]`, `TELLTALE_TILE_URL`).
    pub tiles: crate::tiles::TileSettings,
}

/// How the app talks to a provider, derived from a [`Config`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// No client id is configured: the app starts the simulator in-process and signs in to it.
    Demo,
    /// A real Igtimi-compatible provider.
    Igtimi {
        /// The provider base URL.
        server: String,
        /// The OAuth client id.
        client_id: String,
        /// The OAuth client secret, if any.
        client_secret: Option<String>,
        /// The scopes to request.
        scopes: Vec<String>,
    },
}

impl Default for Config {
    fn default() -> Self {
        Config {
            server: DEFAULT_SERVER.to_string(),
            client_id: None,
            client_secret: None,
            scopes: Vec::new(),
            methods: None,
            source_file: None,
            default_provider: None,
            providers: Vec::new(),
            tiles: Default::default(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("server", &self.server)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("scopes", &self.scopes)
            .field("methods", &self.methods)
            .field("source_file", &self.source_file)
            .field("default_provider", &self.default_provider)
            .field("providers", &self.providers)
            .field("tiles", &self.tiles)
            .finish()
    }
}

impl Config {
    /// Loads the settings from the real configuration file and process environment.
    /// Blocking (reads a small file).
    pub fn load() -> Result<Config, ConfigError> {
        Config::load_with(|name| std::env::var_os(name), dirs::config_dir())
    }

    /// Loads the settings with `env` standing in for the process environment and
    /// `user_config_dir` for the platform's configuration directory (`None` when the
    /// platform has none; then only `TELLTALE_CONFIG_DIR` can name a file).
    pub fn load_with(
        env: impl Fn(&str) -> Option<OsString>,
        user_config_dir: Option<PathBuf>,
    ) -> Result<Config, ConfigError> {
        let text_var = |name: &str| -> Result<Option<String>, ConfigError> {
            match env(name) {
                None => Ok(None),
                Some(value) => {
                    value
                        .into_string()
                        .map(Some)
                        .map_err(|_| ConfigError::InEnvironment {
                            variable: name.to_string(),
                            message: "the value is not valid text (UTF-8)".to_string(),
                        })
                }
            }
        };

        let dir = config_dir_with(&env, user_config_dir)?;
        let mut config = match dir {
            Some(dir) => file::read(&dir.join(FILE_NAME))?,
            None => Config::default(),
        };

        if let Some(server) = text_var(ENV_SERVER)? {
            config.server = if server.trim().is_empty() {
                DEFAULT_SERVER.to_string()
            } else {
                normalize_server(&server).map_err(|message| ConfigError::InEnvironment {
                    variable: ENV_SERVER.to_string(),
                    message,
                })?
            };
        }
        if let Some(url) = text_var(ENV_TILE_URL)? {
            tiles::apply_env(&mut config.tiles, &url)?;
        }
        if let Some(client_id) = text_var(ENV_CLIENT_ID)? {
            config.client_id = non_blank(client_id);
        }
        if let Some(client_secret) = text_var(ENV_CLIENT_SECRET)? {
            config.client_secret = non_blank(client_secret);
        }
        Ok(config)
    }

    /// Every provider profile: the built-in Igtimi profile (from the top-level settings),
    /// the built-in simulator profile, then the `[[providers]]` tables; and the default.
    pub fn profiles(&self) -> Result<Profiles, ConfigError> {
        Profiles::from_config(self)
    }

    /// Demo when no client id is configured, otherwise the provider to sign in to.
    pub fn mode(&self) -> Mode {
        match &self.client_id {
            None => Mode::Demo,
            Some(client_id) => Mode::Igtimi {
                server: self.server.clone(),
                client_id: client_id.clone(),
                client_secret: self.client_secret.clone(),
                scopes: self.scopes.clone(),
            },
        }
    }
}

/// The configuration directory: `$TELLTALE_CONFIG_DIR` when set and not empty, else
/// `<user config dir>/telltale` (`None` when the platform has no configuration directory).
/// The settings file and the account list (`accounts.json`) live there.
pub fn config_dir() -> Result<Option<PathBuf>, ConfigError> {
    config_dir_with(|name| std::env::var_os(name), dirs::config_dir())
}

/// [`config_dir`] with `env` standing in for the process environment and
/// `user_config_dir` for the platform's configuration directory.
pub fn config_dir_with(
    env: impl Fn(&str) -> Option<OsString>,
    user_config_dir: Option<PathBuf>,
) -> Result<Option<PathBuf>, ConfigError> {
    match env(ENV_CONFIG_DIR) {
        Some(dir) if !dir.is_empty() => {
            let dir = dir.into_string().map_err(|_| ConfigError::InEnvironment {
                variable: ENV_CONFIG_DIR.to_string(),
                message: "the value is not valid text (UTF-8)".to_string(),
            })?;
            Ok(Some(PathBuf::from(dir)))
        }
        _ => Ok(user_config_dir.map(|dir| dir.join("telltale"))),
    }
}

/// `None` for an empty or all-blank value, else the trimmed value.
fn non_blank(value: String) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// Checks a provider base URL and returns it without a trailing slash.
fn normalize_server(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    let url = url::Url::parse(trimmed)
        .map_err(|error| format!("`{trimmed}` is not a web address ({error})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`{trimmed}` must start with http:// or https://, not {}://",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{trimmed}` has no server name"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "`{trimmed}` must be a plain base address, without ?query or #fragment"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "`{trimmed}` must not contain a user name or password"
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// Checks one OAuth scope (RFC 6749 §3.3: printable ASCII, no space, `"` or `\`).
fn check_scope(scope: &str) -> Result<(), String> {
    if scope.is_empty() {
        return Err("a scope cannot be empty".to_string());
    }
    if let Some(bad) = scope
        .chars()
        .find(|c| !c.is_ascii_graphic() || *c == '"' || *c == '\\')
    {
        return Err(format!(
            "scope `{scope}` contains {bad:?}, which scopes cannot contain"
        ));
    }
    Ok(())
}
