//! The security service under `/security/api/restsecurity/`: tokens, sessions and accounts.
//!
//! | call | answer |
//! |---|---|
//! | `access_token` (GET/POST) | `{"username","access_token"}`: the user's one token, the same on every call |
//! | `remove_access_token` (GET/POST) | the same shape with a **new** token; the old one is refused from then on |
//! | `hello` (any) | `{"principal","authenticated","remembered"}`; `anonymous`/`false` without valid credentials |
//! | `user` (GET, `username`) | `{"username","fullName","email","company"}` of the caller; 403 for anyone else, existing or not |
//! | `create_user` (POST form) | `{"username","access_token"}`; 412 plain text when refused |
//! | `login` (POST form) | sets `JSESSIONID`, 302 to `hello`; 401 for a wrong password |
//! | `logout` (any) | ends the session, 200 with an empty body; bearer tokens stay valid |
//!
//! Credentials: see [`super::auth`] (the session cookie counts here). `create_user` takes a
//! username of 2 to 40 letters, digits, `.`, `_` or `-`, an email with an `@`, and a
//! password of at least [`MIN_PASSWORD_CHARS`] characters with a letter and a digit or
//! symbol; a username or email another account has (either as username or email, any
//! case) is taken.

use super::auth::{session_cookies, RiotRequest, SESSION_COOKIE};
use super::error::{RiotError, RiotResult};
use super::state::{Account, NewUser};
use crate::seeds::raw;
use crate::server::Shared;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// The shortest password `create_user` accepts.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Where `login` sends the browser.
const HELLO_PATH: &str = "/security/api/restsecurity/hello";

fn token_answer(account: &Account, token: String) -> Response {
    let mut response =
        Json(json!({ "username": account.username, "access_token": token })).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `access_token`: the caller's token, created on first use.
pub async fn access_token(State(state): State<Shared>, req: RiotRequest) -> RiotResult<Response> {
    let account = req.identify(&state, true)?;
    let token = state.riot.token_for(account.id);
    Ok(token_answer(&account, token))
}

/// `remove_access_token`: replaces the caller's token with a new one.
pub async fn remove_access_token(
    State(state): State<Shared>,
    req: RiotRequest,
) -> RiotResult<Response> {
    let account = req.identify(&state, true)?;
    let token = state.riot.rotate_token(account.id);
    Ok(token_answer(&account, token))
}

/// `hello`: who the credentials name, if anyone.
pub async fn hello(State(state): State<Shared>, req: RiotRequest) -> Json<Value> {
    let body = match req.identify(&state, true) {
        Ok(account) => json!({
            "principal": account.username,
            "authenticated": true,
            "remembered": false,
        }),
        Err(_) => json!({ "principal": "anonymous", "authenticated": false, "remembered": false }),
    };
    Json(body)
}

/// `user?username=..`: the caller's own record.
pub async fn user(State(state): State<Shared>, req: RiotRequest) -> RiotResult<Json<Value>> {
    let account = req.identify(&state, true)?;
    let asked = req
        .params
        .get("username")
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .ok_or_else(|| RiotError::bad("Parameter username is required"))?;
    if !asked.eq_ignore_ascii_case(&account.username) && !asked.eq_ignore_ascii_case(&account.email)
    {
        return Err(RiotError::Forbidden(format!(
            "You may read your own user record only, not {asked}"
        )));
    }
    Ok(Json(json!({
        "username": account.username,
        "fullName": account.full_name,
        "email": account.email,
        "company": account.company,
    })))
}

/// Why a password is too weak, if it is.
pub fn weak_password(password: &str) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Some(format!(
            "The password is too weak: it needs at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if !password.chars().any(char::is_alphabetic) {
        return Some("The password is too weak: it needs a letter".into());
    }
    if password.chars().all(char::is_alphabetic) {
        return Some("The password is too weak: it needs a digit or a symbol".into());
    }
    None
}

fn check_username(name: &str) -> Result<(), String> {
    let fits = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if !(2..=40).contains(&name.len()) || !name.chars().all(fits) {
        return Err(format!(
            "The username {name:?} must be 2 to 40 letters, digits, '.', '_' or '-'"
        ));
    }
    Ok(())
}

fn check_email(email: &str) -> Result<(), String> {
    let shaped = email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if !shaped || email.len() > 254 || email.chars().any(char::is_whitespace) {
        return Err(format!("The email {email:?} is not an email address"));
    }
    Ok(())
}

/// `create_user`: a new account that can use the whole Riot API (it owns nothing).
pub async fn create_user(State(state): State<Shared>, req: RiotRequest) -> RiotResult<Response> {
    let refuse = RiotError::Precondition;
    let field = |name: &str| raw(&req.params, name).unwrap_or_default();
    let required = |name: &'static str| {
        Some(field(name))
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| refuse(format!("The field {name} is required")))
    };
    let fields = NewUser {
        username: required("username")?.trim(),
        email: required("email")?.trim(),
        password: required("password")?,
        full_name: field("fullName").trim(),
        company: field("company").trim(),
    };
    check_username(fields.username).map_err(refuse)?;
    check_email(fields.email).map_err(refuse)?;
    if let Some(why) = weak_password(fields.password) {
        return Err(refuse(why));
    }
    let (account, token) = state
        .riot
        .create_user(&state.world, fields)
        .map_err(refuse)?;
    Ok(token_answer(&account, token))
}

/// `login`: a session for the form's username and password.
pub async fn login(State(state): State<Shared>, req: RiotRequest) -> RiotResult<Response> {
    let (Some(name), Some(password)) = (raw(&req.params, "username"), raw(&req.params, "password"))
    else {
        return Err(RiotError::Unauthorized(
            "The form fields username and password are required".into(),
        ));
    };
    let account = state
        .riot
        .sign_in(&state.world, name, password)
        .ok_or_else(|| RiotError::Unauthorized("Wrong username or password".into()))?;
    for old in session_cookies(&req.headers) {
        state.riot.end_session(old);
    }
    let sid = state.riot.start_session(account.id);
    let cookie = format!("{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax");
    let cookie = HeaderValue::try_from(cookie)
        .map_err(|e| RiotError::Internal(format!("session cookie: {e}")))?;
    Ok((
        StatusCode::FOUND,
        [
            (header::LOCATION, HeaderValue::from_static(HELLO_PATH)),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response())
}

/// `logout`: ends the sessions the request's cookies name.
pub async fn logout(State(state): State<Shared>, req: RiotRequest) -> Response {
    for sid in session_cookies(&req.headers) {
        state.riot.end_session(sid);
    }
    let clear = HeaderValue::from_static("JSESSIONID=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    (StatusCode::OK, [(header::SET_COOKIE, clear)]).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rule() {
        assert!(weak_password("short-1").is_some());
        assert!(weak_password("12345678").is_some());
        assert!(weak_password("onlyletters").is_some());
        assert_eq!(weak_password("windward-1"), None);
        assert_eq!(weak_password("sail+fast"), None);
    }

    #[test]
    fn usernames_and_emails() {
        assert!(check_username("bob.smith-2").is_ok());
        assert!(check_username("b").is_err());
        assert!(check_username("bob smith").is_err());
        assert!(check_username("bob@x").is_err());
        assert!(check_email("a@b.c").is_ok());
        assert!(check_email("a@b").is_err());
        assert!(check_email("@b.c").is_err());
    }
}
