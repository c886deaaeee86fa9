//! The main window's UI preferences (theme, pane sizes): the page reads them at start from
//! `window.__TELLTALE_PREFS__` and sends each change here (`telltale_core::prefs`).

use crate::state::AppState;
use tauri::State;
use telltale_core::AppError;

/// Keeps `value` under `name` (`None` forgets it), for the next start.
#[tauri::command]
pub fn save_preference(
    state: State<'_, AppState>,
    name: String,
    value: Option<String>,
) -> Result<(), AppError> {
    state.prefs().set(&name, value.as_deref())
}
