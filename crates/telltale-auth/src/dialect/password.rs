//! Igtimi's resource-owner password grant (RFC 6749 §4.3), kept for old setups: the app
//! sends the user's email and password straight to the token endpoint.
//!
//! The password is borrowed for the one request and never stored; it appears in no `Debug`
//! output and no error (any server text echoing it is redacted).

use crate::exchange::{errors, token_client};
use crate::{AuthError, AuthHttp, Provider, TokenSet};
use oauth2::basic::BasicErrorResponseType;
use oauth2::{RequestTokenError, ResourceOwnerPassword, ResourceOwnerUsername, Scope};
use std::time::SystemTime;

/// Signs in with `username` (the account's email) and `password` at `provider`'s token
/// endpoint, with `grant_type=password` and the provider's client credentials and scopes.
///
/// The server's `invalid_grant` (no such account, wrong password) becomes
/// [`AuthError::BadCredentials`]; other refusals (a missing value, a wrong client secret, an
/// unknown scope) [`AuthError::Rejected`] with the server's explanation.
pub async fn sign_in(
    provider: &Provider,
    username: &str,
    password: &str,
    http: &AuthHttp,
) -> Result<TokenSet, AuthError> {
    let client = token_client(provider)?;
    let user = ResourceOwnerUsername::new(username.to_owned());
    let secret = ResourceOwnerPassword::new(password.to_owned());
    let response = client
        .exchange_password(&user, &secret)
        .add_scopes(provider.scopes.iter().cloned().map(Scope::new))
        .request_async(http)
        .await
        .map_err(|err| match err {
            RequestTokenError::ServerResponse(answer)
                if *answer.error() == BasicErrorResponseType::InvalidGrant =>
            {
                AuthError::BadCredentials
            }
            other => errors::from_request_error(other, &[password]),
        })?;
    TokenSet::from_response(&response, &provider.scopes, None, SystemTime::now())
}
