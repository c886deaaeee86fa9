//! Where an account signs in and reads data: its provider and API client, and the simulator
//! started in-process for the offline demo.

use crate::config::ConfigError;
use crate::tokens::views::DemoUser;
use crate::AppError;
use igtimi_client::{IgtimiClient, RiotClient};
use igtimi_sim::{SimConfig, Simulator};
use std::path::Path;
use telltale_auth::Provider;
use url::Url;

/// The app's private-use redirect (reverse DNS of its identifier, RFC 8252 §7.1), as the
/// demo backend's provider names it; each provider profile's own redirect URI adds
/// `/<profile id>` (see [`crate::accounts::ProviderProfile::redirect_uri`]).
pub const REDIRECT_URI: &str = "io.telltale.app:/oauth/callback";
/// The keychain service all of Telltale's entries live under.
pub const KEYCHAIN_SERVICE: &str = "io.telltale.app";
/// Where the demo simulator remembers its tokens (digests only), inside the data folder.
pub const DEMO_TOKENS_FILE: &str = "demo-server-tokens.json";

/// An account's provider and API client (see [`crate::multi::Accounts`]), or the offline
/// demo's simulator with its provider (see [`Backend::start_demo`]).
pub struct Backend {
    /// The OAuth endpoints and this app's registration.
    pub provider: Provider,
    /// The Igtimi REST API client (for a Riot server: its HTTP stack and limits).
    pub api: IgtimiClient,
    /// The Riot client, when the server speaks Riot rather than the old API.
    pub riot: Option<RiotClient>,
    /// The server's base URL, as shown to the user.
    pub server: Url,
    /// The in-process simulator and its demo users, in demo mode.
    pub demo: Option<Demo>,
}

/// The offline demo: a simulator running inside the app.
pub struct Demo {
    /// Kept so the server lives as long as the app.
    _simulator: Simulator,
    /// Who can sign in to it.
    pub users: Vec<DemoUser>,
}

impl Backend {
    /// Starts the offline demo: a simulator in-process (must run inside a Tokio runtime)
    /// that keeps its tokens' digests in `data_dir`, so a saved demo sign-in survives a
    /// restart.
    pub async fn start_demo(data_dir: Option<&Path>) -> Result<Backend, AppError> {
        let sim_config = SimConfig {
            remember_tokens: data_dir.map(|dir| dir.join(DEMO_TOKENS_FILE)),
            ..SimConfig::default()
        };
        let simulator = Simulator::start(sim_config)
            .await
            .map_err(|err| AppError::Internal {
                detail: format!("the demo server could not start: {err}"),
            })?;
        let manifest = simulator.manifest();
        let client = simulator
            .telltale_client()
            .ok_or_else(|| AppError::Internal {
                detail: "the demo server has no registration for Telltale".into(),
            })?;
        let users = manifest
            .users
            .iter()
            .filter(|user| user.role.starts_with("sailor") || user.role.starts_with("coach"))
            .map(|user| DemoUser {
                name: user.name.clone(),
                email: user.email.clone(),
                username: user.username.clone(),
                password: user.password.clone(),
                role: user.role.to_string(),
            })
            .collect();
        let server = parse_server(&simulator.base_url())?;
        tracing::info!(%server, "offline demo: simulator started in-process");
        Self::assemble(
            server,
            client.client_id,
            client.client_secret,
            Demo {
                _simulator: simulator,
                users,
            },
        )
    }

    fn assemble(
        server: Url,
        client_id: String,
        client_secret: Option<String>,
        demo: Demo,
    ) -> Result<Backend, AppError> {
        let redirect = Url::parse(REDIRECT_URI).map_err(|err| AppError::Internal {
            detail: format!("bad redirect URI: {err}"),
        })?;
        let provider = Provider::igtimi(&server, client_id, client_secret, redirect)
            .map_err(|err| unusable(&err.to_string()))?;
        let api = IgtimiClient::new(server.clone()).map_err(|err| unusable(&err.to_string()))?;
        Ok(Backend {
            provider,
            api,
            riot: None,
            server,
            demo: Some(demo),
        })
    }

    /// The server as shown to the user, without a trailing slash.
    pub fn server_label(&self) -> String {
        self.server.as_str().trim_end_matches('/').to_string()
    }
}

fn parse_server(server: &str) -> Result<Url, AppError> {
    Url::parse(server).map_err(|err| unusable(&format!("the server address `{server}`: {err}")))
}

fn unusable(message: &str) -> AppError {
    AppError::Config(ConfigError::Unusable {
        message: message.to_string(),
    })
}
