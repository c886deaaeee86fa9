//! Reading answers with a size cap and turning them into typed values with clear errors.

use crate::retry::Failure;
use crate::ApiError;
use serde::de::DeserializeOwned;

/// Longest excerpt of a server-provided text quoted in an error message.
const MAX_QUOTED_CHARS: usize = 120;
/// Longest server-provided reason quoted in a refusal (reasons explain what to change).
const MAX_REASON_CHARS: usize = 400;

/// Reads a response body, refusing (without buffering) anything over `limit` bytes: a
/// `Content-Length` over the limit fails before any byte is read, and a body without one
/// fails as soon as the running total passes the limit.
pub(crate) async fn read_capped(
    response: reqwest::Response,
    limit: u64,
) -> Result<Vec<u8>, ApiError> {
    read_capped_once(response, limit).await.map_err(|f| f.error)
}

/// Like [`read_capped`], telling apart a body that broke off or stalled (which may pass) from
/// one that is too large (which will not).
pub(crate) async fn read_capped_once(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Vec<u8>, Failure> {
    if response.content_length().is_some_and(|len| len > limit) {
        return Err(Failure::lasting(ApiError::TooLarge { limit_bytes: limit }));
    }
    let mut body = Vec::new();
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(body),
            Err(err) if err.is_timeout() => return Err(Failure::passing(ApiError::Timeout)),
            Err(_) => {
                return Err(Failure::passing(ApiError::InvalidResponse {
                    detail: "the answer was cut off before it was complete".into(),
                }))
            }
        };
        let total = body.len() as u64 + chunk.len() as u64;
        if total > limit {
            return Err(Failure::lasting(ApiError::TooLarge { limit_bytes: limit }));
        }
        body.extend_from_slice(&chunk);
    }
}

/// Parses a JSON answer, explaining HTML pages, non-JSON, cut-off JSON, missing fields and
/// `{"error": ..}` answers in plain words. Server text quoted in a message has every
/// occurrence of `secret` (the token the request carried) replaced, in case the server echoes it.
pub(crate) fn decode_json<T: DeserializeOwned>(body: &[u8], secret: &str) -> Result<T, ApiError> {
    let trimmed = body.trim_ascii_start();
    if trimmed.is_empty() {
        return Err(invalid("the answer was empty"));
    }
    if trimmed.starts_with(b"<") {
        return Err(invalid(
            "the server sent a web page (HTML) where JSON data was expected",
        ));
    }
    match serde_json::from_slice::<T>(body) {
        Ok(value) => Ok(value),
        Err(err) => Err(explain_json_error(body, &err, secret)),
    }
}

fn explain_json_error(body: &[u8], err: &serde_json::Error, secret: &str) -> ApiError {
    use serde_json::error::Category;
    match err.classify() {
        Category::Eof => invalid("the JSON answer was cut off before it was complete"),
        Category::Syntax | Category::Io => invalid("the answer is not valid JSON"),
        Category::Data => {
            if let Some(reported) = reported_error(body, secret) {
                return invalid(&format!(
                    "the server reported an error instead of data: {reported}"
                ));
            }
            invalid(&format!(
                "the JSON answer lacks expected data ({})",
                quote(&err.to_string(), secret)
            ))
        }
    }
}

/// The `error` (and `reason`) of an `{"error": "..", "reason": ".."}` answer, cleaned up.
pub(crate) fn reported_error(body: &[u8], secret: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?.as_str()?;
    let mut text = quote(error, secret);
    if let Some(reason) = value.get("reason").and_then(|r| r.as_str()) {
        text.push_str(" (");
        text.push_str(&quote_up_to(reason, secret, MAX_REASON_CHARS));
        text.push(')');
    }
    Some(text)
}

/// `text` with every occurrence of `secret` replaced by `<redacted>`.
fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        text.to_owned()
    } else {
        text.replace(secret, "<redacted>")
    }
}

/// Server text made safe to show: `secret` redacted (before any cut, so no part of it can
/// survive), control characters removed, length capped.
pub(crate) fn quote(text: &str, secret: &str) -> String {
    quote_up_to(text, secret, MAX_QUOTED_CHARS)
}

/// Like [`quote`], with a cap of `max_chars`.
fn quote_up_to(text: &str, secret: &str, max_chars: usize) -> String {
    let text = &redact(text, secret);
    let mut cleaned: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(max_chars)
        .collect();
    if text.chars().filter(|c| !c.is_control()).count() > max_chars {
        cleaned.push('…');
    }
    cleaned
}

fn invalid(detail: &str) -> ApiError {
    ApiError::InvalidResponse {
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::AccountEnvelope;

    fn detail_of(body: &str) -> String {
        match decode_json::<AccountEnvelope>(body.as_bytes(), "s3cret") {
            Err(ApiError::InvalidResponse { detail }) => detail,
            other => panic!("expected InvalidResponse, got {other:?}"),
        }
    }

    #[test]
    fn explains_each_kind_of_bad_answer() {
        assert!(detail_of("  <!DOCTYPE html><p>hi").contains("HTML"));
        assert!(detail_of("").contains("empty"));
        assert!(detail_of(r#"{"user":{"id":2,"#).contains("cut off"));
        assert!(detail_of("user=2").contains("not valid JSON"));
        assert!(detail_of(r#"{"user":{"first_name":"A"}}"#).contains("lacks expected data"));
        let reported = detail_of(r#"{"error":"forbidden","reason":"no\u0007 access"}"#);
        assert!(reported.contains("forbidden (no access)"), "{reported}");
    }

    #[test]
    fn echoed_secrets_are_redacted() {
        let detail = detail_of(r#"{"error":"token s3cret is unknown"}"#);
        assert!(!detail.contains("s3cret"), "{detail}");
        assert!(detail.contains("token <redacted> is unknown"), "{detail}");
        let padded = format!("{}s3cret", "y".repeat(MAX_QUOTED_CHARS - 3));
        assert!(!quote(&padded, "s3cret").contains("s3c"));
    }

    #[test]
    fn quoting_strips_controls_and_caps_length() {
        assert_eq!(quote("a\nb\u{1b}[31mc", "k"), "ab[31mc");
        let long = quote(&"x".repeat(500), "k");
        assert_eq!(long.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(long.ends_with('…'));
    }
}
