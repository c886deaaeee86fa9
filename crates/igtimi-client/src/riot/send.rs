//! Sending one Riot request: the token as `Authorization: Bearer`, a body as a form or JSON,
//! and every unsuccessful answer turned into an [`ApiError`] with the server's own words
//! (Riot's errors are plain text, not `{"error": ..}` objects).

use super::RiotClient;
use crate::body::{decode_json, quote, read_capped, read_capped_once};
use crate::client::JSON_BODY_LIMIT;
use crate::retry::{with_retries, Failure};
use crate::{AccessToken, ApiError};
use reqwest::header::{HeaderValue, ACCEPT};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Cap for reading the body of an error answer (only its message is wanted).
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// What a request carries besides its query.
pub(super) enum Body<'a> {
    None,
    /// A form: the sign-in's user name and password.
    Form(&'a [(&'a str, &'a str)]),
    /// A JSON document (`POST devices`, `POST data_access_windows`).
    Json(serde_json::Value),
}

impl RiotClient {
    /// Sends one request and checks the status. `token` is `None` only for the sign-in.
    pub(super) async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Body<'_>,
        token: Option<&AccessToken>,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response, ApiError> {
        self.check_transport()?;
        let mut url = self.inner.base.join(path).map_err(|err| ApiError::Config {
            detail: format!("cannot build the URL for {path}: {err}"),
        })?;
        if !query.is_empty() {
            url.set_query(Some(&crate::request::encode(query)));
        }
        let http = self
            .inner
            .http
            .get_for(&url)
            .map_err(|detail| ApiError::Config { detail })?;
        let mut builder = http
            .request(method, url)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        builder = match body {
            Body::None => builder,
            Body::Form(fields) => builder.form(fields),
            Body::Json(value) => builder.json(&value),
        };
        if let Some(token) = token {
            builder = builder.bearer_auth(token.expose_secret());
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        let response = builder
            .send()
            .await
            .map_err(|err| self.inner.transport_error(&err))?;
        let secret = token.map(AccessToken::expose_secret).unwrap_or_default();
        check(response, secret).await
    }

    /// A GET read whole (capped) and parsed as `T`, retried like the old API's reading calls.
    pub(super) async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(String, String)],
        token: &AccessToken,
    ) -> Result<T, ApiError> {
        let body = with_retries(&self.inner.retry, || async {
            let response = self
                .send(Method::GET, path, query, Body::None, Some(token), None)
                .await
                .map_err(Failure::from)?;
            read_capped_once(response, JSON_BODY_LIMIT).await
        })
        .await?;
        decode_json(&body, token.expose_secret())
    }

    /// A request that changes something (never retried: a lost answer may hide a done change).
    pub(super) async fn change(
        &self,
        method: Method,
        path: &str,
        body: Body<'_>,
        token: Option<&AccessToken>,
    ) -> Result<Vec<u8>, ApiError> {
        let response = self.send(method, path, &[], body, token, None).await?;
        read_capped(response, JSON_BODY_LIMIT).await
    }
}

/// An answer's status as an error: 401 is [`ApiError::Unauthorized`], other 4xx
/// [`ApiError::Refused`] with the server's plain-text message, 5xx [`ApiError::Server`].
async fn check(response: reqwest::Response, secret: &str) -> Result<reqwest::Response, ApiError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    if !status.is_client_error() {
        return Err(ApiError::Server {
            status: status.as_u16(),
        });
    }
    if status == StatusCode::UNAUTHORIZED {
        return Err(ApiError::Unauthorized);
    }
    let body = read_capped(response, ERROR_BODY_LIMIT)
        .await
        .unwrap_or_default();
    Err(ApiError::Refused {
        status: status.as_u16(),
        reason: message_of(&body, secret)
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("").to_owned()),
    })
}

/// The server's message: a short plain text, or the `error`/`message` of a JSON object; not
/// an HTML page.
pub(super) fn message_of(body: &[u8], secret: &str) -> Option<String> {
    if let Some(reported) = crate::body::reported_error(body, secret) {
        return Some(reported);
    }
    let text = std::str::from_utf8(body).ok()?.trim();
    if text.is_empty() || text.starts_with('<') {
        return None;
    }
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) {
        let message = map.get("message").and_then(|m| m.as_str())?;
        return Some(quote(message, secret));
    }
    Some(quote(text, secret))
}

#[cfg(test)]
mod tests {
    use super::message_of;

    #[test]
    fn plain_text_json_and_html_error_bodies() {
        assert_eq!(
            message_of(b"Password too weak", "").as_deref(),
            Some("Password too weak")
        );
        assert_eq!(
            message_of(br#"{"message":"nope"}"#, "").as_deref(),
            Some("nope")
        );
        assert_eq!(message_of(b"<html>500</html>", ""), None);
        assert_eq!(message_of(b"  ", ""), None);
        assert_eq!(
            message_of(b"bad token SECRET", "SECRET").as_deref(),
            Some("bad token <redacted>")
        );
    }
}
