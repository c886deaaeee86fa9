//! Settings of one simulator instance.

#[cfg(feature = "testing")]
use crate::faults::FaultRule;
use crate::world::{Client, User};

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
    /// The device TCP port the Riot dialect's `GET server` names (Riot's is 6000). Nothing
    /// listens there: the simulator has no device side.
    pub riot_device_port: u16,
    /// Clients registered besides the demo ones.
    pub extra_clients: Vec<Client>,
    /// Users besides the demo ones (tests use them for hostile account data).
    pub extra_users: Vec<User>,
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
}

/// Kiel Week 2025 opened on Saturday 21 June 2025.
pub const DEFAULT_WEEK_START_MS: i64 = 1_750_464_000_000;
/// 31 days: "the server refuses spans longer than about one month".
pub const DEFAULT_MAX_DATA_SPAN_MS: i64 = 31 * 24 * 3600 * 1000;

/// The device port of Riot servers (`riot server_address HOST 6000`).
pub const DEFAULT_RIOT_DEVICE_PORT: u16 = 6000;

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 2025,
            demo_week_start_ms: DEFAULT_WEEK_START_MS,
            token_lifetime: TokenLifetime::Never,
            code_lifetime_secs: 60,
            max_data_span_ms: DEFAULT_MAX_DATA_SPAN_MS,
            riot_device_port: DEFAULT_RIOT_DEVICE_PORT,
            extra_clients: Vec::new(),
            extra_users: Vec::new(),
            #[cfg(feature = "testing")]
            faults: Vec::new(),
            remember_tokens: None,
            allowed_hosts: Vec::new(),
            #[cfg(feature = "testing")]
            hostile_sign_in_page: false,
        }
    }
}
