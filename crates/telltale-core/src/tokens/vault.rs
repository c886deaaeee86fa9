//! The saved sign-in: one keychain entry, read and written off the async threads, with a
//! time limit so a hung Secret Service cannot freeze the app. There is no file fallback:
//! when the keychain fails, the caller keeps the tokens in memory only and says so.

use crate::tokens::errors::from_keychain;
use crate::AppError;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use telltale_auth::{AccessToken, RefreshToken, TokenSet};
use telltale_keychain::{Keychain, StoredToken};

/// How long one keychain call may take before it counts as unavailable.
pub const KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// The keychain entry holding one account's tokens, bound to the server and client that
/// issued them.
#[derive(Debug, Clone)]
pub struct TokenVault {
    keychain: Keychain,
    account: String,
    issuer: Option<String>,
    client_id: Option<String>,
}

impl TokenVault {
    /// The entry `account` under keychain service `service`.
    pub fn new(service: &str, account: &str) -> Self {
        TokenVault {
            keychain: Keychain::new(service),
            account: account.to_string(),
            issuer: None,
            client_id: None,
        }
    }

    /// This entry for tokens issued by the server at `issuer` to `client_id`: they are saved
    /// with both, and tokens saved for another server or client are never loaded (a changed
    /// `TELLTALE_SERVER` or profile address must not receive them).
    pub fn bound(self, issuer: &str, client_id: Option<&str>) -> Self {
        TokenVault {
            issuer: Some(issuer.to_string()),
            client_id: client_id.map(str::to_string),
            ..self
        }
    }

    /// The saved tokens, or `None`. An entry that holds no usable token (not a token
    /// record, or one that cannot be sent) is deleted and reported as
    /// [`AppError::SavedSignInUnreadable`]; it is never used. Tokens saved for another
    /// server or client stay where they are, unused: [`AppError::SavedForAnotherServer`].
    /// (Entries saved before the issuer was recorded are taken as this server's and bound
    /// when next saved.)
    pub async fn load(&self) -> Result<Option<TokenSet>, AppError> {
        let (keychain, account) = (self.keychain.clone(), self.account.clone());
        let usable = match blocking(move || keychain.load(&account)).await {
            Ok(Some(stored)) if !self.issued_here(&stored) => {
                tracing::warn!(
                    saved_for = stored.issuer.as_deref().unwrap_or_default(),
                    "the saved sign-in belongs to another server or client; it was not used"
                );
                return Err(AppError::SavedForAnotherServer {
                    saved_for: stored.issuer.unwrap_or_default(),
                });
            }
            Ok(stored) => stored.map(from_stored),
            Err(AppError::SavedSignInUnreadable) => Some(None),
            Err(other) => return Err(other),
        };
        match usable {
            None => Ok(None),
            Some(Some(tokens)) => Ok(Some(tokens)),
            Some(None) => {
                tracing::warn!("the saved sign-in was unreadable; it was removed");
                if let Err(err) = self.delete().await {
                    tracing::warn!(error = %err, "could not remove the unreadable sign-in");
                }
                Err(AppError::SavedSignInUnreadable)
            }
        }
    }

    /// Saves `tokens`, replacing what was saved.
    pub async fn save(&self, tokens: &TokenSet) -> Result<(), AppError> {
        let stored = StoredToken {
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            ..to_stored(tokens)
        };
        let (keychain, account) = (self.keychain.clone(), self.account.clone());
        blocking(move || keychain.save(&account, &stored)).await
    }

    /// Deletes the saved tokens (nothing saved is fine).
    pub async fn delete(&self) -> Result<(), AppError> {
        let (keychain, account) = (self.keychain.clone(), self.account.clone());
        blocking(move || keychain.delete(&account)).await
    }
}

impl TokenVault {
    /// Whether `stored` was issued by this entry's server to its client. An entry without
    /// a recorded issuer (saved by an older Telltale) passes; a vault with no binding
    /// accepts any.
    fn issued_here(&self, stored: &StoredToken) -> bool {
        let Some(issuer) = &self.issuer else {
            return true;
        };
        match &stored.issuer {
            None => true,
            Some(saved) => same_issuer(saved, issuer) && stored.client_id == self.client_id,
        }
    }
}

/// Issuer addresses compared as RFC 9207 does, a final `/` aside.
fn same_issuer(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// Runs a blocking keychain call on the blocking pool, within [`KEYCHAIN_TIMEOUT`].
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, telltale_keychain::KeychainError> + Send + 'static,
) -> Result<T, AppError> {
    match tokio::time::timeout(KEYCHAIN_TIMEOUT, tokio::task::spawn_blocking(call)).await {
        Ok(Ok(result)) => result.map_err(from_keychain),
        Ok(Err(join)) => Err(AppError::Internal {
            detail: format!("the keychain call failed: {join}"),
        }),
        Err(_) => Err(AppError::KeychainUnavailable {
            detail: "the system keychain did not answer in time".into(),
        }),
    }
}

fn to_stored(tokens: &TokenSet) -> StoredToken {
    StoredToken {
        access_token: tokens.access_token.expose_secret().to_string(),
        refresh_token: tokens
            .refresh_token
            .as_ref()
            .map(|token| token.expose_secret().to_string()),
        expires_at: tokens
            .expires_at
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map(|since| since.as_secs()),
        token_type: "Bearer".to_string(),
        issuer: None,
        client_id: None,
    }
}

/// `None` when the entry does not hold a usable token.
fn from_stored(stored: StoredToken) -> Option<TokenSet> {
    if !stored.token_type.eq_ignore_ascii_case("bearer") {
        return None;
    }
    Some(TokenSet {
        access_token: AccessToken::new(stored.access_token).ok()?,
        refresh_token: stored.refresh_token.and_then(RefreshToken::new),
        expires_at: stored
            .expires_at
            .map(|secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs)),
        scope: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_survive_the_round_trip_through_the_stored_form() {
        let tokens = TokenSet {
            access_token: AccessToken::new("access-1").expect("token"),
            refresh_token: RefreshToken::new("refresh-1"),
            expires_at: Some(UNIX_EPOCH + Duration::from_secs(1_900_000_000)),
            scope: Vec::new(),
        };
        let stored = to_stored(&tokens);
        assert_eq!(stored.expires_at, Some(1_900_000_000));
        assert_eq!(from_stored(stored), Some(tokens));
    }

    #[test]
    fn an_unusable_entry_is_no_token() {
        let mut stored = to_stored(&TokenSet {
            access_token: AccessToken::new("access-1").expect("token"),
            refresh_token: None,
            expires_at: None,
            scope: Vec::new(),
        });
        stored.token_type = "MAC".into();
        assert_eq!(from_stored(stored.clone()), None);
        stored.token_type = "bearer".into();
        stored.access_token = String::new();
        assert_eq!(from_stored(stored), None);
    }

    #[test]
    fn only_tokens_of_this_issuer_and_client_are_used() {
        let vault = TokenVault::new("service", "igtimi/1").bound("https://a.example/", Some("app"));
        let saved = |issuer: Option<&str>, client: Option<&str>| StoredToken {
            issuer: issuer.map(str::to_string),
            client_id: client.map(str::to_string),
            ..to_stored(&TokenSet {
                access_token: AccessToken::new("access-1").expect("token"),
                refresh_token: None,
                expires_at: None,
                scope: Vec::new(),
            })
        };
        assert!(vault.issued_here(&saved(Some("https://a.example/"), Some("app"))));
        assert!(vault.issued_here(&saved(Some("https://a.example"), Some("app"))));
        assert!(!vault.issued_here(&saved(Some("https://b.example/"), Some("app"))));
        assert!(!vault.issued_here(&saved(Some("https://a.example/"), Some("other"))));
        assert!(!vault.issued_here(&saved(Some("https://a.example/"), None)));
        assert!(
            vault.issued_here(&saved(None, None)),
            "an entry saved before issuers were recorded"
        );
        let unbound = TokenVault::new("service", "igtimi/1");
        assert!(unbound.issued_here(&saved(Some("https://b.example/"), None)));
    }
}
