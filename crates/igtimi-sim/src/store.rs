//! The simulator's mutable state: access and refresh tokens, authorization codes, browser
//! sign-in sessions and remembered approvals. One mutex; every operation is short.

use crate::config::TokenLifetime;
use rand::RngCore;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use crate::remember::{Grant, Remembered};

/// A fresh random secret: 64 lowercase hex characters, the shape Igtimi's tokens have.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Equal secrets, compared in constant time (over digests, so lengths do not leak either).
pub fn secrets_equal(expected: &str, presented: &str) -> bool {
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    let a = Sha256::digest(expected.as_bytes());
    let b = Sha256::digest(presented.as_bytes());
    a.ct_eq(&b).into()
}

/// How a token came to be; decides what a reused code revokes and what `--print-demo` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// From an authorization code (its key in the code table).
    Code(String),
    Implicit,
    Password,
    ClientCredentials,
    Refresh,
    /// The username/password token API (`POST /v1/oauth/`).
    TokenApi,
    /// Issued by an earlier run and remembered (see [`crate::remember`]).
    Remembered,
}

/// An access token as the server keeps it.
#[derive(Clone, Debug)]
pub struct AccessToken {
    pub user_id: u64,
    pub client_id: String,
    pub scope: String,
    pub created_at: i64,
    /// Unix seconds; `None` never expires.
    pub expires_at: Option<i64>,
    pub revoked: bool,
    pub origin: Origin,
    /// The refresh token issued alongside, if any.
    pub refresh_token: Option<String>,
}

#[derive(Clone, Debug)]
struct RefreshToken {
    user_id: u64,
    client_id: String,
    scope: String,
    /// All refresh tokens of one grant share a family; reuse of a rotated one kills it.
    family: u64,
    used: bool,
    revoked: bool,
}

/// PKCE transformation named in the authorize request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PkceMethod {
    Plain,
    S256,
}

/// An issued authorization code.
#[derive(Clone, Debug)]
pub struct AuthCode {
    pub user_id: u64,
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub pkce: Option<(String, PkceMethod)>,
    pub expires_at: i64,
    /// The `state` of the authorize request (Iternio echoes it in the token reply).
    pub state: Option<String>,
    pub used: bool,
    /// Access tokens issued from this code: revoked when the code is replayed.
    pub issued: Vec<String>,
}

/// Why a presented access token is not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenRejection {
    Missing,
    Unknown,
    Revoked,
    Expired,
}

impl TokenRejection {
    pub fn describe(self) -> &'static str {
        match self {
            TokenRejection::Missing => "No access token was given",
            TokenRejection::Unknown => "The access token is invalid",
            TokenRejection::Revoked => "The access token was revoked",
            TokenRejection::Expired => "The access token expired",
        }
    }
}

/// What a grant hands out.
#[derive(Clone, Debug)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: Option<u64>,
    pub created_at: i64,
    pub scope: String,
}

/// Why a code or refresh token exchange failed (all map to `invalid_grant`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantError(pub String);

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

    /// RFC 7009: revokes an access or refresh token (a refresh token takes its access tokens
    /// with it). Unknown tokens are ignored. Only the client the token was issued to may
    /// revoke it; returns whether anything was revoked.
    pub fn revoke(&self, token: &str, client_id: &str) -> bool {
        let mut inner = self.lock();
        if let Some(record) = inner.access.get(token) {
            if record.client_id != client_id {
                return false;
            }
            revoke_access_locked(&mut inner, token);
            persist(&inner);
            return true;
        }
        if let Some(record) = inner.refresh.get(token).cloned() {
            if record.client_id != client_id {
                return false;
            }
            revoke_family_locked(&mut inner, record.family);
            persist(&inner);
            return true;
        }
        let forgotten = inner
            .remembered
            .as_mut()
            .is_some_and(|remembered| remembered.forget(token, Some(client_id)));
        if forgotten {
            persist(&inner);
        }
        forgotten
    }

    /// Revokes a token whoever it belongs to (fault injection / admin). Returns whether it existed.
    pub fn force_revoke(&self, token: &str) -> bool {
        let mut inner = self.lock();
        if inner.access.contains_key(token) {
            revoke_access_locked(&mut inner, token);
            persist(&inner);
            return true;
        }
        if let Some(record) = inner.refresh.get(token).cloned() {
            revoke_family_locked(&mut inner, record.family);
            persist(&inner);
            return true;
        }
        let forgotten = inner
            .remembered
            .as_mut()
            .is_some_and(|remembered| remembered.forget(token, None));
        if forgotten {
            persist(&inner);
        }
        forgotten
    }

    /// Makes every access token issued so far expire now (refresh tokens stay usable).
    pub fn expire_all(&self, now: i64) -> usize {
        let mut inner = self.lock();
        let mut count = 0;
        for token in inner.access.values_mut() {
            if token.expires_at.is_none_or(|at| at > now) {
                token.expires_at = Some(now);
                count += 1;
            }
        }
        persist(&inner);
        count
    }

    /// Starts a browser sign-in session for a user; returns its cookie value.
    pub fn start_browser_session(&self, user_id: u64) -> String {
        let sid = random_token();
        self.lock().browser_sessions.insert(sid.clone(), user_id);
        sid
    }

    pub fn browser_session_user(&self, sid: &str) -> Option<u64> {
        self.lock().browser_sessions.get(sid).copied()
    }

    pub fn end_browser_session(&self, sid: &str) {
        self.lock().browser_sessions.remove(sid);
    }

    /// Remembers that a user approved a client, so the next authorize skips the consent page.
    pub fn approve(&self, user_id: u64, client_id: &str) {
        self.lock()
            .approvals
            .insert((user_id, client_id.to_string()));
    }

    pub fn is_approved(&self, user_id: u64, client_id: &str) -> bool {
        self.lock()
            .approvals
            .contains(&(user_id, client_id.to_string()))
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

fn revoke_access_locked(inner: &mut Inner, token: &str) {
    let refresh = inner.access.get_mut(token).and_then(|t| {
        t.revoked = true;
        t.refresh_token.clone()
    });
    if let Some(refresh) = refresh {
        if let Some(r) = inner.refresh.get_mut(&refresh) {
            r.revoked = true;
        }
    }
}

fn revoke_family_locked(inner: &mut Inner, family: u64) {
    let mut revoked_refresh = HashSet::new();
    for (key, r) in inner.refresh.iter_mut() {
        if r.family == family {
            r.revoked = true;
            revoked_refresh.insert(key.clone());
        }
    }
    for t in inner.access.values_mut() {
        if t.refresh_token
            .as_ref()
            .is_some_and(|r| revoked_refresh.contains(r))
        {
            t.revoked = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::secrets_equal;

    #[test]
    fn secrets_compare() {
        assert!(secrets_equal("abc", "abc"));
        assert!(!secrets_equal("abc", "abd"));
        assert!(!secrets_equal("abc", "abcd"));
        assert!(!secrets_equal("abc", ""));
    }
}
