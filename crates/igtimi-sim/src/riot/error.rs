//! Errors of the Riot dialect. The real service answers them as plain text (a servlet's
//! message), not as JSON, so clients that parse the body as JSON are caught out here too.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Why a Riot request failed; every variant carries the plain-text message sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RiotError {
    /// No, unknown or wrong credentials: 401.
    Unauthorized(String),
    /// Too many unknown bearer tokens from this address: 401 with `Retry-After`.
    LockedOut { retry_after_secs: i64 },
    /// A missing or malformed parameter or body: 400.
    BadRequest(String),
    /// Signed in, but not allowed (not the device's owner, another user's record): 403.
    Forbidden(String),
    /// No such window or endpoint: 404.
    NotFound(String),
    /// `create_user` refused the account (weak password, name taken, field missing): 412.
    Precondition(String),
    /// Something failed inside the simulator: 500.
    Internal(String),
}

impl RiotError {
    pub fn bad(message: impl Into<String>) -> Self {
        RiotError::BadRequest(message.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            RiotError::Unauthorized(_) | RiotError::LockedOut { .. } => StatusCode::UNAUTHORIZED,
            RiotError::BadRequest(_) => StatusCode::BAD_REQUEST,
            RiotError::Forbidden(_) => StatusCode::FORBIDDEN,
            RiotError::NotFound(_) => StatusCode::NOT_FOUND,
            RiotError::Precondition(_) => StatusCode::PRECONDITION_FAILED,
            RiotError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The plain-text message.
    pub fn message(&self) -> String {
        match self {
            RiotError::LockedOut { retry_after_secs } => format!(
                "Too many invalid access tokens from this address: locked out for \
                 {retry_after_secs} more seconds"
            ),
            RiotError::Unauthorized(m)
            | RiotError::BadRequest(m)
            | RiotError::Forbidden(m)
            | RiotError::NotFound(m)
            | RiotError::Precondition(m)
            | RiotError::Internal(m) => m.clone(),
        }
    }
}

impl IntoResponse for RiotError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), self.message()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        match self {
            RiotError::LockedOut { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
            RiotError::Unauthorized(_) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"riot\""),
                );
            }
            _ => {}
        }
        response
    }
}

/// Result of a Riot handler.
pub type RiotResult<T> = Result<T, RiotError>;
