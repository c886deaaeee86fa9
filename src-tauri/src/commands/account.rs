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

/// Starts a sign-in on the provider's page: in the app's sign-in window (`via` absent or
/// `"window"`), or in the system browser, coming back as an OS deep link (`"browser"`) or
/// to a loopback listener (`"loopback"`). The outcome arrives as the `sign-in-finished`
/// event.
#[tauri::command]
pub async fn start_sign_in<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    via: Option<String>,
) -> Result<(), AppError> {
    let via = login::Via::parse(via.as_deref())?;
    let session = state.session()?;
    match via {
        login::Via::Window => login::open(&app, session),
        other => login::browser::open(&app, session, other),
    }
}

/// Cancels the sign-in in progress: closes the sign-in window, and stops waiting for the
/// system browser.
#[tauri::command]
pub async fn cancel_sign_in<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<(), AppError> {
    login::close(&app);
    login::browser::cancel(&app, state.session().ok());
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
