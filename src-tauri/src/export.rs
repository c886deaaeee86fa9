//! Saving an export: the native save dialog, or straight into `$TELLTALE_EXPORT_DIR` when
//! that is set (for scripted use and the end-to-end tests, which cannot drive a native
//! dialog).

use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Runtime};
use telltale_core::browse::{Export, ExportFormat};
use telltale_core::AppError;

/// Saves exports into this folder without asking.
pub const ENV_EXPORT_DIR: &str = "TELLTALE_EXPORT_DIR";

/// Where an export was written.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    /// The file written.
    pub path: String,
    /// Rows (CSV) or track points (GPX) written.
    pub rows: u64,
}

/// Asks where to save `export` (or uses [`ENV_EXPORT_DIR`]) and writes it. `None` when the
/// user cancelled the dialog.
pub async fn save<R: Runtime>(
    app: &AppHandle<R>,
    format: ExportFormat,
    export: Export,
) -> Result<Option<Saved>, AppError> {
    let target = match std::env::var_os(ENV_EXPORT_DIR).filter(|dir| !dir.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir).join(&export.file_name)),
        None => ask(app, format, &export.file_name).await?,
    };
    let Some(path) = target else {
        tracing::info!("export cancelled in the save dialog");
        return Ok(None);
    };
    write(&path, export.contents.as_bytes()).await?;
    tracing::info!(rows = export.rows, "export saved");
    Ok(Some(Saved {
        path: path.display().to_string(),
        rows: export.rows,
    }))
}

/// The native save dialog (rfd; GTK on Linux). The dialog is made on the main thread, as
/// GTK requires, and its answer awaited here.
async fn ask<R: Runtime>(
    app: &AppHandle<R>,
    format: ExportFormat,
    file_name: &str,
) -> Result<Option<PathBuf>, AppError> {
    let (label, extension) = match format {
        ExportFormat::Gpx => ("GPX track", "gpx"),
        ExportFormat::Csv => ("CSV table", "csv"),
    };
    let mut dialog = rfd::AsyncFileDialog::new()
        .set_title("Export")
        .set_file_name(file_name)
        .add_filter(label, &[extension]);
    if let Some(documents) = dirs_documents() {
        dialog = dialog.set_directory(documents);
    }
    let failed = |err: &dyn std::fmt::Display| AppError::Internal {
        detail: format!("the save dialog failed: {err}"),
    };
    tracing::info!("asking where to save the export");
    let (opened, answer) = tokio::sync::oneshot::channel();
    app.run_on_main_thread(move || {
        let _ = opened.send(dialog.save_file());
    })
    .map_err(|err| failed(&err))?;
    let shown = answer.await.map_err(|err| failed(&err))?;
    Ok(shown.await.map(|file| file.path().to_path_buf()))
}

fn dirs_documents() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join("Documents"))
        .filter(|p| p.is_dir())
}

/// Writes through a temporary file in the same folder, so a failed write never leaves half
/// a file under the chosen name.
async fn write(path: &Path, contents: &[u8]) -> Result<(), AppError> {
    let io = |err: std::io::Error| AppError::Io {
        detail: format!("{}: {err}", path.display()),
    };
    let partial = path.with_extension("partial");
    tokio::fs::write(&partial, contents).await.map_err(io)?;
    if let Err(err) = tokio::fs::rename(&partial, path).await {
        let _ = tokio::fs::remove_file(&partial).await;
        return Err(io(err));
    }
    Ok(())
}
