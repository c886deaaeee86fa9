//! Sign-in and account commands: thin calls into [`telltale_core::multi::Accounts`].

use crate::events::{AppEvent, MainEvents};
use crate::login;
use crate::state::AppState;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use telltale_core::accounts::SignInMethod;
use telltale_core::multi::{AccountSignedIn, AccountSignedOut, AccountsOverview};
use telltale_core::tokens::AccountView;
use telltale_core::AppError;

/// Profiles, accounts, the mode and (if known) the active account, for the first paint.
#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AccountsOverview, AppError> {
    Ok(state.accounts()?.overview().await)
}

/// Opens the page's channel for sign-in results and ignored sign-in links; anything said
/// before it opened arrives first.
#[tauri::command]
pub fn listen_app_events(events: State<'_, MainEvents>, channel: Channel<AppEvent>) {
    events.listen(channel);
}

/// Loads the active account's saved sign-in and reads the account; `None` when no account
/// is active or its sign-in is gone.
#[tauri::command]
pub async fn restore_account(state: State<'_, AppState>) -> Result<Option<AccountView>, AppError> {
    state.accounts()?.restore().await
}

/// Starts a sign-in on the provider's page for `profile` (default: the default profile)
/// with `method` (default: `code`): in the app's sign-in window (`via` absent or
/// `"window"`), or in the system browser, coming back as an OS deep link (`"browser"`) or
/// to a loopback listener (`"loopback"`). The outcome arrives on the page's channel as
/// `sign-in-finished`.
#[tauri::command]
pub async fn start_sign_in<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile: Option<String>,
    method: Option<String>,
    via: Option<String>,
) -> Result<(), AppError> {
    let via = login::Via::parse(via.as_deref())?;
    let accounts = state.accounts()?;
    let profile = match profile {
        Some(profile) => profile,
        None => accounts.overview().await.default_profile,
    };
    let method = parse_method(method.as_deref())?;
    match via {
        login::Via::Window => login::open(&app, accounts, &profile, method),
        other => login::system_browser::open(&app, accounts, &profile, method, other),
    }
}

/// Signs in with a user name and password typed into Telltale's own form, for the
/// `password` (legacy OAuth password grant) and `token_api` methods. The password is used
/// for this call only.
#[tauri::command]
pub async fn sign_in_with_password(
    state: State<'_, AppState>,
    profile: String,
    method: String,
    username: String,
    password: String,
) -> Result<AccountSignedIn, AppError> {
    let method = parse_method(Some(&method))?;
    let accounts = state.accounts()?;
    let signed_in = accounts
        .sign_in_with_password(&profile, method, &username, &password)
        .await;
    drop(password);
    signed_in
}

/// Signs in to the Riot profile `profile` with a token the user copied from the server's
/// web pages; it is checked with the server before it is kept.
#[tauri::command]
pub async fn sign_in_with_token(
    state: State<'_, AppState>,
    profile: String,
    token: String,
) -> Result<AccountSignedIn, AppError> {
    let accounts = state.accounts()?;
    let signed_in = accounts.sign_in_with_token(&profile, &token).await;
    drop(token);
    signed_in
}

/// Makes the account `key` the active one and reads it.
#[tauri::command]
pub async fn switch_account(
    state: State<'_, AppState>,
    key: String,
) -> Result<Option<AccountView>, AppError> {
    state.accounts()?.switch(&key).await
}

/// Cancels the sign-in in progress: closes the sign-in window, and stops waiting for the
/// system browser.
#[tauri::command]
pub async fn cancel_sign_in<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<(), AppError> {
    login::close(&app);
    login::system_browser::cancel(&app, state.accounts().ok());
    Ok(())
}

/// Reads the active account again.
#[tauri::command]
pub async fn refresh_account(state: State<'_, AppState>) -> Result<AccountView, AppError> {
    state
        .accounts()?
        .restore()
        .await?
        .ok_or(AppError::SignedOut)
}

/// Signs out of the account `key` (default: the active one) here and, where its provider
/// allows, at the provider. The other accounts stay signed in. On a Riot server the token
/// is only forgotten here unless `invalidate` asks to replace it at the server (which signs
/// the user's other apps out too).
#[tauri::command]
pub async fn sign_out(
    state: State<'_, AppState>,
    key: Option<String>,
    invalidate: Option<bool>,
) -> Result<AccountSignedOut, AppError> {
    let accounts = state.accounts()?;
    let key = match key {
        Some(key) => key,
        None => accounts
            .active_key()
            .await
            .ok_or(AppError::SignedOut)?
            .to_string(),
    };
    if invalidate == Some(true) {
        accounts.sign_out_and_invalidate(&key).await
    } else {
        accounts.sign_out(&key).await
    }
}

/// A sign-in method's name (`code`, `implicit`, `password`, `token_api`, `riot_password`,
/// `pasted_token`); none means `code`.
fn parse_method(method: Option<&str>) -> Result<SignInMethod, AppError> {
    let Some(name) = method else {
        return Ok(SignInMethod::Code);
    };
    SignInMethod::ALL
        .into_iter()
        .find(|known| known.name() == name)
        .ok_or_else(|| AppError::Internal {
            detail: "unknown sign-in method (use code, implicit, password, token_api, \
                     riot_password or pasted_token)"
                .into(),
        })
}
