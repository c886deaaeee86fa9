//! Taking tokens back: RFC 7009 revocation by their client, forced revocation by the admin
//! endpoint and fault injection, and expiring everything at once.

use std::collections::HashSet;

use super::{persist, Inner, Store};

impl Store {
    /// RFC 7009: revokes an access or refresh token (a refresh token takes its access tokens
    /// with it). Unknown tokens are ignored. Only the client the token was issued to may
    /// revoke it; returns whether anything was revoked.
    pub fn revoke(&self, token: &str, client_id: &str) -> bool {
        self.revoke_for(token, Some(client_id))
    }

    /// Revokes a token whoever it belongs to (fault injection / admin). Returns whether it existed.
    pub fn force_revoke(&self, token: &str) -> bool {
        self.revoke_for(token, None)
    }

    /// Revokes `token` if `client_id` is the client it was issued to, or is `None` (any).
    fn revoke_for(&self, token: &str, client_id: Option<&str>) -> bool {
        let allowed = |owner: &str| client_id.is_none_or(|client| client == owner);
        let mut inner = self.lock();
        if let Some(record) = inner.access.get(token) {
            if !allowed(&record.client_id) {
                return false;
            }
            revoke_access_locked(&mut inner, token);
            persist(&inner);
            return true;
        }
        if let Some(record) = inner.refresh.get(token).cloned() {
            if !allowed(&record.client_id) {
                return false;
            }
            revoke_family_locked(&mut inner, record.family);
            persist(&inner);
            return true;
        }
        let forgotten = inner
            .remembered
            .as_mut()
            .is_some_and(|remembered| remembered.forget(token, client_id));
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
}

pub(super) fn revoke_access_locked(inner: &mut Inner, token: &str) {
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

pub(super) fn revoke_family_locked(inner: &mut Inner, family: u64) {
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
