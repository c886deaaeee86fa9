//! Browsing what the account can read: the catalog (devices, groups, sessions, types), the
//! resources in a range, and loading device data in windows with bounded concurrency,
//! retries, progress, cancellation and a chunk cache; then downsampled views, latest values
//! and GPX/CSV exports of what was loaded.
//!
//! One [`DataBrowser`] per app, beside the active account's [`AccountTokens`]. Everything it
//! returns is plain data for the UI ([`views`]); tokens stay inside the [`AccountTokens`].

mod analysis;
mod cache;
mod catalog;
mod channels;
mod export;
mod fetch;
mod latest;
mod load;
mod packed;
mod riot;
mod view;
pub mod views;

pub use analysis::{analyse, AnalysisView, BoatAnalysis};
pub use packed::{pack_view, PACKED_VIEW_MAGIC};
/// The packed view's JSON header, for its TypeScript type (ui/src/generated).
#[cfg(feature = "ts")]
pub type PackedHeader = packed::Header<'static>;
pub use view::view_of;
pub use views::*;

use crate::tokens::errors::from_api;
use crate::tokens::{AccountTokens, ApiAccess};
use crate::AppError;
use cache::ChunkCache;
use channels::TypeTable;
use igtimi_client::ApiError;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
pub use telltale_analysis::TargetPolar;
use telltale_data::Dataset;
use tokio::sync::watch;

/// Largest target polar text read (a 400 by 400 table, the largest allowed, is smaller).
pub const MAX_TARGET_POLAR_BYTES: usize = 2 << 20;

/// How loads fetch.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchOptions {
    /// Requests in flight at once (at least 1).
    pub concurrency: usize,
    /// Longest window one request asks for, ms.
    pub max_window_ms: i64,
    /// Retries of a chunk after a retryable failure (timeout, unreachable, 5xx, a broken body).
    pub retries: u32,
    /// Pause before each retry (the last one repeats); up to a quarter more is added at random.
    pub backoff: Vec<Duration>,
    /// Bytes of decoded samples the chunk cache may hold.
    pub cache_bytes: usize,
}

impl Default for FetchOptions {
    /// 4 in flight, one-week windows, 3 retries after 250 ms, 1 s and 3 s, a 1 GiB cache.
    fn default() -> Self {
        FetchOptions {
            concurrency: 4,
            max_window_ms: 7 * 24 * 3600 * 1000,
            retries: 3,
            backoff: vec![
                Duration::from_millis(250),
                Duration::from_secs(1),
                Duration::from_secs(3),
            ],
            cache_bytes: 1 << 30,
        }
    }
}

/// The data of the last load, for views and exports.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub dataset: Dataset,
    /// Device names by serial (the serial when unknown).
    pub names: BTreeMap<String, String>,
    pub types: TypeTable,
    /// Its view the page is expected to ask for next, built as soon as the load ends.
    pub ahead: Option<view::ViewAhead>,
}

impl Loaded {
    /// The name of a device.
    pub fn name(&self, serial: &str) -> String {
        self.names
            .get(serial)
            .cloned()
            .unwrap_or_else(|| serial.to_string())
    }
}

/// What the data browser remembers between calls.
#[derive(Debug)]
struct Memory {
    loaded: Option<Arc<Loaded>>,
    /// Names of the account's own devices, by serial.
    names: HashMap<String, String>,
    /// The server's type descriptions, once read.
    types: Option<TypeTable>,
    /// The width (clamped) of the last view asked for: the charts' width.
    view_width: Option<usize>,
}

/// The running load: its id and the switch that cancels it.
type Running = Option<(u64, watch::Sender<bool>)>;

/// Browses and loads data for one signed-in account at a time. `Send + Sync`.
#[derive(Debug)]
pub struct DataBrowser {
    options: FetchOptions,
    memory: Mutex<Memory>,
    /// Decoded chunks; fetch tasks add to it as each chunk arrives.
    cache: Arc<Mutex<ChunkCache>>,
    next_load: AtomicU64,
    running: Mutex<Running>,
    /// The target polar the user loaded, applied to every analysis until replaced.
    target_polar: Mutex<Option<Arc<TargetPolar>>>,
}

impl DataBrowser {
    /// A data browser with these fetch options and an empty cache.
    pub fn new(options: FetchOptions) -> DataBrowser {
        let cache = Arc::new(Mutex::new(ChunkCache::new(options.cache_bytes)));
        DataBrowser {
            options,
            cache,
            memory: Mutex::new(Memory {
                loaded: None,
                names: HashMap::new(),
                types: None,
                view_width: None,
            }),
            next_load: AtomicU64::new(1),
            running: Mutex::new(None),
            target_polar: Mutex::new(None),
        }
    }

    /// Reads `text` as a target polar table and uses it from the next analysis on; `None`
    /// goes back to none. A table that cannot be read changes nothing and says where.
    pub fn set_target_polar(&self, text: Option<&str>) -> Result<Option<TargetPolar>, AppError> {
        let polar = match text {
            Some(text) if text.len() > MAX_TARGET_POLAR_BYTES => {
                return Err(AppError::UnreadableFile {
                    detail: format!(
                        "a target polar table is a few kilobytes; this one is {} KiB",
                        text.len() / 1024
                    ),
                })
            }
            Some(text) => Some(Arc::new(TargetPolar::parse(text).map_err(|e| {
                AppError::UnreadableFile {
                    detail: format!("it is not a target polar table ({e})"),
                }
            })?)),
            None => None,
        };
        *lock(&self.target_polar) = polar.clone();
        Ok(polar.map(|p| (*p).clone()))
    }

    /// The target polar in use, if any.
    pub fn target_polar(&self) -> Option<Arc<TargetPolar>> {
        lock(&self.target_polar).clone()
    }

    /// The fetch options in use.
    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    /// Stops the running load, if any: its requests are aborted and it returns
    /// [`AppError::Cancelled`]; chunks already fetched stay cached. True if one was running.
    pub fn cancel_load(&self) -> bool {
        match lock(&self.running).take() {
            Some((_, switch)) => {
                let _ = switch.send(true);
                true
            }
            None => false,
        }
    }

    /// Forgets everything of the signed-out account: the cache, the loaded data, names and
    /// types; a running load is cancelled.
    pub async fn forget(&self) {
        self.cancel_load();
        lock(&self.cache).clear();
        let mut memory = self.memory();
        memory.loaded = None;
        memory.names.clear();
        memory.types = None;
    }

    fn memory(&self) -> MutexGuard<'_, Memory> {
        lock(&self.memory)
    }

    /// The loaded data, or [`AppError::NothingLoaded`].
    fn loaded(&self) -> Result<Arc<Loaded>, AppError> {
        self.memory().loaded.clone().ok_or(AppError::NothingLoaded)
    }
}

/// Locks a mutex; a panic elsewhere cannot leave these plain maps inconsistent, so a poisoned
/// lock is taken over.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// An API call's result for the UI: a rejected token is reported to the account's tokens
/// (which drop the sign-in) and becomes [`AppError::TokenRejected`].
async fn checked<T>(
    account: &AccountTokens,
    access: &ApiAccess,
    result: Result<T, ApiError>,
) -> Result<T, AppError> {
    match result {
        Ok(value) => Ok(value),
        Err(err) => {
            if err == ApiError::Unauthorized {
                account.report_rejected(&access.token).await;
            }
            Err(from_api(err, &access.server))
        }
    }
}

/// A blocking task's failure (a panic in pure data code) as an error for the UI.
fn worker_failed(err: tokio::task::JoinError) -> AppError {
    AppError::Internal {
        detail: format!("a data worker stopped: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_send<T: Send>(_: &T) {}

    /// The Tauri shell holds a `DataBrowser` in shared state and awaits its calls in async
    /// commands, which need `Send` futures.
    #[test]
    fn the_data_browser_and_its_futures_can_cross_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<DataBrowser>();
        let _ = |data: &DataBrowser, account: &AccountTokens| {
            let request = LoadRequest {
                from: 0,
                to: 1,
                serials: Vec::new(),
            };
            is_send(&data.load(account, request, |_| {}));
            is_send(&data.catalog(account));
            is_send(&data.resources(account, 0, 1));
            is_send(&data.latest(account, Vec::new()));
            is_send(&data.view(ViewRequest {
                from: 0,
                to: 1,
                width: 100,
            }));
            is_send(&data.export(ExportFormat::Csv, 0, 1));
            is_send(&data.forget());
        };
    }
}
