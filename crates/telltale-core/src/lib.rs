//! Telltale's core: its settings ([`Config`]), the one error type the app reports to its UI
//! ([`AppError`]) and the [`session::Session`]: the app's behaviour without a window (sign
//! in, restore, account, sign out), so it is tested on its own against the simulator.

pub mod accounts;
pub mod browse;
pub mod config;
mod error;
pub mod multi;
pub mod session;

pub use config::{Config, ConfigError, Mode};
pub use error::AppError;
