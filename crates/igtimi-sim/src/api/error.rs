//! Errors of the REST API, each rendered as a JSON body with a fitting status.

use crate::store::TokenRejection;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Why an API request failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// Missing, unknown, revoked or expired access token: 401 `invalid_token`.
    Token(TokenRejection),
    /// A parameter is missing or malformed: 400 `invalid_request`, the message names it.
    BadParameter(String),
    /// `resources/data` asked for more than the server's longest span: 400 `span_too_long`.
    SpanTooLong(String),
    /// No such object (or none the user may see): 404 `not_found`.
    NotFound(String),
    /// Igtimi's quirk: a session the token cannot read answers 401 `unauthorized`.
    SessionForbidden(u64),
    /// Something failed inside the server: 500.
    Internal(String),
}

impl ApiError {
    /// A 400 for a parameter, with a message that names it.
    pub fn bad(message: impl Into<String>) -> Self {
        ApiError::BadParameter(message.into())
    }

    /// The status code this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Token(_) | ApiError::SessionForbidden(_) => StatusCode::UNAUTHORIZED,
            ApiError::BadParameter(_) | ApiError::SpanTooLong(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            ApiError::Token(rejection) => {
                let body = json!({
                    "error": "invalid_token",
                    "error_description": rejection.describe(),
                });
                let mut response = (status, Json(body)).into_response();
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
                response
            }
            ApiError::BadParameter(reason) => error_body(status, "invalid_request", &reason),
            ApiError::SpanTooLong(reason) => error_body(status, "span_too_long", &reason),
            ApiError::NotFound(reason) => error_body(status, "not_found", &reason),
            ApiError::SessionForbidden(id) => error_body(
                status,
                "unauthorized",
                &format!("You are not allowed to read session {id}"),
            ),
            ApiError::Internal(reason) => error_body(status, "internal_error", &reason),
        }
    }
}

/// `{"error": code, "reason": reason}`, the shape `resources/data` documents, used throughout.
fn error_body(status: StatusCode, code: &str, reason: &str) -> Response {
    (status, Json(json!({ "error": code, "reason": reason }))).into_response()
}

/// Result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;
