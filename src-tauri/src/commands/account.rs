//! Sign-in and account commands.

use crate::login;
use crate::state::AppState;
use tauri::{AppHandle, Runtime, State};
use telltale_core::session::{AccountView, Overview, SignOutResult};
use telltale_core::AppError;

/// The mode, server and (if known) account, for the first paint.
#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<Overview, AppError> {
    Ok(state.session()?.overview().await)
}

/// Loads the saved sign-in and reads the account; `None` when nobody is saved.
#[tauri::command]
pub async fn restore_session(state: State<'_, AppState>) -> Result<Option<AccountView>, AppError> {
    state.session()?.restore().await
}

/// Opens the sign-in window on the provider's page. The outcome arrives as the
/// `sign-in-finished` event.
#[tauri::command]
pub async fn start_sign_in<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<(), AppError> {
    login::open(&app, state.session()?)
}

/// Closes the sign-in window, which cancels the attempt.
#[tauri::command]
pub async fn cancel_sign_in<R: Runtime>(app: AppHandle<R>) -> Result<(), AppError> {
    login::close(&app);
    Ok(())
}

/// Reads the account again.
#[tauri::command]
pub async fn refresh_account(state: State<'_, AppState>) -> Result<AccountView, AppError> {
    state.session()?.refresh_account().await
}

/// Signs out here and, where the provider allows, at the provider.
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Result<SignOutResult, AppError> {
    let result = state.session()?.sign_out().await;
    // The next user must not see this one's data, whatever the server said.
    state.browser().forget().await;
    result
}
