//! The native windows on the X display, as the window system sees them (`xwininfo`).
//!
//! WebDriver only knows web views: its window handles and titles are the pages'. Whether
//! the app's native window titled "Sign in to Igtimi" is open is asked of the X server.

use crate::harness::PATIENCE;
use crate::wait::wait_until;
use crate::Failure;
use std::process::Command;

/// The titles of all named windows on the display (`xwininfo -root -tree`).
pub fn window_titles() -> Result<Vec<String>, String> {
    let output = Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .map_err(|e| format!("xwininfo did not run (package x11-utils): {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "xwininfo failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    // Lines look like `  0x200029 "Sign in to Igtimi": ("telltale" "Telltale")  520x700+0+0`.
    let text = String::from_utf8_lossy(&output.stdout);
    Ok(text
        .lines()
        .filter_map(|line| {
            let start = line.find(" \"")? + 2;
            let end = start + line[start..].find("\": (")?;
            Some(line[start..end].to_string())
        })
        .collect())
}

/// Waits until a native window titled `title` is open (`open`) or gone (`!open`).
pub async fn wait_for_native_window(title: &str, open: bool) -> Result<(), Failure> {
    let what = match open {
        true => format!("a native window titled {title:?}"),
        false => format!("the native window titled {title:?} to close"),
    };
    wait_until(&what, PATIENCE, || async {
        let titles = window_titles()?;
        match titles.iter().any(|t| t == title) == open {
            true => Ok(()),
            false => Err(format!("native windows {titles:?}")),
        }
    })
    .await?;
    Ok(())
}
