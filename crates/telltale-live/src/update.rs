//! What [`crate::Feed::next`] answers: everything the page shows, serialized as it is sent
//! to the web view (the token appears in none of it).

use serde::Serialize;

/// One answer of the long poll.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LiveUpdate {
    /// The feed's change counter; pass it as `after` to the next call.
    pub seq: u64,
    /// The connection's state now.
    pub status: LiveStatus,
    /// Samples that arrived after `after`, per channel in strictly ascending time.
    pub samples: Vec<LiveSamples>,
    /// Followed devices with no sample for `quiet_after`.
    pub quiet: Vec<QuietDevice>,
    /// Running totals since the feed started.
    pub counts: LiveCounts,
    /// Notes added after `after` (gap-fill failures, unreadable frames, refused servers).
    pub notes: Vec<String>,
}

/// The connection's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LiveStatus {
    /// Asking for the server list or opening the socket; `attempt` counts from 1.
    Connecting { attempt: u32 },
    /// Subscribed; `since_ms` is the server's time when it answered (ms since the epoch).
    Live { since_ms: i64 },
    /// The connection ended for `reason`; the next attempt starts in `in_ms`.
    Reconnecting { in_ms: u64, reason: String },
    /// The feed ended and will not reconnect. `sign_in_again`: the server refused the
    /// token, so the account must sign in again.
    Stopped { reason: String, sign_in_again: bool },
}

impl LiveStatus {
    /// Whether the feed has ended.
    pub fn is_stopped(&self) -> bool {
        matches!(self, LiveStatus::Stopped { .. })
    }
}

/// New samples of one channel, in the app's units (as `telltale-data` decodes them).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LiveSamples {
    pub serial: String,
    /// The type code (1 = position, 9 = SOG, ...).
    pub code: u16,
    /// The data-source id (0 for the primary sensor).
    pub dsi: u32,
    /// Sample times, ms since the epoch, strictly ascending.
    pub t: Vec<i64>,
    /// Value columns parallel to `t` (`fields[0]` is the API's `"1"`); a missing value is
    /// NaN (`null` in JSON).
    #[cfg_attr(feature = "ts", ts(type = "Array<Array<number | null>>"))]
    pub fields: Vec<Vec<f64>>,
}

/// A followed device that has sent nothing for `quiet_after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuietDevice {
    pub serial: String,
    /// The time of its newest sample, ms since the epoch; `None` when none came yet.
    pub since_ms: Option<i64>,
}

/// Running totals of a feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LiveCounts {
    /// Samples that came over the socket and were new.
    pub received: u64,
    /// Samples fetched from `resources/data` to fill the gap a reconnect left.
    pub gap_filled: u64,
    /// Samples that came over the socket at or before the newest time already held for
    /// their channel (a sample the gap-fill brought too, or a repeat): dropped.
    pub duplicates: u64,
    /// Frames (or parts of frames) of devices not followed: dropped.
    pub foreign_frames: u64,
    /// Frames that could not be read: skipped, the connection kept.
    pub bad_frames: u64,
    /// Times the feed went to reconnect.
    pub reconnects: u64,
    /// Samples that left the window (older than `keep`, or over a channel's cap).
    pub dropped_old: u64,
    /// Samples that never reached the page because it fell too far behind (latest wins).
    pub skipped_for_page: u64,
}
