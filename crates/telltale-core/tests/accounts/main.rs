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
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use telltale_core::config::{ENV_CONFIG_DIR, FILE_NAME};
use telltale_core::{Config, ConfigError};

/// A scratch directory removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(test: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "telltale-accounts-{}-{}-{test}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }

    /// Writes the settings file.
    pub fn write_config(&self, text: &str) {
        std::fs::write(self.0.join(FILE_NAME), text).expect("write config");
    }

    /// The names of the files in the directory, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .expect("list dir")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

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
    scratch.write_config(text);
    match load(&scratch.0, &[]) {
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
