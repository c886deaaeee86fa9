//! What can go wrong with the keychain, in words a sailor can read.

use thiserror::Error;

/// A failure of the system keychain.
///
/// There is deliberately no fallback: when the keychain is [`Unavailable`], the app keeps
/// the session in memory only and tells the user that they will have to sign in again
/// next time.
///
/// [`Unavailable`]: KeychainError::Unavailable
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum KeychainError {
    /// The keychain cannot be used at all: no Secret Service on this desktop, no D-Bus
    /// session, or a keychain that is locked and could not be unlocked.
    #[error("the system keychain is not available ({detail}), so your sign-in cannot be saved")]
    Unavailable {
        /// What the platform said, for the log.
        detail: String,
    },
    /// The saved entry exists but is not a token Telltale can read. The caller should
    /// delete it (see [`Keychain::delete`](crate::Keychain::delete)) and sign in again.
    #[error("the saved sign-in for {account} in the system keychain is damaged ({detail}); it should be deleted and you will need to sign in again")]
    Corrupt {
        /// The account whose entry is damaged.
        account: String,
        /// Why it could not be read; never contains the entry's contents.
        detail: String,
    },
    /// Any other keychain failure.
    #[error("the system keychain reported a problem: {detail}")]
    Other {
        /// What the platform said, for the log.
        detail: String,
    },
}

impl KeychainError {
    /// Classifies an error from the `keyring` crate. `NoEntry` is not an error for
    /// Telltale and is handled by the callers before they get here.
    pub(crate) fn from_keyring(account: &str, error: keyring::Error) -> Self {
        match error {
            // On Linux every failure to reach or talk to the Secret Service (no bus, no
            // service on the bus, a dropped connection) is reported as a platform failure;
            // a locked store that could not be unlocked is "no storage access".
            keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
                KeychainError::Unavailable {
                    detail: inner.to_string(),
                }
            }
            keyring::Error::BadEncoding(_) => KeychainError::Corrupt {
                account: account.to_string(),
                detail: "the entry is not text".to_string(),
            },
            keyring::Error::Ambiguous(matches) => KeychainError::Other {
                detail: format!(
                    "{} entries match the account {account}; expected one",
                    matches.len()
                ),
            },
            other => KeychainError::Other {
                detail: other.to_string(),
            },
        }
    }

    /// The error for an entry whose text is not a stored token. The parser's message is
    /// reduced to where the problem is, so no part of a secret can end up in a log.
    pub(crate) fn corrupt_json(account: &str, error: &serde_json::Error) -> Self {
        let what = match error.classify() {
            serde_json::error::Category::Io => "it could not be read",
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                "it is not valid JSON"
            }
            serde_json::error::Category::Data => "it is JSON but not a token record",
        };
        KeychainError::Corrupt {
            account: account.to_string(),
            detail: format!("{what}, at line {} column {}", error.line(), error.column()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoredToken;

    fn boxed(message: &str) -> Box<dyn std::error::Error + Send + Sync> {
        message.to_string().into()
    }

    #[test]
    fn store_access_failures_are_unavailable() {
        for error in [
            keyring::Error::PlatformFailure(boxed("no bus")),
            keyring::Error::NoStorageAccess(boxed("locked")),
        ] {
            let mapped = KeychainError::from_keyring("skipper", error);
            assert!(
                matches!(&mapped, KeychainError::Unavailable { detail } if detail == "no bus" || detail == "locked"),
                "{mapped:?}"
            );
            assert!(mapped.to_string().contains("not available"));
        }
    }

    #[test]
    fn bad_encoding_is_corrupt_and_names_the_account() {
        let mapped =
            KeychainError::from_keyring("skipper", keyring::Error::BadEncoding(vec![0xff, 0xfe]));
        assert!(
            matches!(&mapped, KeychainError::Corrupt { account, .. } if account == "skipper"),
            "{mapped:?}"
        );
        assert!(mapped.to_string().contains("skipper"));
    }

    #[test]
    fn other_failures_keep_the_platform_words() {
        let mapped =
            KeychainError::from_keyring("skipper", keyring::Error::TooLong("service".into(), 10));
        assert!(
            matches!(&mapped, KeychainError::Other { detail } if detail.contains("service")),
            "{mapped:?}"
        );
    }

    #[test]
    fn corrupt_json_never_repeats_the_secret() {
        let wrong_shape = serde_json::from_str::<StoredToken>(
            r#"{"access_token": 123456789, "token_type": "TOPSECRET"}"#,
        )
        .expect_err("number is not a token");
        let mapped = KeychainError::corrupt_json("skipper", &wrong_shape);
        let text = format!("{mapped} {mapped:?}");
        assert!(
            !text.contains("123456789") && !text.contains("TOPSECRET"),
            "{text}"
        );
        assert!(text.contains("not a token record"), "{text}");

        let not_json = serde_json::from_str::<StoredToken>("hunter2").expect_err("not json");
        let mapped = KeychainError::corrupt_json("skipper", &not_json);
        assert!(!mapped.to_string().contains("hunter2"));
        assert!(mapped.to_string().contains("not valid JSON"), "{mapped}");
    }
}
