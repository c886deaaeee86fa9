//! [`AuthError`]: every way a sign-in, refresh or revocation can fail, in plain words.

/// A sign-in step failed. Messages never contain a code, verifier, state or token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The user declined the sign-in (`error=access_denied`).
    #[error("the sign-in was cancelled")]
    Cancelled,
    /// The server says the user name or password is wrong (also for an empty one, which no
    /// account has). Neither value is ever part of the message.
    #[error("the user name or password is wrong")]
    BadCredentials,
    /// The callback's `state` matches no sign-in in progress: unknown, already used or expired.
    #[error("this sign-in link is unknown, was already used or has expired; please start the sign-in again")]
    InvalidState,
    /// The answer came back for another provider profile, or names another issuer (RFC 9700
    /// §4.4 mix-up): the attempt is over and nothing was sent to any token endpoint.
    #[error("the sign-in answer came back for another provider than the one this sign-in was started with ({reason}); nothing was sent on")]
    MixUp {
        /// Which binding did not hold.
        reason: String,
    },
    /// The callback URL was malformed or forged.
    #[error("the sign-in answer was not valid: {reason}")]
    InvalidCallback {
        /// What was wrong with it.
        reason: String,
    },
    /// The server refused the request with an OAuth error (RFC 6749 §5.2), such as
    /// `invalid_grant` (code used, expired or not ours) or `invalid_client`.
    #[error("the sign-in server refused the request ({error}{})", description_suffix(.description))]
    Rejected {
        /// The OAuth error code.
        error: String,
        /// The server's explanation, cleaned and shortened.
        description: Option<String>,
    },
    /// No connection to the sign-in server could be made.
    #[error("could not connect to the sign-in server; check the network connection and try again")]
    Unreachable,
    /// The sign-in server took too long to answer.
    #[error("the sign-in server did not answer in time; try again in a moment")]
    Timeout,
    /// The server failed with an HTTP error status and no OAuth error in the body.
    #[error("the sign-in server had a problem (HTTP status {status}); try again later")]
    Server {
        /// The HTTP status code.
        status: u16,
    },
    /// The server answered something that is not a valid OAuth answer.
    #[error("the sign-in server sent an answer this app cannot read: {detail}")]
    InvalidResponse {
        /// What was wrong, in plain words.
        detail: String,
    },
    /// The system browser did not come back to the app's loopback address in time.
    #[error("the browser did not come back to Telltale in time; please start the sign-in again")]
    BrowserTimeout,
    /// The app could not listen on this computer for the browser's answer.
    #[error("Telltale could not wait for the browser's answer on this computer: {detail}")]
    Listen {
        /// The system's reason.
        detail: String,
    },
    /// The provider settings or the HTTP stack are unusable.
    #[error("sign-in is misconfigured: {detail}")]
    Config {
        /// What is wrong.
        detail: String,
    },
}

fn description_suffix(description: &Option<String>) -> String {
    match description {
        Some(text) => format!(": {text}"),
        None => String::new(),
    }
}

/// Longest server-provided text kept in an error.
pub(crate) const MAX_SERVER_TEXT: usize = 200;

/// Server-provided text made safe to show: every secret replaced (before any cut), control
/// characters removed, length capped.
pub(crate) fn clean_server_text(text: &str, secrets: &[&str]) -> String {
    let mut text = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        text = text.replace(secret, "<redacted>");
    }
    let visible: Vec<char> = text.chars().filter(|c| !c.is_control()).collect();
    let mut cleaned: String = visible.iter().take(MAX_SERVER_TEXT).collect();
    if visible.len() > MAX_SERVER_TEXT {
        cleaned.push('…');
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejected_messages_include_the_description_when_given() {
        let with = AuthError::Rejected {
            error: "invalid_grant".into(),
            description: Some("code expired".into()),
        };
        assert_eq!(
            with.to_string(),
            "the sign-in server refused the request (invalid_grant: code expired)"
        );
        let without = AuthError::Rejected {
            error: "invalid_client".into(),
            description: None,
        };
        assert_eq!(
            without.to_string(),
            "the sign-in server refused the request (invalid_client)"
        );
    }

    #[test]
    fn server_text_is_redacted_before_it_is_cut() {
        let secret = "c0de-s3cret";
        let text = format!("{}{secret}", "x".repeat(MAX_SERVER_TEXT - 4));
        let cleaned = clean_server_text(&text, &[secret]);
        assert!(!cleaned.contains("c0d"), "{cleaned}");
        assert_eq!(clean_server_text("a\u{7}b\nc", &[]), "abc");
    }
}
