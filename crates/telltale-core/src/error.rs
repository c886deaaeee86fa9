//! The one error type the app reports to its UI.

use crate::config::ConfigError;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use thiserror::Error;

/// Every failure the app shows the user. Serialized for the UI as
/// `{"kind": "<snake_case kind>", "message": "<plain words for a sailor>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AppError {
    /// The user closed or cancelled the sign-in.
    #[error("Sign-in was cancelled.")]
    Cancelled,
    /// The sign-in came back with something unusable (wrong state, no code, an error).
    #[error("The sign-in did not complete ({detail}). Please try signing in again.")]
    InvalidCallback {
        /// What was wrong with the answer.
        detail: String,
    },
    /// The sign-in's answer came back for another provider than the one chosen (a mix-up,
    /// RFC 9700 §4.4): the attempt was ended and nothing was sent to any server.
    #[error("The sign-in was stopped: {detail}. Nothing was sent to either server. Please sign in again, and tell whoever runs that provider if it happens again.")]
    MixUp {
        /// Which binding did not hold.
        detail: String,
    },
    /// The server could not be reached at all.
    #[error("Telltale cannot reach {server}. Check the internet connection and try again.")]
    Unreachable {
        /// The server that was tried.
        server: String,
    },
    /// The server was reached but did not answer in time.
    #[error("{server} is taking too long to answer. Try again in a moment.")]
    Timeout {
        /// The server that was slow.
        server: String,
    },
    /// The server no longer accepts the saved sign-in (revoked or expired token).
    #[error("Your sign-in is no longer accepted by the server. Please sign in again.")]
    TokenRejected,
    /// The system keychain cannot be used; a sign-in lasts only until the app closes.
    #[error("Telltale cannot use the system keychain ({detail}). Your sign-in will last only until Telltale closes.")]
    KeychainUnavailable {
        /// Why, from the keychain.
        detail: String,
    },
    /// The account's entry in the keychain holds no usable sign-in (damaged, or written by
    /// something else); it was removed and the account is signed out.
    #[error("The sign-in saved in the system keychain could not be read, so it was removed. Please sign in again.")]
    SavedSignInUnreadable,
    /// The account's saved sign-in was issued by another server or client than its provider
    /// profile now names (the server address or client id was changed): it was sent
    /// nowhere, and the account is signed out.
    #[error("The saved sign-in was issued by {saved_for}, not by the server this account now uses, so Telltale did not send it anywhere. Please sign in again.")]
    SavedForAnotherServer {
        /// The server the sign-in was saved for.
        saved_for: String,
    },
    /// The settings are wrong.
    #[error("Telltale's settings need fixing: {0}")]
    Config(#[from] ConfigError),
    /// The server answered with an error of its own.
    #[error("The server had a problem ({detail}). Try again later.")]
    Server {
        /// The HTTP status and whatever the server said.
        detail: String,
    },
    /// The server answered with something Telltale does not understand.
    #[error("The server sent an answer Telltale does not understand ({detail}).")]
    InvalidResponse {
        /// What could not be understood.
        detail: String,
    },
    /// The sign-in server refused the request with an OAuth error (e.g. `invalid_grant`).
    #[error("The sign-in server refused the sign-in ({detail}). Please try signing in again.")]
    SignInRefused {
        /// The OAuth error and the server's explanation.
        detail: String,
    },
    /// The action needs a signed-in user and nobody is signed in.
    #[error("You are not signed in. Please sign in first.")]
    SignedOut,
    /// The server refused a request and said why (a time span too long, an unknown type,
    /// an object the account may not read).
    #[error("The server refused the request: {detail}")]
    Refused {
        /// The HTTP status and the server's reason.
        detail: String,
    },
    /// Showing or exporting data needs data to be loaded first.
    #[error("No data is loaded yet. Open a session or a time range first.")]
    NothingLoaded,
    /// The page asked for a map tile that does not exist (a malformed address, or deeper
    /// than the map goes).
    #[error("There is no such map tile ({detail}).")]
    NoSuchTile {
        /// What was wrong with the address.
        detail: String,
    },
    /// A map tile is not saved on this computer and its server cannot be reached.
    #[error("This part of the map is not saved on this computer and {server} cannot be reached (offline).")]
    MapOffline {
        /// The tile server.
        server: String,
    },
    /// A file could not be written or read.
    #[error("Telltale could not write the file ({detail}).")]
    Io {
        /// The file and the system's reason.
        detail: String,
    },
    /// A file the user chose (a target polar) is not what it should be; says where.
    #[error("Telltale could not read that file: {detail}")]
    UnreadableFile {
        /// Where in the file and what was wrong.
        detail: String,
    },
    /// The account list could not be used or changed, or an account is unknown.
    #[error("{0}")]
    Accounts(#[from] crate::accounts::AccountsError),
    /// A bug or an unexpected failure inside Telltale.
    /// A live view's feed ended (another replaced it, or the account changed).
    #[error("This live view has ended. Open Live again to keep watching.")]
    LiveStopped,

    #[error("Something went wrong inside Telltale ({detail}). Please restart it; if this keeps happening, report it.")]
    Internal {
        /// What went wrong.
        detail: String,
    },
}

impl AppError {
    /// Every kind [`AppError::kind`] answers: the UI's `ErrorKind` type (ui/src/generated).
    pub const KINDS: [&'static str; 23] = [
        "cancelled",
        "invalid_callback",
        "sign_in_mix_up",
        "unreachable",
        "timeout",
        "token_rejected",
        "keychain_unavailable",
        "saved_sign_in_unreadable",
        "saved_for_another_server",
        "config",
        "server",
        "invalid_response",
        "sign_in_refused",
        "signed_out",
        "refused",
        "nothing_loaded",
        "no_such_tile",
        "map_offline",
        "io",
        "unreadable_file",
        "accounts",
        "live_stopped",
        "internal",
    ];

    /// The stable snake_case kind the UI switches on.
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::Cancelled => "cancelled",
            AppError::InvalidCallback { .. } => "invalid_callback",
            AppError::MixUp { .. } => "sign_in_mix_up",
            AppError::Unreachable { .. } => "unreachable",
            AppError::Timeout { .. } => "timeout",
            AppError::TokenRejected => "token_rejected",
            AppError::KeychainUnavailable { .. } => "keychain_unavailable",
            AppError::SavedSignInUnreadable => "saved_sign_in_unreadable",
            AppError::SavedForAnotherServer { .. } => "saved_for_another_server",
            AppError::Config(_) => "config",
            AppError::Server { .. } => "server",
            AppError::InvalidResponse { .. } => "invalid_response",
            AppError::SignInRefused { .. } => "sign_in_refused",
            AppError::SignedOut => "signed_out",
            AppError::Refused { .. } => "refused",
            AppError::NothingLoaded => "nothing_loaded",
            AppError::NoSuchTile { .. } => "no_such_tile",
            AppError::MapOffline { .. } => "map_offline",
            AppError::Io { .. } => "io",
            AppError::UnreadableFile { .. } => "unreadable_file",
            AppError::Accounts(_) => "accounts",
            AppError::LiveStopped => "live_stopped",
            AppError::Internal { .. } => "internal",
        }
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut shape = serializer.serialize_struct("AppError", 2)?;
        shape.serialize_field("kind", self.kind())?;
        shape.serialize_field("message", &self.to_string())?;
        shape.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::PathBuf;

    fn every_kind() -> Vec<(AppError, &'static str)> {
        vec![
            (AppError::Cancelled, "cancelled"),
            (
                AppError::InvalidCallback {
                    detail: "the state did not match".into(),
                },
                "invalid_callback",
            ),
            (
                AppError::SavedForAnotherServer {
                    saved_for: "https://old.example/".into(),
                },
                "saved_for_another_server",
            ),
            (
                AppError::MixUp {
                    detail: "the answer names another issuer".into(),
                },
                "sign_in_mix_up",
            ),
            (
                AppError::Unreachable {
                    server: "https://www.igtimi.com".into(),
                },
                "unreachable",
            ),
            (
                AppError::Timeout {
                    server: "https://www.igtimi.com".into(),
                },
                "timeout",
            ),
            (AppError::TokenRejected, "token_rejected"),
            (AppError::LiveStopped, "live_stopped"),
            (
                AppError::UnreadableFile {
                    detail: "line 2: \"x\" is not a boat speed".into(),
                },
                "unreadable_file",
            ),
            (
                AppError::KeychainUnavailable {
                    detail: "no Secret Service".into(),
                },
                "keychain_unavailable",
            ),
            (
                AppError::Config(ConfigError::InFile {
                    path: PathBuf::from("/home/sailor/.config/telltale/config.toml"),
                    line: 3,
                    message: "unknown setting `clientid`".into(),
                }),
                "config",
            ),
            (
                AppError::Server {
                    detail: "HTTP 503".into(),
                },
                "server",
            ),
            (
                AppError::InvalidResponse {
                    detail: "`devices` is missing".into(),
                },
                "invalid_response",
            ),
            (
                AppError::SignInRefused {
                    detail: "invalid_grant".into(),
                },
                "sign_in_refused",
            ),
            (AppError::SignedOut, "signed_out"),
            (
                AppError::Refused {
                    detail: "HTTP 400: span_too_long".into(),
                },
                "refused",
            ),
            (AppError::NothingLoaded, "nothing_loaded"),
            (
                AppError::NoSuchTile {
                    detail: "the zoom level is too deep".into(),
                },
                "no_such_tile",
            ),
            (
                AppError::MapOffline {
                    server: "tile.openstreetmap.org".into(),
                },
                "map_offline",
            ),
            (
                AppError::Io {
                    detail: "/tmp/x.gpx: permission denied".into(),
                },
                "io",
            ),
            (
                AppError::Accounts(crate::accounts::AccountsError::UnknownAccount {
                    key: "igtimi/7".into(),
                }),
                "accounts",
            ),
            (
                AppError::Internal {
                    detail: "worker stopped".into(),
                },
                "internal",
            ),
            (AppError::SavedSignInUnreadable, "saved_sign_in_unreadable"),
        ]
    }

    #[test]
    fn serializes_as_kind_and_message_only() {
        for (error, kind) in every_kind() {
            let value = serde_json::to_value(&error).expect("serialize");
            assert_eq!(
                value,
                json!({ "kind": kind, "message": error.to_string() }),
                "{error:?}"
            );
            assert_eq!(value.as_object().map(|object| object.len()), Some(2));
        }
    }

    #[test]
    fn the_list_of_kinds_names_each_kind_once() {
        let mut kinds: Vec<&str> = every_kind().iter().map(|(error, _)| error.kind()).collect();
        kinds.sort_unstable();
        let mut listed = AppError::KINDS.to_vec();
        listed.sort_unstable();
        assert_eq!(kinds, listed);
    }

    #[test]
    fn kinds_are_distinct_snake_case() {
        let kinds: Vec<&str> = every_kind().iter().map(|(error, _)| error.kind()).collect();
        let mut unique = kinds.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), kinds.len(), "{kinds:?}");
        for kind in kinds {
            assert!(
                kind.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{kind}"
            );
        }
    }

    #[test]
    fn messages_carry_their_details_in_plain_words() {
        let json = serde_json::to_string(&AppError::Unreachable {
            server: "http://127.0.0.1:9".into(),
        })
        .expect("serialize");
        assert_eq!(
            json,
            r#"{"kind":"unreachable","message":"Telltale cannot reach http://127.0.0.1:9. Check the internet connection and try again."}"#
        );

        let config: AppError = ConfigError::InEnvironment {
            variable: "TELLTALE_SERVER".into(),
            message: "`ftp://x` must start with http:// or https://".into(),
        }
        .into();
        let message = config.to_string();
        assert!(message.contains("TELLTALE_SERVER"), "{message}");
        assert!(message.contains("ftp://x"), "{message}");
        assert_eq!(config.kind(), "config");
    }
}
