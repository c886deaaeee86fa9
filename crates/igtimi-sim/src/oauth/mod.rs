//! Igtimi's OAuth2 authorization server.
//!
//! - `GET|POST /oauth/authorize` (also `/iternio/1/oauth/authorize`): the authorization code
//!   grant (with PKCE, S256 or plain) and the implicit grant, behind a real HTML sign-in form
//!   and consent page; `urn:ietf:wg:oauth:2.0:oob` shows the result on a page.
//! - `GET|POST /users/sign_in`, `GET|POST /users/sign_out`: the browser session.
//! - `POST /oauth/token`: `authorization_code`, `password`, `client_credentials` and
//!   `refresh_token` grants (RFC 6749 §4–6), client authentication in the body or by HTTP Basic.
//! - `POST /oauth/revoke`: token revocation (RFC 7009).

mod authorize;
mod client_auth;
mod complete;
mod consent;
mod error;
mod fields;
mod flow;
mod grants;
pub mod pkce;
pub mod redirect;
mod revoke;
pub mod scope;
mod session;
mod signin;
mod token;

use crate::server::Shared;
use axum::routing::{get, post};
use axum::Router;

/// Name of the cookie that carries the browser sign-in session.
pub const SESSION_COOKIE: &str = "_igtimi_session";
/// Igtimi's authorize endpoint.
pub const AUTHORIZE_PATH: &str = "/oauth/authorize";
/// The same endpoint as Iternio's dialect names it.
pub const ITERNIO_AUTHORIZE_PATH: &str = "/iternio/1/oauth/authorize";
/// Where the sign-in form posts.
pub const SIGN_IN_PATH: &str = "/users/sign_in";
/// Ends the browser session.
pub const SIGN_OUT_PATH: &str = "/users/sign_out";

/// The OAuth routes: authorize, sign-in/out, token and revocation.
pub fn router() -> Router<Shared> {
    Router::new()
        .route(AUTHORIZE_PATH, get(flow::show).post(flow::decide))
        .route(ITERNIO_AUTHORIZE_PATH, get(flow::show).post(flow::decide))
        .route(SIGN_IN_PATH, get(signin::show).post(signin::submit))
        .route(SIGN_OUT_PATH, get(signin::sign_out).post(signin::sign_out))
        .route("/oauth/token", post(token::exchange))
        .route("/oauth/revoke", post(revoke::revoke))
}
