//! Live commands: start a feed for chosen devices, read what is new (a long poll, so the
//! page takes data at its own pace and the socket never waits for it), stop it. Each is one
//! call into `telltale_core::live::LiveFeeds`.

use crate::state::AppState;
use tauri::State;
use telltale_core::live::LiveStarted;
use telltale_core::AppError;
use telltale_live::LiveUpdate;

/// Starts watching `serials` of the active account live, replacing any running feed.
#[tauri::command]
pub async fn live_start(
    state: State<'_, AppState>,
    serials: Vec<String>,
) -> Result<LiveStarted, AppError> {
    let account = state.active_tokens().await?;
    let accounts = state.accounts()?;
    accounts
        .live()
        .start(accounts.data(), account, serials)
        .await
}

/// What feed `id` received after `after` (samples, state, notes); waits up to a second for
/// something new.
#[tauri::command]
pub async fn live_next(
    state: State<'_, AppState>,
    id: u64,
    after: u64,
) -> Result<LiveUpdate, AppError> {
    state.accounts()?.live().next(id, after).await
}

/// Stops feed `id`; `true` when it was running.
#[tauri::command]
pub async fn live_stop(state: State<'_, AppState>, id: u64) -> Result<bool, AppError> {
    Ok(state.accounts()?.live().stop(id))
}
