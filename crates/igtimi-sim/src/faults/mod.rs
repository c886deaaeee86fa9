//! Fault injection: rules that make matching requests fail in a chosen way.
//!
//! Rules come from the configuration ([`crate::SimConfig::faults`]), the command line (parsed
//! with [`FaultRule`]'s `FromStr`, grammar documented there) or the admin endpoints under
//! `/__admin/faults`. [`middleware`] wraps the whole router: for each request it takes the
//! first rule whose path prefix matches, counts down its `times`, and answers the way the
//! rule's [`FaultKind`] says. Paths under `/__admin/` are never faulted, so a test can always
//! clear the rules it set. The same middleware counts the requests per path
//! ([`RequestCounts`]), so a test can tell how many attempts a client made.

mod bodies;
mod fields;
mod parse;
mod requests;

pub use fields::strip as strip_fields;
pub use parse::FaultParseError;
pub use requests::RequestCounts;

use crate::server::{ConnInfo, Shared};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The prefix of the admin endpoints, which faults never touch.
pub const ADMIN_PREFIX: &str = "/__admin";

/// How a matching request fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answers normally after an added delay.
    Latency { ms: u64 },
    /// Answers with this status (400..=599) and a JSON error body.
    Status { code: u16 },
    /// Answers with this status (500 unless given) and an HTML error page where JSON was
    /// expected, as a proxy in front of a dead application server would.
    HtmlError {
        #[serde(default = "default_html_status")]
        code: u16,
    },
    /// Answers 200 `application/json` with a body that is not valid JSON.
    MalformedJson,
    /// Sends the headers of the real answer (its full `Content-Length` included) and half its
    /// body, then aborts the connection.
    TruncatedJson,
    /// Resets the TCP connection without answering.
    Reset,
    /// Sends the real answer `bytes_per_chunk` bytes every `interval_ms` milliseconds.
    SlowDrip {
        bytes_per_chunk: usize,
        interval_ms: u64,
    },
    /// Answers 200 `application/json` with a streamed, valid-looking JSON body of exactly
    /// this many bytes (never held in memory).
    HugeBody { bytes: u64 },
    /// Sends the real answer without these JSON keys, wherever they occur in it; with an
    /// empty list, without any key of the top-level object (`{}`). Answers that are not
    /// JSON pass unchanged.
    MissingFields {
        #[serde(default)]
        fields: Vec<String>,
    },
}

fn default_html_status() -> u16 {
    500
}

/// A fault and which requests it hits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Only requests whose path starts with this; all requests when absent.
    #[serde(default, alias = "path", skip_serializing_if = "Option::is_none")]
    pub path_prefix: Option<String>,
    /// Hits this many matching requests, then retires; forever when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

impl FaultRule {
    /// A rule hitting every request, forever.
    pub fn new(kind: FaultKind) -> Self {
        FaultRule {
            kind,
            path_prefix: None,
            times: None,
        }
    }

    /// True when this rule applies to a request for `path`.
    pub fn matches(&self, path: &str) -> bool {
        self.path_prefix
            .as_deref()
            .is_none_or(|prefix| path.starts_with(prefix))
    }
}

/// The active rules of one simulator, in the order they were added.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    /// Starts with these rules (from the configuration or the command line).
    pub fn new(rules: Vec<FaultRule>) -> Self {
        Faults {
            rules: Mutex::new(rules),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<FaultRule>> {
        // The list is only ever pushed to, retained or cleared; a panic elsewhere cannot
        // leave it inconsistent, so a poisoned lock is taken over.
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a rule after the existing ones (the first matching rule wins).
    pub fn add(&self, rule: FaultRule) {
        self.lock().push(rule);
    }

    /// Removes every rule; returns how many there were.
    pub fn clear(&self) -> usize {
        let mut rules = self.lock();
        let count = rules.len();
        rules.clear();
        count
    }

    /// The active rules, with their remaining `times`.
    pub fn list(&self) -> Vec<FaultRule> {
        self.lock().clone()
    }

    /// Picks the first rule matching `path`, counts one hit against its `times` (retiring it
    /// when that reaches zero) and returns what to do. `None`: answer normally.
    pub fn take(&self, path: &str) -> Option<FaultKind> {
        let mut rules = self.lock();
        // A rule created with `times: 0` has nothing left to hit.
        rules.retain(|r| r.times != Some(0));
        let index = rules.iter().position(|r| r.matches(path))?;
        let kind = rules[index].kind.clone();
        if let Some(times) = rules[index].times.as_mut() {
            *times -= 1;
            if *times == 0 {
                rules.remove(index);
            }
        }
        Some(kind)
    }
}

/// True for the admin endpoints, which are never faulted.
pub fn is_admin_path(path: &str) -> bool {
    path == ADMIN_PREFIX || path.starts_with("/__admin/")
}

/// Applies the first matching rule to a request (the admin endpoints are never faulted).
pub async fn middleware(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if is_admin_path(path) {
        return next.run(req).await;
    }
    state.requests.count(path);
    let Some(kind) = state.faults.take(path) else {
        return next.run(req).await;
    };
    tracing::debug!(path, ?kind, "injecting fault");
    match kind {
        FaultKind::Latency { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        FaultKind::Status { code } => status_error(code),
        FaultKind::HtmlError { code } => html_error(code),
        FaultKind::MalformedJson => malformed_json(),
        FaultKind::TruncatedJson => bodies::truncated(next.run(req).await).await,
        FaultKind::Reset => {
            let conn = req.extensions().get::<ConnectInfo<ConnInfo>>().map(|c| c.0);
            bodies::reset(conn)
        }
        FaultKind::SlowDrip {
            bytes_per_chunk,
            interval_ms,
        } => {
            let interval = Duration::from_millis(interval_ms);
            bodies::slow_drip(next.run(req).await, bytes_per_chunk, interval).await
        }
        FaultKind::HugeBody { bytes } => bodies::huge_json(bytes),
        FaultKind::MissingFields { fields } => {
            fields::without_fields(next.run(req).await, &fields).await
        }
    }
}

/// The rule's error status, or 500 when it holds anything but a 4xx or 5xx (rules are
/// validated when parsed or added over HTTP; rules built in code may skip that).
fn fault_status(code: u16) -> StatusCode {
    match StatusCode::from_u16(code) {
        Ok(status) if status.is_client_error() || status.is_server_error() => status,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn status_error(code: u16) -> Response {
    let status = fault_status(code);
    let body = serde_json::json!({
        "error": status.canonical_reason().unwrap_or("Error"),
        "reason": format!("Fault injected by the simulator: status {}", status.as_u16()),
    });
    (status, axum::Json(body)).into_response()
}

fn html_error(code: u16) -> Response {
    let status = fault_status(code);
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>{title}</title></head>\n<body>\n\
         <center><h1>{title}</h1></center>\n<hr><center>nginx</center>\n</body></html>\n"
    );
    (status, Html(page)).into_response()
}

/// What the malformed-JSON fault sends: the start of a plausible answer, a trailing comma
/// and no closing brackets.
pub const MALFORMED_JSON_BODY: &str = "{\"devices\":[{\"device\":{\"id\":2001,\"name\":\"Tern\",}";

fn malformed_json() -> Response {
    let mut response = (StatusCode::OK, MALFORMED_JSON_BODY).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: FaultKind, prefix: Option<&str>, times: Option<u32>) -> FaultRule {
        FaultRule {
            kind,
            path_prefix: prefix.map(str::to_string),
            times,
        }
    }

    #[test]
    fn first_matching_rule_wins_and_times_count_down() {
        let faults = Faults::default();
        faults.add(rule(
            FaultKind::Status { code: 503 },
            Some("/api/"),
            Some(2),
        ));
        faults.add(rule(FaultKind::Reset, None, None));
        assert_eq!(
            faults.take("/api/v1/account"),
            Some(FaultKind::Status { code: 503 })
        );
        assert_eq!(faults.list()[0].times, Some(1));
        assert_eq!(faults.take("/oauth/token"), Some(FaultKind::Reset));
        assert_eq!(
            faults.take("/api/v1/devices"),
            Some(FaultKind::Status { code: 503 })
        );
        // Retired after two hits: the catch-all rule is next.
        assert_eq!(faults.take("/api/v1/devices"), Some(FaultKind::Reset));
        assert_eq!(faults.list().len(), 1);
        assert_eq!(faults.clear(), 1);
        assert_eq!(faults.take("/api/v1/devices"), None);
    }

    #[test]
    fn zero_times_never_hits() {
        let faults = Faults::new(vec![rule(FaultKind::Reset, None, Some(0))]);
        assert_eq!(faults.take("/"), None);
        assert!(faults.list().is_empty());
    }

    #[test]
    fn admin_paths() {
        assert!(is_admin_path("/__admin/faults"));
        assert!(is_admin_path("/__admin"));
        assert!(!is_admin_path("/__administrator"));
        assert!(!is_admin_path("/api/v1/__admin/"));
    }
}
