//! Long-lived access tokens kept across restarts, as a real server keeps them in its
//! database: only their SHA-256 digests go to the file, never the tokens. The offline demo
//! uses it so a sign-in saved in the app's keychain still works after the app (and with it
//! the simulator) restarts. Off unless [`crate::SimConfig::remember_tokens`] names a file.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Who a remembered token was issued to and for what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub user_id: u64,
    pub client_id: String,
    pub scope: String,
}

/// The file's contents: grants by token digest (lowercase hex SHA-256).
#[derive(Default, Serialize, Deserialize)]
struct Saved {
    tokens: HashMap<String, Grant>,
}

/// Tokens from earlier runs not yet presented in this one, and where to save.
#[derive(Debug)]
pub struct Remembered {
    path: PathBuf,
    waiting: HashMap<String, Grant>,
}

/// The digest a token is remembered by.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Remembered {
    /// Reads `path`; a missing or unreadable file means nothing is remembered.
    pub fn load(path: &Path) -> Self {
        let waiting = match std::fs::read(path) {
            Ok(bytes) => match serde_json::from_slice::<Saved>(&bytes) {
                Ok(saved) => saved.tokens,
                Err(err) => {
                    tracing::warn!(path = %path.display(), "remembered tokens unreadable: {err}");
                    HashMap::new()
                }
            },
            Err(_) => HashMap::new(),
        };
        Remembered {
            path: path.to_path_buf(),
            waiting,
        }
    }

    /// The grant of `token` if an earlier run issued it; it is then live again and no
    /// longer waiting.
    pub fn take(&mut self, token: &str) -> Option<Grant> {
        self.waiting.remove(&digest(token))
    }

    /// Forgets `token` (revoked). With `client_id`, only if it was issued to that client.
    pub fn forget(&mut self, token: &str, client_id: Option<&str>) -> bool {
        let key = digest(token);
        let matches = self
            .waiting
            .get(&key)
            .is_some_and(|grant| client_id.is_none_or(|id| grant.client_id == id));
        if matches {
            self.waiting.remove(&key);
        }
        matches
    }

    /// Forgets every waiting token of `user_id` (their token was replaced).
    pub fn forget_user(&mut self, user_id: u64) {
        self.waiting.retain(|_, grant| grant.user_id != user_id);
    }

    /// Writes the waiting tokens plus `live` ones (token, grant) to the file, readable by
    /// this user only, replacing it atomically. Failures are logged, not fatal.
    pub fn save<'a>(&self, live: impl Iterator<Item = (&'a str, Grant)>) {
        let mut saved = Saved {
            tokens: self.waiting.clone(),
        };
        saved
            .tokens
            .extend(live.map(|(token, grant)| (digest(token), grant)));
        if let Err(err) = write_private(&self.path, &saved) {
            tracing::warn!(path = %self.path.display(), "could not remember tokens: {err}");
        }
    }

    /// How many tokens from earlier runs wait to be presented.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }
}

fn write_private(path: &Path, saved: &Saved) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(saved).map_err(std::io::Error::other)?;
    let temporary = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(&temporary)?, &json)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(client: &str) -> Grant {
        Grant {
            user_id: 1373,
            client_id: client.into(),
            scope: "read".into(),
        }
    }

    #[test]
    fn the_file_holds_digests_only_and_brings_tokens_back() {
        let dir = std::env::temp_dir().join(format!("igtimi-remember-{}", std::process::id()));
        let path = dir.join("tokens.json");
        let _ = std::fs::remove_file(&path);
        let first = Remembered::load(&path);
        assert_eq!(first.waiting(), 0);
        first.save(
            [
                ("secret-token-1", grant("app")),
                ("secret-token-2", grant("other")),
            ]
            .into_iter(),
        );
        let text = std::fs::read_to_string(&path).expect("written");
        assert!(!text.contains("secret-token"), "{text}");
        assert!(text.contains(&digest("secret-token-1")));

        let mut second = Remembered::load(&path);
        assert_eq!(second.waiting(), 2);
        assert!(
            !second.forget("secret-token-2", Some("app")),
            "another client's token"
        );
        assert!(second.forget("secret-token-2", Some("other")));
        assert_eq!(second.take("secret-token-1"), Some(grant("app")));
        assert_eq!(second.take("secret-token-1"), None, "taken once");
        assert_eq!(second.take("unknown"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_damaged_file_remembers_nothing() {
        let path =
            std::env::temp_dir().join(format!("igtimi-remember-bad-{}.json", std::process::id()));
        std::fs::write(&path, b"{ not json").expect("write");
        assert_eq!(Remembered::load(&path).waiting(), 0);
        let _ = std::fs::remove_file(&path);
    }
}
