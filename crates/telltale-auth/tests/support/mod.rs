//! A small Igtimi-style OAuth server for the exchange tests (axum on 127.0.0.1:0): an
//! authorize endpoint that approves at once (like a signed-in user who approved the app
//! before), a token endpoint that checks client, code, redirect URI and PKCE verifier, a
//! revocation endpoint, and `GET /api/v1/account` to prove issued tokens work.
//!
//! To re-point the tests at the simulator, replace [`OAuthServer::start`] and
//! [`authorize`] (which follows the authorize redirect) with the simulator's equivalents;
//! the tests only use `base`, `provider()`, `authorize()` and the `Behaviour` switches.

#![allow(dead_code)]

pub mod sim;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use telltale_auth::Provider;
use url::Url;

pub const CLIENT_ID: &str = "telltale-test-client";
pub const CLIENT_SECRET: &str = "telltale-test-secret";
pub const REDIRECT: &str = "io.telltale.app:/oauth/callback";

/// How the token endpoint behaves.
#[derive(Clone, Debug, PartialEq)]
pub enum Behaviour {
    /// Like Igtimi: tokens that never expire, no refresh token.
    Igtimi,
    /// Tokens with `expires_in` and a rotating refresh token.
    Expiring,
    /// An HTML error page with status 500.
    Html500,
    /// Waits this long before answering.
    Slow(Duration),
    /// An `invalid_grant` whose description echoes the submitted code.
    EchoingError,
    /// A 2 MiB answer.
    Huge,
    /// The user declines at the authorize step.
    Deny,
}

#[derive(Default)]
struct Codes {
    /// code -> PKCE challenge
    open: HashMap<String, String>,
    used: HashSet<String>,
    access: HashSet<String>,
    refresh: HashSet<String>,
    revoked: Vec<(String, String)>,
    counter: u64,
}

struct ServerState {
    behaviour: Mutex<Behaviour>,
    codes: Mutex<Codes>,
}

/// A running test server.
pub struct OAuthServer {
    pub base: Url,
    state: Arc<ServerState>,
}

impl OAuthServer {
    /// Starts the server on a free loopback port.
    pub async fn start(behaviour: Behaviour) -> Self {
        let state = Arc::new(ServerState {
            behaviour: Mutex::new(behaviour),
            codes: Mutex::new(Codes::default()),
        });
        let app = Router::new()
            .route("/oauth/authorize", get(authorize_endpoint))
            .route("/oauth/token", post(token_endpoint))
            .route("/oauth/revoke", post(revoke_endpoint))
            .route("/api/v1/account", get(account_endpoint))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base: Url::parse(&format!("http://127.0.0.1:{port}")).expect("base URL"),
            state,
        }
    }

    /// The demo client's provider settings for this server.
    pub fn provider(&self) -> Provider {
        Provider::igtimi(
            &self.base,
            CLIENT_ID,
            Some(CLIENT_SECRET.into()),
            Url::parse(REDIRECT).expect("redirect"),
        )
        .expect("provider")
    }

    /// Changes the token endpoint's behaviour.
    pub fn set_behaviour(&self, behaviour: Behaviour) {
        *self.state.behaviour.lock().expect("lock") = behaviour;
    }

    /// The tokens revoked so far, as (hint, token).
    pub fn revoked(&self) -> Vec<(String, String)> {
        self.state.codes.lock().expect("lock").revoked.clone()
    }
}

/// Opens the authorize URL like the login webview would and returns where the server
/// redirects (the raw callback URL).
pub async fn authorize(authorize_url: &Url) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    let response = http
        .get(authorize_url.clone())
        .send()
        .await
        .expect("authorize");
    assert_eq!(response.status(), reqwest::StatusCode::FOUND);
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("Location header")
        .to_owned()
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

fn redirect(location: String) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

async fn authorize_endpoint(
    State(state): State<Arc<ServerState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| q.get(name).cloned().unwrap_or_default();
    if field("client_id") != CLIENT_ID || field("redirect_uri") != REDIRECT {
        return (StatusCode::BAD_REQUEST, "unknown client or redirect URI").into_response();
    }
    if field("response_type") != "code" || field("code_challenge_method") != "S256" {
        return (StatusCode::BAD_REQUEST, "code flow with S256 only").into_response();
    }
    let state_param = field("state");
    if *state.behaviour.lock().expect("lock") == Behaviour::Deny {
        return redirect(format!(
            "{REDIRECT}?error=access_denied&state={state_param}"
        ));
    }
    let mut codes = state.codes.lock().expect("lock");
    codes.counter += 1;
    let code = format!("code{:060}", codes.counter);
    codes.open.insert(code.clone(), field("code_challenge"));
    redirect(format!("{REDIRECT}?code={code}&state={state_param}"))
}

/// Client authentication in the body or with HTTP Basic.
fn client_ok(headers: &HeaderMap, form: &HashMap<String, String>) -> bool {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b64| STANDARD.decode(b64).ok())
        .and_then(|raw| String::from_utf8(raw).ok());
    match basic {
        Some(pair) => pair == format!("{CLIENT_ID}:{CLIENT_SECRET}"),
        None => {
            form.get("client_id").map(String::as_str) == Some(CLIENT_ID)
                && form.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET)
        }
    }
}

async fn token_endpoint(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let behaviour = state.behaviour.lock().expect("lock").clone();
    match &behaviour {
        Behaviour::Html500 => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><body><h1>We're sorry, but something went wrong.</h1></body></html>",
            )
                .into_response()
        }
        Behaviour::Slow(delay) => tokio::time::sleep(*delay).await,
        Behaviour::Huge => {
            let padding = "x".repeat(2 * 1024 * 1024);
            return Json(json!({"access_token": "t", "token_type": "Bearer", "pad": padding}))
                .into_response();
        }
        _ => {}
    }
    if !client_ok(&headers, &form) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
        );
    }
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let mut codes = state.codes.lock().expect("lock");
    match field("grant_type").as_str() {
        "authorization_code" => {
            let code = field("code");
            if behaviour == Behaviour::EchoingError {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    &format!("code {code} is not valid"),
                );
            }
            let Some(challenge) = codes.open.remove(&code) else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The code is unknown or was used.",
                );
            };
            codes.used.insert(code);
            let computed =
                URL_SAFE_NO_PAD.encode(Sha256::digest(field("code_verifier").as_bytes()));
            if computed != challenge || field("redirect_uri") != REDIRECT {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "PKCE verification failed.",
                );
            }
        }
        "refresh_token" => {
            if !codes.refresh.remove(&field("refresh_token")) {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The refresh token is invalid.",
                );
            }
        }
        _ => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Unsupported grant.",
            )
        }
    }
    codes.counter += 1;
    let access = format!("{:064x}", codes.counter * 7919);
    codes.access.insert(access.clone());
    let mut answer = json!({"access_token": access, "token_type": "Bearer", "created_at": 1_700_000_000, "scope": "read"});
    if behaviour == Behaviour::Expiring {
        let refresh = format!("{:064x}", codes.counter * 104_729);
        codes.refresh.insert(refresh.clone());
        answer["expires_in"] = json!(3600);
        answer["refresh_token"] = json!(refresh);
    }
    Json(answer).into_response()
}

async fn revoke_endpoint(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !client_ok(&headers, &form) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
        );
    }
    let token = form.get("token").cloned().unwrap_or_default();
    let hint = form.get("token_type_hint").cloned().unwrap_or_default();
    let mut codes = state.codes.lock().expect("lock");
    codes.access.remove(&token);
    codes.refresh.remove(&token);
    codes.revoked.push((hint, token));
    StatusCode::OK.into_response()
}

async fn account_endpoint(State(state): State<Arc<ServerState>>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !state.codes.lock().expect("lock").access.contains(token) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "The access token is invalid.",
        );
    }
    Json(json!({"user": {"id": 2.0, "first_name": "Demo", "surname": "Sailor", "email": "demo@example.org"}}))
        .into_response()
}
