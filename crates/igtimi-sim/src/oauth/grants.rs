//! The grants of the token endpoint (RFC 6749 §4.1.3, §4.3, §4.4, §6).

use super::client_auth::AuthenticatedClient;
use super::error::OAuthError;
use super::fields::Fields;
use super::{pkce, scope};
use crate::server::AppState;
use crate::store::{AuthCode, GrantError, IssuedTokens, Origin};

/// A required parameter; `invalid_request` when missing or repeated.
fn required<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, OAuthError> {
    fields
        .one(name)
        .map_err(OAuthError::invalid_request)?
        .ok_or_else(|| OAuthError::invalid_request(format!("{name} is required")))
}

/// An optional parameter; `invalid_request` when repeated.
fn optional<'a>(fields: &'a Fields, name: &str) -> Result<Option<&'a str>, OAuthError> {
    fields.one(name).map_err(OAuthError::invalid_request)
}

/// `grant_type=authorization_code`: redeems a code once, checking client, redirect URI
/// and PKCE verifier.
pub fn authorization_code(
    state: &AppState,
    client: &AuthenticatedClient,
    fields: &Fields,
) -> Result<IssuedTokens, OAuthError> {
    let code = required(fields, "code")?;
    let redirect_uri = optional(fields, "redirect_uri")?;
    let verifier = optional(fields, "code_verifier")?;
    let check = |record: &AuthCode| -> Result<(), GrantError> {
        let fail = |why: &str| Err(GrantError(why.to_string()));
        if record.client_id != client.client.client_id {
            return fail("The authorization code was issued to another client");
        }
        match redirect_uri {
            Some(uri) if uri != record.redirect_uri => {
                return fail("redirect_uri differs from the one of the authorize request")
            }
            // Omitting it is fine only when the authorize request could omit it too.
            None if client.client.redirect_uris != [record.redirect_uri.clone()] => {
                return fail("redirect_uri is required: send the one of the authorize request")
            }
            _ => {}
        }
        match (&record.pkce, verifier) {
            (Some((challenge, method)), Some(v)) if pkce::verify(challenge, *method, v) => Ok(()),
            (Some(_), Some(_)) => fail("The code_verifier does not match the code_challenge"),
            (Some(_), None) => {
                fail("code_verifier is required: the authorize request sent a code_challenge")
            }
            (None, Some(_)) => {
                fail("A code_verifier was sent but the authorize request had no code_challenge")
            }
            (None, None) => Ok(()),
        }
    };
    let now = state.clock.now_secs();
    let issued = state
        .store
        .redeem_code(code, now, state.config.token_lifetime, check)
        .map(|(_, issued)| issued)
        .map_err(|GrantError(why)| OAuthError::invalid_grant(why))?;
    if let Some(verifier) = verifier {
        state.store.note_verifier(verifier);
    }
    Ok(issued)
}

/// `grant_type=password`: the resource owner's email and password.
pub fn password(
    state: &AppState,
    client: &AuthenticatedClient,
    fields: &Fields,
) -> Result<IssuedTokens, OAuthError> {
    let email = required(fields, "username")?;
    let password = required(fields, "password")?;
    let scope = scope::normalize(optional(fields, "scope")?).map_err(OAuthError::invalid_scope)?;
    let user = state
        .world
        .user_by_email(email)
        .filter(|u| u.password_matches(password))
        .ok_or_else(|| OAuthError::invalid_grant("Invalid email or password"))?;
    Ok(state.store.issue(
        state.config.token_lifetime,
        state.clock.now_secs(),
        user.id,
        &client.client.client_id,
        &scope,
        Origin::Password,
    ))
}

/// `grant_type=client_credentials`: a confidential client acting as its owner account.
/// No refresh token is returned (RFC 6749 §4.4.3): the client can simply ask again.
pub fn client_credentials(
    state: &AppState,
    client: &AuthenticatedClient,
    fields: &Fields,
) -> Result<IssuedTokens, OAuthError> {
    if !client.confidential {
        return Err(OAuthError::unauthorized_client(
            "client_credentials is for confidential clients; a public client has no credentials",
        ));
    }
    let scope = scope::normalize(optional(fields, "scope")?).map_err(OAuthError::invalid_scope)?;
    let mut issued = state.store.issue(
        state.config.token_lifetime,
        state.clock.now_secs(),
        client.client.owner_id,
        &client.client.client_id,
        &scope,
        Origin::ClientCredentials,
    );
    // The store pairs every expiring token with a refresh token; this grant does not hand
    // it out, so nobody can ever present it.
    issued.refresh_token = None;
    Ok(issued)
}

/// `grant_type=refresh_token`: rotates the refresh token. The granted scope stays that of
/// the original grant; a `scope` parameter is not used to narrow it.
pub fn refresh(
    state: &AppState,
    client: &AuthenticatedClient,
    fields: &Fields,
) -> Result<IssuedTokens, OAuthError> {
    let token = required(fields, "refresh_token")?;
    state
        .store
        .refresh(
            token,
            &client.client.client_id,
            state.clock.now_secs(),
            state.config.token_lifetime,
        )
        .map_err(|GrantError(why)| OAuthError::invalid_grant(why))
}
