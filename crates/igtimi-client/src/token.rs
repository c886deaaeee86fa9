//! The bearer token every API call carries, kept out of logs and messages.

use std::fmt;

/// Longest token accepted. Igtimi's tokens are 64 hex characters; the margin leaves room for
/// other servers without letting an absurd value through.
const MAX_TOKEN_LEN: usize = 4096;

/// An OAuth2 access token for the Igtimi API.
///
/// `Debug` and `Display` print `<redacted>`, never the token, so it can travel through
/// structs that get logged. Use [`AccessToken::expose_secret`] only where the raw value is
/// really needed (the `Authorization` header, the credential store).
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

/// Why a string cannot be an access token. The message never repeats the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidToken {
    /// The string was empty.
    #[error("the access token is empty")]
    Empty,
    /// The string was longer than the accepted maximum.
    #[error("the access token is longer than {MAX_TOKEN_LEN} characters")]
    TooLong,
    /// The string held spaces, control characters or non-ASCII characters, which cannot go
    /// into an HTTP header.
    #[error("the access token contains characters that are not allowed in a bearer token")]
    BadCharacters,
}

impl AccessToken {
    /// Wraps a token after checking it can be sent as `Authorization: Bearer <token>`:
    /// 1 to 4096 visible ASCII characters.
    pub fn new(token: impl Into<String>) -> Result<Self, InvalidToken> {
        let token = token.into();
        if token.is_empty() {
            return Err(InvalidToken::Empty);
        }
        if token.len() > MAX_TOKEN_LEN {
            return Err(InvalidToken::TooLong);
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidToken::BadCharacters);
        }
        Ok(Self(token))
    }

    /// The raw token. Never log or display what this returns.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn debug_and_display_never_show_the_token() {
        let token = AccessToken::new(SECRET).expect("a valid token");
        assert!(!format!("{token:?}").contains("0123"));
        assert!(!format!("{token}").contains("0123"));
        assert!(!format!("{:#?}", Some(&token)).contains("0123"));
        assert_eq!(token.expose_secret(), SECRET);
    }

    #[test]
    fn rejects_tokens_that_cannot_be_sent_in_a_header() {
        assert_eq!(AccessToken::new(""), Err(InvalidToken::Empty));
        assert_eq!(AccessToken::new("a b"), Err(InvalidToken::BadCharacters));
        assert_eq!(
            AccessToken::new("ab\r\nX: y"),
            Err(InvalidToken::BadCharacters)
        );
        assert_eq!(
            AccessToken::new("jeton-é"),
            Err(InvalidToken::BadCharacters)
        );
        assert_eq!(
            AccessToken::new("a".repeat(4097)),
            Err(InvalidToken::TooLong)
        );
        assert!(AccessToken::new("a".repeat(4096)).is_ok());
    }

    #[test]
    fn error_messages_do_not_repeat_the_value() {
        let err = AccessToken::new(format!("{SECRET} ")).expect_err("space is not allowed");
        assert!(!err.to_string().contains("0123"));
    }
}
