//! Provider profiles from the settings file, the account list on disk, and each account's
//! own keychain entry (the keychain tests need `scripts/with-keyring.sh`). The profile
//! tests that talk to a server use the simulator over loopback HTTP.

mod keychain;
mod profile_errors;
mod profiles;
mod sim;
mod store;
mod store_files;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;
use telltale_core::config::{ENV_CONFIG_DIR, FILE_NAME};
use telltale_core::{Config, ConfigError};
use telltale_test_support::Scratch;

/// Loads the settings in `dir` with exactly the given environment variables.
pub fn load(dir: &Path, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let mut env: HashMap<String, OsString> = vars
        .iter()
        .map(|(name, value)| (name.to_string(), OsString::from(value)))
        .collect();
    env.insert(ENV_CONFIG_DIR.to_string(), dir.as_os_str().to_owned());
    Config::load_with(|name| env.get(name).cloned(), None)
}

/// Loads `text` as the settings file and expects an error in it: (line, message).
pub fn file_error(test: &str, text: &str) -> (usize, String) {
    let scratch = Scratch::new(test);
    scratch.write(FILE_NAME, text);
    match load(scratch.path(), &[]) {
        Err(error @ ConfigError::InFile { .. }) => {
            let shown = error.to_string();
            assert!(shown.contains(FILE_NAME), "the file is named: {shown}");
            match error {
                ConfigError::InFile { line, message, .. } => (line, message),
                _ => unreachable!("matched above"),
            }
        }
        other => panic!("expected an error in the file, got {other:?}"),
    }
}
