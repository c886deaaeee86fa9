//! Iternio's OAuth2 dialect: an authorization code without PKCE that arrives as
//! `auth_code`, a token call that answers `user_token` and echoes the authorize call's
//! `state`, and a user-info call. Build the provider with [`crate::Provider::iternio`].
//!
//! [`start`] registers the attempt; [`finish_sign_in`] reads the redirect
//! ([`parse_callback`]), takes the attempt by `state`, exchanges the code through oauth2 with
//! a custom token response, and checks that the echoed `state` is the attempt's own (so a
//! code from another sign-in, slipped into this redirect, is refused).

mod callback;
mod token;

pub use callback::parse_callback;

use crate::error::clean_server_text;
use crate::exchange::errors::{explain_parse_error, from_request_error, rejected};
use crate::provider::{endpoint_at, is_secure_endpoint};
use crate::registry::states_equal;
use crate::signin::{wrong_flow, Flow};
use crate::{
    AccessToken, AuthError, AuthHttp, Callback, PendingSignIn, PendingSignIns, Provider, TokenSet,
    STATE_BYTES,
};
use oauth2::basic::BasicClient;
use oauth2::{AuthUrl, AuthorizationCode, ClientId, CsrfToken, RedirectUrl, Scope};
use serde::Deserialize;
use std::time::SystemTime;
use token::iternio_client;
use url::Url;

/// Where the user-info call lives under the server's base address.
pub const USERINFO_PATH: &str = "iternio/1/oauth/userinfo";

/// Prepares one Iternio sign-in: the URL to open in the login webview (`client_id`,
/// `redirect_uri`, `response_type=code`, a fresh `state` and, if set, `scope`) and the
/// attempt, which goes into a [`PendingSignIns`] until the redirect arrives.
pub fn start(provider: &Provider) -> (Url, PendingSignIn) {
    let client = BasicClient::new(ClientId::new(provider.client_id.clone()))
        .set_auth_uri(AuthUrl::from_url(provider.authorize_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(provider.redirect_uri.clone()));
    let (url, state) = client
        .authorize_url(|| CsrfToken::new_random_len(STATE_BYTES))
        .add_scopes(provider.scopes.iter().cloned().map(Scope::new))
        .url();
    (url, PendingSignIn::new(state, Flow::Iternio, provider))
}

/// The return leg of an Iternio sign-in: checks the redirect against
/// `provider.redirect_uri`, takes the matching attempt from `registry` (once only), exchanges
/// the `auth_code` with the attempt's client id and API key, and checks the `state` the
/// token call echoes against the attempt's, in constant time.
///
/// A denial gives [`AuthError::Cancelled`], another error in the redirect or from the token
/// call [`AuthError::Rejected`], an echoed state that is missing or another attempt's
/// [`AuthError::InvalidResponse`].
pub async fn finish_sign_in(
    registry: &PendingSignIns,
    raw_callback: &str,
    provider: &Provider,
    http: &AuthHttp,
) -> Result<TokenSet, AuthError> {
    let callback = parse_callback(raw_callback, &provider.redirect_uri)?;
    let pending = registry.take(callback.state())?;
    if !matches!(pending.flow, Flow::Iternio) {
        return Err(wrong_flow());
    }
    match callback {
        Callback::Code { code, .. } => exchange(pending, code, http).await,
        Callback::Denied { .. } => Err(AuthError::Cancelled),
        Callback::ProviderError {
            error, description, ..
        } => Err(AuthError::Rejected { error, description }),
    }
}

/// The token call for one attempt.
pub(crate) async fn exchange<C>(
    pending: PendingSignIn,
    code: AuthorizationCode,
    http: &C,
) -> Result<TokenSet, AuthError>
where
    C: for<'c> oauth2::AsyncHttpClient<'c, Error = crate::TransportError>,
{
    let client = iternio_client(&pending.provider)?;
    let code_text = code.secret().clone();
    let api_key = pending.provider.client_secret.clone().unwrap_or_default();
    let response = client
        .exchange_code(code)
        .request_async(http)
        .await
        .map_err(|err| from_request_error(err, &[&code_text, &api_key]))?;
    let echoed = response
        .echoed_state()
        .ok_or_else(|| AuthError::InvalidResponse {
            detail: "the token answer does not repeat the sign-in's state".into(),
        })?;
    if !bool::from(states_equal(pending.state.secret(), echoed)) {
        return Err(AuthError::InvalidResponse {
            detail: "the token answer belongs to another sign-in (its state differs)".into(),
        });
    }
    TokenSet::from_response(&response, &pending.provider.scopes, None, SystemTime::now())
}

/// Who signed in, as Iternio's user-info call says.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IternioUser {
    /// The account's id.
    pub id: u64,
    /// The full name (control characters removed, at most 200 characters).
    pub name: String,
    /// The email address (same cleaning).
    pub email: String,
}

/// Asks the server at `base` (path prefix kept) who `token` belongs to:
/// `GET {base}/iternio/1/oauth/userinfo` with `Authorization: Bearer`. A refused token is
/// [`AuthError::Rejected`] (`invalid_token`) with the server's explanation.
pub async fn user_info(
    base: &Url,
    token: &AccessToken,
    http: &AuthHttp,
) -> Result<IternioUser, AuthError> {
    let url = endpoint_at(base, USERINFO_PATH)?;
    if !is_secure_endpoint(&url) {
        return Err(AuthError::Config {
            detail: "the user-info endpoint must use https (plain http only to this computer)"
                .into(),
        });
    }
    let request = oauth2::http::Request::builder()
        .method(oauth2::http::Method::GET)
        .uri(url.as_str())
        .header("authorization", format!("Bearer {}", token.expose_secret()))
        .header("accept", "application/json")
        .body(Vec::new())
        .map_err(|err| AuthError::Config {
            detail: format!("cannot build the user-info request: {err}"),
        })?;
    let response = http.execute(request).await?;
    let secret = token.expose_secret();
    let body = response.body();
    let status = response.status();
    if status != oauth2::http::StatusCode::OK {
        return Err(refused(status.as_u16(), body, secret));
    }
    let user: IternioUser = serde_path_to_error::deserialize(
        &mut serde_json::Deserializer::from_slice(body),
    )
    .map_err(|err| AuthError::InvalidResponse {
        detail: explain_parse_error(&err, body),
    })?;
    Ok(IternioUser {
        id: user.id,
        name: clean_server_text(&user.name, &[secret]),
        email: clean_server_text(&user.email, &[secret]),
    })
}

/// A non-200 user-info answer: the OAuth error it carries, a web page, or a bare status.
fn refused(status: u16, body: &[u8], token: &str) -> AuthError {
    #[derive(Deserialize)]
    struct ErrorAnswer {
        error: String,
        #[serde(default)]
        error_description: Option<String>,
    }
    match serde_json::from_slice::<ErrorAnswer>(body) {
        Ok(answer) => rejected(&answer.error, answer.error_description.as_deref(), &[token]),
        Err(_) if body.trim_ascii_start().starts_with(b"<") => AuthError::InvalidResponse {
            detail: format!("the server sent a web page (HTML) with HTTP status {status}"),
        },
        Err(_) => AuthError::Server { status },
    }
}
