//! Processes of one test: free ports, the tauri-driver process group and the app's
//! processes inside it, found through `/proc`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

/// `SIGTERM` and `SIGKILL` on Linux.
const SIGTERM: i32 = 15;
const SIGKILL: i32 = 9;

extern "C" {
    /// `kill(2)` from the C library std already links; a negative pid names a group.
    fn kill(pid: i32, signal: i32) -> i32;
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// Sends `SIGTERM` (or `SIGKILL` when `hard`) to every process of group `pgid`.
pub fn signal_group(pgid: u32, hard: bool) {
    let signal = if hard { SIGKILL } else { SIGTERM };
    let Ok(pgid) = i32::try_from(pgid) else {
        return;
    };
    if pgid > 1 {
        // SAFETY: kill(2) has no memory effects; -pgid names only the group we started.
        unsafe {
            kill(-pgid, signal);
        }
    }
}

/// The process ids in group `pgid` that run the executable `exe`.
pub fn group_members_running(pgid: u32, exe: &Path) -> Vec<u32> {
    let wanted = std::fs::canonicalize(exe).unwrap_or_else(|_| exe.to_path_buf());
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| process_group(*pid) == Some(pgid))
        .filter(|pid| executable(*pid).as_deref() == Some(wanted.as_path()))
        .collect()
}

/// The process group of `pid` (field 5 of `/proc/<pid>/stat`), if it is alive and not a
/// zombie.
fn process_group(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: fields follow the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?;
    if state == "Z" || state == "X" {
        return None;
    }
    fields.nth(1)?.parse().ok()
}

fn executable(pid: u32) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/exe")).ok()
}

/// The pids of `root` and every process descending from it.
pub fn process_tree(root: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // "pid (comm) state ppid ...": the command may hold spaces and parentheses.
            let after = stat.rsplit_once(')')?.1;
            let ppid: u32 = after.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(pid, _)| *pid),
        );
        i += 1;
    }
    tree
}

/// The command name of `pid` (`/proc/<pid>/comm`, at most 15 bytes); empty when it is gone.
pub fn command_name(pid: u32) -> String {
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    comm.trim().to_string()
}

/// The processes under `root` whose command name is `name`.
pub fn named_in_tree(root: u32, name: &str) -> Vec<u32> {
    process_tree(root)
        .into_iter()
        .filter(|&pid| command_name(pid) == name)
        .collect()
}

/// The app's process under the driver (its executable is `telltale`).
pub fn app_pid(driver: u32) -> Option<u32> {
    named_in_tree(driver, "telltale").into_iter().next()
}

/// The environment `pid` was started with, as `NAME=value` entries.
pub fn environment(pid: u32) -> std::io::Result<Vec<String>> {
    let raw = std::fs::read(format!("/proc/{pid}/environ"))?;
    Ok(raw
        .split(|&b| b == 0)
        .filter(|entry| !entry.is_empty())
        .map(|entry| String::from_utf8_lossy(entry).into_owned())
        .collect())
}
