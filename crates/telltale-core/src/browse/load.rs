//! Loading device data: the range is split into windows the server accepts (only those
//! that overlap a resource, or on a Riot server a data access window), each fetched with
//! the types present, a bounded number in flight, retried with backoff when the failure may
//! pass, decoded off the async threads (JSON or Riot's protobuf), cached as it arrives, and
//! assembled in time order.

use super::cache::ChunkKey;
use super::catalog::check_range;
use super::channels::TypeTable;
use super::fetch::{fetch_chunk, FetchContext, Source, Tracker};
use super::views::*;
use super::{checked, lock, view, worker_failed, DataBrowser, Loaded};
use crate::tokens::AccountTokens;
use crate::AppError;
use igtimi_client::EpochMillis;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use telltale_data::{merge, plan, Dataset};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

impl DataBrowser {
    /// The type codes of the old API's resources of `serials` in `[from, to]`, and their spans.
    async fn resource_coverage(
        &self,
        account: &AccountTokens,
        access: &crate::tokens::ApiAccess,
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
        let resources = checked(account, access, found).await?;
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
        account: &AccountTokens,
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
            result = self.run_load(account, request, load_id, Box::new(progress)) => result,
        };
        let mut running = lock(&self.running);
        if running.as_ref().is_some_and(|(id, _)| *id == load_id) {
            *running = None;
        }
        result
    }

    async fn run_load(
        &self,
        account: &AccountTokens,
        request: LoadRequest,
        load_id: u64,
        report: Box<dyn Fn(LoadProgress) + Send + Sync>,
    ) -> Result<LoadSummary, AppError> {
        let access = account.api_access().await?;
        let mut serials = request.serials.clone();
        serials.sort();
        serials.dedup();
        let (from, to) = (request.from, request.to);
        let riot = super::riot::riot_of(&access);
        let (types, busy, notes) = match &riot {
            Some(riot) => {
                let (busy, notes) = self
                    .riot_coverage(account, &access, riot, &serials, (from, to))
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
                    .resource_coverage(account, &access, &serials, (from, to))
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
        let (names, table) = self.names_and_types(account, &access).await?;

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
                    account.report_rejected(&access.token).await;
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
            ahead: self.ahead_of(from, to),
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
        let loaded = Arc::new(loaded);
        view::start_view_ahead(&loaded);
        self.memory().loaded = Some(loaded);
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
