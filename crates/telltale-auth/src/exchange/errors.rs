//! Turning oauth2's request errors and raw error answers into [`AuthError`]s, with every
//! secret of the request scrubbed from server-provided text.

use crate::error::clean_server_text;
use crate::{AuthError, TransportError};
use oauth2::{ErrorResponseType, RequestTokenError, StandardErrorResponse};

/// Longest OAuth error code kept.
const MAX_ERROR_CODE_CHARS: usize = 64;

/// Maps a failed token request. `secrets` are the values the request carried (code,
/// verifier, refresh token); the server might echo them in a description.
pub(crate) fn from_request_error<T>(
    err: RequestTokenError<TransportError, StandardErrorResponse<T>>,
    secrets: &[&str],
) -> AuthError
where
    T: ErrorResponseType + AsRef<str> + std::fmt::Display + 'static,
{
    match err {
        RequestTokenError::ServerResponse(answer) => rejected(
            answer.error().as_ref(),
            answer.error_description().map(String::as_str),
            secrets,
        ),
        RequestTokenError::Request(transport) => transport.into(),
        RequestTokenError::Parse(parse_err, body) => AuthError::InvalidResponse {
            detail: explain_parse_error(&parse_err, &body),
        },
        RequestTokenError::Other(message) => AuthError::InvalidResponse {
            detail: clean_server_text(&message, secrets),
        },
    }
}

/// An OAuth error answer as [`AuthError::Rejected`], cleaned.
pub(crate) fn rejected(error: &str, description: Option<&str>, secrets: &[&str]) -> AuthError {
    let error: String = clean_server_text(error, secrets)
        .chars()
        .take(MAX_ERROR_CODE_CHARS)
        .collect();
    AuthError::Rejected {
        error,
        description: description
            .map(|text| clean_server_text(text, secrets))
            .filter(|text| !text.is_empty()),
    }
}

/// Explains a token answer that is not valid OAuth JSON without quoting any value from it
/// (a malformed success answer could still hold a token).
pub(crate) fn explain_parse_error(
    err: &serde_path_to_error::Error<serde_json::Error>,
    body: &[u8],
) -> String {
    use serde_json::error::Category;
    let inner = err.inner();
    match inner.classify() {
        _ if body.trim_ascii_start().starts_with(b"<") => {
            "the server sent a web page (HTML) where JSON was expected".into()
        }
        Category::Eof => "the JSON answer was cut off before it was complete".into(),
        Category::Syntax | Category::Io => "the answer is not valid JSON".into(),
        Category::Data => {
            let message = inner.to_string();
            match message.strip_prefix("missing field ") {
                // serde names the field only: safe to repeat.
                Some(rest) => format!(
                    "the answer lacks the field {}",
                    rest.split(' ').next().unwrap_or("?")
                ),
                None => format!("the field `{}` has an unexpected type or value", err.path()),
            }
        }
    }
}
