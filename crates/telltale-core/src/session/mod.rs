//! The app's behaviour without a window: restore a saved sign-in, sign in through a
//! callback, read the account, sign out. The Tauri commands are thin calls into [`Session`],
//! so everything here is tested against the simulator over real HTTP and the real keychain.
//!
//! Tokens stay inside: nothing returned from here carries one.

mod account;
mod backend;
pub(crate) mod errors;
mod network;
mod vault;
mod views;

pub use backend::{Backend, Demo, DEMO_TOKENS_FILE, KEYCHAIN_SERVICE, REDIRECT_URI};
pub use network::NetworkOptions;
pub use telltale_auth::{LoopbackCancel, LoopbackRedirect, DEFAULT_TTL as SIGN_IN_TTL};
pub use vault::{TokenVault, KEYCHAIN_TIMEOUT};
pub use views::{AccountView, DemoUser, Overview, RevocationOutcome, SignOutResult, SignedIn};

use crate::{AppError, Config};
use errors::{from_api, from_auth};
use igtimi_client::{AccessToken, IgtimiClient};
use std::fmt;
use std::path::PathBuf;
use std::time::SystemTime;
use telltale_auth::{AuthHttp, PendingSignIns, Revocation, SignIn, TokenSet};
use tokio::sync::Mutex;
use url::Url;

/// Everything an Igtimi API call needs, from [`Session::api_access`]. `Debug` hides the token.
#[derive(Clone)]
pub struct ApiAccess {
    /// The API client for the session's server.
    pub client: IgtimiClient,
    /// A current access token.
    pub token: AccessToken,
    /// The server as shown to the user (for error messages).
    pub server: String,
    /// The signed-in account's id, when it has been read.
    pub account_id: Option<u64>,
}

impl fmt::Debug for ApiAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiAccess")
            .field("server", &self.server)
            .field("account_id", &self.account_id)
            .finish_non_exhaustive()
    }
}

/// One sign-in attempt handed to the shell, so it can cancel exactly that attempt when its
/// login view closes. Opaque; `Debug` shows nothing secret.
pub struct Attempt {
    state: String,
}

impl fmt::Debug for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Attempt(<redacted>)")
    }
}

/// Where a session keeps what outlives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOptions {
    /// The keychain service the token entry lives under.
    pub keychain_service: String,
    /// The app's data folder; the demo simulator remembers its tokens' digests there so a
    /// saved demo sign-in survives a restart. `None`: the demo forgets them.
    pub data_dir: Option<PathBuf>,
}

impl SessionOptions {
    /// [`KEYCHAIN_SERVICE`] and `<local data dir>/telltale` (`~/.local/share/telltale`).
    pub fn standard() -> Self {
        SessionOptions {
            keychain_service: KEYCHAIN_SERVICE.to_string(),
            data_dir: dirs::data_local_dir().map(|dir| dir.join("telltale")),
        }
    }
}

/// The signed-in user's tokens (memory only) and what is known about them.
struct Current {
    tokens: TokenSet,
    saved: bool,
    account: Option<AccountView>,
}

/// Telltale's session with one provider.
pub struct Session {
    backend: Backend,
    http: AuthHttp,
    pending: PendingSignIns,
    vault: TokenVault,
    current: Mutex<Option<Current>>,
}

impl Session {
    /// Opens a session for `config` with the [standard](SessionOptions::standard) keychain
    /// service and data folder. In demo mode this starts the simulator, so it must run
    /// inside a Tokio runtime.
    pub async fn open(config: &Config) -> Result<Session, AppError> {
        Self::open_with(config, &SessionOptions::standard()).await
    }

    /// Like [`Session::open`] with other options (tests keep their entries apart).
    pub async fn open_with(config: &Config, options: &SessionOptions) -> Result<Session, AppError> {
        let backend = Backend::open(config, options.data_dir.as_deref()).await?;
        let http = AuthHttp::new();
        let vault = TokenVault::new(&options.keychain_service, &backend.keychain_account);
        Ok(Session {
            backend,
            http,
            pending: PendingSignIns::new(),
            vault,
            current: Mutex::new(None),
        })
    }

    /// The server as shown to the user.
    pub fn server(&self) -> String {
        self.backend.server_label()
    }

    /// The origin the login view may show pages from.
    pub fn provider_origin(&self) -> url::Origin {
        self.backend.provider.authorize_url.origin()
    }

    /// Whether `url` is addressed to this app's redirect scheme (the login view must hand it
    /// to [`Session::complete_sign_in`] and never load it).
    pub fn is_callback(&self, url: &Url) -> bool {
        url.scheme().eq_ignore_ascii_case(self.callback_scheme())
    }

    /// The scheme of the redirect URI the provider sends the browser back to.
    pub fn callback_scheme(&self) -> &str {
        self.backend.provider.redirect_uri.scheme()
    }

    /// The state at a glance; no network.
    pub async fn overview(&self) -> Overview {
        let account = self
            .current
            .lock()
            .await
            .as_ref()
            .and_then(|current| current.account.clone());
        Overview {
            mode: if self.backend.demo.is_some() {
                "demo"
            } else {
                "igtimi"
            },
            server: self.server(),
            demo_users: self
                .backend
                .demo
                .as_ref()
                .map(|demo| demo.users.clone())
                .unwrap_or_default(),
            account,
            signing_in: !self.pending.is_empty(),
        }
    }

    /// Starts a sign-in attempt: the URL to open in the login view, and the attempt.
    pub fn begin_sign_in(&self) -> (Url, Attempt) {
        let (url, pending) = SignIn::start(&self.backend.provider);
        let attempt = Attempt {
            state: pending.state_secret().to_string(),
        };
        self.pending.insert(pending);
        tracing::info!("sign-in started");
        (url, attempt)
    }

    /// Abandons `attempt` (its login view closed). Returns whether it was still waiting.
    pub fn cancel_sign_in(&self, attempt: &Attempt) -> bool {
        let waiting = self.pending.take(&attempt.state).is_ok();
        if waiting {
            tracing::info!("sign-in cancelled");
        }
        waiting
    }

    /// Handles the redirect back from the provider (webview navigation or OS deep link):
    /// checks it against a waiting attempt, exchanges the code, saves the tokens and reads
    /// the account. A forged, malformed or replayed callback gives
    /// [`AppError::InvalidCallback`] and changes nothing.
    ///
    /// When the tokens arrived but the account could not be read, the tokens are kept and
    /// the error returned; [`Session::restore`] retries the read.
    pub async fn complete_sign_in(&self, raw_callback: &str) -> Result<SignedIn, AppError> {
        let server = self.server();
        let tokens = telltale_auth::finish_sign_in(
            &self.pending,
            raw_callback,
            &self.backend.provider,
            &self.http,
        )
        .await
        .map_err(|err| from_auth(err, &server))?;
        let notice = self.vault.save(&tokens).await.err();
        if let Some(notice) = &notice {
            tracing::warn!(%notice, "sign-in kept in memory only");
        }
        *self.current.lock().await = Some(Current {
            tokens,
            saved: notice.is_none(),
            account: None,
        });
        let account = self.read_account().await?;
        tracing::info!(user = account.id, "signed in");
        Ok(SignedIn { account, notice })
    }

    /// Shows who is signed in after a start: the tokens in memory, else those saved in the
    /// keychain, checked by reading the account. `None` when nobody is saved. A token the
    /// server rejects is dropped ([`AppError::TokenRejected`]); other failures keep it.
    pub async fn restore(&self) -> Result<Option<AccountView>, AppError> {
        if self.current.lock().await.is_none() {
            let Some(tokens) = self.vault.load().await? else {
                return Ok(None);
            };
            let mut current = self.current.lock().await;
            if current.is_none() {
                *current = Some(Current {
                    tokens,
                    saved: true,
                    account: None,
                });
            }
        }
        self.read_account().await.map(Some)
    }

    /// Reads the account again. [`AppError::SignedOut`] when nobody is signed in.
    pub async fn refresh_account(&self) -> Result<AccountView, AppError> {
        self.read_account().await
    }

    /// Signs out: tells the provider (RFC 7009) where it can, then forgets the tokens in
    /// memory and in the keychain.
    pub async fn sign_out(&self) -> Result<SignOutResult, AppError> {
        let taken = self.current.lock().await.take();
        let tokens = match taken {
            Some(current) => Some(current.tokens),
            None => self.vault.load().await.ok().flatten(),
        };
        let revoked = match &tokens {
            None => RevocationOutcome::Revoked,
            Some(tokens) => {
                match telltale_auth::revoke(&self.backend.provider, tokens, &self.http).await {
                    Ok(Revocation::Revoked) => RevocationOutcome::Revoked,
                    Ok(Revocation::NotSupported) => RevocationOutcome::NotSupported,
                    Err(err) => {
                        tracing::warn!(error = %err, "the server could not be told about the sign-out");
                        RevocationOutcome::Failed
                    }
                }
            }
        };
        let forgotten = self.vault.delete().await;
        tracing::info!(?revoked, "signed out");
        let mut message = match revoked {
            RevocationOutcome::Revoked => "Signed out.".to_string(),
            RevocationOutcome::NotSupported => {
                "Signed out on this computer. This server cannot cancel sign-ins, so the old one stays valid there.".to_string()
            }
            RevocationOutcome::Failed => {
                "Signed out on this computer. The server could not be told, so the old sign-in may stay valid there until it expires.".to_string()
            }
        };
        if let Err(err) = forgotten {
            message.push_str(&format!(" {err}"));
        }
        Ok(SignOutResult { revoked, message })
    }

    /// What an API call needs: the client and a fresh access token (renewed first when it
    /// has expired). [`AppError::SignedOut`] when nobody is signed in. The token stays in
    /// Rust; callers hand it to [`Session::report_rejected`] when the server refuses it.
    pub async fn api_access(&self) -> Result<ApiAccess, AppError> {
        let (tokens, _saved) = {
            let current = self.current.lock().await;
            let current = current.as_ref().ok_or(AppError::SignedOut)?;
            (current.tokens.clone(), current.saved)
        };
        let tokens = if tokens.is_expired_at(SystemTime::now()) {
            self.renew(tokens).await?.0
        } else {
            tokens
        };
        let account_id = self
            .current
            .lock()
            .await
            .as_ref()
            .and_then(|c| c.account.as_ref().map(|a| a.id));
        Ok(ApiAccess {
            client: self.backend.api.clone(),
            token: tokens.access_token.clone(),
            server: self.server(),
            account_id,
        })
    }

    /// The server refused `token` (HTTP 401): forget the sign-in it belongs to, in memory
    /// and in the keychain. A token that is no longer current is ignored.
    pub async fn report_rejected(&self, token: &AccessToken) {
        let tokens = {
            let current = self.current.lock().await;
            current
                .as_ref()
                .filter(|c| &c.tokens.access_token == token)
                .map(|c| c.tokens.clone())
        };
        if let Some(tokens) = tokens {
            self.drop_tokens(&tokens).await;
        }
    }

    /// Reads the account with the current tokens, renewing them first when they expired
    /// and a refresh token exists. Drops tokens the server rejects.
    async fn read_account(&self) -> Result<AccountView, AppError> {
        let server = self.server();
        let (tokens, saved) = {
            let current = self.current.lock().await;
            let current = current.as_ref().ok_or(AppError::SignedOut)?;
            (current.tokens.clone(), current.saved)
        };
        let (tokens, saved) = if tokens.is_expired_at(SystemTime::now()) {
            self.renew(tokens).await?
        } else {
            (tokens, saved)
        };
        match self.backend.api.account(&tokens.access_token).await {
            Ok(account) => {
                let view = AccountView::new(&account, server, saved);
                let mut current = self.current.lock().await;
                if let Some(current) = current.as_mut() {
                    if current.tokens == tokens {
                        current.account = Some(view.clone());
                    }
                }
                Ok(view)
            }
            Err(err) => {
                let err = from_api(err, &server);
                if err == AppError::TokenRejected {
                    self.drop_tokens(&tokens).await;
                }
                Err(err)
            }
        }
    }

    /// Renews expired tokens with their refresh token and saves the new ones; without a
    /// refresh token (or when the provider refuses it) the sign-in is over.
    async fn renew(&self, expired: TokenSet) -> Result<(TokenSet, bool), AppError> {
        let Some(refresh_token) = expired.refresh_token.clone() else {
            self.drop_tokens(&expired).await;
            return Err(AppError::TokenRejected);
        };
        let renewed = match telltale_auth::refresh(
            &self.backend.provider,
            &refresh_token,
            &self.http,
        )
        .await
        {
            Ok(renewed) => renewed,
            Err(telltale_auth::AuthError::Rejected { .. }) => {
                self.drop_tokens(&expired).await;
                return Err(AppError::TokenRejected);
            }
            Err(err) => return Err(from_auth(err, &self.server())),
        };
        let saved = self.vault.save(&renewed).await.is_ok();
        let mut current = self.current.lock().await;
        if let Some(current) = current.as_mut() {
            if current.tokens == expired {
                current.tokens = renewed.clone();
                current.saved = saved;
            }
        }
        tracing::info!("sign-in renewed");
        Ok((renewed, saved))
    }

    /// Forgets `tokens` in memory (if still current) and in the keychain.
    async fn drop_tokens(&self, tokens: &TokenSet) {
        {
            let mut current = self.current.lock().await;
            if current
                .as_ref()
                .is_some_and(|current| &current.tokens == tokens)
            {
                *current = None;
            }
        }
        if let Err(err) = self.vault.delete().await {
            tracing::warn!(error = %err, "could not remove the rejected sign-in from the keychain");
        }
        tracing::info!("the server rejected the sign-in; it was dropped");
    }
}
