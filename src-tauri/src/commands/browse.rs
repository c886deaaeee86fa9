//! Browsing commands: the catalog, loading data with progress, views for the charts and the
//! track, latest values, the sailing analysis and exports. Each is one call into `telltale_core::browse::DataBrowser`.

use crate::events::{AppEvent, MainEvents};
use crate::export;
use crate::state::AppState;
use tauri::ipc::Response;
use tauri::{AppHandle, Manager, Runtime, State};
use telltale_core::browse::{
    pack_view, AccessWindowView, AnalysisView, CatalogView, ExportFormat, LatestView, LoadRequest,
    LoadSummary, ResourceView, TargetPolar, ViewRequest,
};
use telltale_core::AppError;

/// Devices (own and shared), groups, sessions and the data type table.
#[tauri::command]
pub async fn browse_catalog(state: State<'_, AppState>) -> Result<CatalogView, AppError> {
    let account = state.active_tokens().await?;
    state.accounts()?.data().catalog(&account).await
}

/// The resources (blocks of device data) in `[from, to]`, ms since the epoch.
#[tauri::command]
pub async fn browse_resources(
    state: State<'_, AppState>,
    from: i64,
    to: i64,
) -> Result<Vec<ResourceView>, AppError> {
    let account = state.active_tokens().await?;
    state.accounts()?.data().resources(&account, from, to).await
}

/// Loads a time range of devices' data, reporting progress as `load-progress` on the main
/// window's channel ([`MainEvents`]). Rejects with `cancelled` when [`cancel_load`] stops it.
#[tauri::command]
pub async fn load_data<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: LoadRequest,
) -> Result<LoadSummary, AppError> {
    let account = state.active_tokens().await?;
    let progress = move |update| {
        app.state::<MainEvents>()
            .tell(AppEvent::LoadProgress(update))
    };
    state
        .accounts()?
        .data()
        .load(&account, request, progress)
        .await
}

/// Stops the running load; `true` when one was running.
#[tauri::command]
pub async fn cancel_load(state: State<'_, AppState>) -> Result<bool, AppError> {
    Ok(state.accounts()?.data().cancel_load())
}

/// The loaded data between two times, downsampled to the chart's width in pixels, as raw
/// bytes in the packed layout of [`telltale_core::browse::pack_view`] (the page reads the
/// columns as typed arrays; no JSON for the numbers).
#[tauri::command]
pub async fn data_view(
    state: State<'_, AppState>,
    request: ViewRequest,
) -> Result<Response, AppError> {
    let view = state.accounts()?.data().view(request).await?;
    Ok(Response::new(pack_view(&view)))
}

/// The newest value of every channel of the given devices.
#[tauri::command]
pub async fn latest_values(
    state: State<'_, AppState>,
    serials: Vec<String>,
) -> Result<Vec<LatestView>, AppError> {
    let account = state.active_tokens().await?;
    state.accounts()?.data().latest(&account, serials).await
}

/// The sailing analysis of the loaded data between two times: per boat its wind source,
/// tacks and gybes, and legs.
#[tauri::command]
pub async fn analyse_data(
    state: State<'_, AppState>,
    from: i64,
    to: i64,
) -> Result<AnalysisView, AppError> {
    state.accounts()?.data().analysis(from, to).await
}

/// Reads `text` as a target polar table and uses it in every analysis from now on (`None`
/// clears it); answers the table read.
#[tauri::command]
pub fn set_target_polar(
    state: State<'_, AppState>,
    text: Option<String>,
) -> Result<Option<TargetPolar>, AppError> {
    state.accounts()?.data().set_target_polar(text.as_deref())
}

/// Exports the loaded data between two times as GPX or CSV, asking where to save it.
/// `None` when the user cancelled the save dialog.
#[tauri::command]
pub async fn export_data<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: ExportFormat,
    from: i64,
    to: i64,
) -> Result<Option<export::Saved>, AppError> {
    let export = state.accounts()?.data().export(format, from, to).await?;
    export::save(&app, format, export).await
}

/// Registers a device by serial and name on the active account's Riot server.
#[tauri::command]
pub async fn register_device(
    state: State<'_, AppState>,
    serial: String,
    name: String,
) -> Result<(), AppError> {
    let account = state.active_tokens().await?;
    state
        .accounts()?
        .data()
        .register_device(&account, &serial, &name)
        .await
}

/// Opens a data access window over `[from, to]` (ms) on the device `serial` (Riot).
#[tauri::command]
pub async fn open_data_window(
    state: State<'_, AppState>,
    serial: String,
    from: i64,
    to: i64,
) -> Result<AccessWindowView, AppError> {
    let account = state.active_tokens().await?;
    state
        .accounts()?
        .data()
        .open_window(&account, &serial, from, to)
        .await
}

/// Closes the data access window `id` (Riot).
#[tauri::command]
pub async fn close_data_window(state: State<'_, AppState>, id: u64) -> Result<(), AppError> {
    let account = state.active_tokens().await?;
    state.accounts()?.data().close_window(&account, id).await
}
