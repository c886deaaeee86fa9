//! [`TokenSet`] and [`RefreshToken`]: what a successful exchange yields, secrets redacted.

use crate::AuthError;
use igtimi_client::AccessToken;
use oauth2::basic::BasicTokenType;
use oauth2::TokenResponse;
use std::fmt;
use std::time::{Duration, SystemTime};

/// Longest refresh token accepted.
const MAX_REFRESH_LEN: usize = 4096;

/// A refresh token. `Debug` and `Display` print `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken(String);

impl RefreshToken {
    /// Wraps a stored refresh token; `None` if it is empty, longer than 4096 characters or
    /// holds anything but visible ASCII.
    pub fn new(token: impl Into<String>) -> Option<Self> {
        let token = token.into();
        let usable = !token.is_empty()
            && token.len() <= MAX_REFRESH_LEN
            && token.bytes().all(|b| b.is_ascii_graphic());
        usable.then_some(Self(token))
    }

    /// The raw token. Never log or display what this returns.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshToken(<redacted>)")
    }
}

impl fmt::Display for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The tokens a sign-in or refresh produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSet {
    /// The bearer token for API calls.
    pub access_token: AccessToken,
    /// The token to renew `access_token`, when the server issued one.
    pub refresh_token: Option<RefreshToken>,
    /// When `access_token` stops working; `None` means it does not expire (Igtimi's default).
    pub expires_at: Option<SystemTime>,
    /// The granted scopes (the requested ones when the server did not say).
    pub scope: Vec<String>,
}

impl TokenSet {
    /// Whether the access token has expired at `now`. Never true for a non-expiring token.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }

    /// Builds a token set from a token-endpoint answer received at `now`. A missing
    /// `refresh_token` keeps `previous_refresh` (RFC 6749 §6 lets a refresh answer omit it);
    /// a missing `scope` means the requested scopes (RFC 6749 §5.1).
    pub(crate) fn from_response<R>(
        response: &R,
        requested_scopes: &[String],
        previous_refresh: Option<&RefreshToken>,
        now: SystemTime,
    ) -> Result<Self, AuthError>
    where
        R: TokenResponse<TokenType = BasicTokenType>,
    {
        let invalid = |detail: &str| AuthError::InvalidResponse {
            detail: detail.to_owned(),
        };
        if *response.token_type() != BasicTokenType::Bearer {
            return Err(invalid(
                "the server issued a token that is not a bearer token",
            ));
        }
        let access_token = AccessToken::new(response.access_token().secret().clone())
            .map_err(|_| invalid("the access token is empty or contains unusable characters"))?;
        let refresh_token = match response.refresh_token() {
            Some(token) => Some(RefreshToken::new(token.secret().clone()).ok_or_else(|| {
                invalid("the refresh token is empty or contains unusable characters")
            })?),
            None => previous_refresh.cloned(),
        };
        let expires_at = match response.expires_in() {
            Some(lifetime) => Some(
                expiry(now, lifetime)
                    .ok_or_else(|| invalid("the token lifetime is out of range"))?,
            ),
            None => None,
        };
        let scope = match response.scopes() {
            Some(scopes) => scopes.iter().map(|s| s.to_string()).collect(),
            None => requested_scopes.to_vec(),
        };
        Ok(Self {
            access_token,
            refresh_token,
            expires_at,
            scope,
        })
    }
}

fn expiry(now: SystemTime, lifetime: Duration) -> Option<SystemTime> {
    now.checked_add(lifetime)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth2::basic::BasicTokenResponse;

    const ACCESS: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    const REFRESH: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

    fn parse(json: &str) -> BasicTokenResponse {
        serde_json::from_str(json).expect("token response JSON")
    }

    fn at() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    #[test]
    fn without_expires_in_the_token_never_expires() {
        let response = parse(&format!(
            r#"{{"access_token":"{ACCESS}","token_type":"Bearer","created_at":1700000000,"scope":"read"}}"#
        ));
        let tokens = TokenSet::from_response(&response, &[], None, at()).expect("valid");
        assert_eq!(tokens.access_token.expose_secret(), ACCESS);
        assert_eq!(tokens.expires_at, None);
        assert_eq!(tokens.refresh_token, None);
        assert_eq!(tokens.scope, vec!["read".to_owned()]);
        assert!(!tokens.is_expired_at(at() + Duration::from_secs(100 * 365 * 86_400)));
    }

    #[test]
    fn with_expires_in_the_expiry_is_computed() {
        let response = parse(&format!(
            r#"{{"access_token":"{ACCESS}","token_type":"bearer","expires_in":7200,"refresh_token":"{REFRESH}","scope":"read write"}}"#
        ));
        let tokens = TokenSet::from_response(&response, &[], None, at()).expect("valid");
        assert_eq!(tokens.expires_at, Some(at() + Duration::from_secs(7200)));
        assert_eq!(
            tokens
                .refresh_token
                .as_ref()
                .map(RefreshToken::expose_secret),
            Some(REFRESH)
        );
        assert_eq!(tokens.scope, vec!["read".to_owned(), "write".to_owned()]);
        assert!(!tokens.is_expired_at(at() + Duration::from_secs(7199)));
        assert!(tokens.is_expired_at(at() + Duration::from_secs(7200)));
    }

    #[test]
    fn missing_scope_and_refresh_fall_back() {
        let response = parse(&format!(
            r#"{{"access_token":"{ACCESS}","token_type":"Bearer"}}"#
        ));
        let old = RefreshToken::new(REFRESH).expect("valid refresh token");
        let tokens =
            TokenSet::from_response(&response, &["read".into()], Some(&old), at()).expect("valid");
        assert_eq!(tokens.scope, vec!["read".to_owned()]);
        assert_eq!(tokens.refresh_token, Some(old));
    }

    #[test]
    fn non_bearer_and_unusable_tokens_are_refused() {
        let mac = parse(&format!(
            r#"{{"access_token":"{ACCESS}","token_type":"mac"}}"#
        ));
        assert!(matches!(
            TokenSet::from_response(&mac, &[], None, at()),
            Err(AuthError::InvalidResponse { .. })
        ));
        let spaced = parse(r#"{"access_token":"a b","token_type":"Bearer"}"#);
        assert!(matches!(
            TokenSet::from_response(&spaced, &[], None, at()),
            Err(AuthError::InvalidResponse { .. })
        ));
        let empty = parse(r#"{"access_token":"","token_type":"Bearer"}"#);
        assert!(matches!(
            TokenSet::from_response(&empty, &[], None, at()),
            Err(AuthError::InvalidResponse { .. })
        ));
    }

    #[test]
    fn debug_shows_no_token() {
        let response = parse(&format!(
            r#"{{"access_token":"{ACCESS}","token_type":"Bearer","refresh_token":"{REFRESH}"}}"#
        ));
        let tokens = TokenSet::from_response(&response, &[], None, at()).expect("valid");
        let shown = format!("{tokens:?} {tokens:#?}");
        assert!(
            !shown.contains(ACCESS) && !shown.contains(REFRESH),
            "{shown}"
        );
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn refresh_tokens_are_checked() {
        assert!(RefreshToken::new("").is_none());
        assert!(RefreshToken::new("a\nb").is_none());
        assert!(RefreshToken::new("x".repeat(4097)).is_none());
        assert_eq!(
            RefreshToken::new("ok").map(|t| t.to_string()),
            Some("<redacted>".into())
        );
    }
}
