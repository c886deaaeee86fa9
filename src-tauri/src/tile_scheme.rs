//! The `tile:` scheme: the page's map asks for `tile://localhost/{z}/{x}/{y}.png`
//! (`http://tile.localhost/…` where the webview maps custom schemes to http), and gets the
//! tile from [`telltale_core::tiles::Tiles`], cached on disk. The page never talks to the
//! tile server itself: the `User-Agent`, the cache and the two-request limit the server's
//! policy asks for are kept in one place, and the CSP lets the page load images from here
//! only.

use crate::state::AppState;
use crate::MAIN_LABEL;
use std::sync::Arc;
use tauri::http::{header, Method, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};
use telltale_core::tiles::Tiles;
use telltale_core::AppError;

/// The scheme's name.
pub const SCHEME: &str = "tile";

/// The tile address template the page gives Leaflet.
#[cfg(not(any(windows, target_os = "android")))]
pub const PAGE_TILE_URL: &str = "tile://localhost/{z}/{x}/{y}.png";
/// The tile address template the page gives Leaflet (WebView2 and Android's webview reach
/// custom schemes as `http://<scheme>.localhost`).
#[cfg(any(windows, target_os = "android"))]
pub const PAGE_TILE_URL: &str = "http://tile.localhost/{z}/{x}/{y}.png";

/// Answers one request of a webview on Tauri's async runtime.
pub fn protocol<R: Runtime>(
    context: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let label = context.webview_label().to_string();
    let tiles = context.app_handle().state::<AppState>().tiles();
    tauri::async_runtime::spawn(async move {
        let answer = answer(&label, request.method(), request.uri().path(), tiles).await;
        responder.respond(answer);
    });
}

/// The answer to `method path` from the webview labelled `label`: only the main window
/// gets tiles (the sign-in window shows provider pages, which have no business here).
pub async fn answer(
    label: &str,
    method: &Method,
    path: &str,
    tiles: Result<Arc<Tiles>, AppError>,
) -> Response<Vec<u8>> {
    if label != MAIN_LABEL {
        return text(
            StatusCode::FORBIDDEN,
            "Map tiles are for Telltale's own window.",
        );
    }
    if method != Method::GET {
        return text(StatusCode::METHOD_NOT_ALLOWED, "Map tiles are only read.");
    }
    let tile = match tiles {
        Ok(tiles) => tiles.get_path(path).await,
        Err(error) => Err(error),
    };
    match tile {
        Ok(tile) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, tile.content_type)
            .body(tile.image)
            .unwrap_or_else(|_| Response::new(Vec::new())),
        Err(error) => {
            let status = match &error {
                AppError::NoSuchTile { .. } => StatusCode::NOT_FOUND,
                AppError::MapOffline { .. } => StatusCode::SERVICE_UNAVAILABLE,
                AppError::Refused { .. }
                | AppError::Server { .. }
                | AppError::InvalidResponse { .. } => StatusCode::BAD_GATEWAY,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            text(status, &error.to_string())
        }
    }
}

/// A short plain-text answer, never cached by the webview.
fn text(status: StatusCode, body: &str) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(body.as_bytes().to_vec())
        .unwrap_or_else(|_| Response::new(Vec::new()))
}
