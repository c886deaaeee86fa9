//! One open connection, from the subscription to its end: frames in, heartbeats out, the
//! silence watch, and after a reconnect the gap-fill with live samples held meanwhile.
//! It ends by saying why, and the feed decides what comes next.

use crate::config::FeedConfig;
use crate::connect::Socket;
use crate::dialect::{Dialect, Incoming};
use crate::feed::Shared;
use crate::frame::clean_text;
use crate::gap::{self, GapSpan, Hold, GAP_TIMEOUT};
use crate::sleep::SleepWatch;
use crate::state::Origin;
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use telltale_data::Dataset;
use tokio::sync::watch;
use tokio::task::{JoinError, JoinHandle};
use tokio::time::MissedTickBehavior;
use tokio::time::{interval, interval_at, sleep_until, timeout, timeout_at, Instant};
use tokio_tungstenite::tungstenite::error::CapacityError;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

/// How often the quiet devices are looked at again.
const QUIET_TICK: Duration = Duration::from_secs(1);

/// How long a polite close may take.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

/// How a connection ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// The app stopped the feed.
    Stopped,
    /// Reconnect; `live_for` is how long it had been live (for the backoff's reset).
    Retry { reason: String, live_for: Duration },
    /// The server refused the token.
    SignInAgain(String),
}

type GapResults = Vec<(GapSpan, Result<Dataset, String>)>;

/// `d` in words: `45 s`, `1.5 s`, `300 ms`.
pub fn words(d: Duration) -> String {
    if d.as_millis() % 1000 == 0 {
        format!("{} s", d.as_secs())
    } else if d >= Duration::from_secs(1) {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// Runs `socket` until it ends.
pub async fn run(
    shared: &Shared,
    config: &FeedConfig,
    dialect: Dialect,
    mut socket: Socket,
    stop: &mut watch::Receiver<bool>,
) -> Ended {
    let mut link = Link {
        shared,
        config,
        hold: None,
        gap: None,
        gap_started: false,
        history: false,
        live_at: None,
    };
    let ended = link.serve(dialect, &mut socket, stop).await;
    if let Some(gap) = link.gap.take() {
        // The held samples are dropped with it: the next gap-fill starts where the window
        // ends, so nothing is lost that the server stored.
        gap.abort();
    }
    let _ = timeout(CLOSE_WAIT, socket.close(None)).await;
    ended
}

struct Link<'a> {
    shared: &'a Shared,
    config: &'a FeedConfig,
    /// Live samples waiting for the gap-fill (only after a reconnect).
    hold: Option<Hold>,
    gap: Option<JoinHandle<GapResults>>,
    gap_started: bool,
    /// This connection's fill is the first connection's history, not a reconnect's gap.
    history: bool,
    live_at: Option<Instant>,
}

impl Link<'_> {
    fn retry(&self, reason: String) -> Ended {
        Ended::Retry {
            reason,
            live_for: self.live_at.map_or(Duration::ZERO, |at| at.elapsed()),
        }
    }

    async fn serve(
        &mut self,
        dialect: Dialect,
        socket: &mut Socket,
        stop: &mut watch::Receiver<bool>,
    ) -> Ended {
        let timing = &self.config.timing;
        let silent = || format!("no heartbeat from the server for {}", words(timing.silence));
        let mut silence = Instant::now() + timing.silence;
        let subscription = dialect.subscription(&self.config.token, &self.config.serials);
        match timeout_at(silence, socket.send(Message::text(subscription))).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return self.retry(format!("the subscription could not be sent: {e}")),
            Err(_) => return self.retry(silent()),
        }
        let reconnect = self.shared.with(|s| s.first_live_ms().is_some());
        if reconnect || !self.config.history.is_zero() {
            self.hold = Some(Hold::default());
            self.history = !reconnect;
        }
        let period = timing.heartbeat.max(Duration::from_millis(10));
        let mut heartbeat = interval_at(Instant::now() + period, period);
        heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut quiet = interval(QUIET_TICK);
        let mut asleep = SleepWatch::new();
        loop {
            tokio::select! {
                biased;
                _ = stop_requested(stop) => return Ended::Stopped,
                done = join(&mut self.gap) => {
                    self.gap = None;
                    self.finish_gap(done);
                }
                message = socket.next() => {
                    silence = Instant::now() + timing.silence;
                    let message = match message {
                        None => return self.retry("the server closed the connection".into()),
                        Some(Err(e)) => return self.retry(socket_error(&e)),
                        Some(Ok(Message::Close(frame))) => return self.closed(frame.as_ref()),
                        Some(Ok(message)) => message,
                    };
                    if let Some(ended) = self.read(dialect.read(&message)) {
                        return ended;
                    }
                }
                _ = heartbeat.tick() => {
                    match timeout_at(silence, socket.send(Message::text("1"))).await {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => return self.retry(socket_error(&e)),
                        Err(_) => return self.retry(silent()),
                    }
                }
                _ = sleep_until(silence) => return self.retry(silent()),
                _ = quiet.tick() => {
                    if let Some(slept) = asleep.check() {
                        return self.retry(format!("the computer was asleep for {}", words(slept)));
                    }
                    self.shared.with(|s| s.refresh_quiet());
                }
            }
        }
    }

    /// Acts on one frame; `Some` ends the connection.
    fn read(&mut self, incoming: Incoming) -> Option<Ended> {
        match incoming {
            Incoming::Time(ms) => {
                self.live(Some(ms));
                self.start_gap(ms);
            }
            Incoming::Samples(mut data) => {
                let now = self.live(None);
                self.shared.with(|s| s.keep_followed(&mut data));
                match self.hold.as_mut() {
                    Some(hold) => {
                        let dropped = hold.push(data);
                        self.shared.with(|s| s.dropped(dropped));
                        // A server that sends no time reply: fill up to now.
                        self.start_gap(now);
                    }
                    None => self.shared.with(|s| s.accept(data, Origin::Live)),
                }
            }
            Incoming::Disconnect { code, reason } => {
                let reason = self.redact(&reason);
                if matches!(code, 401 | 403) || token_refused(&reason) {
                    return Some(Ended::SignInAgain(format!(
                        "the server ended the live connection: {reason} ({code})"
                    )));
                }
                return Some(self.retry(format!("the server is disconnecting: {reason} ({code})")));
            }
            Incoming::Bad(e) => self.shared.with(|s| s.bad_frame(&e.to_string())),
            Incoming::Heartbeat | Incoming::Nothing => {}
        }
        None
    }

    /// Marks the connection live on its first time reply or data; returns the server's
    /// time now.
    fn live(&mut self, server_ms: Option<i64>) -> i64 {
        let first = self.live_at.is_none();
        self.live_at.get_or_insert_with(Instant::now);
        self.shared.with(|s| {
            if first {
                let ms = server_ms.unwrap_or_else(|| s.server_now_ms());
                s.went_live(ms);
            }
            s.server_now_ms()
        })
    }

    /// Starts the gap-fill up to `end` (once, and only after a reconnect).
    fn start_gap(&mut self, end: i64) {
        if self.hold.is_none() || self.gap_started {
            return;
        }
        self.gap_started = true;
        let history = i64::try_from(self.config.history.as_millis()).unwrap_or(i64::MAX);
        let spans = self.shared.with(|s| {
            let first = match self.history {
                true => end.saturating_sub(history),
                false => s.first_live_ms().unwrap_or(end),
            };
            gap::plan(s.window(), s.serials(), first, end)
        });
        if spans.is_empty() {
            self.finish_gap(Ok(Vec::new()));
            return;
        }
        let endpoint = self.config.endpoint.clone();
        let token = self.config.token.clone();
        self.gap = Some(tokio::spawn(async move {
            let deadline = Instant::now() + GAP_TIMEOUT;
            let mut results = Vec::with_capacity(spans.len());
            for span in spans {
                let fetched = timeout_at(deadline, gap::fetch(&endpoint, &token, &span))
                    .await
                    .unwrap_or_else(|_| Err(format!("it took over {}", words(GAP_TIMEOUT))));
                results.push((span, fetched));
            }
            results
        }));
    }

    /// Takes the filled spans, notes the failed ones, then releases the held samples.
    fn finish_gap(&mut self, done: Result<GapResults, JoinError>) {
        let held = self.hold.take().map(|mut h| h.take()).unwrap_or_default();
        let token = self.config.token.expose_secret();
        let what = if self.history {
            "The recent past"
        } else {
            "The gap"
        };
        self.shared.with(|s| {
            match done {
                Ok(results) => {
                    for (span, result) in results {
                        match result {
                            Ok(data) => s.accept(data, Origin::Gap),
                            Err(why) => s.note(format!(
                                "{what} of {} could not be filled ({}); live data goes on",
                                gap::describe(&span),
                                clean_text(&why.replace(token, "<token>"))
                            )),
                        }
                    }
                }
                Err(_) => {
                    s.note("The gap left by the reconnect could not be filled; live data goes on")
                }
            }
            s.accept(held, Origin::Live);
        });
    }

    fn redact(&self, text: &str) -> String {
        clean_text(&text.replace(self.config.token.expose_secret(), "<token>"))
    }

    /// The server's close frame: a refused token stops the feed, anything else reconnects.
    fn closed(&self, frame: Option<&CloseFrame>) -> Ended {
        let Some(frame) = frame else {
            return self.retry("the server closed the connection".into());
        };
        let code = u16::from(frame.code);
        let reason = self.redact(frame.reason.as_str());
        if matches!(code, 3000 | 3003 | 4001 | 4003 | 4401 | 4403) || token_refused(&reason) {
            return Ended::SignInAgain(format!("the server closed the live connection: {reason}"));
        }
        let said = if reason.is_empty() {
            String::new()
        } else {
            format!(": {reason}")
        };
        self.retry(format!("the server closed the connection ({code}{said})"))
    }
}

/// Whether a server's words say the token is not (or no longer) accepted.
pub fn token_refused(reason: &str) -> bool {
    let reason = reason.to_ascii_lowercase();
    [
        "token",
        "unauthori",
        "not authenticated",
        "authentication",
        "sign in",
        "credential",
    ]
    .iter()
    .any(|w| reason.contains(w))
}

/// A socket error in words.
fn socket_error(error: &WsError) -> String {
    match error {
        WsError::Capacity(CapacityError::MessageTooLong { size, max_size }) => format!(
            "the server sent a frame of {size} bytes, over this app's limit of {max_size} bytes"
        ),
        WsError::Capacity(e) => format!("the server sent a frame too large to read: {e}"),
        WsError::Protocol(e) => format!("the connection broke the WebSocket protocol: {e}"),
        WsError::ConnectionClosed | WsError::AlreadyClosed => "the connection was closed".into(),
        e => format!("the connection failed: {e}"),
    }
}

/// Returns when the app stops the feed (or drops every handle to it).
pub async fn stop_requested(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}

/// Waits for the gap-fill, or forever when none runs.
async fn join(gap: &mut Option<JoinHandle<GapResults>>) -> Result<GapResults, JoinError> {
    match gap {
        Some(handle) => handle.await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(words(Duration::from_secs(45)), "45 s");
        assert_eq!(words(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(words(Duration::from_millis(300)), "300 ms");
    }

    #[test]
    fn refused_tokens_are_recognised_in_close_reasons() {
        for yes in [
            "The access token is invalid",
            "The access token was revoked",
            "Unauthorized",
            "not authenticated",
        ] {
            assert!(token_refused(yes), "{yes}");
        }
        for no in [
            "No configuration received within 5 minutes",
            "Going away",
            "",
        ] {
            assert!(!token_refused(no), "{no}");
        }
    }

    #[test]
    fn oversized_frames_are_named_with_their_size() {
        let e = WsError::Capacity(CapacityError::MessageTooLong {
            size: 1_048_576,
            max_size: 262_144,
        });
        assert_eq!(
            socket_error(&e),
            "the server sent a frame of 1048576 bytes, over this app's limit of 262144 bytes"
        );
    }
}
