//! The browser sign-in session: its cookie and the CSRF token bound to it.

use super::SESSION_COOKIE;
use crate::server::AppState;
use crate::world::User;
use axum::http::{header, HeaderMap, HeaderValue};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use subtle::ConstantTimeEq;

/// A signed-in browser: its session id and user.
pub struct SignedIn {
    pub session_id: String,
    pub user: User,
}

/// The session cookie values the request carries, in order.
fn cookie_values(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE && !value.is_empty()).then_some(value)
        })
}

/// The signed-in user of this request, if its session cookie names a live session.
pub fn current(state: &AppState, headers: &HeaderMap) -> Option<SignedIn> {
    cookie_values(headers).find_map(|sid| {
        let user_id = state.store.browser_session_user(sid)?;
        let user = state.world.user(user_id)?.clone();
        Some(SignedIn {
            session_id: sid.to_string(),
            user,
        })
    })
}

/// Every session id the request carries (to end them all on sign-out or a new sign-in).
pub fn all_ids(headers: &HeaderMap) -> Vec<String> {
    cookie_values(headers).map(str::to_string).collect()
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Lax, whole site, and no Expires or
/// Max-Age, so it ends when the browser closes.
pub fn set_cookie(session_id: &str) -> HeaderValue {
    HeaderValue::try_from(format!(
        "{SESSION_COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Lax"
    ))
    .expect("session ids are hex, a valid header value")
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("_igtimi_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// A key known only to this process, so CSRF tokens cannot be derived from outside.
fn csrf_key() -> &'static [u8; 32] {
    static KEY: OnceLock<[u8; 32]> = OnceLock::new();
    KEY.get_or_init(|| {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        key
    })
}

/// The CSRF token of a session: a keyed hash of its id.
pub fn csrf_token(session_id: &str) -> String {
    let mut h = Sha256::new();
    h.update(csrf_key());
    h.update(b"csrf:");
    h.update(session_id.as_bytes());
    hex::encode(h.finalize())
}

/// True when `presented` is the CSRF token of `session_id` (constant-time comparison).
pub fn csrf_matches(session_id: &str, presented: Option<&str>) -> bool {
    presented.is_some_and(|p| csrf_token(session_id).as_bytes().ct_eq(p.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_is_bound_to_the_session() {
        let t = csrf_token("a");
        assert!(csrf_matches("a", Some(&t)));
        assert!(!csrf_matches("b", Some(&t)));
        assert!(!csrf_matches("a", None));
    }

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "x=1; _igtimi_session=abc; _igtimi_session_x=2"
                .parse()
                .unwrap(),
        );
        assert_eq!(all_ids(&headers), vec!["abc".to_string()]);
    }
}
