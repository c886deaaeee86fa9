//! Saving an export: the native save dialog, or straight into `$TELLTALE_EXPORT_DIR` when
//! that is set (for scripted use and the end-to-end tests; one of them, `export_dialog.rs`,
//! drives the dialog itself).

use crate::save_dialog::{self, SaveRequest};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Runtime};
use telltale_core::browse::{Export, ExportFormat};
use telltale_core::AppError;

/// Saves exports into this folder without asking.
pub const ENV_EXPORT_DIR: &str = "TELLTALE_EXPORT_DIR";

/// Where an export was written.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
    write(path.clone(), export.contents.into_bytes()).await?;
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

/// Writes `contents` to `path` off the async threads (see [`write_file`]).
async fn write(path: PathBuf, contents: Vec<u8>) -> Result<(), AppError> {
    let shown = path.display().to_string();
    tokio::task::spawn_blocking(move || write_file(&path, &contents))
        .await
        .map_err(|err| AppError::Internal {
            detail: format!("the export writer stopped: {err}"),
        })?
        .map_err(|err| AppError::Io {
            detail: format!("{shown}: {err}"),
        })
}

/// Writes through a temporary file in the same folder, then renames it over `path`, so a
/// failed write never leaves half a file under the chosen name. The temporary file is
/// created exclusively under a random name (no fixed `.partial` name that a planted symlink
/// could redirect) and is removed when anything fails.
fn write_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".telltale-export-").suffix(".tmp");
    // The export is a document like any other: the umask's mode, not tempfile's 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(folder)?;
    file.write_all(contents)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::write_file;
    use std::path::Path;

    /// The names in `folder`, sorted.
    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .expect("the folder lists")
            .map(|entry| {
                entry
                    .expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into()
            })
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_at_the_old_partial_name_is_not_followed() {
        let root = tempfile::tempdir().expect("a temporary folder");
        let outside = root.path().join("outside.txt");
        std::fs::write(&outside, "keep me").expect("the outside file");
        let folder = root.path().join("exports");
        std::fs::create_dir(&folder).expect("the export folder");
        let target = folder.join("track.csv");
        std::os::unix::fs::symlink(&outside, target.with_extension("partial"))
            .expect("the planted symlink");

        write_file(&target, b"time_utc\r\n").expect("the export is written");

        assert_eq!(
            std::fs::read_to_string(&outside).expect("outside"),
            "keep me"
        );
        assert_eq!(
            std::fs::read_to_string(&target).expect("target"),
            "time_utc\r\n"
        );
        let target_kind = std::fs::symlink_metadata(&target)
            .expect("target")
            .file_type();
        assert!(target_kind.is_file(), "{target_kind:?}");
        // Only the export and the planted link: no temporary file left behind.
        assert_eq!(names(&folder), ["track.csv", "track.partial"]);
    }

    #[test]
    fn an_existing_export_is_replaced_whole() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let target = folder.path().join("track.gpx");
        std::fs::write(&target, "an older, longer export").expect("the old export");
        write_file(&target, b"<gpx/>").expect("the export is written");
        assert_eq!(std::fs::read_to_string(&target).expect("target"), "<gpx/>");
        assert_eq!(names(folder.path()), ["track.gpx"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        // A folder that is not empty cannot be replaced by a file, even by root.
        let target = folder.path().join("track.csv");
        std::fs::create_dir(&target).expect("a folder at the target");
        std::fs::write(target.join("inside"), "x").expect("a file inside it");

        let err = write_file(&target, b"time_utc\r\n").expect_err("the rename fails");

        // EISDIR: the temporary file was written and its rename is what failed.
        assert_eq!(err.kind(), std::io::ErrorKind::IsADirectory, "{err}");
        assert!(target.is_dir(), "the folder is still there");
        assert_eq!(names(folder.path()), ["track.csv"]);
    }

    #[test]
    fn a_missing_folder_is_an_error_and_writes_nothing() {
        let root = tempfile::tempdir().expect("a temporary folder");
        let target = root.path().join("gone").join("track.csv");
        assert!(write_file(&target, b"x").is_err());
        assert!(names(root.path()).is_empty());
    }
}
