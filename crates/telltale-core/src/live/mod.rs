//! Live data for the active account: at most one feed at a time ([`LiveFeeds`], the one
//! registry of live state), started for chosen devices over the account's WebSocket dialect
//! (the old JSON API's or Riot's, see `telltale_live`) and read by the page with a long poll,
//! so a slow page never holds back the socket: it simply gets a bigger batch next time.
//!
//! The token goes from the account's [`AccountTokens`] straight into the feed; the page sees
//! only samples, states and notes.

use crate::browse::DataBrowser;
use crate::tokens::{AccountTokens, ApiAccess};
use crate::AppError;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use telltale_live::{Endpoint, Feed, FeedConfig, LiveStatus, LiveUpdate, Timing};

/// Longest a `next` call waits for something new before it answers with nothing.
pub const POLL_WAIT: Duration = Duration::from_secs(1);
/// The newest data kept per channel, in Rust and in the page.
pub const KEEP: Duration = Duration::from_secs(10 * 60);
/// The recent past a live view opens with (the boats' tails, the charts).
pub const HISTORY: Duration = Duration::from_secs(5 * 60);
/// Most devices one live view follows (each is a subscription at the server).
pub const MAX_DEVICES: usize = 64;

/// A device of a live view, as the page labels it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LiveDevice {
    pub serial: String,
    pub name: String,
}

/// The answer to [`LiveFeeds::start`].
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LiveStarted {
    /// Names this feed in `next` and `stop`; a stale page's calls name an old one.
    pub id: u64,
    pub devices: Vec<LiveDevice>,
    /// How much of the newest data is kept, ms.
    pub keep_ms: u64,
}

/// The running feed and the account it belongs to.
struct Running {
    id: u64,
    feed: Feed,
    account: Arc<AccountTokens>,
    access: ApiAccess,
}

/// The app's live feed: one at a time, stopped when the active account changes.
pub struct LiveFeeds {
    timing: Timing,
    keep: Duration,
    next_id: AtomicU64,
    running: Mutex<Option<Running>>,
}

impl std::fmt::Debug for LiveFeeds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveFeeds")
            .field("running", &self.lock().as_ref().map(|r| r.id))
            .finish_non_exhaustive()
    }
}

impl Default for LiveFeeds {
    fn default() -> Self {
        Self::new(Timing::standard(), KEEP)
    }
}

impl LiveFeeds {
    /// Feeds with these timings and this much kept (tests shorten them).
    pub fn new(timing: Timing, keep: Duration) -> Self {
        LiveFeeds {
            timing,
            keep,
            next_id: AtomicU64::new(1),
            running: Mutex::new(None),
        }
    }

    /// Starts following the devices `serials` of the signed-in account, replacing the feed
    /// that ran before; `data` names them.
    pub async fn start(
        &self,
        data: &DataBrowser,
        account: Arc<AccountTokens>,
        serials: Vec<String>,
    ) -> Result<LiveStarted, AppError> {
        let mut serials = serials;
        let mut seen = std::collections::HashSet::new();
        serials.retain(|s| !s.trim().is_empty() && seen.insert(s.clone()));
        if serials.is_empty() {
            return Err(AppError::Refused {
                detail: "choose at least one device to watch live".into(),
            });
        }
        if serials.len() > MAX_DEVICES {
            return Err(AppError::Refused {
                detail: format!("Live follows at most {MAX_DEVICES} devices at once"),
            });
        }
        let access = account.api_access().await?;
        let (names, _) = data.names_and_types(&account, &access).await?;
        let devices: Vec<LiveDevice> = serials
            .into_iter()
            .map(|serial| LiveDevice {
                name: names
                    .get(&serial)
                    .cloned()
                    .unwrap_or_else(|| serial.clone()),
                serial,
            })
            .collect();
        let endpoint = match &access.riot {
            Some(riot) => Endpoint::Riot(riot.clone()),
            None => Endpoint::Igtimi(access.client.clone()),
        };
        let feed = Feed::start(FeedConfig {
            endpoint,
            token: access.token.clone(),
            serials: devices.iter().map(|d| d.serial.clone()).collect(),
            timing: self.timing.clone(),
            keep: self.keep,
            history: HISTORY.min(self.keep),
        });
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let replaced = self.lock().replace(Running {
            id,
            feed,
            account,
            access,
        });
        if let Some(old) = replaced {
            old.feed.stop();
        }
        Ok(LiveStarted {
            id,
            devices,
            keep_ms: u64::try_from(self.keep.as_millis()).unwrap_or(u64::MAX),
        })
    }

    /// What is new in feed `id` since `after`, waiting up to [`POLL_WAIT`] for something.
    /// A feed stopped because the server refused the token ends the sign-in.
    pub async fn next(&self, id: u64, after: u64) -> Result<LiveUpdate, AppError> {
        let (feed, account, access) = {
            let running = self.lock();
            match running.as_ref() {
                Some(r) if r.id == id => (r.feed.clone(), r.account.clone(), r.access.clone()),
                _ => return Err(AppError::LiveStopped),
            }
        };
        let update = feed.next(after, POLL_WAIT).await;
        if let LiveStatus::Stopped {
            sign_in_again: true,
            ..
        } = update.status
        {
            self.stop(id);
            account.report_rejected(&access.token).await;
            return Err(AppError::TokenRejected);
        }
        Ok(update)
    }

    /// The kept samples of feed `id` (tests, and a page that reopens the view).
    pub fn window(&self, id: u64) -> Result<telltale_data::Dataset, AppError> {
        match self.lock().as_ref() {
            Some(r) if r.id == id => Ok(r.feed.window()),
            _ => Err(AppError::LiveStopped),
        }
    }

    /// Stops feed `id`; `true` when it was running.
    pub fn stop(&self, id: u64) -> bool {
        let mut running = self.lock();
        if running.as_ref().is_some_and(|r| r.id == id) {
            if let Some(r) = running.take() {
                r.feed.stop();
            }
            return true;
        }
        false
    }

    /// Stops whatever runs (the active account changed or signed out).
    pub fn stop_all(&self) {
        if let Some(r) = self.lock().take() {
            r.feed.stop();
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Running>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }
}
