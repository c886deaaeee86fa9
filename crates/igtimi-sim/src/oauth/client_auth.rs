//! Client authentication at the token and revocation endpoints (RFC 6749 §2.3): HTTP Basic
//! or `client_id`/`client_secret` in the body, never both. Public clients identify with
//! `client_id` alone.

use super::error::OAuthError;
use super::fields::Fields;
use crate::server::AppState;
use crate::store::secrets_equal;
use crate::world::Client;
use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// A client that proved who it is.
#[derive(Clone, Debug)]
pub struct AuthenticatedClient {
    pub client: Client,
    /// True when it has a secret and presented it; false for a public client.
    pub confidential: bool,
}

/// Credentials from an `Authorization: Basic` header, if one is present.
/// `Err` for a malformed one.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let malformed =
        || OAuthError::invalid_client("The Basic authorization header is malformed", true);
    let text = value.to_str().map_err(|_| malformed())?;
    let Some((scheme, encoded)) = text.trim().split_once(' ') else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
    // RFC 6749 §2.3.1: both parts are form-urlencoded before joining.
    let unescape = |s: &str| -> String {
        form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some((unescape(id), unescape(secret))))
}

/// Authenticates the client of a token or revocation request.
pub fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    fields: &Fields,
) -> Result<AuthenticatedClient, OAuthError> {
    let basic = basic_credentials(headers)?;
    let used_basic = basic.is_some();
    let body_id = fields
        .one("client_id")
        .map_err(OAuthError::invalid_request)?;
    let body_secret = fields
        .one("client_secret")
        .map_err(OAuthError::invalid_request)?;
    let (client_id, secret) = match basic {
        Some((id, secret)) => {
            if body_secret.is_some() {
                return Err(OAuthError::invalid_request(
                    "Use one client authentication method: HTTP Basic or client_secret in the body, not both",
                ));
            }
            if body_id.is_some_and(|b| b != id) {
                return Err(OAuthError::invalid_request(
                    "client_id in the body differs from the one in HTTP Basic",
                ));
            }
            (id, Some(secret).filter(|s| !s.is_empty()))
        }
        None => {
            let id = body_id.ok_or_else(|| {
                OAuthError::invalid_client("Client authentication is required", false)
            })?;
            (id.to_string(), body_secret.map(str::to_string))
        }
    };
    let client = state
        .world
        .client(&client_id)
        .cloned()
        .ok_or_else(|| OAuthError::invalid_client("Unknown client", used_basic))?;
    let confidential = match (&client.client_secret, secret) {
        (Some(expected), Some(presented)) => {
            if !secrets_equal(expected, &presented) {
                return Err(OAuthError::invalid_client(
                    "The client secret is wrong",
                    used_basic,
                ));
            }
            true
        }
        (Some(_), None) => {
            return Err(OAuthError::invalid_client(
                "This client must authenticate with its secret",
                used_basic,
            ))
        }
        (None, Some(_)) => {
            return Err(OAuthError::invalid_client(
                "This is a public client; it has no secret",
                used_basic,
            ))
        }
        (None, None) => false,
    };
    Ok(AuthenticatedClient {
        client,
        confidential,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_is_decoded_and_unescaped() {
        let mut headers = HeaderMap::new();
        let encoded = STANDARD.encode("my%3Aid:s%20cret");
        headers.insert(
            header::AUTHORIZATION,
            format!("Basic {encoded}").parse().unwrap(),
        );
        assert_eq!(
            basic_credentials(&headers).unwrap(),
            Some(("my:id".to_string(), "s cret".to_string()))
        );
        headers.insert(header::AUTHORIZATION, "Basic !!!".parse().unwrap());
        assert!(basic_credentials(&headers).is_err());
        headers.insert(header::AUTHORIZATION, "Bearer abc".parse().unwrap());
        assert_eq!(basic_credentials(&headers).unwrap(), None);
    }
}
