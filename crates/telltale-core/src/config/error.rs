//! Why a configuration could not be loaded.

use std::path::PathBuf;
use thiserror::Error;

/// A configuration problem, worded so the user can fix the file or variable it names.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// The configuration file exists but could not be read.
    #[error("cannot read the settings file {}: {detail}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        detail: String,
    },
    /// The file is not valid TOML, has a setting of the wrong type, an unknown setting, or
    /// a value that makes no sense.
    #[error("settings file {}, line {line}: {message}", path.display())]
    InFile {
        /// The file.
        path: PathBuf,
        /// The 1-based line of the problem (the first line when the parser gave no place).
        line: usize,
        /// What is wrong there.
        message: String,
    },
    /// The settings parse, but the provider they describe cannot be used (e.g. plain http to
    /// a server that is not on this computer).
    #[error("the provider settings cannot be used: {message}")]
    Unusable {
        /// What is wrong.
        message: String,
    },
    /// An environment variable holds a value that cannot be used.
    #[error("environment variable {variable}: {message}")]
    InEnvironment {
        /// The variable, e.g. `TELLTALE_SERVER`.
        variable: String,
        /// What is wrong with its value.
        message: String,
    },
}
