//! The username/password token API ("Generating a Token"): `POST /v1/oauth/` with
//! `username`, `password`, optional `device-info` (at most 200 characters) and `debug`
//! (0 or 1), from the query string as documented or from a form body.
//!
//! Success: `{"success":true,"data":{"access_token":"<64 hex>","expiry":<unix s>}}`, a token
//! valid for 30 days on the REST API. Failure: `{"success":false,"errors":{"code":..,
//! "message":..}}` with 400 (bad request) or 401 (bad credentials), plus a `debug` object
//! saying which credential was wrong when `debug=1`.
//!
//! The documented alternative path `/v1/add/index.php` does the same. Without the trailing
//! slash, `/v1/oauth` answers 301 to `/v1/oauth/` the way the documented XAMPP Apache does,
//! which is how a POST there loses its body.

use super::raw;
use crate::params::Params;
use crate::server::Shared;
use crate::store::Origin;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

/// The path with the trailing slash the API needs.
pub const TOKEN_PATH: &str = "/v1/oauth/";
/// The documented alternative path.
pub const ALTERNATIVE_PATH: &str = "/v1/add/index.php";
/// The client id tokens of this API are issued to.
pub const TOKEN_API_CLIENT_ID: &str = "token-api";
/// "expires every 30 days".
pub const TOKEN_LIFETIME_SECS: i64 = 30 * 24 * 3600;
/// The documented maximum length of `device-info`, in characters.
pub const MAX_DEVICE_INFO_CHARS: usize = 200;

/// The token API's routes.
pub fn router() -> Router<Shared> {
    Router::new()
        .route(TOKEN_PATH, post(generate).fallback(method_not_allowed))
        .route(
            ALTERNATIVE_PATH,
            post(generate).fallback(method_not_allowed),
        )
        .route("/v1/oauth", any(add_trailing_slash))
}

/// A failure answer; `debug` is added only when the caller asked for debug mode.
fn failure(status: StatusCode, message: &str, debug: Option<(&str, &str)>) -> Response {
    let mut body = Map::new();
    body.insert("success".into(), Value::Bool(false));
    body.insert(
        "errors".into(),
        json!({ "code": status.as_u16(), "message": message }),
    );
    if let Some((key, text)) = debug {
        body.insert("debug".into(), json!({ key: text }));
    }
    (status, Json(Value::Object(body))).into_response()
}

fn bad_request(message: &str) -> Response {
    failure(StatusCode::BAD_REQUEST, message, None)
}

async fn generate(State(state): State<Shared>, params: Params) -> Response {
    let debug = match raw(&params, "debug").map(str::trim) {
        None | Some("0") => false,
        Some("1") => true,
        Some(other) => {
            return bad_request(&format!("debug must be 0 or 1, got {other:?}"));
        }
    };
    let Some(username) = raw(&params, "username").filter(|u| !u.trim().is_empty()) else {
        return bad_request("The username parameter is required");
    };
    let Some(password) = raw(&params, "password").filter(|p| !p.is_empty()) else {
        return bad_request("The password parameter is required");
    };
    if let Some(info) = raw(&params, "device-info") {
        let chars = info.chars().count();
        if chars > MAX_DEVICE_INFO_CHARS {
            return bad_request(&format!(
                "device-info must be at most {MAX_DEVICE_INFO_CHARS} characters, got {chars}"
            ));
        }
    }
    const BAD_CREDENTIALS: &str = "Invalid username or password";
    let Some(user) = state.world.user_by_email(username) else {
        let hint = debug.then_some(("username", "Username not found"));
        return failure(StatusCode::UNAUTHORIZED, BAD_CREDENTIALS, hint);
    };
    if !user.password_matches(password) {
        let hint = debug.then_some(("password", "Password incorrect"));
        return failure(StatusCode::UNAUTHORIZED, BAD_CREDENTIALS, hint);
    }
    let now = state.clock.now_secs();
    let expiry = now + TOKEN_LIFETIME_SECS;
    let access_token =
        state
            .store
            .issue_with_expiry(now, expiry, user.id, TOKEN_API_CLIENT_ID, Origin::TokenApi);
    let body = json!({
        "success": true,
        "data": { "access_token": access_token, "expiry": expiry },
    });
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn method_not_allowed() -> Response {
    let mut response = failure(
        StatusCode::METHOD_NOT_ALLOWED,
        "Tokens are generated with POST",
        None,
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

/// Apache's `DirectorySlash`: a permanent redirect to the path with a slash, query kept.
/// A client that follows it turns the POST into a GET and the body is gone.
async fn add_trailing_slash(req: Request) -> Response {
    let location = match req.uri().query() {
        Some(query) => format!("{TOKEN_PATH}?{query}"),
        None => TOKEN_PATH.to_string(),
    };
    let page = format!(
        "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n\
         <title>301 Moved Permanently</title>\n</head><body>\n<h1>Moved Permanently</h1>\n\
         <p>The document has moved <a href=\"{}\">here</a>.</p>\n</body></html>\n",
        crate::pages::escape(&location)
    );
    let mut response = (StatusCode::MOVED_PERMANENTLY, Html(page)).into_response();
    match HeaderValue::from_str(&location) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
        }
        Err(_) => {
            // The query came from a valid request URI, so this cannot happen; answer without
            // the query rather than fail.
            response
                .headers_mut()
                .insert(header::LOCATION, HeaderValue::from_static(TOKEN_PATH));
        }
    }
    response
}
