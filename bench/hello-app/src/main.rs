//! A bare Tauri app: one window, one static page, nothing else.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(err) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("hello-app: {err}");
        std::process::exit(1);
    }
}
