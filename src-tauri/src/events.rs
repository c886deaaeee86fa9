//! What the backend tells the main window. Sign-in results, ignored sign-in links and the
//! progress of data loads go through one channel the page opens at start
//! (`listen_app_events`), not through Tauri's global events: listening to those makes Tauri
//! run a script in the page, which loads a JavaScript engine into the app's own process
//! (about 3 MiB; bench/README.md, "The first frame"). A channel costs nothing until it
//! carries something.

use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use tauri::ipc::Channel;
use telltale_core::browse::LoadProgress;
use telltale_core::multi::AccountSignedIn;
use telltale_core::AppError;

/// The name of [`AppEvent::SignInFinished`] on the channel.
pub const SIGN_IN_FINISHED: &str = "sign-in-finished";
/// The name of [`AppEvent::CallbackIgnored`] on the channel.
pub const CALLBACK_IGNORED: &str = "callback-ignored";
/// The name of [`AppEvent::LoadProgress`] on the channel.
pub const LOAD_PROGRESS: &str = "load-progress";

/// The payload of [`AppEvent::SignInFinished`]: `{summary, account, notice}` or `{error}`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(untagged)]
pub enum SignInFinished {
    /// Signed in.
    Done(Box<AccountSignedIn>),
    /// The attempt ended without a sign-in.
    Failed {
        /// Why.
        error: AppError,
    },
}

/// One message on the main window's channel: `{event, payload}`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "event", content = "payload", rename_all = "kebab-case")]
pub enum AppEvent {
    /// A sign-in ended.
    SignInFinished(SignInFinished),
    /// A sign-in link arrived that matches no attempt, or was malformed; nothing changed.
    CallbackIgnored(AppError),
    /// A data load finished a chunk or is about to retry one.
    LoadProgress(LoadProgress),
}

impl AppEvent {
    /// Whether the page still wants to hear it after a wait: progress is stale by then, and
    /// kept it would push the sign-in results out of the short queue.
    fn keeps(&self) -> bool {
        !matches!(self, AppEvent::LoadProgress(_))
    }
}

/// How many events said before the page listens are kept for it (the oldest go first).
const EARLY_EVENTS: usize = 16;

/// The main window's channel. Events said before the page opened it (a sign-in link that
/// started the app, say) wait here and are sent when it does; a reloaded page's new channel
/// replaces the old one.
#[derive(Default)]
pub struct MainEvents {
    listener: Mutex<Listener>,
}

#[derive(Default)]
struct Listener {
    channel: Option<Channel<AppEvent>>,
    early: VecDeque<AppEvent>,
}

impl MainEvents {
    /// Makes `channel` the page's, and sends it what was said before.
    pub fn listen(&self, channel: Channel<AppEvent>) {
        let mut listener = self.lock();
        for event in listener.early.drain(..) {
            send(&channel, event);
        }
        listener.channel = Some(channel);
    }

    /// Tells the page `event`, or keeps it until the page listens (progress is dropped).
    pub fn tell(&self, event: AppEvent) {
        let mut listener = self.lock();
        match &listener.channel {
            Some(channel) => send(channel, event),
            None if !event.keeps() => {}
            None => {
                if listener.early.len() == EARLY_EVENTS {
                    listener.early.pop_front();
                }
                listener.early.push_back(event);
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Listener> {
        self.listener
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn send(channel: &Channel<AppEvent>, event: AppEvent) {
    if let Err(err) = channel.send(event) {
        tracing::warn!(error = %err, "could not tell the main window");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tauri::ipc::InvokeResponseBody;

    /// A channel that records the JSON it carries.
    fn recorder() -> (Channel<AppEvent>, Arc<Mutex<Vec<serde_json::Value>>>) {
        let heard = Arc::new(Mutex::new(Vec::new()));
        let sink = heard.clone();
        let channel = Channel::new(move |body| {
            if let InvokeResponseBody::Json(json) = body {
                sink.lock()
                    .unwrap()
                    .push(serde_json::from_str(&json).unwrap());
            }
            Ok(())
        });
        (channel, heard)
    }

    fn ignored(n: usize) -> AppEvent {
        AppEvent::CallbackIgnored(AppError::InvalidCallback {
            detail: format!("link {n}"),
        })
    }

    #[test]
    fn events_say_their_name_and_payload() {
        let (channel, heard) = recorder();
        let events = MainEvents::default();
        events.listen(channel);
        events.tell(AppEvent::SignInFinished(SignInFinished::Failed {
            error: AppError::Cancelled,
        }));
        events.tell(ignored(1));
        let heard = heard.lock().unwrap();
        assert_eq!(heard.len(), 2);
        assert_eq!(heard[0]["event"], SIGN_IN_FINISHED);
        assert_eq!(heard[0]["payload"]["error"]["kind"], "cancelled");
        assert_eq!(heard[1]["event"], CALLBACK_IGNORED);
        assert_eq!(heard[1]["payload"]["kind"], "invalid_callback");
    }

    #[test]
    fn events_before_the_page_listens_wait_for_it_and_the_newest_are_kept() {
        let events = MainEvents::default();
        for n in 0..EARLY_EVENTS + 3 {
            events.tell(ignored(n));
        }
        let (channel, heard) = recorder();
        events.listen(channel);
        events.tell(ignored(99));
        let messages: Vec<String> = heard
            .lock()
            .unwrap()
            .iter()
            .map(|m| {
                m["payload"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        assert_eq!(messages.len(), EARLY_EVENTS + 1, "{messages:?}");
        assert!(messages[0].contains("(link 3)"), "{messages:?}");
        assert!(
            messages[EARLY_EVENTS - 1].contains("(link 18)"),
            "{messages:?}"
        );
        assert!(messages[EARLY_EVENTS].contains("(link 99)"), "{messages:?}");
    }

    fn progress(chunks_done: u64) -> AppEvent {
        AppEvent::LoadProgress(LoadProgress {
            load_id: 7,
            chunks_done,
            chunks_total: 4,
            chunks_failed: 0,
            bytes: 1024,
            retrying: false,
        })
    }

    #[test]
    fn load_progress_goes_down_the_same_channel() {
        let (channel, heard) = recorder();
        let events = MainEvents::default();
        events.listen(channel);
        events.tell(progress(1));
        events.tell(ignored(1));
        let heard = heard.lock().unwrap();
        assert_eq!(heard.len(), 2);
        assert_eq!(heard[0]["event"], LOAD_PROGRESS);
        assert_eq!(
            heard[0]["payload"],
            serde_json::json!({
                "loadId": 7, "chunksDone": 1, "chunksTotal": 4, "chunksFailed": 0,
                "bytes": 1024, "retrying": false,
            })
        );
        assert_eq!(heard[1]["event"], CALLBACK_IGNORED);
    }

    #[test]
    fn progress_said_before_the_page_listens_is_dropped_not_kept() {
        let events = MainEvents::default();
        events.tell(ignored(1));
        for n in 0..EARLY_EVENTS as u64 + 3 {
            events.tell(progress(n));
        }
        let (channel, heard) = recorder();
        events.listen(channel);
        let heard = heard.lock().unwrap();
        let names: Vec<&str> = heard.iter().filter_map(|m| m["event"].as_str()).collect();
        assert_eq!(
            names,
            [CALLBACK_IGNORED],
            "the sign-in news outlived the progress"
        );
    }

    #[test]
    fn a_reloaded_page_s_channel_replaces_the_old_one() {
        let events = MainEvents::default();
        let (old, old_heard) = recorder();
        let (new, new_heard) = recorder();
        events.listen(old);
        events.listen(new);
        events.tell(ignored(1));
        assert!(old_heard.lock().unwrap().is_empty());
        assert_eq!(new_heard.lock().unwrap().len(), 1);
    }
}
