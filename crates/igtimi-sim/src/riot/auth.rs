//! Who is calling: the credentials of a Riot request, in the service's order of precedence.
//!
//! 1. `Authorization: Bearer <token>`: a token of the security service.
//! 2. `Authorization: Basic` with username (or email) and password.
//! 3. The parameters `username` and `password` (a POSTed form; the query string is read
//!    too, as a servlet's parameters are).
//! 4. Security service only: the `JSESSIONID` cookie of `login`.
//!
//! The first kind present decides: a bad bearer token is refused even when a password
//! follows. Every unknown bearer token counts toward the address's [`super::lockout`].

use super::error::{RiotError, RiotResult};
use super::lockout::peer_ip;
use super::state::Account;
use crate::params::{is_form, Params, MAX_FORM_BYTES};
use crate::seeds::raw;
use crate::server::{AppState, Shared};
use axum::body::{to_bytes, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap};
use base64::Engine;
use std::net::IpAddr;

/// The session cookie `login` sets.
pub const SESSION_COOKIE: &str = "JSESSIONID";

/// Credentials found on a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Presented {
    Bearer(String),
    /// Username or email, and password (from Basic or the parameters).
    Password(String, String),
    Session(String),
    Nothing,
    /// An `Authorization` header this service cannot read.
    Malformed(&'static str),
}

/// A request read whole: headers, parameters and the raw body (JSON for the POSTs).
#[derive(Clone, Debug)]
pub struct RiotRequest {
    pub headers: HeaderMap,
    pub params: Params,
    pub body: Bytes,
    pub peer: Option<IpAddr>,
}

impl RiotRequest {
    /// The credentials, in the order of the module docs; `cookie` for the security service.
    pub fn presented(&self, cookie: bool) -> Presented {
        if let Some(value) = self
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
            let rest = rest.trim();
            if scheme.eq_ignore_ascii_case("bearer") && !rest.is_empty() {
                return Presented::Bearer(rest.to_string());
            }
            if scheme.eq_ignore_ascii_case("basic") {
                return basic(rest);
            }
            return Presented::Malformed("The Authorization header must be Bearer or Basic");
        }
        if let (Some(user), Some(password)) =
            (raw(&self.params, "username"), raw(&self.params, "password"))
        {
            return Presented::Password(user.to_string(), password.to_string());
        }
        if cookie {
            if let Some(sid) = session_cookie(&self.headers) {
                return Presented::Session(sid.to_string());
            }
        }
        Presented::Nothing
    }

    /// The account the credentials name, or why there is none (401).
    pub fn identify(&self, state: &AppState, cookie: bool) -> RiotResult<Account> {
        let unauthorized = |m: &str| RiotError::Unauthorized(m.to_string());
        let user = match self.presented(cookie) {
            Presented::Bearer(token) => match state.riot.token_user(&token) {
                Some(user) => user,
                None => {
                    if let Some(ip) = self.peer {
                        state.riot.lockout.note_bad_token(ip, state.clock.now_ms());
                    }
                    return Err(unauthorized("The access token is not valid"));
                }
            },
            Presented::Password(name, password) => {
                state
                    .riot
                    .sign_in(&state.world, &name, &password)
                    .ok_or_else(|| unauthorized("Wrong username or password"))?
                    .id
            }
            Presented::Session(sid) => state
                .riot
                .session_user(&sid)
                .ok_or_else(|| unauthorized("The session has ended; sign in again"))?,
            Presented::Nothing => {
                return Err(unauthorized(
                    "Authentication required: a Bearer token, Basic credentials or a \
                     username and password",
                ))
            }
            Presented::Malformed(why) => return Err(unauthorized(why)),
        };
        state
            .riot
            .account(&state.world, user)
            .ok_or_else(|| unauthorized("The account no longer exists"))
    }
}

fn basic(encoded: &str) -> Presented {
    const BAD: Presented = Presented::Malformed("The Basic credentials are not user:password");
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
        return BAD;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return BAD;
    };
    match text.split_once(':') {
        Some((user, password)) => Presented::Password(user.to_string(), password.to_string()),
        None => BAD,
    }
}

/// The first `JSESSIONID` value among the request's cookies.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    session_cookies(headers).next()
}

/// Every `JSESSIONID` value the request carries.
pub fn session_cookies(headers: &HeaderMap) -> impl Iterator<Item = &str> {
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

impl FromRequest<Shared> for RiotRequest {
    type Rejection = RiotError;

    async fn from_request(req: Request, _state: &Shared) -> Result<Self, Self::Rejection> {
        let peer = peer_ip(req.extensions());
        let (parts, body) = req.into_parts();
        let body = to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| RiotError::bad(format!("The body exceeds {MAX_FORM_BYTES} bytes")))?;
        let mut params = Params::from_query(parts.uri.query());
        if is_form(parts.headers.get(header::CONTENT_TYPE)) {
            params.extend_encoded(&body);
        }
        Ok(RiotRequest {
            headers: parts.headers,
            params,
            body,
            peer,
        })
    }
}

/// A call of the client API: the caller (Bearer, Basic or password parameters; no cookie)
/// and the request. Refused with 401 before the handler runs.
#[derive(Clone, Debug)]
pub struct RiotCall {
    pub account: Account,
    pub request: RiotRequest,
}

impl RiotCall {
    pub fn user(&self) -> u64 {
        self.account.id
    }

    pub fn params(&self) -> &Params {
        &self.request.params
    }
}

impl FromRequest<Shared> for RiotCall {
    type Rejection = RiotError;

    async fn from_request(req: Request, state: &Shared) -> Result<Self, Self::Rejection> {
        let request = RiotRequest::from_request(req, state).await?;
        let account = request.identify(state, false)?;
        Ok(RiotCall { account, request })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(&str, &str)], query: &str) -> RiotRequest {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        RiotRequest {
            headers: map,
            params: Params::from_query(Some(query)),
            body: Bytes::new(),
            peer: None,
        }
    }

    #[test]
    fn precedence_bearer_basic_parameters_cookie() {
        let all = request(
            &[("authorization", "Bearer t+/="), ("cookie", "JSESSIONID=S")],
            "username=u&password=p",
        );
        assert_eq!(all.presented(true), Presented::Bearer("t+/=".into()));
        // "bob:a:b" in base64: the password may hold colons.
        let basic = request(
            &[("authorization", "Basic Ym9iOmE6Yg==")],
            "username=u&password=p",
        );
        assert_eq!(
            basic.presented(true),
            Presented::Password("bob".into(), "a:b".into())
        );
        let form = request(&[("cookie", "x=1; JSESSIONID=S")], "username=u&password=p");
        assert_eq!(
            form.presented(true),
            Presented::Password("u".into(), "p".into())
        );
        let cookie = request(&[("cookie", "x=1; JSESSIONID=S")], "");
        assert_eq!(cookie.presented(true), Presented::Session("S".into()));
        assert_eq!(cookie.presented(false), Presented::Nothing);
        let odd = request(&[("authorization", "Digest x")], "");
        assert!(matches!(odd.presented(false), Presented::Malformed(_)));
    }
}
