//! Settings of one simulator instance.

#[cfg(feature = "testing")]
use crate::faults::FaultRule;
use crate::world::{Client, DataAccessWindow, User};
use std::time::Duration;

/// How long access tokens live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenLifetime {
    /// Igtimi's documented behaviour: "ACCESS_TOKENS do not expire". No refresh tokens.
    Never,
    /// Tokens expire after `access_secs`; every grant also returns a refresh token, and each
    /// refresh rotates it (the old one stops working).
    Expiring { access_secs: u64 },
}

/// Everything a simulator instance can be told at start.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Seed of the demo world; the same seed gives the same users, devices and tracks.
    pub seed: u64,
    /// Start of the demo regatta week, in Unix milliseconds (aligned to a UTC midnight).
    pub demo_week_start_ms: i64,
    pub token_lifetime: TokenLifetime,
    /// Lifetime of an authorization code.
    pub code_lifetime_secs: u64,
    /// Longest span `resources/data` answers; longer requests get a clear error.
    pub max_data_span_ms: i64,
    /// Where the Riot device port listens ([`crate::riot::device`]): devices and the
    /// emulator push data there. `None` (the default, and the app's embedded demo): no
    /// device port. Port 0 picks a free one; once started this holds the bound address,
    /// which `GET server` names ([`crate::Simulator::device_addr`]).
    pub riot_device_listen: Option<std::net::SocketAddr>,
    /// How often the device port sends each device a heartbeat (Riot: every 15 s).
    pub riot_device_heartbeat: Duration,
    /// How long a new connection may take to authenticate before it is refused.
    pub riot_device_auth_timeout: Duration,
    /// Clients registered besides the demo ones.
    pub extra_clients: Vec<Client>,
    /// Users besides the demo ones (tests use them for hostile account data).
    pub extra_users: Vec<User>,
    /// Data access windows besides the demo ones (a benchmark shares boats this way).
    pub extra_windows: Vec<DataAccessWindow>,
    /// Faults active from the start.
    #[cfg(feature = "testing")]
    pub faults: Vec<FaultRule>,
    /// Where to keep never-expiring access tokens across restarts (as digests); `None`
    /// forgets them when the simulator stops. See [`crate::remember`].
    pub remember_tokens: Option<std::path::PathBuf>,
    /// Host names or IP addresses (no port) a request's `Host` may name besides this
    /// machine's loopback ones, on the server's port; see [`crate::host`]. For a server
    /// shared on a network, or tests that reach it by another address. Empty by default.
    pub allowed_hosts: Vec<String>,
    /// Makes the sign-in form shown by the authorize endpoint carry a hostile script that
    /// tries every way a provider page has to reach the app showing it (see
    /// [`crate::hostile`]). For the app's isolation tests; off by default.
    #[cfg(feature = "testing")]
    pub hostile_sign_in_page: bool,
    /// Any time (ms) on the first of the two UTC days the demo boats sail live (see
    /// [`crate::demo::live`]); `None`: the day the simulator's clock shows at start.
    pub live_day_ms: Option<i64>,
    /// How often both live WebSockets send the heartbeat `1` (the services': 15 s).
    pub live_heartbeat: Duration,
    /// A live WebSocket client silent this long is dropped (the JSON service's 5 minutes).
    pub live_idle_limit: Duration,
}

/// Kiel Week 2025 opened on Saturday 21 June 2025.
pub const DEFAULT_WEEK_START_MS: i64 = 1_750_464_000_000;
/// 31 days: "the server refuses spans longer than about one month".
pub const DEFAULT_MAX_DATA_SPAN_MS: i64 = 31 * 24 * 3600 * 1000;

/// How often the live WebSockets send their heartbeat by default.
pub const DEFAULT_LIVE_HEARTBEAT: Duration = Duration::from_secs(15);
/// How long a silent live WebSocket client is kept by default.
pub const DEFAULT_LIVE_IDLE_LIMIT: Duration = Duration::from_secs(300);

/// The device port of Riot servers (`riot server_address HOST 6000`); `GET server` names
/// it when the simulator has no device port.
pub const DEFAULT_RIOT_DEVICE_PORT: u16 = 6000;
/// Riot's heartbeat period on the device port.
pub const DEFAULT_RIOT_DEVICE_HEARTBEAT: Duration = Duration::from_secs(15);
/// Time a device has to authenticate after connecting.
pub const DEFAULT_RIOT_DEVICE_AUTH_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 2025,
            demo_week_start_ms: DEFAULT_WEEK_START_MS,
            token_lifetime: TokenLifetime::Never,
            code_lifetime_secs: 60,
            max_data_span_ms: DEFAULT_MAX_DATA_SPAN_MS,
            riot_device_listen: None,
            riot_device_heartbeat: DEFAULT_RIOT_DEVICE_HEARTBEAT,
            riot_device_auth_timeout: DEFAULT_RIOT_DEVICE_AUTH_TIMEOUT,
            extra_clients: Vec::new(),
            extra_users: Vec::new(),
            extra_windows: Vec::new(),
            #[cfg(feature = "testing")]
            faults: Vec::new(),
            remember_tokens: None,
            allowed_hosts: Vec::new(),
            #[cfg(feature = "testing")]
            hostile_sign_in_page: false,
            live_day_ms: None,
            live_heartbeat: DEFAULT_LIVE_HEARTBEAT,
            live_idle_limit: DEFAULT_LIVE_IDLE_LIMIT,
        }
    }
}
