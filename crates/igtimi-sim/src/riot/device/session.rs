//! One device connection, server side:
//!
//! 1. The first message must be an `auth_request` with a non-empty device-group token,
//!    within [`crate::SimConfig::riot_device_auth_timeout`]; it is answered with
//!    `auth_response{ack, code=200, reason="Authenticated"}`. Anything else gets
//!    `disconnect` 400 (not an authentication), 401 (no usable token, or too late).
//! 2. Then data messages are taken in ([`super::ingest`]), and a `heartbeat=N` (N counting
//!    from 1) goes out every heartbeat period. The device's own heartbeats, repeated
//!    authentications and parts the server has no use for are let be.
//! 3. A frame the server cannot read ends the session with `disconnect` and a reason (413
//!    for an announced length over 1 MiB, 400 otherwise); so does the simulator stopping
//!    (503). A device's `disconnect` or closing its end ends it quietly.

use super::framing::{encode_frame, FrameReader, ReadError};
use super::ingest::{ingest, Refusal};
use super::messages::{self, Kind};
use crate::server::Shared;
use riot_proto::{token, Msg, Token};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::{interval_at, timeout, Instant, MissedTickBehavior};

/// A device that does not take a message within this long is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Writes frames, giving up on a peer that stops reading.
struct Writer<W> {
    inner: W,
}

impl<W: AsyncWrite + Unpin> Writer<W> {
    async fn send(&mut self, msg: &Msg) -> std::io::Result<()> {
        let frame = encode_frame(msg);
        match timeout(WRITE_TIMEOUT, self.inner.write_all(&frame)).await {
            Ok(result) => result,
            Err(_) => Err(std::io::ErrorKind::TimedOut.into()),
        }
    }

    /// Sends `disconnect{code, reason}` and closes the connection.
    async fn close(&mut self, code: u32, reason: &str, now_ms: u64) {
        tracing::debug!(code, reason, "device port: disconnecting a device");
        if self
            .send(&messages::disconnect(code, reason, now_ms))
            .await
            .is_ok()
        {
            let _ = timeout(WRITE_TIMEOUT, self.inner.shutdown()).await;
        }
    }
}

fn now_ms(state: &Shared) -> u64 {
    state.clock.now_ms().max(0) as u64
}

/// Why the first message does not authenticate.
fn check_token(token: Option<&Token>) -> Result<(), &'static str> {
    match token.and_then(|t| t.token.as_ref()) {
        Some(token::Token::DeviceGroupToken(t)) if !t.trim().is_empty() => Ok(()),
        Some(token::Token::DeviceGroupToken(_)) => Err("The device group token is empty"),
        Some(token::Token::UserToken(_)) => {
            Err("Devices authenticate with a device group token, not a user token")
        }
        None => Err("The authentication request holds no token"),
    }
}

/// Serves one connection until either side ends it.
pub async fn run(
    stream: TcpStream,
    peer: SocketAddr,
    state: Shared,
    stopped: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let (read, write) = stream.into_split();
    let mut reader = FrameReader::new(read);
    let mut writer = Writer { inner: write };
    tracing::debug!(%peer, "device port: a device connected");
    if authenticate(&mut reader, &mut writer, &state)
        .await
        .is_none()
    {
        return;
    }
    tracing::info!(%peer, "device port: a device authenticated");
    serve(&mut reader, &mut writer, &state, stopped).await;
    tracing::debug!(%peer, "device port: a device left");
}

/// Step 1 of the module docs; `None` when the connection is done.
async fn authenticate<R, W>(
    reader: &mut FrameReader<R>,
    writer: &mut Writer<W>,
    state: &Shared,
) -> Option<()>
where
    R: tokio::io::AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let limit = state.config.riot_device_auth_timeout;
    let first = match timeout(limit, reader.next()).await {
        Err(_) => {
            let reason = format!(
                "No authentication request within {:.1} s of connecting",
                limit.as_secs_f64()
            );
            writer.close(401, &reason, now_ms(state)).await;
            return None;
        }
        Ok(Err(ReadError::Frame(e))) => {
            writer.close(e.code(), &e.to_string(), now_ms(state)).await;
            return None;
        }
        Ok(Err(ReadError::Io(_)) | Ok(None)) => return None,
        Ok(Ok(Some(msg))) => msg,
    };
    let Kind::AuthRequest(token) = Kind::from(first) else {
        let reason = "The first message must be an authentication request (auth_request)";
        writer.close(400, reason, now_ms(state)).await;
        return None;
    };
    let now = now_ms(state);
    if let Err(reason) = check_token(token.as_ref()) {
        let refused = messages::auth_response(token, false, 401, reason, now);
        if writer.send(&refused).await.is_ok() {
            writer.close(401, reason, now).await;
        }
        return None;
    }
    let welcome = messages::auth_response(token, true, 200, "Authenticated", now);
    writer.send(&welcome).await.ok()
}

/// Step 2 and 3 of the module docs.
async fn serve<R, W>(
    reader: &mut FrameReader<R>,
    writer: &mut Writer<W>,
    state: &Shared,
    mut stopped: watch::Receiver<bool>,
) where
    R: tokio::io::AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let period = state
        .config
        .riot_device_heartbeat
        .max(Duration::from_millis(1));
    let mut beat = interval_at(Instant::now() + period, period);
    beat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut beats = 0u64;
    loop {
        tokio::select! {
            _ = stopped.changed() => {
                writer.close(503, "The server is shutting down", now_ms(state)).await;
                return;
            }
            _ = beat.tick() => {
                beats += 1;
                if writer.send(&messages::heartbeat(beats)).await.is_err() {
                    return;
                }
            }
            read = reader.next() => match read {
                Ok(Some(msg)) => match Kind::from(msg) {
                    Kind::Data(data) => {
                        if let Err(Refusal { code, reason }) = ingest(state, data) {
                            writer.close(code, &reason, now_ms(state)).await;
                            return;
                        }
                    }
                    Kind::AuthRequest(token) => {
                        let now = now_ms(state);
                        let (ack, code, reason) = match check_token(token.as_ref()) {
                            Ok(()) => (true, 200, "Authenticated"),
                            Err(reason) => (false, 401, reason),
                        };
                        let answer = messages::auth_response(token, ack, code, reason, now);
                        if writer.send(&answer).await.is_err() {
                            return;
                        }
                    }
                    Kind::Disconnect(bye) => {
                        tracing::debug!(code = bye.code, reason = bye.reason, "device port: a device said goodbye");
                        return;
                    }
                    Kind::Heartbeat(_) | Kind::AuthResponse(_) | Kind::Other => {}
                },
                Ok(None) | Err(ReadError::Io(_)) => return,
                Err(ReadError::Frame(e)) => {
                    writer.close(e.code(), &e.to_string(), now_ms(state)).await;
                    return;
                }
            },
        }
    }
}
