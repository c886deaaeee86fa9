//! Iternio's OAuth2 dialect: the token call and the user-info call. (The authorize page,
//! `/iternio/1/oauth/authorize`, belongs to the OAuth work: it redirects with `auth_code`
//! and `state`, and keeps `state` in the stored [`crate::store::AuthCode`].)
//!
//! `POST /iternio/1/oauth/token` takes `grant_type` (only `authorization_code`, also the
//! default), `client_id` (numeric), `client_secret` (the API key), `code` and `redirect_uri`
//! (the one of the authorize call), from a form body, a JSON object or the query string, and
//! answers `{"user_token":..,"token_type":"Bearer","state":<state of the authorize call>}`.
//! The token never expires ("can be stored and reused as many times as needed"). Errors are
//! `{"error":..,"error_description":..}` with 400 or 401.
//!
//! `GET /iternio/1/oauth/userinfo` with `Authorization: Bearer <user_token>` answers
//! `{"id":..,"name":"<full name>","email":..}`.

use super::raw;
use crate::api::auth::bearer_token;
use crate::config::TokenLifetime;
use crate::params::{is_form, Params};
use crate::server::Shared;
use crate::store::{secrets_equal, GrantError};
use crate::world::Dialect;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

/// Where the token call lives.
pub const TOKEN_PATH: &str = "/iternio/1/oauth/token";
/// Where the user-info call lives.
pub const USERINFO_PATH: &str = "/iternio/1/oauth/userinfo";
/// Largest JSON body the token call reads.
const MAX_JSON_BYTES: usize = 64 * 1024;

/// The Iternio routes of this module.
pub fn router() -> Router<Shared> {
    Router::new()
        .route(TOKEN_PATH, post(token).fallback(method_not_allowed))
        .route(USERINFO_PATH, get(userinfo).fallback(method_not_allowed))
}

fn error(status: StatusCode, code: &str, description: &str) -> Response {
    let mut response = (
        status,
        Json(json!({ "error": code, "error_description": description })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        let challenge = format!("Bearer realm=\"Iternio\", error=\"{code}\"");
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
    }
    response
}

fn invalid_request(description: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

fn invalid_client(description: &str) -> Response {
    error(StatusCode::UNAUTHORIZED, "invalid_client", description)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// The query string plus a form or JSON body. JSON numbers (a numeric `client_id`) are
/// taken as their text.
async fn read_params(req: Request) -> Result<Params, Response> {
    if is_form(req.headers().get(header::CONTENT_TYPE)) || !is_json(req.headers()) {
        return Params::from_request(req, &()).await;
    }
    let mut params = Params::from_query(req.uri().query());
    let body = Bytes::from_request(req, &())
        .await
        .map_err(IntoResponse::into_response)?;
    if body.len() > MAX_JSON_BYTES {
        return Err(invalid_request("The JSON body is too large"));
    }
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| invalid_request(&format!("The body is not valid JSON: {e}")))?;
    let Value::Object(fields) = value else {
        return Err(invalid_request("The JSON body must be an object"));
    };
    for (key, value) in fields {
        let text = match value {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Null => continue,
            _ => {
                return Err(invalid_request(&format!(
                    "{key} must be a string or a number"
                )))
            }
        };
        params.0.push((key, text));
    }
    Ok(params)
}

async fn token(State(state): State<Shared>, req: Request) -> Response {
    let params = match read_params(req).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let grant_type = raw(&params, "grant_type")
        .filter(|g| !g.is_empty())
        .unwrap_or("authorization_code");
    if grant_type != "authorization_code" {
        return error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("grant_type must be authorization_code, got {grant_type:?}"),
        );
    }
    let Some(client_id) = raw(&params, "client_id").filter(|c| !c.is_empty()) else {
        return invalid_request("client_id is required");
    };
    if !client_id.bytes().all(|b| b.is_ascii_digit()) {
        return invalid_request(&format!("client_id must be numeric, got {client_id:?}"));
    }
    let Some(client) = state.world.client(client_id) else {
        return invalid_client(&format!("No client has the id {client_id}"));
    };
    if client.dialect != Dialect::Iternio {
        return invalid_client(&format!(
            "Client {client_id} is not registered for Iternio's OAuth2"
        ));
    }
    let Some(secret) = raw(&params, "client_secret").filter(|s| !s.is_empty()) else {
        return invalid_client("client_secret (the API key) is required");
    };
    let secret_ok = client
        .client_secret
        .as_deref()
        .is_some_and(|expected| secrets_equal(expected, secret));
    if !secret_ok {
        return invalid_client("The client_secret (API key) is wrong");
    }
    let Some(code) = raw(&params, "code").filter(|c| !c.is_empty()) else {
        return invalid_request("code is required");
    };
    let Some(redirect_uri) = raw(&params, "redirect_uri").filter(|r| !r.is_empty()) else {
        return invalid_request("redirect_uri is required");
    };
    let now = state.clock.now_secs();
    let redeemed = state
        .store
        .redeem_code(code, now, TokenLifetime::Never, |stored| {
            if stored.client_id != client_id {
                return Err(GrantError(
                    "The authorization code was issued to another client".into(),
                ));
            }
            if stored.redirect_uri != redirect_uri {
                return Err(GrantError(
                    "redirect_uri does not match the one of the authorize call".into(),
                ));
            }
            Ok(())
        });
    match redeemed {
        Ok((record, issued)) => {
            let body = json!({
                "user_token": issued.access_token,
                "token_type": "Bearer",
                "state": record.state,
            });
            let mut response = Json(body).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(GrantError(description)) => {
            error(StatusCode::BAD_REQUEST, "invalid_grant", &description)
        }
    }
}

async fn userinfo(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let unauthorized =
        |description: &str| error(StatusCode::UNAUTHORIZED, "invalid_token", description);
    let Some(token) = bearer_token(&headers) else {
        return unauthorized("An Authorization: Bearer <user_token> header is required");
    };
    let record = match state
        .store
        .authenticate(Some(&token), state.clock.now_secs())
    {
        Ok(record) => record,
        Err(rejection) => return unauthorized(rejection.describe()),
    };
    let iternio_client = state
        .world
        .client(&record.client_id)
        .is_some_and(|c| c.dialect == Dialect::Iternio);
    if !iternio_client {
        return unauthorized("The token was not issued through Iternio's OAuth2");
    }
    let Some(user) = state.world.user(record.user_id) else {
        return unauthorized("The token's user no longer exists");
    };
    Json(json!({ "id": user.id, "name": user.full_name(), "email": user.email })).into_response()
}

async fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "invalid_request",
        "The token call takes POST and the user-info call GET",
    )
}
