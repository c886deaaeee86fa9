//! Telltale's OAuth token store on the operating system's keychain.
//!
//! One keychain entry per account holds a [`StoredToken`] as a JSON string. The entry is
//! the `keyring` crate's entry for (`service`, `account`): the Secret Service (GNOME
//! Keyring, KWallet, ...) on Linux and the BSDs, the login Keychain on macOS and the
//! Credential Manager on Windows.
//!
//! There is no in-memory mock and no plaintext fallback. When the keychain cannot be used
//! the calls return [`KeychainError::Unavailable`] and the app decides what to do (keep the
//! session in memory only and tell the user).
//!
//! # Blocking
//!
//! Every call talks to another process and may wait for it (or, on macOS, for the user to
//! answer an access prompt). The calls are blocking and, on Linux, run their own small
//! async runtime inside; calling them from an async task on a Tokio worker thread would
//! stall that thread or panic. The app must call them off the UI thread and outside async
//! tasks, for example with `tokio::task::spawn_blocking`.
//!
//! A missing D-Bus session, a bus without a Secret Service or a locked keyring that cannot
//! be unlocked (no prompt possible) all fail fast with [`KeychainError::Unavailable`]. A
//! Secret Service that accepts a call and then never answers would block the call
//! indefinitely, so the app should also bound the wait (e.g. `tokio::time::timeout` around
//! the `spawn_blocking` handle) and treat a timeout like `Unavailable`.
//!
//! # Testing
//!
//! `scripts/with-keyring.sh cargo test -p telltale-keychain` runs the tests against a
//! private, throwaway gnome-keyring on its own D-Bus session bus.

mod error;
mod token;

pub use error::KeychainError;
pub use token::StoredToken;

/// The tokens of one application (one keychain "service"), keyed by account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keychain {
    service: String,
}

impl Keychain {
    /// A store for entries under `service`, e.g. `"telltale"`. Nothing is contacted yet.
    pub fn new(service: &str) -> Self {
        Keychain {
            service: service.to_string(),
        }
    }

    /// The keychain service name the entries are stored under.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Saves `token` for `account`, replacing any token saved before. Blocking.
    pub fn save(&self, account: &str, token: &StoredToken) -> Result<(), KeychainError> {
        let json = serde_json::to_string(token).map_err(|error| KeychainError::Other {
            detail: format!("could not encode the token: {error}"),
        })?;
        self.entry(account)?
            .set_password(&json)
            .map_err(|error| KeychainError::from_keyring(account, error))
    }

    /// Loads the token saved for `account`, or `None` when there is none. Blocking.
    ///
    /// An entry that exists but does not hold a readable token gives
    /// [`KeychainError::Corrupt`]; the caller should [`delete`](Self::delete) it.
    pub fn load(&self, account: &str) -> Result<Option<StoredToken>, KeychainError> {
        let text = match self.entry(account)?.get_password() {
            Ok(text) => text,
            Err(keyring::Error::NoEntry) => return Ok(None),
            Err(error) => return Err(KeychainError::from_keyring(account, error)),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|error| KeychainError::corrupt_json(account, &error))
    }

    /// Deletes the token saved for `account`. Deleting an entry that does not exist
    /// succeeds. Blocking.
    pub fn delete(&self, account: &str) -> Result<(), KeychainError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(KeychainError::from_keyring(account, error)),
        }
    }

    /// The platform entry for `account` (nothing is contacted until it is used).
    fn entry(&self, account: &str) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(&self.service, account)
            .map_err(|error| KeychainError::from_keyring(account, error))
    }
}
