//! The Riot dialect: the Igtimi service of today (see `shared/riot-api.md`), on the same
//! server and port as the JSON API, over the same demo users, devices and samples.
//!
//! - The security service under [`SECURITY_PREFIX`] ([`security`]): bearer tokens (one per
//!   user, base64 with `+`, `/` and `=`), `JSESSIONID` sessions, `create_user`.
//! - The client API under [`API_PREFIX`]: `devices` ([`devices`]), `data_access_windows`
//!   and the legacy `resources` ([`windows`]), `resources/data` and its `latest`
//!   ([`data`]: base64 protobuf `Msg`s in Riot's units, [`encode`], [`points`]), `server` and
//!   `server_listers/web_sockets`; the live WebSocket at [`websocket::PATH`] ([`websocket`],
//!   [`frames`]); the device TCP port ([`device`], started when configured) whose pushed
//!   samples ([`pushed`]) `resources/data` merges in.
//!
//! Every API call authenticates ([`auth`]: Bearer, Basic, then username/password
//! parameters); reads are gated by Riot's own data access windows ([`access`]). Errors are
//! plain text ([`error`]): 400 bad parameters or body, 401 credentials or lockout, 403 not
//! the owner, 404 unknown window or endpoint, 412 `create_user` refusals. An address that
//! sends 10 unknown bearer tokens within a minute is locked out of every Riot path for
//! 60 s ([`lockout`]). All state is in memory ([`state`]).

pub mod access;
pub mod auth;
pub mod data;
pub mod device;
pub mod devices;
pub mod encode;
pub mod error;
pub mod frames;
pub mod lockout;
pub mod points;
pub mod pushed;
pub mod security;
pub mod state;
pub mod websocket;
pub mod windows;

use crate::api::both;
use crate::server::Shared;
use axum::extract::OriginalUri;
use axum::routing::{any, delete, get, MethodRouter};
use axum::{middleware, Router};
use error::RiotError;

/// The security service's paths start with this.
pub const SECURITY_PREFIX: &str = "/security/api/restsecurity/";
/// The client API's paths start with this.
pub const API_PREFIX: &str = "/igtimi/api/v1/";

/// Both services, each path also with a trailing slash, behind the lockout check.
pub fn router(state: Shared) -> Router<Shared> {
    let security: [(&str, MethodRouter<Shared>); 7] = [
        (
            "access_token",
            get(security::access_token).post(security::access_token),
        ),
        (
            "remove_access_token",
            get(security::remove_access_token).post(security::remove_access_token),
        ),
        ("hello", any(security::hello)),
        ("user", get(security::user)),
        ("create_user", axum::routing::post(security::create_user)),
        ("login", axum::routing::post(security::login)),
        ("logout", get(security::logout).post(security::logout)),
    ];
    let api: [(&str, MethodRouter<Shared>); 8] = [
        ("devices", get(devices::list).post(devices::register)),
        (
            "data_access_windows",
            get(windows::list).post(windows::create),
        ),
        ("data_access_windows/{id}", delete(windows::delete)),
        ("resources", get(windows::resources)),
        ("resources/data", get(data::data)),
        ("resources/data/latest", get(data::latest)),
        ("server", get(devices::server)),
        (
            "server_listers/web_sockets",
            get(devices::web_socket_servers),
        ),
    ];
    let routes = security
        .into_iter()
        .map(|(path, handler)| (format!("{SECURITY_PREFIX}{path}"), handler))
        .chain(
            api.into_iter()
                .map(|(path, handler)| (format!("{API_PREFIX}{path}"), handler)),
        )
        .fold(Router::new(), |router, (path, handler)| {
            both(router, &path, handler)
        });
    routes
        .route(
            &format!("{SECURITY_PREFIX}{{*rest}}"),
            any(unknown_endpoint),
        )
        .route(&format!("{API_PREFIX}{{*rest}}"), any(unknown_endpoint))
        .route(websocket::PATH, get(websocket::websocket))
        .route_layer(middleware::from_fn_with_state(state, lockout::middleware))
}

async fn unknown_endpoint(OriginalUri(uri): OriginalUri) -> RiotError {
    RiotError::NotFound(format!("No Riot endpoint at {}", uri.path()))
}
