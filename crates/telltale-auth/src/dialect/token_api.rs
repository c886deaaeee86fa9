//! The username/password token API ("Generating a Token"): `POST {base}/v1/oauth/` (the
//! trailing slash matters: without it the server's Apache redirects and the POST loses its
//! body) with `username`, `password` and `device-info`. It answers
//! `{"success":true,"data":{"access_token":..,"expiry":<unix seconds>}}` or
//! `{"success":false,"errors":{"code":..,"message":..}}`.
//!
//! The credentials travel in the form body, never in the URL, and are not kept.

use crate::exchange::errors::explain_parse_error;
use crate::provider::{endpoint_at, is_secure_endpoint};
use crate::{AccessToken, AuthError, AuthHttp, TokenSet};
use serde::Deserialize;
use serde_json::Value;
use std::time::{Duration, SystemTime};
use url::Url;

/// Where the API lives under the server's base address, trailing slash included.
pub const TOKEN_PATH: &str = "v1/oauth/";
/// The documented maximum length of `device-info`, in characters.
pub const MAX_DEVICE_INFO_CHARS: usize = 200;

/// `Telltale <version> on <host name> (<os> <arch>)`, cut to [`MAX_DEVICE_INFO_CHARS`]
/// characters: how the server's session list names this computer.
pub fn device_info() -> String {
    let text = format!(
        "Telltale {} on {} ({} {})",
        env!("CARGO_PKG_VERSION"),
        host_name(),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    cut_to_chars(&text, MAX_DEVICE_INFO_CHARS).to_owned()
}

/// This computer's name without control characters, or "an unnamed computer".
fn host_name() -> String {
    let name: String = raw_host_name()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let name = name.trim();
    if name.is_empty() {
        "an unnamed computer".to_owned()
    } else {
        name.to_owned()
    }
}

#[cfg(unix)]
fn raw_host_name() -> Option<String> {
    let uname = rustix::system::uname();
    uname.nodename().to_str().ok().map(str::to_owned)
}

#[cfg(windows)]
fn raw_host_name() -> Option<String> {
    std::env::var("COMPUTERNAME").ok()
}

#[cfg(not(any(unix, windows)))]
fn raw_host_name() -> Option<String> {
    None
}

/// The first `max` characters of `text` (never splitting a character).
fn cut_to_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => text.get(..end).unwrap_or(text),
        None => text,
    }
}

/// Generates a token for `username` and `password` at the token API of the server at
/// `base` (its path prefix kept). `device_info` names this computer (see [`device_info`]);
/// it is cut to [`MAX_DEVICE_INFO_CHARS`] characters and left out when empty.
///
/// The token expires at the answer's `expiry` and has no refresh token. A refusal with code
/// 401 is [`AuthError::BadCredentials`]; another refusal is [`AuthError::Rejected`] with the
/// server's code as `error` and its message as `description`. Answers that are not the
/// API's JSON give [`AuthError::InvalidResponse`] (or [`AuthError::Server`] for an error
/// status), and network trouble the usual kinds.
pub async fn generate(
    base: &Url,
    username: &str,
    password: &str,
    device_info: &str,
    http: &AuthHttp,
) -> Result<TokenSet, AuthError> {
    let url = endpoint_at(base, TOKEN_PATH)?;
    if !is_secure_endpoint(&url) {
        return Err(AuthError::Config {
            detail: "the token API must use https (plain http only to this computer)".into(),
        });
    }
    let body = {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("username", username)
            .append_pair("password", password);
        let device_info = cut_to_chars(device_info.trim(), MAX_DEVICE_INFO_CHARS);
        if !device_info.is_empty() {
            form.append_pair("device-info", device_info);
        }
        form.finish()
    };
    let request = oauth2::http::Request::builder()
        .method(oauth2::http::Method::POST)
        .uri(url.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body.into_bytes())
        .map_err(|err| AuthError::Config {
            detail: format!("cannot build the token request: {err}"),
        })?;
    let response = http.execute(request).await?;
    read_answer(response.status().as_u16(), response.body(), password)
}

/// The API's answer; `data` holds the token, so this type has no `Debug`.
#[derive(Deserialize)]
struct Answer {
    success: bool,
    #[serde(default)]
    data: Option<Data>,
    #[serde(default)]
    errors: Option<Value>,
}

#[derive(Deserialize)]
struct Data {
    access_token: String,
    expiry: i64,
}

fn invalid(detail: impl Into<String>) -> AuthError {
    AuthError::InvalidResponse {
        detail: detail.into(),
    }
}

/// Turns the HTTP status and body into tokens or an error.
pub(crate) fn read_answer(status: u16, body: &[u8], password: &str) -> Result<TokenSet, AuthError> {
    let ok_status = (200..300).contains(&status);
    if (300..400).contains(&status) {
        return Err(invalid(format!(
            "it answered with a redirect (HTTP {status}) instead of a token"
        )));
    }
    let answer: Answer =
        match serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(body)) {
            Ok(answer) => answer,
            Err(err) => {
                let is_page = body.trim_ascii_start().starts_with(b"<");
                return Err(if ok_status || is_page {
                    invalid(explain_parse_error(&err, body))
                } else {
                    AuthError::Server { status }
                });
            }
        };
    if !answer.success {
        return Err(refusal(answer.errors.as_ref(), status, password));
    }
    if !ok_status {
        return Err(invalid(format!(
            "it reported success with the error status HTTP {status}"
        )));
    }
    let data = answer
        .data
        .ok_or_else(|| invalid("the answer lacks the field `data`"))?;
    let access_token = AccessToken::new(data.access_token)
        .map_err(|_| invalid("the access token is empty or contains unusable characters"))?;
    let expires_at = u64::try_from(data.expiry)
        .ok()
        .and_then(|secs| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
        .ok_or_else(|| invalid("the token's expiry is not a valid time"))?;
    Ok(TokenSet {
        access_token,
        refresh_token: None,
        expires_at: Some(expires_at),
        scope: Vec::new(),
    })
}

/// `{"success":false,"errors":{"code":..,"message":..}}` as an error; `errors` may also be a
/// list of such objects. Code 401 (or HTTP 401) means wrong credentials.
fn refusal(errors: Option<&Value>, status: u16, password: &str) -> AuthError {
    let first = match errors {
        Some(Value::Array(list)) => list.first(),
        other => other,
    };
    let code = first
        .and_then(|e| e.get("code"))
        .and_then(|code| match code {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        });
    let message = first.and_then(|e| e.get("message")).and_then(Value::as_str);
    if status == 401 || code.as_deref() == Some("401") {
        return AuthError::BadCredentials;
    }
    let code = code.unwrap_or_else(|| status.to_string());
    crate::exchange::errors::rejected(&code, message, &[password])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_info_names_this_computer_within_200_characters() {
        let info = device_info();
        assert!(info.starts_with(&format!("Telltale {} on ", env!("CARGO_PKG_VERSION"))));
        assert!(info.contains(std::env::consts::OS), "{info}");
        assert!(info.chars().count() <= MAX_DEVICE_INFO_CHARS);
        assert!(!info.chars().any(char::is_control));
    }

    #[test]
    fn cutting_keeps_whole_characters() {
        let text = "é".repeat(300);
        let cut = cut_to_chars(&text, MAX_DEVICE_INFO_CHARS);
        assert_eq!(cut.chars().count(), 200);
        assert_eq!(cut.len(), 400);
        assert_eq!(cut_to_chars("short", 200), "short");
        assert_eq!(cut_to_chars("", 200), "");
    }

    #[test]
    fn answers_are_read_strictly() {
        let ok = br#"{"success":true,"data":{"access_token":"abc","expiry":1700000100}}"#;
        let tokens = read_answer(200, ok, "pw").expect("token");
        assert_eq!(
            tokens.expires_at,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_100))
        );
        let cases: [(u16, &[u8]); 6] = [
            (200, br#"{"success":true}"#),
            (200, br#"{"success":true,"data":{"access_token":"abc"}}"#),
            (
                200,
                br#"{"success":true,"data":{"access_token":"abc","expiry":-5}}"#,
            ),
            (
                200,
                br#"{"success":true,"data":{"access_token":"a b","expiry":5}}"#,
            ),
            (
                400,
                br#"{"success":true,"data":{"access_token":"abc","expiry":5}}"#,
            ),
            (302, b""),
        ];
        for (status, body) in cases {
            assert!(
                matches!(
                    read_answer(status, body, "pw"),
                    Err(AuthError::InvalidResponse { .. })
                ),
                "{status} {}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn refusals_say_the_server_message_without_the_password() {
        let body =
            br#"{"success":false,"errors":[{"code":400,"message":"hunter2 is not allowed"}]}"#;
        let err = read_answer(400, body, "hunter2").expect_err("refused");
        assert_eq!(
            err,
            AuthError::Rejected {
                error: "400".into(),
                description: Some("<redacted> is not allowed".into())
            }
        );
        let bare = read_answer(403, br#"{"success":false}"#, "pw").expect_err("refused");
        assert_eq!(
            bare.to_string(),
            "the sign-in server refused the request (403)"
        );
    }
}
