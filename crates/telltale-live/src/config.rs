//! What a feed is started with: the server (either dialect), the token, the devices, and the
//! timings that tests shorten.

use igtimi_client::{AccessToken, IgtimiClient, RiotClient};
use std::time::Duration;

/// The server a feed follows, with the REST client its gap-fills use.
#[derive(Debug, Clone)]
pub enum Endpoint {
    /// The old JSON API: `{base}/server_listers/web_sockets`, the token in the first message,
    /// data as JSON text frames.
    Igtimi(IgtimiClient),
    /// Riot: `{base}/igtimi/api/v1/server_listers/web_sockets`, the token as `Bearer` on the
    /// upgrade, data as one protobuf `Msg` per binary frame.
    Riot(RiotClient),
}

impl Endpoint {
    /// The server root of the REST API (ends in `/`).
    pub fn base_url(&self) -> &url::Url {
        match self {
            Endpoint::Igtimi(client) => client.base_url(),
            Endpoint::Riot(client) => client.base_url(),
        }
    }
}

/// Everything [`crate::Feed::start`] needs.
#[derive(Debug, Clone)]
pub struct FeedConfig {
    /// The server and its REST client.
    pub endpoint: Endpoint,
    /// The account's token. It goes only into the first message (old API) or the upgrade's
    /// `Authorization` header (Riot) and the gap-fill requests: never into a URL, a note, a
    /// status or an error.
    pub token: AccessToken,
    /// The devices to follow (their serial numbers). Frames of other devices are counted and
    /// dropped; an empty list stops the feed at once.
    pub serials: Vec<String>,
    /// Heartbeats, silence, backoff and the quiet threshold.
    pub timing: Timing,
    /// How much of the newest data is kept per channel ([`crate::Feed::window`]); 10 minutes
    /// in the app.
    pub keep: Duration,
    /// How much of the recent past to fetch from `resources/data` when the feed first
    /// connects (at most `keep`), so a view opens with the boats' tails and scrolling charts
    /// already filled; it is filled like a reconnect's gap. Zero: live samples only.
    pub history: Duration,
}

/// The timings of a feed. [`Timing::standard`] is what the protocol documents; tests use
/// shorter ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    /// Nothing at all from the server for this long (its heartbeat is every 15 s) means the
    /// connection is dead, even if TCP has not noticed: reconnect. 45 s.
    pub silence: Duration,
    /// How often the client sends its own heartbeat `1` (the old server drops a client
    /// silent for 5 minutes; Riot's old client sent one every 120 s). 60 s.
    pub heartbeat: Duration,
    /// The first reconnect waits this long. 1 s.
    pub backoff_min: Duration,
    /// No reconnect waits longer than this. 30 s.
    pub backoff_max: Duration,
    /// A followed device with no sample for this long is listed as quiet. 30 s.
    pub quiet_after: Duration,
    /// How long opening the socket (TCP, TLS, upgrade) and asking for the server list may
    /// take. 10 s.
    pub connect_timeout: Duration,
}

impl Timing {
    /// The documented timings: silence 45 s, heartbeat 60 s, backoff 1 s to 30 s, quiet
    /// after 30 s, connect within 10 s.
    pub fn standard() -> Timing {
        Timing {
            silence: Duration::from_secs(45),
            heartbeat: Duration::from_secs(60),
            backoff_min: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
            quiet_after: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

impl Default for Timing {
    fn default() -> Self {
        Timing::standard()
    }
}
