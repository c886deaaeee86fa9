//! The app's live feed of YachtBot data, over either WebSocket dialect: the old JSON API's
//! (`/websocket`, the token in the first message, JSON text frames) and Riot's
//! (`/igtimi/websocket`, `Bearer` on the upgrade, one protobuf `Msg` per binary frame).
//!
//! A [`Feed`] asks the server for its WebSocket servers, subscribes to the chosen devices,
//! exchanges heartbeats, and reconnects with jittered exponential backoff when the
//! connection closes, fails or goes silent. After a reconnect it fills the gap from
//! `resources/data` while holding the live samples back, so each channel's samples arrive
//! strictly ascending with no hole and no duplicate. It keeps a bounded window of the
//! newest samples and a bounded page buffer that the page drains with a long poll
//! ([`Feed::next`]): the socket never waits for the page.
//!
//! The token goes only where the dialect puts it (first message, or the upgrade's
//! `Authorization` header) and into the gap-fill's REST calls: never into a URL, a note, a
//! status or an error.
//!
//! ```no_run
//! # async fn demo(client: igtimi_client::IgtimiClient, token: igtimi_client::AccessToken) {
//! use std::time::Duration;
//! use telltale_live::{Endpoint, Feed, FeedConfig, Timing};
//! let feed = Feed::start(FeedConfig {
//!     endpoint: Endpoint::Igtimi(client),
//!     token,
//!     serials: vec!["AA-BT-0417".into()],
//!     timing: Timing::standard(),
//!     keep: Duration::from_secs(600),
//!     history: Duration::from_secs(300),
//! });
//! let mut after = 0;
//! loop {
//!     let update = feed.next(after, Duration::from_secs(1)).await;
//!     after = update.seq;
//!     if update.status.is_stopped() {
//!         break;
//!     }
//! }
//! # }
//! ```

mod backoff;
mod config;
mod connect;
mod dialect;
mod feed;
pub mod frame;
mod gap;
mod page;
mod sleep;
mod socket;
mod state;
mod update;
mod window;

pub use config::{Endpoint, FeedConfig, Timing};
pub use feed::Feed;
pub use update::{LiveCounts, LiveSamples, LiveStatus, LiveUpdate, QuietDevice};

/// Limits, for tests and callers that want to state them.
pub mod limits {
    pub use crate::frame::MAX_FRAME_BYTES;
    pub use crate::gap::{GAP_TIMEOUT, HOLD_LIMIT};
    pub use crate::page::PAGE_LIMIT;
    pub use crate::window::{MAX_CHANNELS_PER_DEVICE, MAX_KEPT_PER_CHANNEL};
}
