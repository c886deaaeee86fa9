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
mod rendering;
mod save_dialog;
#[cfg(target_os = "linux")]
mod single_instance;
mod state;
mod tile_scheme;
mod web_process;

pub use events::{AppEvent, MainEvents, CALLBACK_IGNORED, LOAD_PROGRESS, SIGN_IN_FINISHED};
pub use export::ENV_EXPORT_DIR;
pub use login::{Launcher, LOGIN_LABEL};
pub use state::AppState;

use tauri::{Builder, Manager, Runtime, WindowEvent};

/// The label of the app's own window (the only one with a capability).
pub const MAIN_LABEL: &str = "main";

/// Starts Telltale: on Linux, the web processes' options ([`web_process`]); logging; on
/// Linux, hands a second launch's link to the running instance and exits; then settings and
/// session, the deep-link plugin and the main window.
pub fn run() {
    // Before any thread, and before WebKit starts its first web process.
    #[cfg(target_os = "linux")]
    web_process::configure();
    logging::init();
    let context = tauri::generate_context!("../tauri.conf.json");
    #[cfg(target_os = "linux")]
    let instance = first_instance(&context.config().identifier);
    let state = AppState::load();
    let builder = Builder::default();
    // First, so a second launch (e.g. by a deep link) hands its URL to this instance.
    #[cfg(not(target_os = "linux"))]
    let builder = builder.plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
        focus_main(app);
    }));
    let builder = builder
        .plugin(tauri_plugin_deep_link::init())
        // Browser sign-ins open the provider's page in the desktop's browser.
        .manage(login::Launcher::<tauri::Wry>::system())
        .setup(move |app| {
            #[cfg(target_os = "linux")]
            if let Some(instance) = instance {
                serve_later_launches(app.handle(), instance);
            }
            open_main_window(app)?;
            deep_link::setup(app.handle());
            login::forget_browsing_data(app.handle());
            Ok(())
        });
    let result = configure(builder, state).run(context);
    if let Err(err) = result {
        tracing::error!(error = %err, "Telltale could not start");
        eprintln!("Telltale could not start: {err}");
        std::process::exit(1);
    }
}

/// Claims the single-instance name: `Some` for the first instance, `None` to run alone
/// (no session bus). A later launch hands over its arguments and exits here, before any
/// window or state is made.
#[cfg(target_os = "linux")]
fn first_instance(identifier: &str) -> Option<single_instance::Primary> {
    use single_instance::{claim, Claim, Handover};
    match claim(identifier, &Handover::of_this_process()) {
        Claim::First(primary) => Some(primary),
        Claim::HandedOver => {
            tracing::info!("handed this launch to the running Telltale");
            std::process::exit(0);
        }
        Claim::NoAnswer(why) => {
            tracing::error!(reason = %why, "the running Telltale did not answer");
            eprintln!("Telltale is already running but did not answer: {why}");
            std::process::exit(1);
        }
        Claim::Alone(why) => {
            tracing::warn!(reason = %why, "cannot look for a running Telltale; starting alone");
            None
        }
    }
}

/// Passes each later launch's arguments to the deep-link plugin (a sign-in link among them
/// becomes an `on_open_url` event) and brings the main window to the front.
#[cfg(target_os = "linux")]
fn serve_later_launches<R: Runtime>(app: &tauri::AppHandle<R>, instance: single_instance::Primary) {
    use tauri_plugin_deep_link::DeepLinkExt;
    let app = app.clone();
    instance.serve(move |launch| {
        app.deep_link().handle_cli_arguments(launch.args.iter());
        focus_main(&app);
    });
}

/// Opens the main window from its configuration (`create: false` there), with downloads
/// refused. The sign-in window shares the main window's web context, and WebKitGTK takes
/// the download handler of the webview that made the context, so the sign-in window's own
/// refusal only holds if the main window refuses too; the app itself never downloads
/// (exports are written by Rust). Its page is painted without GPU compositing
/// ([`rendering`]).
fn open_main_window(app: &tauri::App) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == MAIN_LABEL)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    // The page's preferences, before its first paint (its web storage does not keep them).
    let prefs = app.state::<AppState>().prefs().page_script();
    let window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .on_download(|_webview, event| login::refuse_download(event))
        .initialization_script(&prefs)
        .build()?;
    rendering::paint_in_software(&window);
    Ok(())
}

/// Adds Telltale's state, commands and window behaviour to `builder`, for any runtime.
pub fn configure<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .manage(state)
        .manage(MainEvents::default())
        .manage(login::LoginWindow::default())
        .manage(login::SystemBrowserSignIn::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::listen_app_events,
            commands::restore_account,
            commands::start_sign_in,
            commands::cancel_sign_in,
            commands::refresh_account,
            commands::sign_out,
            commands::sign_in_with_password,
            commands::sign_in_with_token,
            commands::switch_account,
            commands::browse_catalog,
            commands::browse_resources,
            commands::load_data,
            commands::cancel_load,
            commands::data_view,
            commands::latest_values,
            commands::analyse_data,
            commands::set_target_polar,
            commands::export_data,
            commands::register_device,
            commands::open_data_window,
            commands::close_data_window,
            commands::live_start,
            commands::live_next,
            commands::live_stop,
            commands::map_tiles,
            commands::save_preference,
        ])
        // The map's tiles, from the disk cache or the tile server (tile_scheme.rs).
        .register_asynchronous_uri_scheme_protocol(tile_scheme::SCHEME, tile_scheme::protocol)
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
