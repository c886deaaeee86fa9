//! `POST /oauth/revoke` (RFC 7009).

use super::client_auth;
use super::error::{OAuthError, NO_STORE};
use super::fields::Fields;
use crate::server::Shared;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

/// Revokes an access or refresh token of the authenticated client. Unknown tokens, and
/// tokens of other clients, are answered with 200 as well (RFC 7009 §2.2), so the answer
/// tells nothing about them.
pub async fn revoke(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let result = (|| {
        let fields = Fields::from_form(&headers, &body).map_err(OAuthError::invalid_request)?;
        let client = client_auth::authenticate(&state, &headers, &fields)?;
        let token = fields
            .one("token")
            .map_err(OAuthError::invalid_request)?
            .ok_or_else(|| OAuthError::invalid_request("token is required"))?;
        // token_type_hint only speeds up a lookup (RFC 7009 §2.1); the store searches both
        // kinds anyway, so it is accepted and not needed.
        fields
            .one("token_type_hint")
            .map_err(OAuthError::invalid_request)?;
        state.store.revoke(token, &client.client.client_id);
        Ok::<(), OAuthError>(())
    })();
    match result {
        Ok(()) => (NO_STORE, "").into_response(),
        Err(error) => error.into_response(),
    }
}
