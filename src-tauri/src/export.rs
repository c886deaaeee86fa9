//! Saving an export: the native save dialog, or straight into `$TELLTALE_EXPORT_DIR` when
//! that is set (for scripted use and the end-to-end tests; one of them, `export_dialog.rs`,
//! drives the dialog itself).

use crate::save_dialog::{self, SaveRequest};
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

/// Asks where to save, in the native dialog, opened in the Documents folder (or home).
async fn ask<R: Runtime>(
    app: &AppHandle<R>,
    format: ExportFormat,
    file_name: &str,
) -> Result<Option<PathBuf>, AppError> {
    let kind = match format {
        ExportFormat::Gpx => ("GPX track", "gpx"),
        ExportFormat::Csv => ("CSV table", "csv"),
    };
    let request = SaveRequest {
        title: "Export",
        file_name: file_name.to_string(),
        kind,
        folder: documents_or_home(),
    };
    tracing::info!("asking where to save the export");
    save_dialog::ask(app, request)
        .await
        .map_err(|err| AppError::Internal {
            detail: format!("the save dialog failed: {err}"),
        })
}

fn documents_or_home() -> Option<PathBuf> {
    let home = PathBuf::from(std::env::var_os("HOME")?);
    let documents = home.join("Documents");
    Some(if documents.is_dir() { documents } else { home })
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
