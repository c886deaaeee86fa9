//! The map under the tracks: where the page loads its tiles from, and the credit to show.

use crate::state::AppState;
use crate::tile_scheme::PAGE_TILE_URL;
use tauri::State;
use telltale_core::tiles::MapTilesView;
use telltale_core::AppError;

/// `{ url, attribution, maxZoom }`: `url` is the `tile:` scheme's template for Leaflet.
#[tauri::command]
pub async fn map_tiles(state: State<'_, AppState>) -> Result<MapTilesView, AppError> {
    Ok(state.tiles()?.view(PAGE_TILE_URL))
}
