//! A signed-in account's tokens: [`AccountTokens`] holds them (memory and keychain), renews
//! them, hands them to API calls and signs out. [`crate::multi::Accounts`] makes one per
//! account and is the app's one sign-in path; everything here is tested through it against
//! the simulator over real HTTP and the real keychain.
//!
//! Tokens stay inside: nothing returned from here carries one.

mod account;
mod backend;
pub(crate) mod errors;
mod network;
pub(crate) mod riot;
mod vault;
mod views;

pub use backend::{Backend, Demo, DEMO_TOKENS_FILE, KEYCHAIN_SERVICE, REDIRECT_URI};
pub use network::NetworkOptions;
pub use telltale_auth::{LoopbackCancel, LoopbackRedirect, DEFAULT_TTL as SIGN_IN_TTL};
pub use vault::{TokenVault, KEYCHAIN_TIMEOUT};
pub use views::{AccountView, DemoUser, RevocationOutcome, SignOutResult};

use crate::AppError;
use errors::{from_api, from_auth};
use igtimi_client::{AccessToken, IgtimiClient, RiotClient};
use std::fmt;
use std::time::SystemTime;
use telltale_auth::{AuthHttp, Revocation, TokenSet};
use tokio::sync::Mutex;

/// Everything an Igtimi API call needs, from [`AccountTokens::api_access`]. `Debug` hides
/// the token.
#[derive(Clone)]
pub struct ApiAccess {
    /// The API client for the account's server.
    pub client: IgtimiClient,
    /// The Riot client, when the account is on a Riot server (then `client` is not used
    /// for API calls).
    pub riot: Option<RiotClient>,
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

/// The signed-in user's tokens (memory only) and what is known about them.
struct Current {
    tokens: TokenSet,
    saved: bool,
    account: Option<AccountView>,
}

/// One signed-in account's tokens: kept in memory and in the account's own keychain entry,
/// renewed with the refresh token when they expire, handed to API calls, dropped when the
/// provider rejects them, and revoked on sign-out. Made only by [`crate::multi::Accounts`],
/// which signs in, hands the tokens over and decides which account is active.
pub struct AccountTokens {
    backend: Backend,
    http: AuthHttp,
    vault: TokenVault,
    current: Mutex<Option<Current>>,
}

impl AccountTokens {
    /// The server as shown to the user.
    pub fn server(&self) -> String {
        self.backend.server_label()
    }

    /// Reads the account again. [`AppError::SignedOut`] when nobody is signed in.
    pub async fn refresh_account(&self) -> Result<AccountView, AppError> {
        self.read_account().await
    }

    /// Signs out: tells the provider (RFC 7009) where it can, then forgets the tokens in
    /// memory and in the keychain. On a Riot server nothing is sent unless
    /// `invalidate_at_server` asks to replace the user's one token (see [`riot::sign_out`]).
    pub async fn sign_out(&self, invalidate_at_server: bool) -> Result<SignOutResult, AppError> {
        let taken = self.current.lock().await.take();
        let tokens = match taken {
            Some(current) => Some(current.tokens),
            None => self.vault.load().await.ok().flatten(),
        };
        if let Some(client) = &self.backend.riot {
            let token = tokens.as_ref().map(|t| &t.access_token);
            let (revoked, mut message) = riot::sign_out(client, token, invalidate_at_server).await;
            if let Err(err) = self.vault.delete().await {
                message.push_str(&format!(" {err}"));
            }
            tracing::info!(?revoked, "signed out");
            return Ok(SignOutResult { revoked, message });
        }
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
            // Only the Riot path above keeps or rotates a token.
            RevocationOutcome::Revoked
            | RevocationOutcome::KeptValid
            | RevocationOutcome::Rotated => "Signed out.".to_string(),
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
    /// Rust; callers hand it to [`AccountTokens::report_rejected`] when the server refuses it.
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
            riot: self.backend.riot.clone(),
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
        let read = match &self.backend.riot {
            Some(client) => riot::read_account(client, &tokens.access_token, server.clone(), saved)
                .await
                .map(|(_, view)| view),
            None => self
                .backend
                .api
                .account(&tokens.access_token)
                .await
                .map(|account| AccountView::new(&account, server.clone(), saved)),
        };
        match read {
            Ok(view) => {
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
