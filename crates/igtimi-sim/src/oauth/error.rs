//! Error responses of the token and revocation endpoints (RFC 6749 §5.2).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An OAuth error: `{"error", "error_description"}`, 400, or 401 for `invalid_client`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthError {
    pub error: &'static str,
    pub description: String,
    /// The client tried HTTP Basic: a 401 then carries `WWW-Authenticate`.
    pub basic_challenge: bool,
}

impl OAuthError {
    fn new(error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            error,
            description: description.into(),
            basic_challenge: false,
        }
    }

    /// The request is malformed.
    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new("invalid_request", description)
    }

    /// Client authentication failed; `basic` when HTTP Basic was used.
    pub fn invalid_client(description: impl Into<String>, basic: bool) -> Self {
        OAuthError {
            basic_challenge: basic,
            ..Self::new("invalid_client", description)
        }
    }

    /// A code, refresh token or password is invalid, expired, revoked or not the client's.
    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new("invalid_grant", description)
    }

    /// This client may not use this grant.
    pub fn unauthorized_client(description: impl Into<String>) -> Self {
        Self::new("unauthorized_client", description)
    }

    /// The grant type is not one this server knows.
    pub fn unsupported_grant_type(description: impl Into<String>) -> Self {
        Self::new("unsupported_grant_type", description)
    }

    /// The requested scope is unknown.
    pub fn invalid_scope(description: impl Into<String>) -> Self {
        Self::new("invalid_scope", description)
    }
}

/// Headers every token endpoint answer carries (RFC 6749 §5.1).
pub const NO_STORE: [(header::HeaderName, HeaderValue); 2] = [
    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    (header::PRAGMA, HeaderValue::from_static("no-cache")),
];

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let status = if self.error == "invalid_client" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        let body = Json(json!({"error": self.error, "error_description": self.description}));
        let mut response = (status, NO_STORE, body).into_response();
        if self.basic_challenge && status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"igtimi\""),
            );
        }
        response
    }
}
