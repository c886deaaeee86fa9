//! Telltale's core: its settings ([`Config`]), the one error type the app reports to its UI
//! ([`AppError`]), the signed-in accounts ([`multi::Accounts`]: sign in, restore, switch,
//! sign out, each account's tokens in a [`tokens::AccountTokens`]) and the data browser:
//! the app's behaviour without a window, so it is tested on its own against the simulator.
//! The map under the tracks comes from [`tiles`]: a tile source and its disk cache.

pub mod accounts;
pub mod browse;
pub mod config;
mod error;
pub mod live;
pub mod multi;
pub mod prefs;
mod private_file;
pub mod tiles;
pub mod tokens;
/// The TypeScript types of what the page receives (ui/src/generated; tests only).
#[cfg(feature = "ts")]
pub mod ts;

pub use config::{Config, ConfigError, Mode};
pub use error::AppError;
