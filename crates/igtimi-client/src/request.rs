//! Sending one API request: parameters form-encoded (a long query goes as a `_method=GET`
//! POST), the token as `Authorization: Bearer`, and every non-success answer turned into an
//! [`ApiError`] that carries the server's reason where it gave one.

use crate::body::{decode_json, quote, read_capped, read_capped_once, reported_error};
use crate::client::{IgtimiClient, JSON_BODY_LIMIT};
use crate::retry::{with_retries, Failure};
use crate::{AccessToken, ApiError};
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::Duration;

/// Longest query string sent in the URL; longer parameter lists are POSTed with
/// `_method=GET` in a form body, as Igtimi allows, so no proxy refuses an overlong URL.
pub const MAX_QUERY_BYTES: usize = 6000;

/// Cap for reading the body of an error answer (only its reason is wanted).
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// Request parameters in order: `("serial_numbers[]", "AA-1")`, `("types[9]", "0")`.
pub(crate) type Params = Vec<(String, String)>;

/// How a 401 is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum On401 {
    /// Any 401 means the token is no good.
    TokenRejected,
    /// Igtimi's `sessions/{id}` quirk: 401 also means "you may not read this one"; only a 401
    /// that names the token (`invalid_token`) means the token is no good.
    MaybeForbidden,
}

/// The form encoding of `params` (`a=1&serial_numbers%5B%5D=X`).
pub(crate) fn encode(params: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

impl IgtimiClient {
    /// Sends an authenticated GET (or `_method=GET` POST) and checks the status.
    pub(crate) async fn send(
        &self,
        path: &str,
        params: &[(String, String)],
        token: &AccessToken,
        timeout: Option<Duration>,
        on_401: On401,
    ) -> Result<reqwest::Response, ApiError> {
        let mut url = self.base.join(path).map_err(|err| ApiError::Config {
            detail: format!("cannot build the URL for {path}: {err}"),
        })?;
        let http = self
            .http
            .get_for(&url)
            .map_err(|detail| ApiError::Config { detail })?;
        let query = encode(params);
        let builder = if query.len() <= MAX_QUERY_BYTES {
            if !query.is_empty() {
                url.set_query(Some(&query));
            }
            http.get(url)
        } else {
            http.post(url)
                .header(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                )
                .body(format!("_method=GET&{query}"))
        };
        let mut builder = builder
            .bearer_auth(token.expose_secret())
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        let response = builder
            .send()
            .await
            .map_err(|err| self.transport_error(&err))?;
        check_answer(response, token.expose_secret(), on_401).await
    }

    /// GET `path` and parse the JSON answer as `T`.
    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &[(String, String)],
        token: &AccessToken,
    ) -> Result<T, ApiError> {
        let (_, body) = self
            .get_body(path, params, token, On401::TokenRejected)
            .await?;
        decode_json(&body, token.expose_secret())
    }

    /// GET `path` and read its whole body (capped at [`JSON_BODY_LIMIT`]), retried per the
    /// client's [`crate::RetryPolicy`] when the failure may pass: a GET changes nothing on
    /// the server, so another try is always safe. Returns the status with the body.
    async fn get_body(
        &self,
        path: &str,
        params: &[(String, String)],
        token: &AccessToken,
        on_401: On401,
    ) -> Result<(u16, Vec<u8>), ApiError> {
        with_retries(&self.retry, || async {
            let response = self
                .send(path, params, token, None, on_401)
                .await
                .map_err(Failure::from)?;
            let status = response.status().as_u16();
            let body = read_capped_once(response, JSON_BODY_LIMIT).await?;
            Ok((status, body))
        })
        .await
    }

    /// GET `path` and read `{"<plural>": [{"<singular>": {..}}, ..]}` as a list of `T`.
    pub(crate) async fn get_list<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &[(String, String)],
        token: &AccessToken,
        plural: &str,
        singular: &str,
    ) -> Result<Vec<T>, ApiError> {
        let secret = token.expose_secret();
        let value = self
            .get_value(path, params, token, On401::TokenRejected)
            .await?;
        let items = value
            .get(plural)
            .and_then(Value::as_array)
            .ok_or_else(|| lacks(&format!("no \"{plural}\" list")))?;
        items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let inner = item.get(singular).unwrap_or(item);
                T::deserialize(inner).map_err(|err| {
                    lacks(&format!(
                        "{singular} {}: {}",
                        index + 1,
                        quote(&err.to_string(), secret)
                    ))
                })
            })
            .collect()
    }

    /// GET `path` and read `{"<key>": {..}}` as one `T`.
    pub(crate) async fn get_one<T: DeserializeOwned>(
        &self,
        path: &str,
        token: &AccessToken,
        key: &str,
        on_401: On401,
    ) -> Result<T, ApiError> {
        let value = self.get_value(path, &[], token, on_401).await?;
        let inner = value
            .get(key)
            .ok_or_else(|| lacks(&format!("no \"{key}\"")))?;
        T::deserialize(inner).map_err(|err| lacks(&quote(&err.to_string(), token.expose_secret())))
    }

    /// GET `path` as a JSON value; an `{"error": ..}` object is [`ApiError::Refused`].
    async fn get_value(
        &self,
        path: &str,
        params: &[(String, String)],
        token: &AccessToken,
        on_401: On401,
    ) -> Result<Value, ApiError> {
        let (status, body) = self.get_body(path, params, token, on_401).await?;
        let value: Value = decode_json(&body, token.expose_secret())?;
        if value.get("error").is_some_and(Value::is_string) {
            return Err(ApiError::Refused {
                status,
                reason: reported_error(&body, token.expose_secret()).unwrap_or_default(),
            });
        }
        Ok(value)
    }
}

/// An answer's status as an error: 401 per `on_401`, other 4xx as [`ApiError::Refused`]
/// with the server's reason, anything else unsuccessful as [`ApiError::Server`].
async fn check_answer(
    response: reqwest::Response,
    secret: &str,
    on_401: On401,
) -> Result<reqwest::Response, ApiError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    if !status.is_client_error() {
        return Err(ApiError::Server {
            status: status.as_u16(),
        });
    }
    let names_token = response
        .headers()
        .get(WWW_AUTHENTICATE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("invalid_token"));
    if status == StatusCode::UNAUTHORIZED && (on_401 == On401::TokenRejected || names_token) {
        return Err(ApiError::Unauthorized);
    }
    let body = read_capped(response, ERROR_BODY_LIMIT)
        .await
        .unwrap_or_default();
    if status == StatusCode::UNAUTHORIZED && error_code(&body).as_deref() == Some("invalid_token") {
        return Err(ApiError::Unauthorized);
    }
    let reason = reported_error(&body, secret)
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("").to_owned());
    Err(ApiError::Refused {
        status: status.as_u16(),
        reason,
    })
}

/// The `error` string of an `{"error": ..}` body.
fn error_code(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    value.get("error")?.as_str().map(str::to_owned)
}

fn lacks(detail: &str) -> ApiError {
    ApiError::InvalidResponse {
        detail: format!("the JSON answer lacks expected data ({detail})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_form_encoded_with_brackets() {
        let params = vec![
            ("start_time".to_string(), "1".to_string()),
            ("serial_numbers[]".to_string(), "AA BT&1".to_string()),
            ("types[9]".to_string(), "0".to_string()),
        ];
        assert_eq!(
            encode(&params),
            "start_time=1&serial_numbers%5B%5D=AA+BT%261&types%5B9%5D=0"
        );
    }
}
