//! The tiles kept on disk, `<root>/<source folder>/<z>/<x>/<y>.tile`, under a size cap:
//! past it, the least recently used tiles are deleted. Blocking file work; the caller runs
//! it off the async threads.
//!
//! What is in the folder is learnt on first use (a walk of at most four levels), with each
//! file's modification time as its last use; a tile read is touched, so the order survives
//! a restart. Every file is written to a temporary name beside it and renamed, so a crash
//! leaves either the old entry or the new one; leftover temporary files are removed by the
//! walk. An entry that does not read back ([`Entry::decode`]) is deleted and counts as
//! missing.

use super::entry::Entry;
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

/// The entries' file extension.
const EXTENSION: &str = "tile";
/// What temporary files' names contain.
const TEMPORARY: &str = ".tmp-";

/// The disk cache of one app instance.
#[derive(Debug)]
pub struct DiskCache {
    root: PathBuf,
    max_bytes: u64,
    index: Mutex<Option<Index>>,
}

/// Every entry's size and last use, and their total.
#[derive(Debug, Default)]
struct Index {
    /// Path below the root → (bytes, use counter).
    entries: HashMap<PathBuf, (u64, u64)>,
    total: u64,
    /// The next use counter; larger is more recent.
    clock: u64,
}

impl Index {
    fn insert(&mut self, relative: PathBuf, bytes: u64) {
        self.clock += 1;
        if let Some((old, _)) = self.entries.insert(relative, (bytes, self.clock)) {
            self.total -= old;
        }
        self.total += bytes;
    }

    fn remove(&mut self, relative: &Path) {
        if let Some((bytes, _)) = self.entries.remove(relative) {
            self.total -= bytes;
        }
    }

    fn touch(&mut self, relative: &Path) {
        self.clock += 1;
        if let Some(entry) = self.entries.get_mut(relative) {
            entry.1 = self.clock;
        }
    }

    /// The least recently used entry.
    fn oldest(&self) -> Option<PathBuf> {
        self.entries
            .iter()
            .min_by_key(|(_, (_, used))| *used)
            .map(|(path, _)| path.clone())
    }
}

impl DiskCache {
    /// A cache in `root` (made when first written) holding at most `max_bytes`.
    pub fn new(root: PathBuf, max_bytes: u64) -> DiskCache {
        DiskCache {
            root,
            max_bytes,
            index: Mutex::new(None),
        }
    }

    /// The folder the tiles are kept in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The bytes of every entry.
    pub fn total_bytes(&self) -> u64 {
        self.index().as_ref().map_or(0, |index| index.total)
    }

    fn index(&self) -> MutexGuard<'_, Option<Index>> {
        // The index is only changed whole-step under the lock; a poisoned one is taken over.
        let mut guard = self.index.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            *guard = Some(scan(&self.root));
        }
        guard
    }

    /// The entry at `relative` (a path below the root), marked as just used; `None` when
    /// there is none or it does not read back (then it is deleted).
    pub fn read(&self, relative: &Path) -> Option<Entry> {
        let mut guard = self.index();
        let index = guard.as_mut()?;
        let path = self.root.join(relative);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(_) => {
                index.remove(relative);
                return None;
            }
        };
        match Entry::decode(&bytes) {
            Some(entry) => {
                index.touch(relative);
                // The modification time keeps the order across restarts; failing to set
                // it only makes the tile look older next time.
                let _ = fs::File::options()
                    .write(true)
                    .open(&path)
                    .and_then(|file| file.set_modified(SystemTime::now()));
                Some(entry)
            }
            None => {
                tracing::warn!(path = %path.display(), "a damaged map tile in the cache; deleted");
                let _ = fs::remove_file(&path);
                index.remove(relative);
                None
            }
        }
    }

    /// Writes `entry` at `relative` (replacing any), then deletes the least recently used
    /// entries until the cache fits its cap again.
    pub fn write(&self, relative: &Path, entry: &Entry) -> std::io::Result<()> {
        let bytes = entry.encode();
        let path = self.root.join(relative);
        let dir = path
            .parent()
            .ok_or_else(|| std::io::Error::other("a cache entry needs a folder"))?;
        let mut guard = self.index();
        fs::create_dir_all(dir)?;
        let temporary = dir.join(temporary_name(&path));
        let written = fs::File::create_new(&temporary)
            .and_then(|mut file| file.write_all(&bytes).and_then(|()| file.sync_all()))
            .and_then(|()| fs::rename(&temporary, &path));
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        written?;
        if let Some(index) = guard.as_mut() {
            index.insert(relative.to_path_buf(), bytes.len() as u64);
            while index.total > self.max_bytes {
                let Some(oldest) = index.oldest() else { break };
                let _ = fs::remove_file(self.root.join(&oldest));
                index.remove(&oldest);
            }
        }
        Ok(())
    }
}

/// `.<name>.tmp-<pid>-<n>`: unique among this and other processes.
fn temporary_name(path: &Path) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(
        ".{name}{TEMPORARY}{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// What is in the cache folder now: its entries, oldest first, and no temporary files.
fn scan(root: &Path) -> Index {
    let mut found: Vec<(PathBuf, u64, SystemTime)> = Vec::new();
    walk(root, root, 0, &mut found);
    found.sort_by_key(|(_, _, modified)| *modified);
    let mut index = Index::default();
    for (relative, bytes, _) in found {
        index.insert(relative, bytes);
    }
    index
}

/// Source folder, z, x, then the files: four levels.
const DEPTH: usize = 4;

fn walk(root: &Path, dir: &Path, depth: usize, found: &mut Vec<(PathBuf, u64, SystemTime)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if meta.is_dir() && depth + 1 < DEPTH {
            walk(root, &path, depth + 1, found);
        } else if meta.is_file() && name.contains(TEMPORARY) {
            let _ = fs::remove_file(&path);
        } else if meta.is_file() && path.extension().is_some_and(|ext| ext == EXTENSION) {
            if let Ok(relative) = path.strip_prefix(root) {
                let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                found.push((relative.to_path_buf(), meta.len(), modified));
            }
        }
    }
}

/// The path of a tile's entry below the cache root.
pub fn entry_path(source_folder: &str, tile: super::TileId) -> PathBuf {
    PathBuf::from(source_folder)
        .join(tile.z.to_string())
        .join(tile.x.to_string())
        .join(format!("{}.{EXTENSION}", tile.y))
}
