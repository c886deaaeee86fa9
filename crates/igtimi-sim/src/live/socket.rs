//! What both live WebSockets share: the heartbeat `1`, the idle limit, the samples from the
//! hub, a token check every second, the live faults and the end at shutdown. A [`Dialect`]
//! brings the messages: how it reads the client's text, which frames a batch of samples
//! becomes for this socket, and its frames for the faults.

use super::sockets::{LiveFault, SocketHandle};
use super::LivePoints;
use crate::server::{AppState, ConnInfo, Shared};
use axum::extract::ws::{close_code, CloseFrame, Message, Utf8Bytes, WebSocket};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::{interval, interval_at, sleep_until, timeout, Instant, MissedTickBehavior};

/// Largest message a client may send: configs and heartbeats are small.
pub const MAX_CLIENT_MESSAGE: usize = 64 * 1024;
/// How often the dialect checks the socket's credentials are still good.
const CHECK_PERIOD: Duration = Duration::from_secs(1);
/// A client that takes no frame for this long is dropped (its buffers are full).
const SEND_LIMIT: Duration = Duration::from_secs(10);
/// How long the close frame may take at shutdown.
const CLOSE_LIMIT: Duration = Duration::from_secs(1);
/// Longest close reason a close frame carries (125 bytes less the code).
const MAX_REASON_BYTES: usize = 123;

/// What the server does about a client's text message.
#[derive(Debug)]
pub enum Answer {
    Nothing,
    Send(Message),
    /// Close with this code and reason.
    Close(u16, String),
}

/// One dialect's messages on a live socket.
pub trait Dialect: Send {
    /// Whether heartbeats go out yet (the JSON dialect's start after its config).
    fn started(&self) -> bool;
    /// Whether the socket streams any device (then it reads the hub).
    fn wants_samples(&self) -> bool;
    /// A text message from the client.
    fn on_text(&mut self, state: &AppState, text: &str) -> Answer;
    /// The frames one batch of the hub becomes on this socket (none when the batch is not
    /// for it).
    fn frames(&mut self, state: &AppState, batch: &LivePoints) -> Vec<Message>;
    /// Checked every second; `Err` closes the socket with that code and reason.
    fn still_allowed(&self, state: &AppState) -> Result<(), (u16, String)>;
    /// A frame that is not valid in this dialect.
    fn garbage(&self) -> Message;
    /// A frame of [`super::sockets::HUGE_FRAME_BYTES`].
    fn huge_frame(&self) -> Message;
    /// A well-formed frame for a device the user can read and did not subscribe to.
    fn foreign_device(&self, state: &AppState) -> Option<Message>;
}

/// A close frame; the reason is cut to what a close frame holds.
pub fn close_frame(code: u16, reason: &str) -> Message {
    let mut end = reason.len().min(MAX_REASON_BYTES);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    Message::Close(Some(CloseFrame {
        code,
        reason: Utf8Bytes::from(&reason[..end]),
    }))
}

/// One thing that happened to the socket.
enum Event {
    Close(u16, String),
    Fault(LiveFault),
    Heartbeat,
    Check,
    Batch(Result<Arc<LivePoints>, RecvError>),
    Incoming(Option<Result<Message, axum::Error>>),
}

/// The next batch from the hub, or never while the socket streams nothing.
async fn next_batch(
    samples: &mut Option<broadcast::Receiver<Arc<LivePoints>>>,
) -> Result<Arc<LivePoints>, RecvError> {
    match samples {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// The open socket and its registration.
struct Live {
    socket: WebSocket,
    handle: SocketHandle,
    /// Sends nothing while set (the `half_open` fault).
    half_open: bool,
}

impl Live {
    /// Sends one message unless half-open; `false` when the socket is done (gone, too slow,
    /// or the server is stopping).
    async fn send(&mut self, message: Message) -> bool {
        if self.half_open {
            return true;
        }
        let stop = &mut self.handle.stop;
        tokio::select! {
            sent = timeout(SEND_LIMIT, self.socket.send(message)) => matches!(sent, Ok(Ok(()))),
            _ = stop.wait_for(|&s| s) => false,
        }
    }

    /// Ends with a close frame (none while half-open).
    async fn close(mut self, code: u16, reason: &str) {
        if !self.half_open {
            let _ = timeout(CLOSE_LIMIT, self.socket.send(close_frame(code, reason))).await;
        }
    }
}

/// Serves one upgraded live socket with `dialect` until either side ends it.
pub async fn serve<D: Dialect>(
    state: Shared,
    socket: WebSocket,
    mut dialect: D,
    conn: Option<ConnInfo>,
) {
    let handle = state.live_sockets.register();
    let mut live = Live {
        socket,
        handle,
        half_open: false,
    };
    let period = state.config.live_heartbeat.max(Duration::from_millis(10));
    let idle_limit = state.config.live_idle_limit;
    let mut heartbeat = interval_at(Instant::now() + period, period);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut check = interval(CHECK_PERIOD);
    check.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut idle_deadline = Instant::now() + idle_limit;
    let mut samples = None;
    loop {
        let Live { socket, handle, .. } = &mut live;
        let (stop, faults) = (&mut handle.stop, &mut handle.faults);
        let event = tokio::select! {
            _ = async { let _ = stop.wait_for(|&s| s).await; } => {
                Event::Close(close_code::AWAY, "The server is shutting down".into())
            }
            Some(fault) = faults.recv() => Event::Fault(fault),
            _ = heartbeat.tick() => Event::Heartbeat,
            _ = check.tick() => Event::Check,
            _ = sleep_until(idle_deadline) => Event::Close(
                close_code::POLICY,
                format!("Nothing received for {} s", idle_limit.as_secs()),
            ),
            batch = next_batch(&mut samples) => Event::Batch(batch),
            incoming = socket.recv() => Event::Incoming(incoming),
        };
        let message = match event {
            Event::Close(code, reason) => return live.close(code, &reason).await,
            Event::Fault(LiveFault::Drop) => return abort(live, conn),
            Event::Fault(LiveFault::HalfOpen) => {
                live.half_open = true;
                continue;
            }
            Event::Fault(LiveFault::Resume) => {
                live.half_open = false;
                continue;
            }
            Event::Fault(LiveFault::Garbage) => Some(dialect.garbage()),
            Event::Fault(LiveFault::HugeFrame) => Some(dialect.huge_frame()),
            Event::Fault(LiveFault::ForeignDevice) => dialect.foreign_device(&state),
            Event::Heartbeat => dialect.started().then(|| Message::Text("1".into())),
            Event::Check => match dialect.still_allowed(&state) {
                Ok(()) => None,
                Err((code, reason)) => return live.close(code, &reason).await,
            },
            Event::Batch(Ok(batch)) => {
                if live.half_open {
                    continue;
                }
                for frame in dialect.frames(&state, &batch) {
                    if !live.send(frame).await {
                        return;
                    }
                }
                None
            }
            Event::Batch(Err(RecvError::Lagged(lost))) => {
                tracing::debug!(lost, "a live socket fell behind the hub");
                None
            }
            Event::Batch(Err(RecvError::Closed)) => return,
            Event::Incoming(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return,
            Event::Incoming(Some(Ok(incoming))) => {
                idle_deadline = Instant::now() + idle_limit;
                let answer = match incoming {
                    Message::Text(text) => dialect.on_text(&state, text.as_str()),
                    Message::Binary(_) => Answer::Close(
                        close_code::UNSUPPORTED,
                        "This socket reads text messages only".into(),
                    ),
                    _ => Answer::Nothing,
                };
                match (dialect.wants_samples(), samples.is_some()) {
                    (true, false) => samples = Some(state.live.subscribe()),
                    (false, true) => samples = None,
                    _ => {}
                }
                match answer {
                    Answer::Nothing => None,
                    Answer::Send(message) => Some(message),
                    Answer::Close(code, reason) => return live.close(code, &reason).await,
                }
            }
        };
        if let Some(message) = message {
            if !live.send(message).await {
                return;
            }
        }
    }
}

/// The `drop` fault: the connection ends without a close frame, with a TCP reset where the
/// socket can be told to (`SO_LINGER` 0, as the `reset` fault of [`crate::faults`]).
fn abort(live: Live, conn: Option<ConnInfo>) {
    #[cfg(all(unix, feature = "testing"))]
    if let Some(conn) = conn {
        use std::os::fd::BorrowedFd;
        // SAFETY: `conn.fd` is this connection's socket, upgraded into `live.socket`, which
        // is still open here; the borrow lives for this one `setsockopt` call.
        let fd = unsafe { BorrowedFd::borrow_raw(conn.fd) };
        if let Err(e) = socket2::SockRef::from(&fd).set_linger(Some(Duration::ZERO)) {
            tracing::warn!("the live drop fault could not set SO_LINGER: {e}");
        }
    }
    #[cfg(not(all(unix, feature = "testing")))]
    let _ = conn;
    drop(live);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_reasons_fit_a_close_frame() {
        let long = "é".repeat(100);
        let Message::Close(Some(frame)) = close_frame(1008, &long) else {
            panic!("a close frame");
        };
        assert!(frame.reason.as_str().len() <= MAX_REASON_BYTES);
        assert!(long.starts_with(frame.reason.as_str()));
        let Message::Close(Some(frame)) = close_frame(1000, "bye") else {
            panic!("a close frame");
        };
        assert_eq!((frame.code, frame.reason.as_str()), (1000, "bye"));
    }
}
