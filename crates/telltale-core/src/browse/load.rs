//! Loading device data: the range is split into windows the server accepts (only those
//! that overlap a resource, or on a Riot server a data access window), each fetched with
//! the types present, a bounded number in flight, retried with backoff when the failure may
//! pass, decoded off the async threads (JSON or Riot's protobuf), cached as it arrives, and
//! assembled in time order.

use super::cache::{ChunkCache, ChunkKey};
use super::catalog::check_range;
use super::channels::TypeTable;
use super::views::*;
use super::{checked, lock, worker_failed, DataBrowser, Loaded};
use crate::session::errors::from_api;
use crate::session::AccountTokens;
use crate::AppError;
use igtimi_client::{AccessToken, ApiError, DataQuery, EpochMillis, IgtimiClient, RiotClient};
use std::collections::BTreeMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use telltale_data::{merge, plan, Dataset, DecodeError};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

/// Counts a load's chunks and bytes and reports them.
struct Tracker {
    load_id: u64,
    total: u64,
    done: AtomicU64,
    failed: AtomicU64,
    bytes: AtomicU64,
    report: Box<dyn Fn(LoadProgress) + Send + Sync>,
}

impl Tracker {
    fn emit(&self, retrying: bool) {
        (self.report)(LoadProgress {
            load_id: self.load_id,
            chunks_done: self.done.load(Ordering::SeqCst),
            chunks_total: self.total,
            chunks_failed: self.failed.load(Ordering::SeqCst),
            bytes: self.bytes.load(Ordering::SeqCst),
            retrying,
        });
    }
}

/// Where a load's chunks come from.
enum Source {
    /// The old JSON API; types are its type codes.
    Igtimi(IgtimiClient),
    /// A Riot server; types are data point field numbers.
    Riot(RiotClient),
}

/// What every fetch task of one load shares.
struct FetchContext {
    source: Source,
    token: AccessToken,
    server: String,
    serials: Vec<String>,
    types: Vec<u16>,
    retries: u32,
    backoff: Vec<Duration>,
    permits: Semaphore,
    cache: Arc<Mutex<ChunkCache>>,
    tracker: Tracker,
}

/// Why one attempt failed, and whether another may succeed.
struct Failure {
    error: AppError,
    retryable: bool,
}

impl DataBrowser {
    /// The type codes of the old API's resources of `serials` in `[from, to]`, and their spans.
    async fn resource_coverage(
        &self,
        session: &AccountTokens,
        access: &crate::session::ApiAccess,
        serials: &[String],
        (from, to): (i64, i64),
    ) -> Result<(Vec<u16>, Vec<(i64, i64)>), AppError> {
        if serials.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let found = access
            .client
            .resources(&access.token, EpochMillis(from), EpochMillis(to), serials)
            .await;
        let resources = checked(session, access, found).await?;
        let mut types: Vec<u16> = resources
            .iter()
            .flat_map(|r| r.data_types.iter().copied())
            .collect();
        types.sort_unstable();
        types.dedup();
        let busy = resources
            .iter()
            .map(|r| (r.start_time.0, r.end_time.0))
            .collect();
        Ok((types, busy))
    }

    /// Loads `request.serials` over `[request.from, request.to]` and keeps the result for
    /// [`DataBrowser::view`] and [`DataBrowser::export`]. Chunks already cached are not fetched
    /// again; chunks that still fail after retries are listed in
    /// [`LoadSummary::failed`] while the others are kept. A new load cancels a running one;
    /// a cancelled load returns [`AppError::Cancelled`]. A rejected token ends the load at
    /// once with [`AppError::TokenRejected`] (the account's tokens drop the sign-in).
    pub async fn load(
        &self,
        session: &AccountTokens,
        request: LoadRequest,
        progress: impl Fn(LoadProgress) + Send + Sync + 'static,
    ) -> Result<LoadSummary, AppError> {
        check_range(request.from, request.to)?;
        let load_id = self.next_load.fetch_add(1, Ordering::SeqCst);
        let (switch, mut cancelled) = watch::channel(false);
        if let Some((_, previous)) = lock(&self.running).replace((load_id, switch)) {
            let _ = previous.send(true);
        }
        let result = tokio::select! {
            biased;
            _ = cancelled.wait_for(|stop| *stop) => Err(AppError::Cancelled),
            result = self.run_load(session, request, load_id, Box::new(progress)) => result,
        };
        let mut running = lock(&self.running);
        if running.as_ref().is_some_and(|(id, _)| *id == load_id) {
            *running = None;
        }
        result
    }

    async fn run_load(
        &self,
        session: &AccountTokens,
        request: LoadRequest,
        load_id: u64,
        report: Box<dyn Fn(LoadProgress) + Send + Sync>,
    ) -> Result<LoadSummary, AppError> {
        let access = session.api_access().await?;
        let mut serials = request.serials.clone();
        serials.sort();
        serials.dedup();
        let (from, to) = (request.from, request.to);
        let riot = super::riot::riot_of(&access);
        let (types, busy, notes) = match &riot {
            Some(riot) => {
                let (busy, notes) = self
                    .riot_coverage(session, &access, riot, &serials, (from, to))
                    .await?;
                let fields = super::riot::all_fields();
                let types = fields
                    .iter()
                    .filter_map(|&f| u16::try_from(f).ok())
                    .collect();
                (types, busy, notes)
            }
            None => {
                let (types, busy) = self
                    .resource_coverage(session, &access, &serials, (from, to))
                    .await?;
                (types, busy, Vec::new())
            }
        };
        let windows: Vec<(i64, i64)> = if types.is_empty() || busy.is_empty() {
            Vec::new()
        } else {
            plan::covered(
                &plan::windows(from, to, self.options.max_window_ms.max(1)),
                &busy,
            )
        };
        let (names, table) = self.names_and_types(session, &access).await?;

        let via_riot = riot.is_some();
        let key_of = |(start, end): (i64, i64)| ChunkKey {
            riot: via_riot,
            server: access.server.clone(),
            account: access.account_id,
            serials: serials.clone(),
            start,
            end,
            types: types.clone(),
        };
        let mut chunks: Vec<(i64, Arc<Dataset>)> = Vec::new();
        let mut missing = Vec::new();
        {
            let mut cache = lock(&self.cache);
            for &window in &windows {
                match cache.get(&key_of(window)) {
                    Some(chunk) => chunks.push((window.0, chunk)),
                    None => missing.push(window),
                }
            }
        }
        let from_cache = chunks.len() as u64;
        let context = Arc::new(FetchContext {
            source: match riot {
                Some(riot) => Source::Riot(riot),
                None => Source::Igtimi(access.client.clone()),
            },
            token: access.token.clone(),
            server: access.server.clone(),
            serials: serials.clone(),
            types: types.clone(),
            retries: self.options.retries,
            backoff: self.options.backoff.clone(),
            permits: Semaphore::new(self.options.concurrency.max(1)),
            cache: self.cache.clone(),
            tracker: Tracker {
                load_id,
                total: windows.len() as u64,
                done: AtomicU64::new(from_cache),
                failed: AtomicU64::new(0),
                bytes: AtomicU64::new(0),
                report,
            },
        });
        context.tracker.emit(false);

        let mut tasks = JoinSet::new();
        for window in missing {
            let context = context.clone();
            let key = key_of(window);
            tasks.spawn(async move { (window, fetch_chunk(&context, window, key).await) });
        }
        let mut failed = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            let (window, outcome) = joined.map_err(worker_failed)?;
            match outcome {
                Ok((chunk, problems)) => {
                    chunks.push((window.0, chunk));
                    failed.extend(problems.into_iter().map(|error| FailedChunk {
                        start: window.0,
                        end: window.1,
                        error,
                    }));
                }
                Err(AppError::TokenRejected) => {
                    tasks.abort_all();
                    session.report_rejected(&access.token).await;
                    return Err(AppError::TokenRejected);
                }
                Err(error) => failed.push(FailedChunk {
                    start: window.0,
                    end: window.1,
                    error,
                }),
            }
        }
        failed.sort_by_key(|f| f.start);

        let owned: Vec<(i64, Dataset)> = chunks
            .into_iter()
            .map(|(start, chunk)| (start, Arc::unwrap_or_clone(chunk)))
            .collect();
        let dataset = tokio::task::spawn_blocking(move || merge::assemble(owned))
            .await
            .map_err(worker_failed)?;
        let names: BTreeMap<String, String> = serials
            .iter()
            .map(|s| {
                (
                    s.clone(),
                    names.get(s).cloned().unwrap_or_else(|| s.clone()),
                )
            })
            .collect();
        let loaded = Loaded {
            dataset,
            names,
            types: table,
        };
        let summary = LoadSummary {
            load_id,
            from,
            to,
            devices: serials
                .iter()
                .map(|serial| LoadedDevice {
                    serial: serial.clone(),
                    name: loaded.name(serial),
                    channels: channels_of(&loaded.dataset, serial, &loaded.types),
                })
                .collect(),
            samples: loaded.dataset.sample_count() as u64,
            bytes: context.tracker.bytes.load(Ordering::SeqCst),
            chunks_total: windows.len() as u64,
            chunks_from_cache: from_cache,
            failed,
            notes,
        };
        self.memory().loaded = Some(Arc::new(loaded));
        Ok(summary)
    }
}

/// The channels (type key × value column) a device has in `dataset`, position excluded.
pub(crate) fn channels_of(dataset: &Dataset, serial: &str, table: &TypeTable) -> Vec<ChannelView> {
    let Some(device) = dataset.devices.get(serial) else {
        return Vec::new();
    };
    device
        .channels
        .iter()
        .filter(|(key, _)| key.code != 1)
        .flat_map(|(key, block)| (1..=block.fields.len()).map(|field| table.channel(*key, field)))
        .collect()
}

/// Fetches, decodes and caches one window, retrying failures that may pass. Devices whose
/// part could not be read come back as errors beside the others' data (that chunk is not
/// cached, so the next load asks again).
async fn fetch_chunk(
    context: &FetchContext,
    (start, end): (i64, i64),
    key: ChunkKey,
) -> Result<(Arc<Dataset>, Vec<AppError>), AppError> {
    let query = DataQuery {
        start,
        end,
        serials: context.serials.clone(),
        types: context.types.iter().map(|&code| (code, 0.0)).collect(),
    };
    let tracker = &context.tracker;
    let mut attempt: u32 = 0;
    loop {
        let outcome = {
            let _permit = context
                .permits
                .acquire()
                .await
                .map_err(|_| AppError::Cancelled)?;
            fetch_once(context, &query).await
        };
        match outcome {
            Ok((dataset, problems)) => {
                let chunk = Arc::new(dataset);
                if problems.is_empty() {
                    lock(&context.cache).insert(key, chunk.clone());
                }
                tracker.done.fetch_add(1, Ordering::SeqCst);
                tracker.emit(false);
                return Ok((chunk, problems));
            }
            Err(failure) if failure.retryable && attempt < context.retries => {
                tracing::info!(start, end, attempt, error = %failure.error, "chunk failed; retrying");
                tracker.emit(true);
                tokio::time::sleep(backoff(&context.backoff, attempt)).await;
                attempt += 1;
            }
            Err(failure) => {
                if failure.error != AppError::TokenRejected {
                    tracker.failed.fetch_add(1, Ordering::SeqCst);
                    tracker.emit(false);
                }
                return Err(failure.error);
            }
        }
    }
}

/// One request and its decoding, with the devices whose part could not be read.
async fn fetch_once(
    context: &FetchContext,
    query: &DataQuery,
) -> Result<(Dataset, Vec<AppError>), Failure> {
    let answer = match &context.source {
        Source::Igtimi(client) => client.data(&context.token, query).await,
        Source::Riot(riot) => {
            let fields: Vec<u32> = query
                .types
                .iter()
                .map(|&(code, _)| u32::from(code))
                .collect();
            riot.data(
                &context.token,
                query.start,
                query.end,
                &query.serials,
                &fields,
            )
            .await
        }
    };
    let bytes = match answer {
        Ok(bytes) => bytes,
        Err(err) => {
            let retryable = match &err {
                ApiError::Timeout | ApiError::Unreachable { .. } => true,
                ApiError::InvalidResponse { .. } => true,
                ApiError::Server { status } => *status >= 500,
                _ => false,
            };
            return Err(Failure {
                error: from_api(err, &context.server),
                retryable,
            });
        }
    };
    context
        .tracker
        .bytes
        .fetch_add(bytes.len() as u64, Ordering::SeqCst);
    let riot = matches!(context.source, Source::Riot(_));
    let decoded = tokio::task::spawn_blocking(move || {
        if riot {
            telltale_data::riot::decode_answer(&bytes).map(|decoded| {
                let problems = decoded
                    .problems
                    .into_iter()
                    .map(|problem| AppError::InvalidResponse {
                        detail: problem.to_string(),
                    })
                    .collect();
                (decoded.dataset, problems)
            })
        } else {
            telltale_data::decode(&bytes).map(|dataset| (dataset, Vec::new()))
        }
    })
    .await
    .map_err(|err| Failure {
        error: worker_failed(err),
        retryable: false,
    })?;
    decoded.map_err(|err| match err {
        DecodeError::Server { .. } => Failure {
            error: AppError::Refused {
                detail: err.to_string(),
            },
            retryable: false,
        },
        DecodeError::Malformed { .. } => Failure {
            error: AppError::InvalidResponse {
                detail: err.to_string(),
            },
            retryable: true,
        },
    })
}

/// The pause before retry number `attempt` (0-based), plus up to a quarter at random.
fn backoff(steps: &[Duration], attempt: u32) -> Duration {
    let base = steps
        .get(attempt as usize)
        .or(steps.last())
        .copied()
        .unwrap_or(Duration::from_millis(250));
    let random = RandomState::new().hash_one(attempt);
    let quarter = base / 4;
    let quarter_nanos = u64::try_from(quarter.as_nanos()).unwrap_or(u64::MAX);
    base + Duration::from_nanos(random % quarter_nanos.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_follows_the_steps_with_bounded_jitter() {
        let steps = [Duration::from_millis(100), Duration::from_millis(400)];
        for attempt in 0..4 {
            let base = if attempt == 0 { 100 } else { 400 };
            let pause = backoff(&steps, attempt).as_millis() as u64;
            assert!(
                (base..=base + base / 4).contains(&pause),
                "{attempt}: {pause}"
            );
        }
    }
}
