//! The admin endpoints under `/__admin/`, for tests and the demo: fault rules, token expiry
//! and revocation, the clock, and the demo manifest. Only loopback peers may use them (403
//! otherwise); fault injection never touches them.
//!
//! | endpoint | body | answer |
//! |---|---|---|
//! | `GET /__admin/faults` | | `{"faults":[rule..]}` |
//! | `POST /__admin/faults` | a JSON rule (`{"kind":"status","code":503,"path_prefix":"/api/","times":2}`) or a JSON string in the command-line form (`"status:code=503"`) | 201 `{"added":rule,"faults":[..]}` |
//! | `DELETE /__admin/faults` | | `{"cleared":n}` |
//! | `GET /__admin/requests` | | `{"requests":{"/path":n,..},"total":n}`: requests per path (admin paths not counted) |
//! | `DELETE /__admin/requests` | | `{"cleared":n}`: the counts start again from zero |
//! | `POST /__admin/tokens/expire_all` | | `{"expired":n}` |
//! | `POST /__admin/tokens/revoke` | `{"token":".."}` | `{"revoked":true}`, 404 for an unknown token |
//! | `POST /__admin/clock/advance` | `{"secs":n}` | `{"advanced_secs":n,"now":unix_secs}` |
//! | `GET /__admin/demo` | | the demo manifest (users with passwords, clients, devices) |
//! | `GET /__admin/secrets` | | `{"secrets":[..]}`: every token, code and PKCE verifier issued or seen, Riot's tokens and session ids too (for leak checks) |
//! | `POST /__admin/live` | `{"fault":"drop"\|"half_open"\|"resume"\|"garbage"\|"foreign_device"\|"huge_frame"}` | `{"fault":..,"sockets":n}`: the open live WebSockets (both dialects) it reached; see [`LiveFault`] |
//!
//! Errors are `{"error":..,"error_description":..}` with 400 (bad JSON, bad values), 403
//! (not loopback) or 404.

use crate::demo;
use crate::faults::FaultRule;
use crate::live::sockets::LiveFault;
use crate::server::{ConnInfo, Shared};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::{IpAddr, SocketAddr};

/// Largest clock step accepted at once: 100 years.
pub const MAX_ADVANCE_SECS: i64 = 100 * 366 * 24 * 3600;

/// The admin routes, each behind the loopback check.
pub fn router() -> Router<Shared> {
    Router::new()
        .route(
            "/__admin/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route(
            "/__admin/requests",
            get(list_requests).delete(clear_requests),
        )
        .route("/__admin/tokens/expire_all", post(expire_all))
        .route("/__admin/tokens/revoke", post(revoke_token))
        .route("/__admin/clock/advance", post(advance_clock))
        .route("/__admin/demo", get(demo_manifest))
        .route("/__admin/secrets", get(secrets))
        .route("/__admin/live", post(live_fault))
        .route_layer(middleware::from_fn(loopback_only))
}

/// True when the peer is this machine (IPv4 or IPv6 loopback, also IPv4-mapped).
pub fn is_loopback_peer(peer: SocketAddr) -> bool {
    match peer.ip() {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map_or(v6.is_loopback(), |v4| v4.is_loopback()),
    }
}

async fn loopback_only(req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<ConnInfo>>()
        .map(|c| c.0.peer);
    match peer {
        Some(peer) if is_loopback_peer(peer) => next.run(req).await,
        Some(peer) => error(
            StatusCode::FORBIDDEN,
            "forbidden",
            &format!(
                "The admin endpoints answer loopback peers only, not {}",
                peer.ip()
            ),
        ),
        None => error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "The admin endpoints answer loopback peers only, and this peer is unknown",
        ),
    }
}

fn error(status: StatusCode, code: &str, description: &str) -> Response {
    (
        status,
        Json(json!({ "error": code, "error_description": description })),
    )
        .into_response()
}

fn bad_request(description: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "bad_request", description)
}

/// Parses a JSON request body; `Err` is a 400 answer with serde's explanation.
fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Box<Response>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Box::new(bad_request(
            "The request body must be JSON, and it is empty",
        )));
    }
    serde_json::from_slice(body)
        .map_err(|e| Box::new(bad_request(&format!("Invalid JSON body: {e}"))))
}

async fn list_faults(State(state): State<Shared>) -> Response {
    Json(json!({ "faults": state.faults.list() })).into_response()
}

/// Reads a rule given as a JSON object or as a JSON string in the command-line form.
fn rule_from_json(value: Value) -> Result<FaultRule, String> {
    let rule = match value {
        Value::String(text) => text.parse::<FaultRule>().map_err(|e| e.to_string())?,
        Value::Object(_) => serde_json::from_value::<FaultRule>(value)
            .map_err(|e| format!("bad fault rule: {e}"))?,
        _ => {
            return Err(
                "A fault rule is a JSON object such as {\"kind\":\"status\",\"code\":503} \
                 or a string such as \"status:code=503\""
                    .into(),
            )
        }
    };
    rule.validate().map_err(|e| e.to_string())?;
    Ok(rule)
}

async fn add_fault(State(state): State<Shared>, body: Bytes) -> Response {
    let value: Value = match parse_body(&body) {
        Ok(v) => v,
        Err(response) => return *response,
    };
    match rule_from_json(value) {
        Ok(rule) => {
            state.faults.add(rule.clone());
            let body = json!({ "added": rule, "faults": state.faults.list() });
            (StatusCode::CREATED, Json(body)).into_response()
        }
        Err(description) => bad_request(&description),
    }
}

async fn clear_faults(State(state): State<Shared>) -> Response {
    Json(json!({ "cleared": state.faults.clear() })).into_response()
}

async fn list_requests(State(state): State<Shared>) -> Response {
    let requests = state.requests.snapshot();
    let total: u64 = requests.values().sum();
    Json(json!({ "requests": requests, "total": total })).into_response()
}

async fn clear_requests(State(state): State<Shared>) -> Response {
    Json(json!({ "cleared": state.requests.reset() })).into_response()
}

async fn expire_all(State(state): State<Shared>) -> Response {
    let expired = state.store.expire_all(state.clock.now_secs());
    Json(json!({ "expired": expired })).into_response()
}

#[derive(Deserialize)]
struct RevokeBody {
    token: String,
}

async fn revoke_token(State(state): State<Shared>, body: Bytes) -> Response {
    let request: RevokeBody = match parse_body(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    if request.token.trim().is_empty() {
        return bad_request("token must not be empty");
    }
    if state.store.force_revoke(request.token.trim()) {
        Json(json!({ "revoked": true })).into_response()
    } else {
        error(
            StatusCode::NOT_FOUND,
            "unknown_token",
            "No access or refresh token has that value",
        )
    }
}

#[derive(Deserialize)]
struct AdvanceBody {
    secs: i64,
}

async fn advance_clock(State(state): State<Shared>, body: Bytes) -> Response {
    let request: AdvanceBody = match parse_body(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    if !(0..=MAX_ADVANCE_SECS).contains(&request.secs) {
        return bad_request(&format!(
            "secs must be between 0 and {MAX_ADVANCE_SECS}, got {}",
            request.secs
        ));
    }
    state.clock.advance_secs(request.secs);
    Json(json!({ "advanced_secs": request.secs, "now": state.clock.now_secs() })).into_response()
}

async fn demo_manifest(State(state): State<Shared>) -> Response {
    Json(demo::manifest(&state.world)).into_response()
}

#[derive(Deserialize)]
struct LiveBody {
    fault: LiveFault,
}

async fn live_fault(State(state): State<Shared>, body: Bytes) -> Response {
    let request: LiveBody = match parse_body(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let sockets = state.live_sockets.fault(request.fault);
    Json(json!({ "fault": request.fault, "sockets": sockets })).into_response()
}

async fn secrets(State(state): State<Shared>) -> Response {
    let mut secrets = state.store.secrets();
    secrets.extend(state.riot.secrets());
    secrets.sort();
    secrets.dedup();
    Json(json!({ "secrets": secrets })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_peers() {
        let peer = |s: &str| s.parse::<SocketAddr>().expect("test address");
        assert!(is_loopback_peer(peer("127.0.0.1:5000")));
        assert!(is_loopback_peer(peer("127.8.9.10:5000")));
        assert!(is_loopback_peer(peer("[::1]:5000")));
        assert!(is_loopback_peer(peer("[::ffff:127.0.0.1]:5000")));
        assert!(!is_loopback_peer(peer("192.0.2.2:5000")));
        assert!(!is_loopback_peer(peer("[::ffff:10.0.0.1]:5000")));
        assert!(!is_loopback_peer(peer("[2001:db8::1]:5000")));
    }

    #[test]
    fn rules_from_json_objects_and_strings() {
        let rule = rule_from_json(json!({"kind":"status","code":503,"path":"/api/","times":2}))
            .expect("object form");
        assert_eq!(rule, "status:code=503,path=/api/,times=2".parse().unwrap());
        let rule = rule_from_json(json!("html")).expect("string form");
        assert_eq!(rule.to_string(), "html:code=500");
        assert!(rule_from_json(json!({"kind":"status","code":200}))
            .unwrap_err()
            .contains("400..=599"));
        assert!(rule_from_json(json!({"kind":"teleport"})).is_err());
        assert!(rule_from_json(json!(42)).is_err());
    }
}
