//! `POST /oauth/token` (RFC 6749 §3.2, §5).

use super::client_auth::{self, AuthenticatedClient};
use super::error::{OAuthError, NO_STORE};
use super::fields::Fields;
use super::grants;
use crate::server::Shared;
use crate::store::IssuedTokens;
use crate::world::Dialect;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// Exchanges a grant for tokens.
pub async fn exchange(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    match exchange_inner(&state, &headers, &body) {
        Ok(issued) => (NO_STORE, Json(success_body(&issued))).into_response(),
        Err(error) => error.into_response(),
    }
}

fn exchange_inner(
    state: &crate::server::AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<IssuedTokens, OAuthError> {
    let fields = Fields::from_form(headers, body).map_err(OAuthError::invalid_request)?;
    let client: AuthenticatedClient = client_auth::authenticate(state, headers, &fields)?;
    if client.client.dialect == Dialect::Iternio {
        return Err(OAuthError::unauthorized_client(
            "This client speaks Iternio's dialect; use /iternio/1/oauth/token",
        ));
    }
    let grant_type = fields
        .one("grant_type")
        .map_err(OAuthError::invalid_request)?
        .ok_or_else(|| OAuthError::invalid_request("grant_type is required"))?;
    match grant_type {
        "authorization_code" => grants::authorization_code(state, &client, &fields),
        "password" => grants::password(state, &client, &fields),
        "client_credentials" => grants::client_credentials(state, &client, &fields),
        "refresh_token" => grants::refresh(state, &client, &fields),
        other => Err(OAuthError::unsupported_grant_type(format!(
            "grant_type {other:?} is not supported; use authorization_code, password, \
client_credentials or refresh_token"
        ))),
    }
}

/// The success body (RFC 6749 §5.1, with Doorkeeper's `created_at`).
fn success_body(issued: &IssuedTokens) -> Value {
    let mut body = json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "created_at": issued.created_at,
        "scope": issued.scope,
    });
    if let Some(expires_in) = issued.expires_in {
        body["expires_in"] = json!(expires_in);
    }
    if let Some(refresh) = &issued.refresh_token {
        body["refresh_token"] = json!(refresh);
    }
    body
}
