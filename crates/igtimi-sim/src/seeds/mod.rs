//! The other two seed systems the client can sign in with: the username/password token API
//! (`POST /v1/oauth/`) and the Iternio OAuth2 dialect (`/iternio/1/oauth/...`).

pub mod iternio;
pub mod token_api;

use crate::params::Params;
use crate::server::Shared;
use axum::Router;

/// The routes of both seed systems.
pub fn router() -> Router<Shared> {
    Router::new()
        .merge(token_api::router())
        .merge(iternio::router())
}

/// The first value of a parameter exactly as sent. Credentials may hold commas and spaces,
/// which [`Params::get`] would split and trim.
pub(crate) fn raw<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .0
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}
