//! Fault injection: rules that make matching requests fail in a chosen way. SKELETON: the
//! middleware is filled in by the fault-injection work.

use crate::server::Shared;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

/// How a matching request fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answers normally after an added delay.
    Latency { ms: u64 },
    /// Answers with this status (500, 503, ...) and a JSON error body.
    Status { code: u16 },
    /// Answers 500 with an HTML error page where JSON was expected.
    HtmlError,
    /// Answers 200 with a body that is not valid JSON.
    MalformedJson,
    /// Sends the headers of the real answer and half its body, then closes the connection.
    TruncatedJson,
    /// Resets the TCP connection without answering.
    Reset,
    /// Sends the real answer a few bytes at a time, slowly.
    SlowDrip {
        bytes_per_chunk: usize,
        interval_ms: u64,
    },
    /// Answers 200 with a JSON body of this many bytes.
    HugeBody { bytes: u64 },
}

/// A fault and which requests it hits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Only requests whose path starts with this; all requests when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_prefix: Option<String>,
    /// Hits this many matching requests, then retires; forever when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

/// The active rules of one simulator.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    pub fn new(rules: Vec<FaultRule>) -> Self {
        Faults {
            rules: Mutex::new(rules),
        }
    }
}

/// Applies the first matching rule to a request (the admin endpoints are never faulted).
pub async fn middleware(State(_state): State<Shared>, req: Request, next: Next) -> Response {
    next.run(req).await
}
