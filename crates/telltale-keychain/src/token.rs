//! The token record kept in one keychain entry.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An OAuth token set as Telltale keeps it in the keychain: one entry per account, stored as
/// a single JSON string.
///
/// `Debug` never prints the tokens themselves, so a `StoredToken` may be logged safely.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    /// The access token sent as `Authorization: <token_type> <access_token>`.
    pub access_token: String,
    /// The refresh token, when the provider issued one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// When the access token stops working, in seconds since the Unix epoch, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    /// The token type the provider reported, usually `Bearer`.
    pub token_type: String,
    /// The server that issued the tokens (its base address): they are sent to no other.
    /// `None` in entries saved before Telltale recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The OAuth client the tokens were issued to, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

impl StoredToken {
    /// Whether the access token has expired at `now` (seconds since the Unix epoch).
    ///
    /// A token without a known expiry is never considered expired here; the server will
    /// say so when it rejects it.
    pub fn is_expired_at(&self, now: u64) -> bool {
        self.expires_at.is_some_and(|expires_at| now >= expires_at)
    }
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("access_token", &Redacted)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| Redacted),
            )
            .field("expires_at", &self.expires_at)
            .field("token_type", &self.token_type)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .finish()
    }
}

/// Stands in for a secret in `Debug` output.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StoredToken {
        StoredToken {
            access_token: "access-SECRET-123".into(),
            refresh_token: Some("refresh-SECRET-456".into()),
            expires_at: Some(1_700_000_000),
            token_type: "Bearer".into(),
            issuer: Some("https://example.org/".into()),
            client_id: Some("app".into()),
        }
    }

    #[test]
    fn debug_hides_both_tokens_but_shows_the_rest() {
        let shown = format!("{:?}", sample());
        assert!(!shown.contains("SECRET"), "secret leaked: {shown}");
        assert!(shown.contains("<redacted>"));
        assert!(shown.contains("1700000000"));
        assert!(shown.contains("Bearer"));

        let without_refresh = StoredToken {
            refresh_token: None,
            ..sample()
        };
        assert!(format!("{without_refresh:?}").contains("refresh_token: None"));
    }

    #[test]
    fn json_round_trip_and_optional_fields() {
        let token = sample();
        let json = serde_json::to_string(&token).expect("serialize");
        let back: StoredToken = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, token);

        let minimal: StoredToken =
            serde_json::from_str(r#"{"access_token":"a","token_type":"Bearer"}"#).expect("parse");
        assert_eq!(minimal.refresh_token, None);
        assert_eq!(minimal.expires_at, None);
        let json = serde_json::to_string(&minimal).expect("serialize");
        assert!(
            !json.contains("refresh_token") && !json.contains("expires_at"),
            "{json}"
        );
    }

    #[test]
    fn expiry_is_inclusive_and_unknown_expiry_never_expires() {
        let token = sample();
        assert!(!token.is_expired_at(1_699_999_999));
        assert!(token.is_expired_at(1_700_000_000));
        assert!(token.is_expired_at(1_800_000_000));
        let open_ended = StoredToken {
            expires_at: None,
            ..sample()
        };
        assert!(!open_ended.is_expired_at(u64::MAX));
    }
}
