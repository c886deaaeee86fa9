//! Iternio's token answer as an oauth2 [`TokenResponse`]:
//! `{"user_token":..,"token_type":"Bearer","state":..}`, and the oauth2 client that expects it.

use crate::{AuthError, Provider};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AccessToken, AuthType, Client, ClientId, ClientSecret, EndpointNotSet, EndpointSet,
    RedirectUrl, RefreshToken, Scope, StandardRevocableToken, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// What Iternio's token call answers. The token never expires and comes without a refresh
/// token or scopes. `Debug` shows neither the token nor the state.
#[derive(Clone, Deserialize, Serialize)]
pub(crate) struct IternioTokenResponse {
    /// The user's token (a bearer token).
    user_token: AccessToken,
    /// `Bearer`, in any letter case.
    #[serde(deserialize_with = "oauth2::helpers::deserialize_untagged_enum_case_insensitive")]
    token_type: BasicTokenType,
    /// The `state` of the authorize call this token answers.
    #[serde(default)]
    state: Option<String>,
}

impl IternioTokenResponse {
    /// The `state` the server echoed, if any. Never log it.
    pub(crate) fn echoed_state(&self) -> Option<&str> {
        self.state.as_deref()
    }
}

impl fmt::Debug for IternioTokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IternioTokenResponse")
            .field("user_token", &"<redacted>")
            .field("token_type", &self.token_type)
            .field("state", &self.state.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl TokenResponse for IternioTokenResponse {
    type TokenType = BasicTokenType;

    fn access_token(&self) -> &AccessToken {
        &self.user_token
    }

    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }

    fn expires_in(&self) -> Option<Duration> {
        None
    }

    fn refresh_token(&self) -> Option<&RefreshToken> {
        None
    }

    fn scopes(&self) -> Option<&Vec<Scope>> {
        None
    }
}

/// An oauth2 client for Iternio's token call: standard errors, Iternio's token answer.
pub(crate) type IternioClient = Client<
    BasicErrorResponse,
    IternioTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// The token client of `provider`: client id and API key in the form body, as Iternio
/// documents, and the redirect URI repeated.
pub(crate) fn iternio_client(provider: &Provider) -> Result<IternioClient, AuthError> {
    provider.check_endpoints()?;
    let client: IternioClient = Client::new(ClientId::new(provider.client_id.clone()))
        .set_token_uri(TokenUrl::from_url(provider.token_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(provider.redirect_uri.clone()))
        .set_auth_type(AuthType::RequestBody);
    Ok(match &provider.client_secret {
        Some(key) => client.set_client_secret(ClientSecret::new(key.clone())),
        None => client,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_read_and_debug_hides_secrets() {
        let answer: IternioTokenResponse = serde_json::from_str(
            r#"{"user_token":"tok-123","token_type":"bearer","state":"st-9"}"#,
        )
        .expect("valid answer");
        assert_eq!(answer.access_token().secret(), "tok-123");
        assert_eq!(*answer.token_type(), BasicTokenType::Bearer);
        assert_eq!(answer.echoed_state(), Some("st-9"));
        assert_eq!(answer.expires_in(), None);
        let shown = format!("{answer:?}");
        assert!(
            !shown.contains("tok-123") && !shown.contains("st-9"),
            "{shown}"
        );
        let without_state: IternioTokenResponse =
            serde_json::from_str(r#"{"user_token":"t","token_type":"Bearer","state":null}"#)
                .expect("null state");
        assert_eq!(without_state.echoed_state(), None);
        assert!(
            serde_json::from_str::<IternioTokenResponse>(r#"{"token_type":"Bearer"}"#).is_err()
        );
    }
}
