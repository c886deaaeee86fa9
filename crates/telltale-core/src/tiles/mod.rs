//! Map tiles under the race tracks: fetched from a configurable source ([`TileSource`],
//! OpenStreetMap's standard tiles by default), kept in a size-capped disk cache, handed to
//! the page one tile at a time ([`Tiles::get_path`]).
//!
//! A fresh cached tile is served with no request; a stale one is revalidated with its
//! `ETag` (a 304 keeps it); when the source cannot be reached or fails, a stale tile is
//! still served, and a tile never fetched is [`AppError::MapOffline`]. Only the tiles the
//! page asks for are fetched, never more, at most two at a time ([`fetch`]).

mod cache;
pub mod entry;
pub mod fetch;
mod path;
mod source;

pub use cache::DiskCache;
pub use fetch::user_agent;
pub use path::{parse_tile_path, TileId, ZOOM_LIMIT};
pub use source::{
    check_max_zoom, check_url_template, TileSettings, TileSource, DEFAULT_ATTRIBUTION,
    DEFAULT_CACHE_MAX_BYTES, DEFAULT_MAX_ZOOM, DEFAULT_TILE_URL,
};

use crate::AppError;
use entry::Entry;
use fetch::{FetchError, Fetched, Fetcher};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// The folder of the tiles inside the app's cache folder.
pub const CACHE_FOLDER: &str = "tiles";

/// What the page needs to show the map: the tile address template it gives Leaflet, the
/// credit and the deepest zoom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MapTilesView {
    pub url: String,
    pub attribution: String,
    pub max_zoom: u8,
}

/// One tile for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    pub image: Vec<u8>,
    /// `image/png`, `image/jpeg` or `image/webp`.
    pub content_type: String,
    pub origin: TileOrigin,
}

/// Where a tile came from (for tests and logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileOrigin {
    /// The cache, fresh: no request.
    Cache,
    /// The source, in full.
    Fetched,
    /// The cache, after the source said 304.
    Revalidated,
    /// The cache, stale, because the source could not be reached or failed.
    Stale,
}

/// The map's tile source and its disk cache: the app's one place for tile state.
#[derive(Debug)]
pub struct Tiles {
    source: TileSource,
    source_folder: String,
    cache: Arc<DiskCache>,
    fetcher: Fetcher,
}

impl Tiles {
    /// Tiles from `settings.source`, cached in `<cache_dir>/tiles` under
    /// `settings.cache_max_bytes`. Touches no file yet.
    pub fn open(settings: &TileSettings, cache_dir: PathBuf) -> Result<Tiles, AppError> {
        let fetcher = Fetcher::new().map_err(|error| AppError::Internal {
            detail: format!("the map's HTTP client: {error}"),
        })?;
        Ok(Tiles {
            source_folder: settings.source.cache_folder(),
            source: settings.source.clone(),
            cache: Arc::new(DiskCache::new(
                cache_dir.join(CACHE_FOLDER),
                settings.cache_max_bytes,
            )),
            fetcher,
        })
    }

    pub fn source(&self) -> &TileSource {
        &self.source
    }

    /// The disk cache (tests look at its size and files).
    pub fn cache(&self) -> &DiskCache {
        &self.cache
    }

    /// The view for the page, with `url` the template the page loads tiles by.
    pub fn view(&self, url: &str) -> MapTilesView {
        MapTilesView {
            url: url.to_string(),
            attribution: self.source.attribution.clone(),
            max_zoom: self.source.max_zoom,
        }
    }

    /// The tile the page asked for by `path` (`/{z}/{x}/{y}.png`, untrusted).
    pub async fn get_path(&self, path: &str) -> Result<Tile, AppError> {
        self.get(parse_tile_path(path)?).await
    }

    /// One tile: from the cache while fresh, else from the source (see the module).
    pub async fn get(&self, tile: TileId) -> Result<Tile, AppError> {
        if tile.z > self.source.max_zoom {
            return Err(AppError::NoSuchTile {
                detail: format!(
                    "zoom {} is deeper than the map's {}",
                    tile.z, self.source.max_zoom
                ),
            });
        }
        let relative = cache::entry_path(&self.source_folder, tile);
        let cached = self
            .blocking(relative.clone(), |cache, at| cache.read(&at))
            .await;
        let now = now_secs();
        if let Some(entry) = &cached {
            if now < entry.expires {
                return Ok(served(entry.clone(), TileOrigin::Cache));
            }
        }
        let etag = cached.as_ref().and_then(|entry| entry.etag.clone());
        let answer = self
            .fetcher
            .fetch(&self.source.url(tile), etag.as_deref())
            .await;
        match (answer, cached) {
            (
                Ok(Fetched::Image {
                    image,
                    content_type,
                    etag,
                    fresh_secs,
                }),
                _,
            ) => {
                let entry = Entry {
                    expires: now.saturating_add(fresh_secs),
                    etag,
                    content_type,
                    image,
                };
                self.store(relative, entry.clone()).await;
                Ok(served(entry, TileOrigin::Fetched))
            }
            (Ok(Fetched::NotModified { fresh_secs }), Some(entry)) => {
                let entry = Entry {
                    expires: now.saturating_add(fresh_secs),
                    ..entry
                };
                self.store(relative, entry.clone()).await;
                Ok(served(entry, TileOrigin::Revalidated))
            }
            (Ok(Fetched::NotModified { .. }), None) => Err(AppError::InvalidResponse {
                detail: format!(
                    "{} said a tile was unchanged that was never sent",
                    self.source.host()
                ),
            }),
            (Err(error), Some(entry)) if serve_stale_after(&error) => {
                tracing::info!(tile = %tile, error = ?error, "map source failed; a stale tile is shown");
                Ok(served(entry, TileOrigin::Stale))
            }
            (Err(error), _) => Err(self.error(tile, error)),
        }
    }

    /// Runs `work` on the cache on a blocking thread; `None` if that thread failed.
    async fn blocking<T: Send + 'static>(
        &self,
        relative: PathBuf,
        work: impl FnOnce(&DiskCache, PathBuf) -> Option<T> + Send + 'static,
    ) -> Option<T> {
        let cache = self.cache.clone();
        tokio::task::spawn_blocking(move || work(&cache, relative))
            .await
            .ok()
            .flatten()
    }

    /// Keeps `entry`; a failure costs only a later request, so it is logged, not shown.
    async fn store(&self, relative: PathBuf, entry: Entry) {
        let written = self
            .blocking(relative, move |cache, at| Some(cache.write(&at, &entry)))
            .await;
        if let Some(Err(error)) = written {
            tracing::warn!(error = %error, "could not keep a map tile on disk");
        }
    }

    fn error(&self, tile: TileId, error: FetchError) -> AppError {
        let host = self.source.host();
        match error {
            FetchError::Unreachable(detail) => {
                tracing::info!(tile = %tile, detail, "map source unreachable");
                AppError::MapOffline { server: host }
            }
            FetchError::Status(status, _) if status == reqwest::StatusCode::NOT_FOUND => {
                AppError::NoSuchTile {
                    detail: format!("{host} has no tile {tile}"),
                }
            }
            FetchError::Status(status, reason) if status.is_client_error() => AppError::Refused {
                detail: format!("{host} refused map tile {tile} (HTTP {status}: {reason})"),
            },
            FetchError::Status(status, reason) => AppError::Server {
                detail: format!("{host}, map tile {tile}: HTTP {status} {reason}"),
            },
            FetchError::Invalid(detail) => AppError::InvalidResponse {
                detail: format!("{host}, map tile {tile}: {detail}"),
            },
        }
    }
}

/// A stale tile beats none when the source is out of reach or failing; not when it says
/// the tile is gone or refuses us.
fn serve_stale_after(error: &FetchError) -> bool {
    match error {
        FetchError::Unreachable(_) | FetchError::Invalid(_) => true,
        FetchError::Status(status, _) => status.is_server_error() || status.as_u16() == 429,
    }
}

fn served(entry: Entry, origin: TileOrigin) -> Tile {
    Tile {
        image: entry.image,
        content_type: entry.content_type,
        origin,
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}
