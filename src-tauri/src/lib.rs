//! Telltale's Tauri shell: windows, commands and deep links over the plain-Rust session in
//! `telltale-core`. `main.rs` only calls [`run`]; tests build the same app on Tauri's mock
//! runtime with [`configure`].

mod callback;
mod commands;
mod deep_link;
mod events;
mod export;
mod logging;
mod login;
mod state;

pub use events::{AppEvent, MainEvents, CALLBACK_IGNORED, LOAD_PROGRESS, SIGN_IN_FINISHED};
pub use export::ENV_EXPORT_DIR;
pub use login::{Launcher, LOGIN_LABEL};
pub use state::AppState;

use tauri::{Builder, Manager, Runtime, WindowEvent};

/// The label of the app's own window (the only one with a capability).
pub const MAIN_LABEL: &str = "main";

/// Starts Telltale: logging, settings and session, the single-instance and deep-link
/// plugins, then the main window.
pub fn run() {
    logging::init();
    let state = AppState::load();
    let builder = Builder::default()
        // First, so a second launch (e.g. by a deep link) hands its URL to this instance.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            focus_main(app);
        }))
        .plugin(tauri_plugin_deep_link::init())
        // Used from Rust only (the export's save dialog); no window is granted its commands.
        .plugin(tauri_plugin_dialog::init())
        // Browser sign-ins open the provider's page with the opener plugin.
        .manage(login::Launcher::<tauri::Wry>::system())
        .setup(|app| {
            deep_link::setup(app.handle());
            login::forget_browsing_data(app.handle());
            Ok(())
        });
    let result = configure(builder, state).run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(err) = result {
        tracing::error!(error = %err, "Telltale could not start");
        eprintln!("Telltale could not start: {err}");
        std::process::exit(1);
    }
}

/// Adds Telltale's state, commands and window behaviour to `builder`, for any runtime.
pub fn configure<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        // Opens the system browser from Rust only: no window is granted its commands, and
        // its script that sends clicked links to the browser is not injected into any page.
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .manage(state)
        .manage(MainEvents::default())
        .manage(login::LoginWindow::default())
        .manage(login::BrowserSignIn::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::listen_app_events,
            commands::restore_session,
            commands::start_sign_in,
            commands::cancel_sign_in,
            commands::refresh_account,
            commands::sign_out,
            commands::sign_in_with_password,
            commands::switch_account,
            commands::browse_catalog,
            commands::browse_resources,
            commands::load_data,
            commands::cancel_load,
            commands::data_view,
            commands::latest_values,
            commands::export_data,
        ])
        .on_window_event(|window, event| {
            // Closing the main window quits, even while a sign-in window is open.
            if window.label() == MAIN_LABEL && matches!(event, WindowEvent::Destroyed) {
                window.app_handle().exit(0);
            }
        })
}

/// Brings the main window to the front.
pub(crate) fn focus_main<R: Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(main) = app.get_webview_window(MAIN_LABEL) {
        let _ = main.unminimize();
        let _ = main.show();
        let _ = main.set_focus();
    }
}

#[cfg(test)]
mod tests;
