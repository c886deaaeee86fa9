//! [`Feed`]: the handle the app holds, and the task behind it that connects, runs a
//! connection until it ends, waits out the backoff and connects again, until it is stopped
//! or the server refuses the token.

use crate::backoff::{Backoff, STABLE_AFTER};
use crate::config::FeedConfig;
use crate::connect::{Failure, Opener};
use crate::dialect::Dialect;
use crate::socket::{self, stop_requested, Ended};
use crate::state::FeedState;
use crate::update::{LiveStatus, LiveUpdate};
use igtimi_client::LazyHttp;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use telltale_data::Dataset;
use tokio::sync::watch;

/// The state behind one lock, and the change counter the long poll waits on.
#[derive(Debug)]
pub struct Shared {
    state: Mutex<FeedState>,
    seq: watch::Sender<u64>,
}

impl Shared {
    fn new(state: FeedState) -> Self {
        let (seq, _) = watch::channel(state.seq);
        Shared {
            state: Mutex::new(state),
            seq,
        }
    }

    /// Runs `f` on the state; wakes the long polls when it changed something.
    pub fn with<R>(&self, f: impl FnOnce(&mut FeedState) -> R) -> R {
        let (result, seq) = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let result = f(&mut state);
            (result, state.seq)
        };
        self.seq.send_if_modified(|held| {
            let changed = *held != seq;
            *held = seq;
            changed
        });
        result
    }
}

/// A live feed: a cheap handle (clones share the feed). Dropping the last handle stops
/// it, as [`Feed::stop`] does.
#[derive(Clone)]
pub struct Feed {
    handle: Arc<Handle>,
}

struct Handle {
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.stop.send_replace(true);
    }
}

impl std::fmt::Debug for Feed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = self.handle.shared.with(|s| s.status().clone());
        f.debug_struct("Feed")
            .field("status", &status)
            .finish_non_exhaustive()
    }
}

impl Feed {
    /// Starts following `config.serials` on the current tokio runtime (panics outside
    /// one, like `tokio::spawn`).
    pub fn start(config: FeedConfig) -> Feed {
        let state = FeedState::new(
            config.serials.clone(),
            config.keep,
            config.timing.quiet_after,
        );
        let shared = Arc::new(Shared::new(state));
        let (stop, stop_rx) = watch::channel(false);
        tokio::spawn(run(shared.clone(), config, stop_rx));
        Feed {
            handle: Arc::new(Handle { shared, stop }),
        }
    }

    /// What changed after `after` (a `seq` of an earlier answer; 0 at first): at once if
    /// anything did, else when something does, at the latest after `wait`. The samples
    /// stamped `after` or earlier are forgotten: the page has them.
    pub async fn next(&self, after: u64, wait: Duration) -> LiveUpdate {
        let shared = &self.handle.shared;
        let mut seq = shared.seq.subscribe();
        let _ = tokio::time::timeout(wait, seq.wait_for(|&s| s > after)).await;
        shared.with(|s| s.update(after))
    }

    /// The kept samples: the newest `keep` of each channel.
    pub fn window(&self) -> Dataset {
        self.handle.shared.with(|s| s.window().data().clone())
    }

    /// Ends the feed: the task closes the socket and stops; the status says so at once.
    pub fn stop(&self) {
        self.handle.stop.send_replace(true);
        self.handle.shared.with(|s| s.set_status(stopped_by_app()));
    }
}

fn stopped_by_app() -> LiveStatus {
    LiveStatus::Stopped {
        reason: "the live view was stopped".into(),
        sign_in_again: false,
    }
}

/// The feed's task.
async fn run(shared: Arc<Shared>, config: FeedConfig, mut stop: watch::Receiver<bool>) {
    let final_status = follow(&shared, &config, &mut stop).await;
    shared.with(|s| s.set_status(final_status));
}

/// Connects and reconnects until the feed stops; returns the final status.
async fn follow(
    shared: &Shared,
    config: &FeedConfig,
    stop: &mut watch::Receiver<bool>,
) -> LiveStatus {
    let stopped = |reason: String, sign_in_again: bool| LiveStatus::Stopped {
        reason,
        sign_in_again,
    };
    if config.serials.is_empty() {
        return stopped("no device was chosen to follow".into(), false);
    }
    let timing = &config.timing;
    let dialect = Dialect::of(&config.endpoint);
    let http = LazyHttp::new(timing.connect_timeout, timing.connect_timeout);
    let mut backoff = Backoff::new(timing.backoff_min, timing.backoff_max);
    loop {
        let attempt = backoff.failures().saturating_add(1);
        shared.with(|s| s.set_status(LiveStatus::Connecting { attempt }));
        let opener = Opener {
            http: &http,
            dialect,
            base: config.endpoint.base_url(),
            token: &config.token,
            timeout: timing.connect_timeout,
        };
        let mut notes = Vec::new();
        let opened = tokio::select! {
            biased;
            _ = stop_requested(stop) => return stopped_by_app(),
            opened = opener.open(&mut notes) => opened,
        };
        shared.with(|s| notes.into_iter().for_each(|n| s.note_once(n)));
        let reason = match opened {
            Err(Failure::SignInAgain(why)) => return stopped(why, true),
            Err(Failure::GiveUp(why)) => return stopped(why, false),
            Err(Failure::Retry(why)) => why,
            Ok((link, _url)) => match socket::run(shared, config, dialect, link, stop).await {
                Ended::Stopped => return stopped_by_app(),
                Ended::SignInAgain(why) => return stopped(why, true),
                Ended::Retry { reason, live_for } => {
                    if live_for >= STABLE_AFTER {
                        backoff.reset();
                    }
                    // The status moves on; the note keeps why the data paused.
                    if live_for > Duration::ZERO {
                        shared.with(|s| s.note(format!("The live connection was lost: {reason}")));
                    }
                    reason
                }
            },
        };
        let delay = backoff.next_delay();
        shared.with(|s| {
            s.set_status(LiveStatus::Reconnecting {
                in_ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                reason,
            })
        });
        tokio::select! {
            biased;
            _ = stop_requested(stop) => return stopped_by_app(),
            _ = tokio::time::sleep(delay) => {}
        }
    }
}
