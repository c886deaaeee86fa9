//! The simulator's mutable state: access and refresh tokens, authorization codes, browser
//! sign-in cookies and remembered approvals. One mutex; every operation is short.
//!
//! Issuing and checking tokens is here; taking them back is in [`revoke`], the sign-in
//! pages' state in [`browser`], the records themselves in [`records`].

mod browser;
mod records;
mod revoke;
mod secret;

pub use records::{
    AccessToken, AuthCode, GrantError, IssuedTokens, Origin, PkceMethod, TokenRejection,
};
pub use secret::{random_token, secrets_equal};

use crate::config::TokenLifetime;
use crate::remember::{Grant, Remembered};
use records::RefreshToken;
use revoke::{revoke_access_locked, revoke_family_locked};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

#[derive(Default)]
struct Inner {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshToken>,
    codes: HashMap<String, AuthCode>,
    browser_sessions: HashMap<String, u64>,
    approvals: HashSet<(u64, String)>,
    next_family: u64,
    /// PKCE verifiers presented with a code that was redeemed (for the secrets check).
    #[cfg(feature = "testing")]
    verifiers: Vec<String>,
    /// Long-lived tokens kept across restarts, when configured.
    remembered: Option<Remembered>,
}

/// The mutable state of one simulator.
#[derive(Default)]
pub struct Store {
    inner: Mutex<Inner>,
}

impl Store {
    /// A store that keeps long-lived access tokens across restarts in `path` (as digests).
    pub fn remembering(path: &std::path::Path) -> Self {
        let store = Store::default();
        store.lock().remembered = Some(Remembered::load(path));
        store
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps half-updated in a way that
        // matters for a test server, so a poisoned lock is simply taken over.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Issues an access token (and, when tokens expire, a refresh token of a new family).
    pub fn issue(
        &self,
        lifetime: TokenLifetime,
        now: i64,
        user_id: u64,
        client_id: &str,
        scope: &str,
        origin: Origin,
    ) -> IssuedTokens {
        let mut inner = self.lock();
        inner.next_family += 1;
        let family = inner.next_family;
        let issued = issue_locked(
            &mut inner, lifetime, now, user_id, client_id, scope, origin, family,
        );
        persist(&inner);
        issued
    }

    /// Issues a token with a fixed expiry, outside the lifetime setting (the token API's 30 days).
    pub fn issue_with_expiry(
        &self,
        now: i64,
        expires_at: i64,
        user_id: u64,
        client_id: &str,
        origin: Origin,
    ) -> String {
        let token = AccessToken {
            user_id,
            client_id: client_id.to_string(),
            scope: String::new(),
            created_at: now,
            expires_at: Some(expires_at),
            revoked: false,
            origin,
            refresh_token: None,
        };
        let mut inner = self.lock();
        let value = insert_access(&mut inner, token);
        persist(&inner);
        value
    }

    /// Checks a bearer token: known, not revoked, not expired.
    pub fn authenticate(
        &self,
        token: Option<&str>,
        now: i64,
    ) -> Result<AccessToken, TokenRejection> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or(TokenRejection::Missing)?;
        let mut inner = self.lock();
        if !inner.access.contains_key(token) {
            let grant = inner
                .remembered
                .as_mut()
                .and_then(|remembered| remembered.take(token))
                .ok_or(TokenRejection::Unknown)?;
            inner.access.insert(
                token.to_string(),
                AccessToken {
                    user_id: grant.user_id,
                    client_id: grant.client_id,
                    scope: grant.scope,
                    created_at: now,
                    expires_at: None,
                    revoked: false,
                    origin: Origin::Remembered,
                    refresh_token: None,
                },
            );
        }
        let record = inner.access.get(token).ok_or(TokenRejection::Unknown)?;
        if record.revoked {
            return Err(TokenRejection::Revoked);
        }
        if record.expires_at.is_some_and(|at| at <= now) {
            return Err(TokenRejection::Expired);
        }
        Ok(record.clone())
    }

    /// Remembers a PKCE verifier a client proved a code with, for [`Store::secrets`]; builds
    /// without `testing` (the app's demo server) keep none.
    pub fn note_verifier(&self, _verifier: &str) {
        #[cfg(feature = "testing")]
        self.lock().verifiers.push(_verifier.to_string());
    }

    /// Every secret this simulator issued or was shown: access and refresh tokens, codes
    /// (used or not) and PKCE verifiers. For tests that search an app's files and logs for
    /// leaks (`GET /__admin/secrets`, loopback only).
    #[cfg(feature = "testing")]
    pub fn secrets(&self) -> Vec<String> {
        let inner = self.lock();
        let mut all: Vec<String> = inner
            .access
            .keys()
            .chain(inner.refresh.keys())
            .chain(inner.codes.keys())
            .chain(inner.verifiers.iter())
            .cloned()
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// Stores a new authorization code and returns it.
    pub fn insert_code(&self, code: AuthCode) -> String {
        let key = random_token();
        self.lock().codes.insert(key.clone(), code);
        key
    }

    /// Redeems a code once. `check` validates client, redirect URI and PKCE against the
    /// stored code; on success tokens are issued and remembered with the code. A second
    /// redemption fails and revokes every token the code issued (RFC 6749 §4.1.2).
    pub fn redeem_code(
        &self,
        code: &str,
        now: i64,
        lifetime: TokenLifetime,
        check: impl FnOnce(&AuthCode) -> Result<(), GrantError>,
    ) -> Result<(AuthCode, IssuedTokens), GrantError> {
        let mut inner = self.lock();
        let Some(record) = inner.codes.get(code).cloned() else {
            return Err(GrantError("The authorization code is invalid".into()));
        };
        if record.used {
            for token in &record.issued {
                revoke_access_locked(&mut inner, token);
            }
            persist(&inner);
            return Err(GrantError(
                "The authorization code was already used; the tokens it issued are revoked".into(),
            ));
        }
        if record.expires_at <= now {
            return Err(GrantError("The authorization code expired".into()));
        }
        check(&record)?;
        inner.next_family += 1;
        let family = inner.next_family;
        let issued = issue_locked(
            &mut inner,
            lifetime,
            now,
            record.user_id,
            &record.client_id,
            &record.scope,
            Origin::Code(code.to_string()),
            family,
        );
        if let Some(stored) = inner.codes.get_mut(code) {
            stored.used = true;
            stored.issued.push(issued.access_token.clone());
        }
        persist(&inner);
        Ok((record, issued))
    }

    /// Exchanges a refresh token for new tokens, rotating it. Presenting a refresh token that
    /// was already rotated revokes its whole family (a stolen token is then useless).
    pub fn refresh(
        &self,
        refresh_token: &str,
        client_id: &str,
        now: i64,
        lifetime: TokenLifetime,
    ) -> Result<IssuedTokens, GrantError> {
        let mut inner = self.lock();
        let Some(record) = inner.refresh.get(refresh_token).cloned() else {
            return Err(GrantError("The refresh token is invalid".into()));
        };
        if record.client_id != client_id {
            return Err(GrantError(
                "The refresh token was issued to another client".into(),
            ));
        }
        if record.revoked {
            return Err(GrantError("The refresh token was revoked".into()));
        }
        if record.used {
            revoke_family_locked(&mut inner, record.family);
            return Err(GrantError(
                "The refresh token was already used; its grant is revoked".into(),
            ));
        }
        if let Some(r) = inner.refresh.get_mut(refresh_token) {
            r.used = true;
        }
        Ok(issue_locked(
            &mut inner,
            lifetime,
            now,
            record.user_id,
            &record.client_id,
            &record.scope,
            Origin::Refresh,
            record.family,
        ))
    }

    /// Number of live (unrevoked, unexpired) access tokens; for tests and the admin endpoint.
    pub fn live_access_tokens(&self, now: i64) -> usize {
        self.lock()
            .access
            .values()
            .filter(|t| !t.revoked && t.expires_at.is_none_or(|at| at > now))
            .count()
    }
}

#[allow(clippy::too_many_arguments)]
fn issue_locked(
    inner: &mut Inner,
    lifetime: TokenLifetime,
    now: i64,
    user_id: u64,
    client_id: &str,
    scope: &str,
    origin: Origin,
    family: u64,
) -> IssuedTokens {
    let (expires_at, expires_in, refresh_token) = match lifetime {
        TokenLifetime::Never => (None, None, None),
        TokenLifetime::Expiring { access_secs } => {
            let refresh = random_token();
            inner.refresh.insert(
                refresh.clone(),
                RefreshToken {
                    user_id,
                    client_id: client_id.to_string(),
                    scope: scope.to_string(),
                    family,
                    used: false,
                    revoked: false,
                },
            );
            (
                Some(now + access_secs as i64),
                Some(access_secs),
                Some(refresh),
            )
        }
    };
    let access_token = insert_access(
        inner,
        AccessToken {
            user_id,
            client_id: client_id.to_string(),
            scope: scope.to_string(),
            created_at: now,
            expires_at,
            revoked: false,
            origin,
            refresh_token: refresh_token.clone(),
        },
    );
    IssuedTokens {
        access_token,
        refresh_token,
        expires_in,
        created_at: now,
        scope: scope.to_string(),
    }
}

/// Saves the long-lived (never expiring, unrevoked) access tokens, when remembering.
fn persist(inner: &Inner) {
    if let Some(remembered) = &inner.remembered {
        remembered.save(
            inner
                .access
                .iter()
                .filter(|(_, token)| !token.revoked && token.expires_at.is_none())
                .map(|(value, token)| {
                    (
                        value.as_str(),
                        Grant {
                            user_id: token.user_id,
                            client_id: token.client_id.clone(),
                            scope: token.scope.clone(),
                        },
                    )
                }),
        );
    }
}

/// Stores an access token under a fresh random value and returns that value.
fn insert_access(inner: &mut Inner, token: AccessToken) -> String {
    let value = random_token();
    inner.access.insert(value.clone(), token);
    value
}
