//! `accounts.json` on disk: reading with a version check, writing atomically (a private
//! temporary file renamed over the old one), and keeping a damaged file aside.

use super::error::AccountsError;
use super::record::{AccountKey, AccountRecord};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The account list's file name inside the configuration folder.
pub const ACCOUNTS_FILE: &str = "accounts.json";
/// The newest format version this build reads and the one it writes.
pub const ACCOUNTS_FORMAT_VERSION: u64 = 1;
/// Largest account list read, so a stray huge file cannot exhaust memory.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The file's shape.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct FileForm {
    pub version: u64,
    pub active: Option<AccountKey>,
    pub accounts: Vec<AccountRecord>,
}

/// Only the version, read first so a newer file is recognised even when the rest changed.
#[derive(Deserialize)]
struct VersionOnly {
    version: u64,
}

/// Reads the list at `path`; `Ok(None)` when there is no file.
pub(super) fn read(path: &Path) -> Result<Option<FileForm>, AccountsError> {
    let unreadable = |detail: String| AccountsError::Unreadable {
        path: path.to_path_buf(),
        detail,
    };
    let damaged = |detail: String| AccountsError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            return Err(damaged(format!(
                "it is larger than {} MB",
                MAX_FILE_BYTES / (1024 * 1024)
            )))
        }
        Ok(_) => {}
        Err(error)
            if matches!(
                error.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None)
        }
        Err(error) => return Err(unreadable(error.to_string())),
    }
    let bytes = std::fs::read(path).map_err(|error| unreadable(error.to_string()))?;
    let version: VersionOnly = serde_json::from_slice(&bytes)
        .map_err(|error| damaged(describe("it has no format version", &error)))?;
    if version.version > ACCOUNTS_FORMAT_VERSION {
        return Err(AccountsError::NewerVersion {
            path: path.to_path_buf(),
            version: version.version,
            supported: ACCOUNTS_FORMAT_VERSION,
        });
    }
    if version.version == 0 {
        return Err(damaged("its format version 0 does not exist".to_string()));
    }
    let form: FileForm = serde_json::from_slice(&bytes)
        .map_err(|error| damaged(describe("it is not an account list", &error)))?;
    for record in &form.accounts {
        record
            .check()
            .map_err(|error| damaged(format!("account {}: {error}", record.key)))?;
    }
    for (index, record) in form.accounts.iter().enumerate() {
        if form
            .accounts
            .iter()
            .take(index)
            .any(|earlier| earlier.key == record.key)
        {
            return Err(damaged(format!(
                "the account {} is listed twice",
                record.key
            )));
        }
    }
    if let Some(active) = &form.active {
        if !form.accounts.iter().any(|record| &record.key == active) {
            return Err(damaged(format!(
                "the active account {active} is not in the list"
            )));
        }
    }
    Ok(Some(form))
}

/// Where the parse failed, without any of the file's text.
fn describe(what: &str, error: &serde_json::Error) -> String {
    match error.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => format!(
            "it is not valid JSON (line {}, column {})",
            error.line(),
            error.column()
        ),
        _ => format!("{what} (line {}, column {})", error.line(), error.column()),
    }
}

/// Refuses to replace a file this build cannot read (a newer or damaged list); no file, or
/// one that reads, is fine to replace.
pub(super) fn check_replaceable(path: &Path) -> Result<(), AccountsError> {
    read(path).map(|_| ())
}

/// Writes `form` to `path` atomically: a new 0600 file beside it, flushed to disk, renamed
/// over `path`. Creates the folder (0700) when missing. No temporary file is left behind.
pub(super) fn write(path: &Path, form: &FileForm) -> Result<(), AccountsError> {
    let unwritable = |detail: String| AccountsError::Unwritable {
        path: path.to_path_buf(),
        detail,
    };
    path.parent()
        .ok_or_else(|| unwritable("it has no folder".to_string()))?;
    let mut text =
        serde_json::to_vec_pretty(form).map_err(|error| unwritable(error.to_string()))?;
    text.push(b'\n');
    crate::private_file::write_atomically(path, &text)
        .map_err(|error| unwritable(error.to_string()))?;
    Ok(())
}

/// Moves the file at `path` aside as `<name>.bad-<unix seconds>` (with `-2`, `-3`... when
/// that exists) and returns the new path. Never overwrites an earlier copy.
pub(super) fn set_aside(path: &Path, now: u64) -> Result<PathBuf, AccountsError> {
    let unwritable = |detail: String| AccountsError::Unwritable {
        path: path.to_path_buf(),
        detail,
    };
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| unwritable("it has no file name".to_string()))?;
    for attempt in 1..=1000u32 {
        let suffix = if attempt == 1 {
            format!("{name}.bad-{now}")
        } else {
            format!("{name}.bad-{now}-{attempt}")
        };
        let target = path.with_file_name(suffix);
        if std::fs::symlink_metadata(&target).is_ok() {
            continue;
        }
        std::fs::rename(path, &target)
            .map_err(|error| unwritable(format!("cannot keep a copy: {error}")))?;
        return Ok(target);
    }
    Err(unwritable("too many kept copies already".to_string()))
}
