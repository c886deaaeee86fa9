//! Generates the Tauri context from the top-level `tauri.conf.json` and the permissions of
//! the app's own commands. Declaring the commands here makes each one need an explicit grant
//! in `capabilities/`, so a webview that matches no capability (the login view) can call none.

/// Every `#[tauri::command]` the app registers; each gets an `allow-<name>` permission.
const COMMANDS: &[&str] = &[
    "app_status",
    "restore_session",
    "start_sign_in",
    "cancel_sign_in",
    "refresh_account",
    "sign_out",
    "sign_in_with_password",
    "switch_account",
    "browse_catalog",
    "browse_resources",
    "load_data",
    "cancel_load",
    "data_view",
    "latest_values",
    "export_data",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri build script");
}
