//! An Igtimi-compatible server for tests and the offline demo.
//!
//! It speaks Igtimi's OAuth2 (authorization code with PKCE, implicit, password, client
//! credentials, refresh, revocation), the REST API under `/api/v1/` with a generated regatta
//! week of data, the username/password token API, the Iternio OAuth2 dialect and the Riot
//! dialect of today's service ([`riot`]: `/security/api/restsecurity/` and
//! `/igtimi/api/v1/`, over the same users and data), and it can inject faults. Start it
//! in-process with [`Simulator::start`], or run the `igtimi-sim` binary.
//!
//! The admin endpoints, fault injection and the hostile sign-in page are test machinery,
//! built only with the `testing` feature (on by default, off in the app's demo server).
//! Every build refuses requests not addressed to the server itself ([`host`]). The `tiles`
//! feature (part of `testing`) adds map tiles under OpenStreetMap's rules ([`tiles`]).

#[cfg(feature = "testing")]
pub mod admin;
pub mod api;
pub mod clock;
pub mod config;
pub mod demo;
#[cfg(feature = "testing")]
pub mod faults;
pub mod host;
#[cfg(feature = "testing")]
pub mod hostile;
pub mod live;
pub mod oauth;
pub mod pages;
pub mod params;
#[cfg(feature = "person")]
pub mod person;
pub mod remember;
pub mod riot;
pub mod scrape;
pub mod seeds;
pub mod server;
pub mod store;
#[cfg(feature = "tiles")]
pub mod tiles;
pub mod world;

pub use config::{SimConfig, TokenLifetime};
#[cfg(feature = "testing")]
pub use faults::{FaultKind, FaultRule};
pub use live::sockets::LiveFault;
pub use server::Simulator;
