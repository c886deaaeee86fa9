//! Map tiles as OpenStreetMap's tile server hands them out (feature `tiles`):
//! `GET /tiles/{z}/{x}/{y}.png`, z in 0..=19, x and y in 0..2^z.
//!
//! It keeps the rules its usage policy states, so the app's tile client is tested against
//! them: a request without an identifying `User-Agent` (none, blank, or a library's default
//! such as `reqwest/…` or `curl/…`) is refused with 403; answers carry `Cache-Control` and an
//! `ETag`, and `If-None-Match` with that tag gets 304. Requests are counted per tile
//! ([`TileState`]) so a test can tell a cached tile from a fetched one.

mod draw;

use crate::server::Shared;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The deepest zoom level OpenStreetMap's standard tiles have.
pub const MAX_ZOOM: u8 = 19;
/// `max-age` of a tile unless a test sets another ([`TileState::set_max_age`]): 7 days.
pub const DEFAULT_MAX_AGE_SECS: u64 = 7 * 24 * 3600;
/// The reason a blocked client reads, as OSM words it.
pub const BLOCKED_REASON: &str = "Access blocked: send a User-Agent that identifies your \
application (not a library's default). See https://operations.osmfoundation.org/policies/tiles/";
/// How many tiles are counted one by one; the rest only in the totals.
const MAX_COUNTED_TILES: usize = 4096;
/// `User-Agent` prefixes of HTTP libraries and tools, which name no application.
const GENERIC_AGENTS: &[&str] = &[
    "reqwest/",
    "curl/",
    "wget/",
    "python-requests/",
    "python-urllib/",
    "go-http-client/",
    "java/",
    "okhttp/",
    "libwww-perl/",
    "node-fetch/",
    "axios/",
    "undici",
    "hyper/",
];

/// One tile address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TileKey {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

/// How a tile's requests were answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TileCount {
    /// 200 with the image.
    pub sent: u64,
    /// 304: the client's copy is still the tile.
    pub not_modified: u64,
    /// 403: the client did not identify itself.
    pub refused: u64,
}

impl TileCount {
    /// Every request for the tile.
    pub fn total(&self) -> u64 {
        self.sent + self.not_modified + self.refused
    }
}

/// The tile endpoint's counts and its `max-age`.
#[derive(Debug)]
pub struct TileState {
    counts: Mutex<Counts>,
    max_age_secs: AtomicU64,
}

#[derive(Debug, Default)]
struct Counts {
    by_tile: BTreeMap<TileKey, TileCount>,
    all: TileCount,
}

impl Default for TileState {
    fn default() -> Self {
        TileState {
            counts: Mutex::default(),
            max_age_secs: AtomicU64::new(DEFAULT_MAX_AGE_SECS),
        }
    }
}

impl TileState {
    fn lock(&self) -> MutexGuard<'_, Counts> {
        // Counting cannot leave the map half-changed; a poisoned lock is taken over.
        self.counts.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn count(&self, key: TileKey, bump: impl Fn(&mut TileCount)) {
        let mut counts = self.lock();
        bump(&mut counts.all);
        if counts.by_tile.len() < MAX_COUNTED_TILES || counts.by_tile.contains_key(&key) {
            bump(counts.by_tile.entry(key).or_default());
        }
    }

    /// The requests for one tile so far.
    pub fn requests(&self, z: u8, x: u32, y: u32) -> TileCount {
        self.lock()
            .by_tile
            .get(&TileKey { z, x, y })
            .copied()
            .unwrap_or_default()
    }

    /// The requests for every tile so far.
    pub fn all_requests(&self) -> TileCount {
        self.lock().all
    }

    /// Makes later answers say `max-age=secs` (0: stale at once, so every use revalidates).
    pub fn set_max_age(&self, secs: u64) {
        self.max_age_secs.store(secs, Ordering::Relaxed);
    }
}

/// The tile route.
pub fn router() -> Router<Shared> {
    Router::new().route("/tiles/{z}/{x}/{file}", get(tile))
}

async fn tile(
    State(state): State<Shared>,
    Path((z, x, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let key = file.strip_suffix(".png").and_then(|y| parse_key(&z, &x, y));
    if !identifies_an_application(&headers) {
        if let Some(key) = key {
            state.tiles.count(key, |c| c.refused += 1);
        }
        return plain(StatusCode::FORBIDDEN, BLOCKED_REASON);
    }
    let Some(key) = key else {
        return plain(StatusCode::NOT_FOUND, "Not Found");
    };
    let etag = etag_of(key);
    let cache_control = format!(
        "max-age={}",
        state.tiles.max_age_secs.load(Ordering::Relaxed)
    );
    let mut answer = if matches_etag(&headers, &etag) {
        state.tiles.count(key, |c| c.not_modified += 1);
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        state.tiles.count(key, |c| c.sent += 1);
        let png = draw::tile(key.z, key.x, key.y);
        ([(header::CONTENT_TYPE, "image/png")], png).into_response()
    };
    let headers = answer.headers_mut();
    for (name, value) in [(header::ETAG, etag), (header::CACHE_CONTROL, cache_control)] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    answer
}

/// The tile named by the path's parts, if it exists: plain decimal numbers, z at most
/// [`MAX_ZOOM`], x and y below 2^z.
fn parse_key(z: &str, x: &str, y: &str) -> Option<TileKey> {
    let number = |text: &str| -> Option<u32> {
        if text.is_empty() || text.len() > 7 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    };
    let z = u8::try_from(number(z)?).ok().filter(|z| *z <= MAX_ZOOM)?;
    let side = 1u32 << z;
    let (x, y) = (number(x)?, number(y)?);
    (x < side && y < side).then_some(TileKey { z, x, y })
}

/// False for a missing or blank `User-Agent`, or one of a library's defaults.
fn identifies_an_application(headers: &HeaderMap) -> bool {
    let Some(agent) = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let agent = agent.trim().to_ascii_lowercase();
    !agent.is_empty()
        && !GENERIC_AGENTS
            .iter()
            .any(|generic| agent.starts_with(generic))
}

/// A strong tag of the tile's image: it changes only when the drawing does.
fn etag_of(key: TileKey) -> String {
    format!("\"{:016x}\"", draw::fingerprint(key.z, key.x, key.y))
}

/// Whether `If-None-Match` names `etag` (or is `*`); weak tags compare by their value.
fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_plain_numbers_inside_the_zoom_level() {
        assert_eq!(
            parse_key("19", "524287", "0"),
            Some(TileKey {
                z: 19,
                x: 524_287,
                y: 0
            })
        );
        assert_eq!(parse_key("0", "0", "0"), Some(TileKey { z: 0, x: 0, y: 0 }));
        for (z, x, y) in [
            ("20", "0", "0"),
            ("1", "2", "0"),
            ("1", "0", "2"),
            ("-1", "0", "0"),
            ("+1", "0", "0"),
            ("", "0", "0"),
            ("1", "0x1", "0"),
            ("3", "99999999999", "0"),
        ] {
            assert_eq!(parse_key(z, x, y), None, "{z}/{x}/{y}");
        }
    }

    #[test]
    fn library_agents_are_blocked_and_applications_pass() {
        let with = |agent: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::USER_AGENT, HeaderValue::from_str(agent).unwrap());
            identifies_an_application(&headers)
        };
        assert!(!identifies_an_application(&HeaderMap::new()));
        assert!(!with(""));
        assert!(!with("   "));
        assert!(!with("reqwest/0.12.5"));
        assert!(!with("curl/8.5.0"));
        assert!(!with("Python-Requests/2.31"));
        assert!(with("Telltale/0.1.0 (+https://example.org/telltale)"));
    }

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        let etag = etag_of(TileKey { z: 3, x: 1, y: 2 });
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            matches_etag(&headers, &etag)
        };
        assert!(with(&etag));
        assert!(with(&format!("\"other\", W/{etag}")));
        assert!(with("*"));
        assert!(!with("\"other\""));
        assert!(!matches_etag(&HeaderMap::new(), &etag));
    }
}
