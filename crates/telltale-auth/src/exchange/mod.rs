//! Talking to the token and revocation endpoints: [`complete`], [`refresh`], [`revoke`],
//! and [`finish_sign_in`] for the whole callback-to-tokens step.

pub(crate) mod errors;
mod tokens;

pub use tokens::{RefreshToken, TokenSet};

use crate::callback::same_target;
use crate::loopback::loopback_target;
use crate::signin::Flow;
use crate::{
    parse_callback, AuthError, AuthHttp, Callback, CallbackError, PendingSignIn, PendingSignIns,
    Provider, TransportError,
};
use oauth2::basic::BasicClient;
use oauth2::{
    AsyncHttpClient, AuthType, AuthorizationCode, ClientId, ClientSecret, EndpointNotSet,
    EndpointSet, RedirectUrl, TokenUrl,
};
use std::time::SystemTime;

/// The oauth2 client for the token endpoint: client credentials in the form body (as
/// Igtimi documents), the redirect URI repeated as RFC 6749 §4.1.3 requires.
pub(crate) type TokenClient =
    BasicClient<EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

pub(crate) fn token_client(provider: &Provider) -> Result<TokenClient, AuthError> {
    provider.check_endpoints()?;
    let client = BasicClient::new(ClientId::new(provider.client_id.clone()))
        .set_token_uri(TokenUrl::from_url(provider.token_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(provider.redirect_uri.clone()))
        .set_auth_type(AuthType::RequestBody);
    Ok(match &provider.client_secret {
        Some(secret) => client.set_client_secret(ClientSecret::new(secret.clone())),
        None => client,
    })
}

/// Exchanges an authorization code for tokens, proving possession of the attempt's PKCE
/// verifier. Consumes the attempt: a code is used once. An attempt started for another
/// flow (implicit, Iternio) is refused with [`AuthError::InvalidCallback`].
pub async fn complete(
    pending: PendingSignIn,
    code: AuthorizationCode,
    http: &AuthHttp,
) -> Result<TokenSet, AuthError> {
    complete_via(pending, code, http).await
}

/// [`complete`] over any HTTP client (the fuzz and property tests answer in memory).
pub(crate) async fn complete_via<C>(
    pending: PendingSignIn,
    code: AuthorizationCode,
    http: &C,
) -> Result<TokenSet, AuthError>
where
    C: for<'c> AsyncHttpClient<'c, Error = TransportError>,
{
    let Flow::CodeWithPkce(verifier) = pending.flow else {
        return Err(crate::signin::wrong_flow());
    };
    let client = token_client(&pending.provider)?;
    // Kept to scrub them from any server text that echoes them.
    let code_text = code.secret().clone();
    let verifier_text = verifier.secret().clone();
    let scopes = pending.provider.scopes.clone();
    let response = client
        .exchange_code(code)
        .set_pkce_verifier(verifier)
        .request_async(http)
        .await
        .map_err(|err| errors::from_request_error(err, &[&code_text, &verifier_text]))?;
    TokenSet::from_response(&response, &scopes, None, SystemTime::now())
}

/// Gets a new access token with a refresh token. If the answer carries no new refresh token
/// the old one is kept.
pub async fn refresh(
    provider: &Provider,
    refresh_token: &RefreshToken,
    http: &AuthHttp,
) -> Result<TokenSet, AuthError> {
    let client = token_client(provider)?;
    let token = oauth2::RefreshToken::new(refresh_token.expose_secret().to_owned());
    let response = client
        .exchange_refresh_token(&token)
        .request_async(http)
        .await
        .map_err(|err| errors::from_request_error(err, &[refresh_token.expose_secret()]))?;
    TokenSet::from_response(
        &response,
        &provider.scopes,
        Some(refresh_token),
        SystemTime::now(),
    )
}

/// What [`revoke`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocation {
    /// The server confirmed the revocation.
    Revoked,
    /// The provider has no revocation endpoint; the app can only forget the tokens.
    NotSupported,
}

/// Revokes the refresh token (if any) and then the access token at the RFC 7009 endpoint.
///
/// Sent directly rather than through oauth2, whose revocation refuses plain-http endpoints
/// outright; [`Provider::check_endpoints`] still refuses plain http to anything but loopback.
pub async fn revoke(
    provider: &Provider,
    tokens: &TokenSet,
    http: &AuthHttp,
) -> Result<Revocation, AuthError> {
    let Some(revoke_url) = &provider.revoke_url else {
        return Ok(Revocation::NotSupported);
    };
    provider.check_endpoints()?;
    if let Some(refresh_token) = &tokens.refresh_token {
        revoke_one(
            provider,
            revoke_url,
            refresh_token.expose_secret(),
            "refresh_token",
            http,
        )
        .await?;
    }
    revoke_one(
        provider,
        revoke_url,
        tokens.access_token.expose_secret(),
        "access_token",
        http,
    )
    .await?;
    Ok(Revocation::Revoked)
}

async fn revoke_one(
    provider: &Provider,
    revoke_url: &url::Url,
    token: &str,
    hint: &str,
    http: &AuthHttp,
) -> Result<(), AuthError> {
    // Finished before any await: the serializer is not `Send`.
    let body = {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("token", token)
            .append_pair("token_type_hint", hint)
            .append_pair("client_id", &provider.client_id);
        if let Some(secret) = &provider.client_secret {
            form.append_pair("client_secret", secret);
        }
        form.finish()
    };
    let request = oauth2::http::Request::builder()
        .method(oauth2::http::Method::POST)
        .uri(revoke_url.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body.into_bytes())
        .map_err(|err| AuthError::Config {
            detail: format!("cannot build the revocation request: {err}"),
        })?;
    let response = http.execute(request).await?;
    if response.status() == oauth2::http::StatusCode::OK {
        return Ok(());
    }
    let answer: Option<serde_json::Value> = serde_json::from_slice(response.body()).ok();
    let error = answer
        .as_ref()
        .and_then(|v| v.get("error"))
        .and_then(|e| e.as_str());
    match error {
        Some(error) => {
            let description = answer
                .as_ref()
                .and_then(|v| v.get("error_description"))
                .and_then(|d| d.as_str());
            Err(errors::rejected(error, description, &[token]))
        }
        None => Err(AuthError::Server {
            status: response.status().as_u16(),
        }),
    }
}

/// The whole return leg of a sign-in: checks the callback against `provider.redirect_uri`
/// (or, for a sign-in in the system browser, against a loopback redirect URI
/// `http://127.0.0.1:<port>/oauth/callback`), takes the matching attempt from `registry` (so
/// its state cannot be used again), makes sure the callback came back to the redirect URI
/// that attempt was started with, and exchanges the code. A denial gives
/// [`AuthError::Cancelled`], another provider error [`AuthError::Rejected`].
pub async fn finish_sign_in(
    registry: &PendingSignIns,
    raw_callback: &str,
    provider: &Provider,
    http: &AuthHttp,
) -> Result<TokenSet, AuthError> {
    let (callback, arrived_at) = match parse_callback(raw_callback, &provider.redirect_uri) {
        Ok(callback) => (callback, provider.redirect_uri.clone()),
        Err(CallbackError::WrongTarget) => {
            let target = loopback_target(raw_callback).ok_or(CallbackError::WrongTarget)?;
            (parse_callback(raw_callback, &target)?, target)
        }
        Err(err) => return Err(err.into()),
    };
    let pending = registry.take(callback.state())?;
    // An app-scheme link may not end a loopback attempt, nor the other way round; such a
    // link does not end the attempt either, which goes back to wait for its own redirect.
    if !same_target(&arrived_at, &pending.provider.redirect_uri) {
        registry.insert(pending);
        return Err(CallbackError::WrongTarget.into());
    }
    match callback {
        Callback::Code { code, .. } => complete(pending, code, http).await,
        Callback::Denied { .. } => Err(AuthError::Cancelled),
        Callback::ProviderError {
            error, description, ..
        } => Err(AuthError::Rejected { error, description }),
    }
}
