//! The registry of open live sockets of both dialects. Upgraded connections outlive the
//! HTTP server's graceful shutdown (hyper hands them over), so the simulator ends them
//! itself through here; with `testing`, a [`LiveFault`] reaches every open socket.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// What a live fault makes the server do on every open live socket (test machinery:
/// `Simulator::live_fault`, `POST /__admin/live`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveFault {
    /// Aborts the connection: no close frame, a TCP reset where the platform allows.
    Drop,
    /// Keeps the socket open but sends nothing (no data, no heartbeats) until `Resume`.
    HalfOpen,
    /// Ends `HalfOpen`: the socket sends again (what arrived meanwhile is lost).
    Resume,
    /// Sends one frame that is not valid for the dialect.
    Garbage,
    /// Sends one well-formed frame for a device the user can read but did not subscribe to.
    ForeignDevice,
    /// Sends one frame of [`HUGE_FRAME_BYTES`].
    HugeFrame,
}

/// The size of a [`LiveFault::HugeFrame`] frame: 1 MiB.
pub const HUGE_FRAME_BYTES: usize = 1 << 20;

#[derive(Default)]
struct Open {
    next_id: u64,
    faults: HashMap<u64, mpsc::UnboundedSender<LiveFault>>,
}

struct Inner {
    open: Mutex<Open>,
    /// `true` once the server is shutting down: every socket ends, the demo ticker too.
    stop: watch::Sender<bool>,
    /// How many sockets are open, so a shutdown can wait for them to end.
    count: watch::Sender<usize>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, Open> {
        // Each update leaves the map whole; a poisoned lock is taken over.
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The open live sockets of one simulator.
pub struct LiveSockets {
    inner: Arc<Inner>,
}

impl Default for LiveSockets {
    fn default() -> Self {
        LiveSockets {
            inner: Arc::new(Inner {
                open: Mutex::new(Open::default()),
                stop: watch::Sender::new(false),
                count: watch::Sender::new(0),
            }),
        }
    }
}

/// One open socket's place in the registry; dropping it takes the socket off.
pub struct SocketHandle {
    id: u64,
    inner: Arc<Inner>,
    /// Faults sent to this socket.
    pub faults: mpsc::UnboundedReceiver<LiveFault>,
    /// Turns `true` when the server shuts down.
    pub stop: watch::Receiver<bool>,
}

impl Drop for SocketHandle {
    fn drop(&mut self) {
        let mut open = self.inner.lock();
        open.faults.remove(&self.id);
        self.inner.count.send_replace(open.faults.len());
    }
}

impl LiveSockets {
    /// Registers a newly opened socket.
    pub fn register(&self) -> SocketHandle {
        let (tx, faults) = mpsc::unbounded_channel();
        let mut open = self.inner.lock();
        let id = open.next_id;
        open.next_id += 1;
        open.faults.insert(id, tx);
        self.inner.count.send_replace(open.faults.len());
        SocketHandle {
            id,
            inner: self.inner.clone(),
            faults,
            stop: self.inner.stop.subscribe(),
        }
    }

    /// How many live sockets are open.
    pub fn open(&self) -> usize {
        self.inner.lock().faults.len()
    }

    /// Turns `true` when the server shuts down (for the demo ticker).
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.inner.stop.subscribe()
    }

    /// Tells every socket (and the ticker) to end; sockets opened later end at once.
    pub fn shut_down(&self) {
        self.inner.stop.send_replace(true);
    }

    /// Waits until no socket is open, at most `limit`; returns how many are still open.
    pub async fn wait_closed(&self, limit: Duration) -> usize {
        let mut count = self.inner.count.subscribe();
        let _ = tokio::time::timeout(limit, count.wait_for(|&n| n == 0)).await;
        self.open()
    }

    /// Sends `fault` to every open socket; returns how many it reached.
    #[cfg(feature = "testing")]
    pub fn fault(&self, fault: LiveFault) -> usize {
        self.inner
            .lock()
            .faults
            .values()
            .filter(|tx| tx.send(fault).is_ok())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sockets_come_and_go_and_hear_faults_and_the_shutdown() {
        let sockets = LiveSockets::default();
        let mut first = sockets.register();
        let second = sockets.register();
        assert_eq!(sockets.open(), 2);
        #[cfg(feature = "testing")]
        {
            assert_eq!(sockets.fault(LiveFault::Garbage), 2);
            assert_eq!(first.faults.recv().await, Some(LiveFault::Garbage));
        }
        drop(second);
        assert_eq!(sockets.open(), 1);
        sockets.shut_down();
        assert!(*first.stop.borrow_and_update());
        let waiting = sockets.wait_closed(Duration::from_secs(5));
        drop(first);
        assert_eq!(waiting.await, 0);
        let late = sockets.register();
        assert!(
            *late.stop.borrow(),
            "a socket opened after the shutdown ends at once"
        );
    }

    #[test]
    fn faults_read_as_snake_case() {
        let fault: LiveFault = serde_json::from_str("\"foreign_device\"").unwrap();
        assert_eq!(fault, LiveFault::ForeignDevice);
        assert!(serde_json::from_str::<LiveFault>("\"teleport\"").is_err());
    }
}
