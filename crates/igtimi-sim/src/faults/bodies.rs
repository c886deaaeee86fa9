//! The faults that shape the bytes on the wire: a truncated body, a reset connection, a slow
//! drip, and a huge streamed body.

use crate::server::ConnInfo;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};
use std::convert::Infallible;
use std::io;
use std::time::Duration;

/// Largest real answer the truncating and dripping faults buffer (the biggest real answers,
/// a month of `resources/data`, are far smaller).
const MAX_BUFFERED_BYTES: usize = 512 * 1024 * 1024;

/// How long the truncated body waits after its half, so that half reaches the client before
/// the connection is aborted.
const TRUNCATE_FLUSH_PAUSE: Duration = Duration::from_millis(25);

/// The error that makes hyper drop a connection mid-answer.
fn aborted(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, what.to_string())
}

/// Reads a real answer into memory, keeping its status and headers. `None` when the body
/// itself fails or is too large to buffer.
pub(super) async fn buffer(response: Response) -> Option<(axum::http::response::Parts, Bytes)> {
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_BUFFERED_BYTES).await {
        Ok(bytes) => Some((parts, bytes)),
        Err(e) => {
            tracing::warn!("fault injection could not buffer the real answer: {e}");
            None
        }
    }
}

/// Rebuilds an answer around a streamed body, announcing the real body's full length.
fn with_full_length(mut parts: axum::http::response::Parts, len: usize, body: Body) -> Response {
    parts.headers.remove(header::TRANSFER_ENCODING);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    Response::from_parts(parts, body)
}

/// A body that fails at once: hyper then drops the connection without writing anything.
pub(super) fn abort_body() -> Body {
    Body::from_stream(stream::once(async {
        Err::<Bytes, io::Error>(aborted("connection aborted by fault injection"))
    }))
}

/// Sends the real answer's headers (with its full `Content-Length`) and the first half of its
/// body, then aborts the connection.
pub async fn truncated(response: Response) -> Response {
    let Some((parts, bytes)) = buffer(response).await else {
        return Response::new(abort_body());
    };
    let len = bytes.len();
    let half = bytes.slice(..len / 2);
    let body =
        stream::once(async move { Ok::<Bytes, io::Error>(half) }).chain(stream::once(async {
            tokio::time::sleep(TRUNCATE_FLUSH_PAUSE).await;
            Err(aborted("body truncated by fault injection"))
        }));
    with_full_length(parts, len, Body::from_stream(body))
}

/// Makes the connection end with a TCP reset and no answer: `SO_LINGER` 0 on the socket, then
/// an aborted answer, so the close that follows sends RST and discards anything unsent.
pub fn reset(conn: Option<ConnInfo>) -> Response {
    #[cfg(unix)]
    if let Some(conn) = conn {
        if let Err(e) = linger_zero(conn.fd) {
            tracing::warn!("reset fault could not set SO_LINGER: {e}");
        }
    }
    #[cfg(not(unix))]
    let _ = conn;
    Response::new(abort_body())
}

#[cfg(unix)]
fn linger_zero(fd: std::os::fd::RawFd) -> io::Result<()> {
    use std::os::fd::BorrowedFd;
    // SAFETY: `fd` is the socket of the connection this request arrived on. Hyper keeps that
    // connection (and so the descriptor) open at least until the answer to this request has
    // been produced, and the borrow lives only for this one `setsockopt` call.
    let fd = unsafe { BorrowedFd::borrow_raw(fd) };
    socket2::SockRef::from(&fd).set_linger(Some(Duration::ZERO))
}

/// Sends the real answer `bytes_per_chunk` bytes at a time, waiting `interval` before every
/// chunk but the first.
pub async fn slow_drip(response: Response, bytes_per_chunk: usize, interval: Duration) -> Response {
    let Some((parts, bytes)) = buffer(response).await else {
        return Response::new(abort_body());
    };
    let len = bytes.len();
    let chunk = bytes_per_chunk.max(1);
    let body = stream::unfold((bytes, true), move |(mut rest, first)| async move {
        if rest.is_empty() {
            return None;
        }
        if !first {
            tokio::time::sleep(interval).await;
        }
        let piece = rest.split_to(chunk.min(rest.len()));
        Some((Ok::<Bytes, Infallible>(piece), (rest, false)))
    });
    with_full_length(parts, len, Body::from_stream(body))
}

const HUGE_PREFIX: &str = "{\"devices\":[";
const HUGE_SUFFIX: &str = "]}";
/// About how many bytes each streamed piece of the huge body holds.
const HUGE_PIECE_BYTES: usize = 64 * 1024;

/// One array element of the huge body, always the same width (numbers are padded with
/// spaces, which JSON allows). The first element has a space where the others have a comma.
fn huge_record(index: u64) -> String {
    let separator = if index == 0 { ' ' } else { ',' };
    format!(
        "{separator}{{\"device\":{{\"id\":{index:>10},\"serial_number\":\"HB-{index:010}\",\
         \"name\":\"Huge body filler\"}}}}"
    )
}

/// Generates the huge body piece by piece: the prefix, as many records as fit, the suffix,
/// and trailing spaces so the total is exactly `total` bytes.
struct HugeJson {
    records: u64,
    next_record: u64,
    padding: usize,
    stage: HugeStage,
}

enum HugeStage {
    Prefix,
    Records,
    Done,
}

impl HugeJson {
    /// `total` must be at least the prefix and suffix (validation asks for 16 bytes).
    fn new(total: u64) -> Self {
        let frame = (HUGE_PREFIX.len() + HUGE_SUFFIX.len()) as u64;
        let width = huge_record(0).len() as u64;
        let room = total.saturating_sub(frame);
        let records = room / width;
        HugeJson {
            records,
            next_record: 0,
            padding: (room - records * width) as usize,
            stage: HugeStage::Prefix,
        }
    }
}

impl Iterator for HugeJson {
    type Item = Result<Bytes, Infallible>;

    fn next(&mut self) -> Option<Self::Item> {
        let piece = match self.stage {
            HugeStage::Prefix => {
                self.stage = HugeStage::Records;
                HUGE_PREFIX.to_string()
            }
            HugeStage::Records if self.next_record < self.records => {
                let mut piece = String::with_capacity(HUGE_PIECE_BYTES + 128);
                while piece.len() < HUGE_PIECE_BYTES && self.next_record < self.records {
                    piece.push_str(&huge_record(self.next_record));
                    self.next_record += 1;
                }
                piece
            }
            HugeStage::Records => {
                self.stage = HugeStage::Done;
                format!("{HUGE_SUFFIX}{}", " ".repeat(self.padding))
            }
            HugeStage::Done => return None,
        };
        Some(Ok(Bytes::from(piece)))
    }
}

/// A 200 `application/json` answer of exactly `bytes` bytes of valid JSON, generated while it
/// is sent.
pub fn huge_json(bytes: u64) -> Response {
    // Rules built in code skip validation; never announce fewer bytes than are sent.
    let bytes = bytes.max(super::parse::MIN_HUGE_BODY_BYTES);
    let body = Body::from_stream(stream::iter(HugeJson::new(bytes)));
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(total: u64) -> String {
        let bytes: Vec<u8> = HugeJson::new(total)
            .flat_map(|piece| match piece {
                Ok(b) => b.to_vec(),
                Err(never) => match never {},
            })
            .collect();
        String::from_utf8(bytes).expect("the huge body is ASCII")
    }

    #[test]
    fn huge_body_is_exact_and_valid() {
        for total in [16, 17, 90, 1000, 200_003] {
            let text = generate(total);
            assert_eq!(text.len() as u64, total, "size {total}");
            let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
            let devices = value["devices"].as_array().expect("an array");
            let width = huge_record(0).len() as u64;
            assert_eq!(devices.len() as u64, (total - 14) / width);
        }
    }
}
