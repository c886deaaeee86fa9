//! Fetching one chunk of a load: one `resources/data` request (the old API's JSON or
//! Riot's base64 protobuf), decoded off the async threads, retried with backoff when the
//! failure may pass, cached when whole, counted for the progress reports.

use super::cache::{ChunkCache, ChunkKey};
use super::views::LoadProgress;
use super::{lock, worker_failed};
use crate::tokens::errors::from_api;
use crate::AppError;
use igtimi_client::{AccessToken, ApiError, DataQuery, IgtimiClient, RiotClient};
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use telltale_data::{Dataset, DecodeError};
use tokio::sync::Semaphore;

/// Counts a load's chunks and bytes and reports them.
pub(super) struct Tracker {
    pub load_id: u64,
    pub total: u64,
    pub done: AtomicU64,
    pub failed: AtomicU64,
    pub bytes: AtomicU64,
    pub report: Box<dyn Fn(LoadProgress) + Send + Sync>,
}

impl Tracker {
    pub fn emit(&self, retrying: bool) {
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
pub(super) enum Source {
    /// The old JSON API; types are its type codes.
    Igtimi(IgtimiClient),
    /// A Riot server; types are data point field numbers.
    Riot(RiotClient),
}

/// What every fetch task of one load shares.
pub(super) struct FetchContext {
    pub source: Source,
    pub token: AccessToken,
    pub server: String,
    pub serials: Vec<String>,
    pub types: Vec<u16>,
    pub retries: u32,
    pub backoff: Vec<Duration>,
    pub permits: Semaphore,
    pub cache: Arc<Mutex<ChunkCache>>,
    pub tracker: Tracker,
}

/// Why one attempt failed, and whether another may succeed.
struct Failure {
    error: AppError,
    retryable: bool,
}

/// Fetches, decodes and caches one window, retrying failures that may pass. Devices whose
/// part could not be read come back as errors beside the others' data (that chunk is not
/// cached, so the next load asks again).
pub(super) async fn fetch_chunk(
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
