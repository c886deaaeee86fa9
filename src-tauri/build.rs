//! Generates the Tauri context from the top-level `tauri.conf.json` and the permissions of
//! the app's own commands. Declaring the commands here makes each one need an explicit grant
//! in `capabilities/`, so a webview that matches no capability (the login view) can call none.

include!("command_names.rs");

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(APP_COMMANDS));
    tauri_build::try_build(attributes).expect("tauri build script");
}
