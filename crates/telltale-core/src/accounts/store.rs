//! [`AccountList`]: the accounts the user signed in to and which one is active, kept as
//! `accounts.json` in the configuration folder. No secrets: tokens live in the keychain.

use super::error::AccountsError;
use super::file::{self, FileForm, ACCOUNTS_FILE, ACCOUNTS_FORMAT_VERSION};
use super::record::{unix_now, AccountKey, AccountRecord};
use crate::config::config_dir;
use std::fmt;
use std::path::{Path, PathBuf};

/// The account list in memory, tied to its file. Changes stay in memory until
/// [`save`](AccountList::save).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountList {
    path: PathBuf,
    accounts: Vec<AccountRecord>,
    active: Option<AccountKey>,
}

/// A damaged or newer account list that was kept aside so a new one could start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// Where the old file now is.
    pub kept_as: PathBuf,
    /// Why it was kept aside, in plain words.
    pub reason: String,
}

impl fmt::Display for SetAside {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The account list could not be used: {}. It was kept as {} and a new, empty \
             account list was started; sign in again to add your accounts.",
            self.reason,
            self.kept_as.display()
        )
    }
}

impl AccountList {
    /// The list in `dir`/`accounts.json`; an empty list when there is no file. A damaged
    /// or newer file is an error and stays untouched (see [`AccountList::start_afresh`]).
    pub fn open(dir: &Path) -> Result<AccountList, AccountsError> {
        let path = dir.join(ACCOUNTS_FILE);
        let form = file::read(&path)?;
        Ok(match form {
            Some(form) => AccountList {
                path,
                accounts: form.accounts,
                active: form.active,
            },
            None => AccountList {
                path,
                accounts: Vec::new(),
                active: None,
            },
        })
    }

    /// The list in the standard configuration folder ([`crate::config::config_dir`],
    /// which honours `TELLTALE_CONFIG_DIR`).
    pub fn open_standard() -> Result<AccountList, AccountsError> {
        let dir = config_dir()?.ok_or(AccountsError::NoConfigDir)?;
        AccountList::open(&dir)
    }

    /// Keeps the file in `dir` aside as `accounts.json.bad-<unix seconds>` (if there is
    /// one) and returns a new, empty list, with what was kept aside and why.
    pub fn start_afresh(dir: &Path) -> Result<(AccountList, Option<SetAside>), AccountsError> {
        let path = dir.join(ACCOUNTS_FILE);
        let reason = match file::read(&path) {
            Ok(None) => None,
            Ok(Some(_)) => Some("a new account list was asked for".to_string()),
            Err(AccountsError::Damaged { detail, .. }) => Some(format!("it is damaged ({detail})")),
            Err(AccountsError::NewerVersion { version, .. }) => Some(format!(
                "it was written by a newer Telltale (format {version})"
            )),
            Err(error) => Some(error.to_string()),
        };
        let set_aside = match reason {
            Some(reason) => Some(SetAside {
                kept_as: file::set_aside(&path, unix_now())?,
                reason,
            }),
            None => None,
        };
        let list = AccountList {
            path,
            accounts: Vec::new(),
            active: None,
        };
        Ok((list, set_aside))
    }

    /// [`open`](AccountList::open), and when the file is damaged or newer, keep it aside
    /// and start afresh, saying so in the second value. A file the system will not let
    /// Telltale read is still an error (it may be fine).
    pub fn open_or_start_afresh(
        dir: &Path,
    ) -> Result<(AccountList, Option<SetAside>), AccountsError> {
        match AccountList::open(dir) {
            Ok(list) => Ok((list, None)),
            Err(AccountsError::Damaged { .. } | AccountsError::NewerVersion { .. }) => {
                AccountList::start_afresh(dir)
            }
            Err(error) => Err(error),
        }
    }

    /// The file this list is saved to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The accounts, in the order they were first added.
    pub fn accounts(&self) -> &[AccountRecord] {
        &self.accounts
    }

    /// The account with `key`, if listed.
    pub fn get(&self, key: &AccountKey) -> Option<&AccountRecord> {
        self.accounts.iter().find(|record| &record.key == key)
    }

    /// The active account, if any.
    pub fn active(&self) -> Option<&AccountRecord> {
        self.active.as_ref().and_then(|key| self.get(key))
    }

    /// Adds `record`, or replaces the account with the same key in its place (keeping when
    /// it was first added). Does not change which account is active.
    pub fn upsert(&mut self, record: AccountRecord) {
        match self.accounts.iter_mut().find(|old| old.key == record.key) {
            Some(old) => {
                let added_at = old.added_at.min(record.added_at);
                *old = AccountRecord { added_at, ..record };
            }
            None => self.accounts.push(record),
        }
    }

    /// Removes the account with `key` and returns it; when it was active, no account is.
    pub fn remove(&mut self, key: &AccountKey) -> Result<AccountRecord, AccountsError> {
        let index = self
            .accounts
            .iter()
            .position(|record| &record.key == key)
            .ok_or_else(|| unknown(key))?;
        if self.active.as_ref() == Some(key) {
            self.active = None;
        }
        Ok(self.accounts.remove(index))
    }

    /// Makes the account with `key` the active one and marks it used at `now` (Unix s).
    pub fn set_active(&mut self, key: &AccountKey, now: u64) -> Result<(), AccountsError> {
        let record = self
            .accounts
            .iter_mut()
            .find(|record| &record.key == key)
            .ok_or_else(|| unknown(key))?;
        record.last_used_at = record.last_used_at.max(now);
        self.active = Some(key.clone());
        Ok(())
    }

    /// No account is active (e.g. the user signed out of the active one and chose none).
    pub fn clear_active(&mut self) {
        self.active = None;
    }

    /// Writes the list to its file atomically (0600). Refuses to replace a file this build
    /// cannot read (damaged, or written by a newer Telltale) so nothing is lost silently.
    pub fn save(&self) -> Result<(), AccountsError> {
        file::check_replaceable(&self.path)?;
        let form = FileForm {
            version: ACCOUNTS_FORMAT_VERSION,
            active: self.active.clone(),
            accounts: self.accounts.clone(),
        };
        file::write(&self.path, &form)
    }
}

fn unknown(key: &AccountKey) -> AccountsError {
    AccountsError::UnknownAccount {
        key: key.to_string(),
    }
}
