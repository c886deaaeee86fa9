//! The one place where the crates' errors become the [`AppError`] the UI shows.

use crate::AppError;
use igtimi_client::ApiError;
use telltale_auth::AuthError;
use telltale_keychain::KeychainError;

/// A sign-in step's failure, for a user of `server`.
pub(crate) fn from_auth(error: AuthError, server: &str) -> AppError {
    match error {
        AuthError::Cancelled => AppError::Cancelled,
        AuthError::BadCredentials => AppError::SignInRefused {
            detail: "the user name or password is wrong".into(),
        },
        AuthError::InvalidState => AppError::InvalidCallback {
            detail: "the sign-in link is unknown, was already used or has expired".into(),
        },
        AuthError::InvalidCallback { reason } => AppError::InvalidCallback { detail: reason },
        AuthError::MixUp { reason } => AppError::MixUp {
            detail: format!("its answer {reason}"),
        },
        // The provider's own words when it sent them; its error code otherwise.
        AuthError::Rejected { error, description } => AppError::SignInRefused {
            detail: match description {
                Some(description) if !description.is_empty() => description,
                _ => error,
            },
        },
        AuthError::Unreachable => AppError::Unreachable {
            server: server.to_string(),
        },
        AuthError::Timeout => AppError::Timeout {
            server: server.to_string(),
        },
        AuthError::Server { status } => AppError::Server {
            detail: format!("HTTP {status}"),
        },
        AuthError::InvalidResponse { detail } => AppError::InvalidResponse { detail },
        AuthError::BrowserTimeout => AppError::InvalidCallback {
            detail: "the browser did not come back to Telltale in time".into(),
        },
        AuthError::Config { detail } | AuthError::Listen { detail } => {
            AppError::Internal { detail }
        }
    }
}

/// An API call's failure, for a user of `server`. A 401 becomes [`AppError::TokenRejected`].
pub(crate) fn from_api(error: ApiError, server: &str) -> AppError {
    match error {
        ApiError::Unauthorized => AppError::TokenRejected,
        ApiError::Unreachable { .. } => AppError::Unreachable {
            server: server.to_string(),
        },
        ApiError::Timeout => AppError::Timeout {
            server: server.to_string(),
        },
        ApiError::Server { status } => AppError::Server {
            detail: format!("HTTP {status}"),
        },
        ApiError::Refused { status, reason } => AppError::Refused {
            detail: format!("HTTP {status}: {reason}"),
        },
        ApiError::InvalidResponse { detail } => AppError::InvalidResponse { detail },
        ApiError::TooLarge { limit_bytes } => AppError::InvalidResponse {
            detail: format!("the answer is larger than {limit_bytes} bytes"),
        },
        ApiError::Config { detail } => AppError::Internal { detail },
    }
}

/// A keychain failure. A damaged entry is not the keychain's fault: the sign-in is gone.
pub(crate) fn from_keychain(error: KeychainError) -> AppError {
    match error {
        KeychainError::Unavailable { detail } | KeychainError::Other { detail } => {
            AppError::KeychainUnavailable { detail }
        }
        KeychainError::Corrupt { .. } => AppError::SavedSignInUnreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_failures_keep_their_meaning() {
        let server = "http://127.0.0.1:9";
        assert_eq!(from_auth(AuthError::Cancelled, server), AppError::Cancelled);
        assert_eq!(
            from_auth(AuthError::InvalidState, server).kind(),
            "invalid_callback"
        );
        let refused = from_auth(
            AuthError::Rejected {
                error: "invalid_grant".into(),
                description: Some("code already used".into()),
            },
            server,
        );
        assert_eq!(refused.kind(), "sign_in_refused");
        assert!(
            refused.to_string().contains("(code already used)"),
            "{refused}"
        );
        let bare = from_auth(
            AuthError::Rejected {
                error: "invalid_grant".into(),
                description: Some(String::new()),
            },
            server,
        );
        assert!(bare.to_string().contains("(invalid_grant)"), "{bare}");
        let unreachable = from_auth(AuthError::Unreachable, server);
        assert!(unreachable.to_string().contains(server), "{unreachable}");
        assert_eq!(
            from_auth(AuthError::Server { status: 503 }, server),
            AppError::Server {
                detail: "HTTP 503".into()
            }
        );
    }

    #[test]
    fn a_rejected_token_is_token_rejected_and_others_keep_the_server() {
        let server = "https://www.igtimi.com";
        assert_eq!(
            from_api(ApiError::Unauthorized, server),
            AppError::TokenRejected
        );
        assert_eq!(from_api(ApiError::Timeout, server).kind(), "timeout");
        let too_large = from_api(ApiError::TooLarge { limit_bytes: 10 }, server);
        assert_eq!(too_large.kind(), "invalid_response");
        assert!(too_large.to_string().contains("10 bytes"));
    }
}
