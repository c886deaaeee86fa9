// Included (`include!`) by `build.rs`, which gives each command an `allow-<name>`
// permission, and by the e2e suite `hostile_login`, which checks the login page can call
// none of them: one list, so the two cannot drift apart.

/// Every `#[tauri::command]` the app registers (`generate_handler!` in `src/lib.rs`).
pub const APP_COMMANDS: &[&str] = &[
    "app_status",
    "listen_app_events",
    "restore_account",
    "start_sign_in",
    "cancel_sign_in",
    "refresh_account",
    "sign_out",
    "sign_in_with_password",
    "sign_in_with_token",
    "switch_account",
    "browse_catalog",
    "browse_resources",
    "load_data",
    "cancel_load",
    "data_view",
    "latest_values",
    "analyse_data",
    "set_target_polar",
    "export_data",
    "register_device",
    "open_data_window",
    "close_data_window",
    "live_start",
    "live_next",
    "live_stop",
    "map_tiles",
    "save_preference",
];
