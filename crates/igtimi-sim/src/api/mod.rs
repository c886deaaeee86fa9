//! The REST API under `/api/v1/`, plus the live-data WebSocket and its server lister.
//!
//! Every API route needs an access token ([`auth::ApiCall`]); parameters come from the query
//! string or a form body (`_method=GET` POSTs are turned into GETs by [`method_override`]
//! before routing). Errors are JSON ([`error::ApiError`]).

pub mod access;
pub mod account;
pub mod auth;
pub mod data;
pub mod devices;
pub mod encode;
pub mod error;
pub mod live;
pub mod logs;
pub mod method_override;
pub mod query;
pub mod resources;
pub mod sessions;
pub mod shape;
pub mod simplify;
pub mod types;

use crate::server::Shared;
use axum::extract::OriginalUri;
use axum::routing::{any, get, MethodRouter};
use axum::Router;
use error::ApiError;

/// Routes a path and the same path with a trailing slash to one handler.
pub(crate) fn both(
    router: Router<Shared>,
    path: &str,
    handler: MethodRouter<Shared>,
) -> Router<Shared> {
    router
        .route(path, handler.clone())
        .route(&format!("{path}/"), handler)
}

/// The API, the WebSocket lister and the live WebSocket.
pub fn router() -> Router<Shared> {
    let api: &[(&str, MethodRouter<Shared>)] = &[
        ("/account", get(account::account)),
        ("/users", get(account::users)),
        ("/users/{id}", get(account::user)),
        ("/groups", get(account::groups)),
        ("/groups/{id}", get(account::group)),
        ("/devices", get(devices::devices)),
        (
            "/devices/data_access_windows",
            get(devices::data_access_windows),
        ),
        ("/resources", get(resources::resources)),
        ("/resources/data", get(data::data)),
        ("/resources/data/latest", get(data::latest)),
        ("/sessions", get(sessions::sessions)),
        ("/sessions/{id}", get(sessions::session)),
        ("/sessions/{id}/logs", get(logs::logs)),
        ("/data_types", get(types::data_types)),
        ("/server_listers/web_sockets", get(live::web_socket_servers)),
        ("/websocket", get(live::websocket)),
    ];
    let router = api
        .iter()
        .cloned()
        .fold(Router::new(), |router, (path, handler)| {
            let full = if path.starts_with("/server_listers") || path == "/websocket" {
                path.to_string()
            } else {
                format!("/api/v1{path}")
            };
            both(router, &full, handler)
        });
    // Anything else under the API is a JSON 404 (the routes above take precedence).
    router.route("/api/v1/{*rest}", any(unknown_endpoint))
}

async fn unknown_endpoint(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!("No API endpoint at {}", uri.path()))
}
