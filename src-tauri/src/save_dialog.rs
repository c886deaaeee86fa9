//! The native "save as" dialog, from Rust only (no window is granted a dialog command).
//!
//! On Linux it is GTK's file chooser, made on the main thread (where tao runs GTK), modal
//! and attached to the main window. (rfd's GTK backend, which tauri-plugin-dialog uses,
//! starts a second thread that iterates the same GLib main context as tao's, so GTK work can
//! run on either thread.) Elsewhere it is rfd: the system's own dialog.

use std::path::PathBuf;
use tauri::{AppHandle, Runtime};

/// What the dialog asks.
pub struct SaveRequest {
    /// The window title.
    pub title: &'static str,
    /// The proposed file name.
    pub file_name: String,
    /// The file type's name and extension (`"CSV table"`, `"csv"`).
    pub kind: (&'static str, &'static str),
    /// The folder it opens in.
    pub folder: Option<PathBuf>,
}

/// Shows the dialog and waits for the user: the chosen path, `None` when cancelled, or why
/// it could not be shown.
pub async fn ask<R: Runtime>(
    app: &AppHandle<R>,
    request: SaveRequest,
) -> Result<Option<PathBuf>, String> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    let handle = app.clone();
    app.run_on_main_thread(move || show(&handle, request, reply))
        .map_err(|err| err.to_string())?;
    answer
        .await
        .map_err(|_| "the dialog closed without an answer".to_string())
}

type Reply = tokio::sync::oneshot::Sender<Option<PathBuf>>;

#[cfg(target_os = "linux")]
fn show<R: Runtime>(app: &AppHandle<R>, request: SaveRequest, reply: Reply) {
    use gtk::prelude::*;
    use std::cell::RefCell;
    use std::rc::Rc;
    use tauri::Manager;

    let parent = app
        .get_webview_window(crate::MAIN_LABEL)
        .and_then(|main| main.gtk_window().ok());
    let dialog = gtk::FileChooserNative::new(
        Some(request.title),
        parent.as_ref(),
        gtk::FileChooserAction::Save,
        Some("_Save"),
        Some("_Cancel"),
    );
    dialog.set_modal(true);
    dialog.set_do_overwrite_confirmation(true);
    if let Some(folder) = &request.folder {
        dialog.set_current_folder(folder);
    }
    dialog.set_current_name(&request.file_name);
    let (name, extension) = request.kind;
    let filter = gtk::FileFilter::new();
    filter.set_name(Some(name));
    filter.add_pattern(&format!("*.{extension}"));
    dialog.add_filter(filter);

    // GTK does not keep a native dialog alive: this handle does, until the answer.
    let kept = Rc::new(RefCell::new(Some(dialog.clone())));
    let reply = RefCell::new(Some(reply));
    dialog.connect_response(move |dialog, response| {
        let chosen = match response {
            gtk::ResponseType::Accept => dialog.filename(),
            _ => None,
        };
        if let Some(reply) = reply.borrow_mut().take() {
            let _ = reply.send(chosen);
        }
        kept.borrow_mut().take();
    });
    dialog.show();
}

#[cfg(not(target_os = "linux"))]
fn show<R: Runtime>(_app: &AppHandle<R>, request: SaveRequest, reply: Reply) {
    let (name, extension) = request.kind;
    let mut dialog = rfd::AsyncFileDialog::new()
        .set_title(request.title)
        .set_file_name(request.file_name)
        .add_filter(name, &[extension]);
    if let Some(folder) = request.folder {
        dialog = dialog.set_directory(folder);
    }
    let shown = dialog.save_file();
    std::thread::spawn(move || {
        let chosen = tauri::async_runtime::block_on(shown);
        let _ = reply.send(chosen.map(|file| file.path().to_path_buf()));
    });
}
