//! Telltale's core: its settings ([`Config`]) and the one error type the app reports to
//! its UI ([`AppError`]). Plain Rust, no window needed, so it is tested on its own.

pub mod config;
mod error;

pub use config::{Config, ConfigError, Mode};
pub use error::AppError;
