//! A YachtBot on the device port: connects, authenticates with a device-group token, and
//! sails a demo boat under a serial of its choosing, sending its instruments' points at a
//! rate (1 Hz by default). For tests, benchmarks and `igtimi-sim device`.
//!
//! - The boat replays a day of the demo model from 09:12 UTC on, whatever the time of day
//!   ([`super::boat`]); the points are stamped with the wall-clock time each message is
//!   sent, so a reader can measure latency. At rates over 1 Hz, positions and speeds are
//!   interpolated between the model's seconds and other values repeated.
//! - It answers each server heartbeat with the same number, reconnects when the server
//!   stays silent for [`EmulatorConfig::silence`] (Riot's devices: 30 s) or the connection
//!   fails, and stops (with a `disconnect` 200) when told to or after its duration. An
//!   authentication refused (or a `disconnect` 401/403) ends it with an error.

pub use super::boat::demo_boat;
use super::boat::Model;
use super::framing::{encode_frame, FrameReader};
use super::messages::{self, Kind};
use crate::world::Device;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::{sleep, sleep_until, timeout, Instant, MissedTickBehavior};

/// Giving up on a connection attempt or an authentication answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// How an emulated device behaves.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// The device port, `HOST:PORT`.
    pub server: String,
    /// The device-group token it authenticates with.
    pub token: String,
    /// The serial number it sends its data under.
    pub serial: String,
    /// The demo model it sails ([`demo_boat`]).
    pub boat: Device,
    /// Messages per second, 0.01 to 1000.
    pub rate_hz: f64,
    /// Stops after this long; `None`: until stopped.
    pub duration: Option<Duration>,
    /// Reconnects after hearing nothing from the server for this long.
    pub silence: Duration,
    /// First wait before reconnecting; doubles up to 10 s while attempts fail.
    pub reconnect_delay: Duration,
    /// The `type_of_service` of its data (0: live and stored).
    pub type_of_service: u32,
}

impl EmulatorConfig {
    /// 1 Hz, the demo token, until stopped, reconnecting after 30 s of silence.
    pub fn new(server: impl Into<String>, serial: impl Into<String>, boat: Device) -> Self {
        EmulatorConfig {
            server: server.into(),
            token: super::DEMO_DEVICE_GROUP_TOKEN.to_string(),
            serial: serial.into(),
            boat,
            rate_hz: 1.0,
            duration: None,
            silence: Duration::from_secs(30),
            reconnect_delay: Duration::from_secs(1),
            type_of_service: 0,
        }
    }
}

/// What an emulated device did so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Connections authenticated.
    pub connections: u64,
    /// Data messages and points sent.
    pub messages: u64,
    pub points: u64,
    /// Server heartbeats heard (and answered).
    pub heartbeats: u64,
}

#[derive(Default)]
struct Counters {
    connections: AtomicU64,
    messages: AtomicU64,
    points: AtomicU64,
    heartbeats: AtomicU64,
}

impl Counters {
    fn report(&self) -> Report {
        Report {
            connections: self.connections.load(Ordering::Relaxed),
            messages: self.messages.load(Ordering::Relaxed),
            points: self.points.load(Ordering::Relaxed),
            heartbeats: self.heartbeats.load(Ordering::Relaxed),
        }
    }
}

/// Why an emulated device gave up.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EmulateError {
    #[error("The rate must be between 0.01 and 1000 messages a second, got {0}")]
    BadRate(f64),
    #[error("The server refused the device: {code} {reason}")]
    Refused { code: u32, reason: String },
}

/// An emulated device running on its own task. Dropping it stops it at once.
pub struct Emulator {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<Report, EmulateError>>>,
    counters: Arc<Counters>,
}

impl Emulator {
    pub fn start(config: EmulatorConfig) -> Emulator {
        let counters = Arc::new(Counters::default());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(run(config, counters.clone(), async {
            let _ = stopped.await;
        }));
        Emulator {
            stop: Some(stop),
            task: Some(task),
            counters,
        }
    }

    /// What it did so far.
    pub fn report(&self) -> Report {
        self.counters.report()
    }

    /// Stops it (saying goodbye to the server) and returns what it did.
    pub async fn stop(mut self) -> Result<Report, EmulateError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.finished().await
    }

    /// Waits until it ends by itself (its duration is up, or it was refused).
    pub async fn finished(&mut self) -> Result<Report, EmulateError> {
        match self.task.take() {
            Some(task) => task.await.unwrap_or_else(|_| Ok(self.counters.report())),
            None => Ok(self.counters.report()),
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Runs an emulated device until `stop` completes or its duration is up.
pub async fn emulate(
    config: EmulatorConfig,
    stop: impl Future<Output = ()>,
) -> Result<Report, EmulateError> {
    run(config, Arc::new(Counters::default()), stop).await
}

fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// How one connection ended.
enum Outcome {
    Stopped,
    Lost(String),
    Refused { code: u32, reason: String },
}

async fn run(
    config: EmulatorConfig,
    counters: Arc<Counters>,
    stop: impl Future<Output = ()>,
) -> Result<Report, EmulateError> {
    if !(0.01..=1000.0).contains(&config.rate_hz) {
        return Err(EmulateError::BadRate(config.rate_hz));
    }
    let deadline = config.duration.map(|d| Instant::now() + d);
    // Completes once: the caller's stop or the duration. Polled no more after that.
    let end = async move {
        tokio::select! {
            _ = stop => {}
            _ = async {
                match deadline {
                    Some(at) => sleep_until(at).await,
                    None => std::future::pending().await,
                }
            } => {}
        }
    };
    tokio::pin!(end);
    let mut model = Model::new(config.boat.clone());
    let mut delay = config.reconnect_delay;
    loop {
        let before = counters.connections.load(Ordering::Relaxed);
        match connection(&config, &counters, &mut model, end.as_mut()).await {
            Outcome::Stopped => return Ok(counters.report()),
            Outcome::Refused { code, reason } => {
                return Err(EmulateError::Refused { code, reason })
            }
            Outcome::Lost(why) => {
                tracing::info!(
                    serial = config.serial,
                    "emulated device: {why}; reconnecting"
                );
            }
        }
        if counters.connections.load(Ordering::Relaxed) > before {
            delay = config.reconnect_delay;
        }
        tokio::select! {
            _ = end.as_mut() => return Ok(counters.report()),
            _ = sleep(delay) => {}
        }
        delay = (delay * 2).min(MAX_BACKOFF.max(config.reconnect_delay));
    }
}

/// One connection: connect, authenticate, sail until it ends.
async fn connection<F: Future<Output = ()>>(
    config: &EmulatorConfig,
    counters: &Counters,
    model: &mut Model,
    mut end: Pin<&mut F>,
) -> Outcome {
    let stream = tokio::select! {
        _ = end.as_mut() => return Outcome::Stopped,
        connected = timeout(CONNECT_TIMEOUT, TcpStream::connect(&config.server)) => match connected {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => return Outcome::Lost(format!("cannot connect to {}: {e}", config.server)),
            Err(_) => return Outcome::Lost(format!("no connection to {} within 10 s", config.server)),
        },
    };
    let _ = stream.set_nodelay(true);
    let (read, mut write) = stream.into_split();
    let mut reader = FrameReader::new(read);
    let hello = messages::auth_request(&config.token, wall_ms().max(0) as u64);
    if let Err(e) = send(&mut write, &hello).await {
        return Outcome::Lost(format!("sending the authentication failed: {e}"));
    }
    tokio::select! {
        _ = end.as_mut() => {
            goodbye(&mut write).await;
            return Outcome::Stopped;
        }
        answer = timeout(CONNECT_TIMEOUT, authenticated(&mut reader)) => match answer {
            Ok(Ok(())) => {}
            Ok(Err(outcome)) => return outcome,
            Err(_) => return Outcome::Lost("no authentication answer within 10 s".into()),
        },
    }
    counters.connections.fetch_add(1, Ordering::Relaxed);
    let period = Duration::from_secs_f64(1.0 / config.rate_hz);
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut last_heard = Instant::now();
    loop {
        tokio::select! {
            _ = end.as_mut() => {
                goodbye(&mut write).await;
                return Outcome::Stopped;
            }
            _ = sleep_until(last_heard + config.silence) => {
                return Outcome::Lost(format!(
                    "heard nothing from the server for {:.1} s",
                    config.silence.as_secs_f64()
                ));
            }
            _ = tick.tick() => {
                let now = wall_ms();
                let points = model.points(now).await;
                let sent = points.len() as u64;
                let msg = messages::data(&config.serial, points, config.type_of_service);
                if let Err(e) = send(&mut write, &msg).await {
                    return Outcome::Lost(format!("sending data failed: {e}"));
                }
                counters.messages.fetch_add(1, Ordering::Relaxed);
                counters.points.fetch_add(sent, Ordering::Relaxed);
            }
            read = reader.next() => {
                last_heard = Instant::now();
                match read {
                    Ok(Some(msg)) => match Kind::from(msg) {
                        Kind::Heartbeat(n) => {
                            counters.heartbeats.fetch_add(1, Ordering::Relaxed);
                            if let Err(e) = send(&mut write, &messages::heartbeat(n)).await {
                                return Outcome::Lost(format!("answering a heartbeat failed: {e}"));
                            }
                        }
                        Kind::Disconnect(bye) => return dropped(bye.code, bye.reason),
                        _ => {}
                    },
                    Ok(None) => return Outcome::Lost("the server closed the connection".into()),
                    Err(e) => return Outcome::Lost(e.to_string()),
                }
            }
        }
    }
}

/// Writes one frame, giving up on a server that takes nothing for 10 s.
async fn send<W: AsyncWrite + Unpin>(write: &mut W, msg: &riot_proto::Msg) -> std::io::Result<()> {
    match timeout(CONNECT_TIMEOUT, write.write_all(&encode_frame(msg))).await {
        Ok(result) => result,
        Err(_) => Err(std::io::ErrorKind::TimedOut.into()),
    }
}

/// The server's `disconnect`: refused for good on 401 and 403, else worth another try.
fn dropped(code: u32, reason: String) -> Outcome {
    match code {
        401 | 403 => Outcome::Refused { code, reason },
        _ => Outcome::Lost(format!("the server disconnected: {code} {reason}")),
    }
}

/// Waits for the server's `auth_response`.
async fn authenticated<R: AsyncRead + Unpin>(reader: &mut FrameReader<R>) -> Result<(), Outcome> {
    loop {
        match reader.next().await {
            Ok(Some(msg)) => match Kind::from(msg) {
                Kind::AuthResponse(r) if r.ack => return Ok(()),
                Kind::AuthResponse(r) => {
                    return Err(Outcome::Refused {
                        code: r.code,
                        reason: r.reason,
                    })
                }
                Kind::Disconnect(bye) => return Err(dropped(bye.code, bye.reason)),
                _ => {}
            },
            Ok(None) => return Err(Outcome::Lost("the server closed the connection".into())),
            Err(e) => return Err(Outcome::Lost(e.to_string())),
        }
    }
}

/// Tells the server the device is going, and closes.
async fn goodbye<W: AsyncWrite + Unpin>(write: &mut W) {
    let bye = messages::disconnect(200, "The device is switching off", wall_ms().max(0) as u64);
    let _ = timeout(Duration::from_secs(1), async {
        let _ = write.write_all(&encode_frame(&bye)).await;
        let _ = write.shutdown().await;
    })
    .await;
}
