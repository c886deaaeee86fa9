//! The Riot device port: the TCP side a YachtBot (firmware 2.2.540 and later, pointed here
//! with `riot server_address HOST PORT`) or the [`emulate`] device connects to, so the
//! simulator is a small self-hosted Riot server.
//!
//! Every message both ways is one `Msg` after its length as a varint ([`framing`]). The
//! device authenticates first with a device-group token (any non-empty one: the real
//! servers accept any; the demo names [`DEMO_DEVICE_GROUP_TOKEN`]), then sends data; the
//! server sends a heartbeat every [`crate::SimConfig::riot_device_heartbeat`]
//! ([`session`]). Pushed points are stored ([`super::pushed`]) and published live
//! ([`crate::live`]) by their `type_of_service` ([`ingest`]).

pub mod boat;
pub mod emulate;
pub mod framing;
pub mod ingest;
pub mod messages;
pub mod session;

use crate::server::Shared;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// The device-group token the demo names (`--print-demo`): the first 32 hex digits of
/// SHA-256("telltale-demo-device-group"). Any non-empty token is accepted all the same.
pub const DEMO_DEVICE_GROUP_TOKEN: &str = "1f0d59f0e982242759f87b91774c0f2a";
/// Connections served at once; more are told 503 and closed.
pub const MAX_CONNECTIONS: usize = 1024;
/// How long sessions get to say goodbye when the simulator stops.
const GOODBYE: Duration = Duration::from_secs(1);

/// The device port could not be bound: inside the `io::Error` of [`crate::Simulator::start`],
/// so a caller can tell it from the HTTP port's.
#[derive(Debug, thiserror::Error)]
#[error("cannot listen on {addr} for Riot devices: {source}")]
pub struct BindError {
    pub addr: SocketAddr,
    pub source: std::io::Error,
}

/// Binds the device port, naming it in the error ([`BindError`]).
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| std::io::Error::new(source.kind(), BindError { addr, source }))
}

/// A running device port. Dropping it stops accepting and ends every session.
pub struct DevicePort {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl DevicePort {
    /// Serves devices on a bound listener with the simulator's state.
    pub fn spawn(listener: TcpListener, state: Shared) -> DevicePort {
        let addr = listener.local_addr().unwrap_or_else(|_| {
            state
                .config
                .riot_device_listen
                .unwrap_or(SocketAddr::from(([0, 0, 0, 0], 0)))
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept(listener, state, stopped));
        tracing::info!(%addr, "Riot device port listening");
        DevicePort {
            addr,
            stop,
            task: Some(task),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Tells every device the server is going away (`disconnect` 503) and stops.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for DevicePort {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Accepts connections until told to stop; the sessions live in a `JoinSet`, so aborting
/// this task ends them too.
async fn accept(listener: TcpListener, state: Shared, mut stopped: watch::Receiver<bool>) {
    let mut sessions = JoinSet::new();
    loop {
        tokio::select! {
            // A dropped sender means stop too.
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    while sessions.try_join_next().is_some() {}
                    if sessions.len() >= MAX_CONNECTIONS {
                        tokio::spawn(refuse_busy(stream, state.clock.now_ms()));
                        continue;
                    }
                    sessions.spawn(session::run(stream, peer, state.clone(), stopped.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!("device port: accepting failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
        }
    }
    let _ = tokio::time::timeout(GOODBYE, async {
        while sessions.join_next().await.is_some() {}
    })
    .await;
}

/// Tells a connection over [`MAX_CONNECTIONS`] to come back later.
async fn refuse_busy(mut stream: TcpStream, now_ms: i64) {
    use tokio::io::AsyncWriteExt;
    let frame = framing::encode_frame(&messages::disconnect(
        503,
        "The server has too many devices connected; try again later",
        now_ms.max(0) as u64,
    ));
    let _ = tokio::time::timeout(GOODBYE, stream.write_all(&frame)).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn the_demo_token_is_derived() {
        let digest = hex::encode(Sha256::digest(b"telltale-demo-device-group"));
        assert_eq!(DEMO_DEVICE_GROUP_TOKEN, &digest[..32]);
    }
}
