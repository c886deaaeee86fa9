//! Validation of an authorize request (RFC 6749 §4.1.1, §4.2.1, RFC 7636 §4.3).
//!
//! The client and redirect URI are checked first; until they are, problems are shown on an
//! error page and never redirected (RFC 6749 §4.1.2.1). After that, errors go back to the
//! client with the request's `state`.

use super::fields::Fields;
use super::redirect::{self, Delivery, Destination};
use super::{pkce, scope};
use crate::pages::error_page;
use crate::server::AppState;
use crate::store::PkceMethod;
use crate::world::{Client, Dialect};
use axum::http::StatusCode;
use axum::response::Response;

/// The parameters of an authorize request that are carried through sign-in and consent.
pub const CARRIED: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "scope",
    "code_challenge",
    "code_challenge_method",
];

/// What the client asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseType {
    /// An authorization code (RFC 6749 §4.1).
    Code,
    /// An access token in the fragment (implicit grant, RFC 6749 §4.2).
    Token,
}

impl ResponseType {
    /// Where errors and results travel for this response type.
    pub fn delivery(self) -> Delivery {
        match self {
            ResponseType::Code => Delivery::Query,
            ResponseType::Token => Delivery::Fragment,
        }
    }
}

/// A fully validated authorize request.
#[derive(Clone, Debug)]
pub struct AuthorizeRequest {
    pub client: Client,
    pub destination: Destination,
    pub response_type: ResponseType,
    pub state: Option<String>,
    /// Normalized, space-delimited.
    pub scope: String,
    pub pkce: Option<(String, PkceMethod)>,
    /// The carried parameters as the client sent them, for hidden form fields and `return_to`.
    pub given: Vec<(&'static str, String)>,
}

impl AuthorizeRequest {
    /// The query string that repeats this request (for `return_to`).
    pub fn query_string(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.given.iter().map(|(k, v)| (*k, v.as_str())))
            .finish()
    }
}

/// A refused authorize request: the response to send (boxed, it is large).
pub type Refusal = Box<Response>;

/// Checks an authorize request. `Err` is the response to send: an error page while the
/// redirect URI is not trusted, an error sent to the client afterwards.
pub fn validate(state: &AppState, fields: &Fields) -> Result<AuthorizeRequest, Refusal> {
    let page = |detail: String| {
        Box::new(error_page(
            StatusCode::BAD_REQUEST,
            "Invalid request",
            &detail,
        ))
    };
    let client_id = fields
        .one("client_id")
        .map_err(page)?
        .ok_or_else(|| page("The request names no client_id".into()))?;
    let client = state
        .world
        .client(client_id)
        .cloned()
        .ok_or_else(|| page(format!("No application is registered as {client_id:?}")))?;
    let destination =
        redirect::resolve(&client, fields.one("redirect_uri").map_err(page)?).map_err(page)?;

    // From here on the redirect URI is trusted. A duplicated state cannot be echoed.
    let state_param = fields.one("state").ok().flatten().map(str::to_string);
    let raw_type = fields.one("response_type");
    let delivery = match raw_type {
        Ok(Some("token")) => Delivery::Fragment,
        _ => Delivery::Query,
    };
    let fail = |error: &str, description: String| {
        Box::new(destination.error(delivery, error, &description, state_param.as_deref()))
    };
    let invalid = |description: String| fail("invalid_request", description);
    for name in CARRIED {
        fields.one(name).map_err(invalid)?;
    }
    let response_type = match (raw_type.map_err(invalid)?, client.dialect) {
        (Some("code"), _) | (None, Dialect::Iternio) => ResponseType::Code,
        (Some("token"), Dialect::Igtimi) => ResponseType::Token,
        (None, Dialect::Igtimi) => return Err(invalid("response_type is required".into())),
        (Some(other), _) => {
            return Err(fail(
                "unsupported_response_type",
                format!("response_type {other:?} is not supported for this client"),
            ))
        }
    };
    let scope = scope::normalize(fields.one("scope").map_err(invalid)?)
        .map_err(|e| fail("invalid_scope", e))?;
    let pkce = pkce_params(fields, &client, response_type).map_err(invalid)?;

    let given = CARRIED
        .iter()
        .filter_map(|name| {
            let value = fields.one(name).ok().flatten()?;
            Some((*name, value.to_string()))
        })
        .collect();
    Ok(AuthorizeRequest {
        client,
        destination,
        response_type,
        state: state_param,
        scope,
        pkce,
        given,
    })
}

/// The PKCE challenge of a code request. Public clients must send one; the implicit grant
/// has no use for it.
fn pkce_params(
    fields: &Fields,
    client: &Client,
    response_type: ResponseType,
) -> Result<Option<(String, PkceMethod)>, String> {
    let challenge = fields.one("code_challenge")?;
    let method = fields.one("code_challenge_method")?;
    if response_type == ResponseType::Token {
        return Ok(None);
    }
    let Some(challenge) = challenge else {
        if method.is_some() {
            return Err("code_challenge_method was given without a code_challenge".into());
        }
        if client.client_secret.is_none() {
            return Err("A public client must send a PKCE code_challenge (RFC 7636)".into());
        }
        return Ok(None);
    };
    if !pkce::is_well_formed(challenge) {
        return Err(
            "code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~'"
                .into(),
        );
    }
    let method = pkce::parse_method(method)?;
    Ok(Some((challenge.to_string(), method)))
}
