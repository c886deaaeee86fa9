//! Signing out of one account: its token revoked where the provider allows, its keychain
//! entry wiped, and another signed-in account made active in its place.

use super::support::list_error;
use super::Accounts;
use crate::accounts::{unix_now, AccountKey};
use crate::multi::AccountSignedOut;
use crate::AppError;

impl Accounts {
    /// Signs out of the account `key` only: revokes its token where the profile offers RFC
    /// 7009 revocation (otherwise says the token stays valid at the provider), wipes its
    /// keychain entry and removes it from the list. When it was active, the most recently
    /// used remaining signed-in account becomes active. A Riot account's token is only
    /// forgotten here (see [`Accounts::sign_out_and_invalidate`]).
    pub async fn sign_out(&self, key: &str) -> Result<AccountSignedOut, AppError> {
        self.sign_out_with(key, false).await
    }

    /// Like [`Accounts::sign_out`], and on a Riot server also replaces the user's one
    /// token there (`remove_access_token`), which signs out every other app of the user.
    pub async fn sign_out_and_invalidate(&self, key: &str) -> Result<AccountSignedOut, AppError> {
        self.sign_out_with(key, true).await
    }

    async fn sign_out_with(
        &self,
        key: &str,
        invalidate_at_server: bool,
    ) -> Result<AccountSignedOut, AppError> {
        let key = AccountKey::parse(key).map_err(list_error)?;
        let record = self.record(&key).await?;
        let account = self.tokens_of(&record)?;
        let result = account.sign_out(invalidate_at_server).await?;
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.remove(&key);
        }
        let mut list = self.list.lock().await;
        let was_active = list.active().is_some_and(|active| active.key == key);
        list.remove(&key).map_err(list_error)?;
        if was_active {
            let next = list
                .accounts()
                .iter()
                .filter(|record| !record.signed_out)
                .max_by_key(|record| record.last_used_at)
                .map(|record| record.key.clone());
            if let Some(next) = next {
                list.set_active(&next, unix_now()).map_err(list_error)?;
            }
        }
        list.save().map_err(list_error)?;
        drop(list);
        if was_active {
            self.active_changed().await;
        }
        Ok(AccountSignedOut {
            key: key.to_string(),
            revoked: result.revoked,
            message: result.message,
        })
    }
}
