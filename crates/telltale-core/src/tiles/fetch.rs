//! Asking the tile server for one tile, as its usage policy asks (OpenStreetMap's: a
//! `User-Agent` naming the app, at most two connections, the caching headers honoured):
//! only the tiles the page shows, at most [`MAX_IN_FLIGHT`] at a time, conditional when a
//! cached copy has an `ETag`.

use super::entry::{is_image_type, MAX_ETAG_LEN, MAX_IMAGE_BYTES};
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use reqwest::StatusCode;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Requests at once (OpenStreetMap allows two connections).
pub const MAX_IN_FLIGHT: usize = 2;
/// How long a connection may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole tile may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a tile stays fresh when the server says nothing: 7 days, the policy's minimum.
pub const DEFAULT_FRESH_SECS: u64 = 7 * 24 * 3600;
/// The longest freshness believed: a year.
const MAX_FRESH_SECS: u64 = 365 * 24 * 3600;

/// The `User-Agent` of every tile request: `Telltale/<version> (+<project address>)`, the
/// address from the crate's metadata, or a description when it names none.
pub fn user_agent() -> String {
    let version = env!("CARGO_PKG_VERSION");
    let address = [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|address| !address.is_empty());
    match address {
        Some(address) => format!("Telltale/{version} (+{address})"),
        None => format!("Telltale/{version} (desktop viewer of Igtimi sailing data)"),
    }
}

/// What the server answered.
#[derive(Debug)]
pub enum Fetched {
    /// A new image, fresh for `fresh_secs`.
    Image {
        image: Vec<u8>,
        content_type: String,
        etag: Option<String>,
        fresh_secs: u64,
    },
    /// 304: the cached copy is still the tile, fresh for `fresh_secs` more.
    NotModified { fresh_secs: u64 },
}

/// Why there is no answer to use.
#[derive(Debug)]
pub enum FetchError {
    /// No connection, or no answer in time: offline, as far as the map is concerned.
    Unreachable(String),
    /// The server answered with an error status, and its reason.
    Status(StatusCode, String),
    /// The answer is not a tile.
    Invalid(String),
}

/// The HTTP client of the tile source.
#[derive(Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    slots: Semaphore,
}

impl Fetcher {
    pub fn new() -> Result<Fetcher, reqwest::Error> {
        let client = reqwest::Client::builder()
            .user_agent(user_agent())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .pool_max_idle_per_host(MAX_IN_FLIGHT)
            .build()?;
        Ok(Fetcher {
            client,
            slots: Semaphore::new(MAX_IN_FLIGHT),
        })
    }

    /// GETs `url`, with `If-None-Match: etag` when given.
    pub async fn fetch(&self, url: &str, etag: Option<&str>) -> Result<Fetched, FetchError> {
        // The semaphore is never closed; a closed one would mean no limit was needed.
        let _slot = self.slots.acquire().await.ok();
        let mut request = self.client.get(url);
        if let Some(etag) = etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        let mut response = request
            .send()
            .await
            .map_err(|error| FetchError::Unreachable(error.to_string()))?;
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let fresh_secs = fresh_secs(header(CACHE_CONTROL).as_deref());
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED && etag.is_some() {
            return Ok(Fetched::NotModified { fresh_secs });
        }
        if !status.is_success() {
            let reason = response.text().await.unwrap_or_default();
            let reason: String = reason.trim().chars().take(200).collect();
            return Err(FetchError::Status(status, reason));
        }
        let content_type = header(CONTENT_TYPE)
            .and_then(|value| {
                value
                    .split(';')
                    .next()
                    .map(|t| t.trim().to_ascii_lowercase())
            })
            .unwrap_or_default();
        if !is_image_type(&content_type) {
            return Err(FetchError::Invalid(format!(
                "the answer is {content_type:?}, not a PNG, JPEG or WebP image"
            )));
        }
        let etag = header(ETAG).filter(|tag| !tag.is_empty() && tag.len() <= MAX_ETAG_LEN);
        let mut image = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) if image.len() + chunk.len() <= MAX_IMAGE_BYTES => {
                    image.extend_from_slice(&chunk)
                }
                Ok(Some(_)) => {
                    return Err(FetchError::Invalid(
                        "the image is larger than a map tile can be".into(),
                    ))
                }
                Ok(None) => break,
                Err(error) => return Err(FetchError::Unreachable(error.to_string())),
            }
        }
        if image.is_empty() {
            return Err(FetchError::Invalid("the image is empty".into()));
        }
        Ok(Fetched::Image {
            image,
            content_type,
            etag,
            fresh_secs,
        })
    }
}

/// How long an answer stays fresh by its `Cache-Control`: `max-age` (capped at a year),
/// none for `no-cache` or `no-store`, [`DEFAULT_FRESH_SECS`] when it says nothing.
pub fn fresh_secs(cache_control: Option<&str>) -> u64 {
    let Some(value) = cache_control else {
        return DEFAULT_FRESH_SECS;
    };
    let mut max_age = None;
    for directive in value.split(',').map(|d| d.trim().to_ascii_lowercase()) {
        if directive == "no-cache" || directive == "no-store" {
            return 0;
        }
        if let Some(secs) = directive.strip_prefix("max-age=") {
            max_age = secs.trim_matches('"').parse::<u64>().ok();
        }
    }
    max_age.map_or(DEFAULT_FRESH_SECS, |secs| secs.min(MAX_FRESH_SECS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_follows_cache_control() {
        assert_eq!(fresh_secs(Some("max-age=86400")), 86400);
        assert_eq!(
            fresh_secs(Some("public, MAX-AGE=600, stale-if-error=3600")),
            600
        );
        assert_eq!(fresh_secs(Some("max-age=0")), 0);
        assert_eq!(fresh_secs(Some("no-cache")), 0);
        assert_eq!(fresh_secs(Some("max-age=99999999999")), MAX_FRESH_SECS);
        assert_eq!(fresh_secs(Some("max-age=soon")), DEFAULT_FRESH_SECS);
        assert_eq!(fresh_secs(None), DEFAULT_FRESH_SECS);
    }

    #[test]
    fn the_user_agent_names_telltale_and_its_version() {
        let agent = user_agent();
        let expected = format!("Telltale/{} (", env!("CARGO_PKG_VERSION"));
        assert!(agent.starts_with(&expected), "{agent}");
        assert!(agent.ends_with(')'), "{agent}");
    }
}
