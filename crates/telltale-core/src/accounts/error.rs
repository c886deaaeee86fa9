//! Why the account list could not be read, written or changed.

use crate::config::ConfigError;
use std::path::PathBuf;
use thiserror::Error;

/// A problem with the account list, worded for the user. Never holds a secret (the list
/// holds none).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AccountsError {
    /// The platform has no configuration folder and `TELLTALE_CONFIG_DIR` is not set.
    #[error(
        "there is no settings folder to keep the account list in; set TELLTALE_CONFIG_DIR to one"
    )]
    NoConfigDir,
    /// Finding the configuration folder failed.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The file exists but the system would not let Telltale read it. It was not touched.
    #[error("cannot read the account list {}: {detail}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        detail: String,
    },
    /// The file is not an account list Telltale understands. It was not touched; starting
    /// afresh keeps it as a copy first.
    #[error("the account list {} is damaged ({detail}); it was left untouched", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong, without the file's contents.
        detail: String,
    },
    /// The file was written by a newer Telltale. It was not touched; starting afresh keeps
    /// it as a copy first.
    #[error("the account list {} was written by a newer Telltale (format {version}, this one reads up to {supported}); it was left untouched", path.display())]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// The format version in the file.
        version: u64,
        /// The newest format version this build reads.
        supported: u64,
    },
    /// The file (or its folder) could not be written.
    #[error("cannot save the account list {}: {detail}", path.display())]
    Unwritable {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        detail: String,
    },
    /// No account has this key.
    #[error("there is no account {key} in the account list")]
    UnknownAccount {
        /// The key asked for.
        key: String,
    },
    /// An account key, profile id or user id that cannot be used.
    #[error("invalid account: {message}")]
    InvalidAccount {
        /// What is wrong.
        message: String,
    },
}
