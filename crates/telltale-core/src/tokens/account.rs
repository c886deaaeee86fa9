//! What [`crate::multi::Accounts`] needs from the [`AccountTokens`] of one account of
//! several: built from a provider profile, handed the tokens a sign-in obtained, loaded
//! from the keychain after a start, and told to forget them when they expire.

use super::{AccountTokens, AccountView, Backend, Current, TokenVault};
use crate::AppError;
use telltale_auth::{AccessToken, AuthHttp, TokenSet};

impl AccountTokens {
    /// The tokens of one account, none held yet: its provider copy and API client in
    /// `backend`, its own keychain entry in `vault`.
    pub(crate) fn for_account(backend: Backend, vault: TokenVault, http: AuthHttp) -> Self {
        AccountTokens {
            backend,
            http,
            vault,
            current: tokio::sync::Mutex::new(None),
        }
    }

    /// Takes `tokens` as the signed-in account's, who is `account`: saves them in the
    /// keychain and keeps them in memory. Returns the keychain's failure, if any, as a
    /// notice (memory only then).
    pub(crate) async fn adopt(&self, tokens: TokenSet, account: AccountView) -> Option<AppError> {
        let notice = self.vault.save(&tokens).await.err();
        if let Some(notice) = &notice {
            tracing::warn!(%notice, "sign-in kept in memory only");
        }
        *self.current.lock().await = Some(Current {
            tokens,
            saved: notice.is_none(),
            account: Some(AccountView {
                saved_in_keychain: notice.is_none(),
                ..account
            }),
        });
        notice
    }

    /// Remembers who the tokens in memory belong to, as read elsewhere (Iternio's user info).
    pub(crate) async fn set_view(&self, account: AccountView) {
        if let Some(current) = self.current.lock().await.as_mut() {
            current.account = Some(account);
        }
    }

    /// Makes sure the tokens are in memory, reading the keychain when they are not.
    /// `false` when nothing is saved.
    pub(crate) async fn load_saved(&self) -> Result<bool, AppError> {
        if self.current.lock().await.is_some() {
            return Ok(true);
        }
        let Some(tokens) = self.vault.load().await? else {
            return Ok(false);
        };
        let mut current = self.current.lock().await;
        if current.is_none() {
            *current = Some(Current {
                tokens,
                saved: true,
                account: None,
            });
        }
        Ok(true)
    }

    /// The account as last read, when it has been (no network): what the overview shows.
    pub(crate) async fn view(&self) -> Option<AccountView> {
        self.current
            .lock()
            .await
            .as_ref()
            .and_then(|current| current.account.clone())
    }

    /// Whether tokens are held in memory.
    pub(crate) async fn has_tokens(&self) -> bool {
        self.current.lock().await.is_some()
    }

    /// Whether the tokens in memory are saved in the keychain.
    pub(crate) async fn is_saved(&self) -> bool {
        self.current
            .lock()
            .await
            .as_ref()
            .is_some_and(|current| current.saved)
    }

    /// A current access token (renewed first when it expired and can be), for calls that
    /// are not Igtimi API calls (Iternio's user info).
    pub(crate) async fn current_token(&self) -> Result<AccessToken, AppError> {
        self.api_access().await.map(|access| access.token)
    }

    /// Forgets the tokens in memory and in the keychain without telling the provider (an
    /// expired token has nothing left to revoke).
    pub(crate) async fn forget(&self) -> Result<(), AppError> {
        *self.current.lock().await = None;
        self.vault.delete().await
    }
}
