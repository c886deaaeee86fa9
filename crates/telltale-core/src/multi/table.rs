//! The account table behind [`Accounts`]: one [`AccountTokens`] per account, made on first use,
//! and the marks kept in the list (expired, signed out).

use super::support::{list_error, token_provider, unknown};
use super::{renews, Accounts};
use crate::accounts::{
    keychain_entry, AccountKey, AccountRecord, ProviderKind, ProviderProfile, SignInMethod,
};
use crate::tokens::errors::from_api;
use crate::tokens::{AccountTokens, Backend};
use crate::{AppError, ConfigError};
use igtimi_client::RiotClient;
use std::sync::Arc;

impl Accounts {
    /// Drops the tokens of accounts whose expiry has passed and that cannot renew, keeping
    /// the records marked signed out.
    pub(super) async fn drop_expired(&self, now: u64) {
        let expired: Vec<AccountRecord> = {
            let list = self.list.lock().await;
            list.accounts()
                .iter()
                .filter(|record| {
                    !record.signed_out
                        && !renews(record.method)
                        && record.token_expires_at.is_some_and(|at| at <= now)
                })
                .cloned()
                .collect()
        };
        for record in expired {
            if let Ok(account) = self.tokens_of(&record) {
                if let Err(err) = account.forget().await {
                    tracing::warn!(error = %err, "could not remove an expired token from the keychain");
                }
            }
            tracing::info!("an account's token expired; it was dropped");
            self.mark_signed_out(&record.key).await;
        }
    }

    /// Marks `key` signed out in the list and saves it (failures are logged: the token is
    /// gone either way).
    pub(super) async fn mark_signed_out(&self, key: &AccountKey) {
        let mut list = self.list.lock().await;
        let Some(record) = list.get(key).cloned() else {
            return;
        };
        let active = list.active().is_some_and(|active| &active.key == key);
        list.upsert(AccountRecord {
            signed_out: true,
            ..record
        });
        if let Err(err) = list.save() {
            tracing::warn!(error = %err, "could not save the account list");
        }
        drop(list);
        if active {
            self.active_changed().await;
        }
    }

    pub(super) async fn record(&self, key: &AccountKey) -> Result<AccountRecord, AppError> {
        self.list
            .lock()
            .await
            .get(key)
            .cloned()
            .ok_or_else(|| list_error(unknown(key)))
    }

    pub(super) fn existing_tokens(&self, key: &AccountKey) -> Option<Arc<AccountTokens>> {
        self.tokens.lock().ok()?.get(key).cloned()
    }

    /// The tokens of `record`'s account, made on first use.
    pub(super) fn tokens_of(&self, record: &AccountRecord) -> Result<Arc<AccountTokens>, AppError> {
        if let Some(account) = self.existing_tokens(&record.key) {
            return Ok(account);
        }
        let profile = self.profile(&record.profile_id)?;
        let account = Arc::new(self.new_tokens(profile, record.method, &record.key)?);
        let mut tokens = self.tokens.lock().map_err(|_| AppError::Internal {
            detail: "the account table is unusable after a crash".into(),
        })?;
        Ok(tokens.entry(record.key.clone()).or_insert(account).clone())
    }

    /// Fresh tokens (none held yet) for account `key` at `profile`, signed in with `method`.
    pub(super) fn new_tokens(
        &self,
        profile: &ProviderProfile,
        method: SignInMethod,
        key: &AccountKey,
    ) -> Result<AccountTokens, AppError> {
        let server = profile.base_url.clone().ok_or_else(|| {
            AppError::Config(ConfigError::Unusable {
                message: format!("the provider \"{}\" has no address yet", profile.name),
            })
        })?;
        let provider = token_provider(profile, method)?;
        let api_base = profile
            .api_base()
            .cloned()
            .unwrap_or_else(|| server.clone());
        let api = self
            .network
            .api(api_base, &self.http)
            .map_err(|err| from_api(err, server.as_str()))?;
        let vault = keychain_entry(&self.keychain_service, key)
            .vault()
            .bound(&self.issuer_of(&server), profile.client_id.as_deref());
        let riot = (profile.kind == ProviderKind::Riot).then(|| RiotClient::new(api.clone()));
        let backend = Backend {
            provider,
            api,
            riot,
            server,
            demo: None,
        };
        Ok(AccountTokens::for_account(
            backend,
            vault,
            self.http.clone(),
        ))
    }

    /// The issuer a token from `server` is saved for: its address, except for the simulator
    /// embedded in the app, which listens on another port at every start but stays the
    /// same server (same world, same registration).
    fn issuer_of(&self, server: &url::Url) -> String {
        match &self.demo {
            Some(demo) if &demo.server == server => EMBEDDED_ISSUER.to_string(),
            _ => server.to_string(),
        }
    }
}

/// The issuer recorded for tokens of the embedded demo simulator.
const EMBEDDED_ISSUER: &str = "telltale:embedded-demo-simulator";
