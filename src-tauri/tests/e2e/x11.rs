//! The native windows on the X display, as the window system sees them (`xwininfo`).
//!
//! WebDriver only knows web views: its window handles and titles are the pages'. Whether
//! the app's native sign-in window is open is asked of the X server.

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
    // Lines look like `  0x200029 "Sign in at 127.0.0.1 (this computer, http)": ("telltale" "Telltale")  520x700+0+0`.
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

/// Runs `xdotool` (package xdotool) with `args`; its standard output. Exit codes in
/// `also_fine` besides 0 are not failures (`search` exits with 1 when nothing matches).
fn xdotool_allowing(args: &[&str], also_fine: &[i32]) -> Result<String, Failure> {
    let output = Command::new("xdotool")
        .args(args)
        .output()
        .map_err(|e| Failure(format!("xdotool did not run (package xdotool): {e}")))?;
    let fine = output.status.success()
        || output
            .status
            .code()
            .is_some_and(|code| also_fine.contains(&code));
    if !fine {
        return Err(Failure(format!(
            "xdotool {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Runs `xdotool` with `args`; its standard output.
fn xdotool(args: &[&str]) -> Result<String, Failure> {
    xdotool_allowing(args, &[])
}

/// The id of the shown native window titled exactly `title` (letters and spaces only).
pub fn window_id(title: &str) -> Result<String, Failure> {
    shown_window(title)?.ok_or_else(|| Failure(format!("no window titled {title:?} is shown")))
}

/// The id of the shown (mapped) native window titled exactly `title`, if there is one. A
/// closed GTK dialog may stay in the window tree, unmapped, so this asks for shown ones.
fn shown_window(title: &str) -> Result<Option<String>, Failure> {
    let pattern = format!("^{title}$");
    let found = xdotool_allowing(&["search", "--onlyvisible", "--name", &pattern], &[1])?;
    Ok(found.lines().next().map(str::to_string))
}

/// Waits until a native dialog titled `title` is shown (`shown`) or no longer shown.
pub async fn wait_for_dialog(title: &str, shown: bool) -> Result<(), Failure> {
    let what = match shown {
        true => format!("a dialog titled {title:?}"),
        false => format!("the dialog titled {title:?} to close"),
    };
    wait_until(&what, PATIENCE, || async {
        let found = shown_window(title).map_err(|f| f.0)?;
        match found.is_some() == shown {
            true => Ok(()),
            false => Err(format!("shown: {found:?}")),
        }
    })
    .await?;
    Ok(())
}

/// Gives `window` the keyboard focus (the virtual display has no window manager to do it)
/// and presses `keys` there, one after the other (xdotool names: `Escape`, `ctrl+a`).
pub fn press(window: &str, keys: &[&str]) -> Result<(), Failure> {
    focus(window)?;
    for key in keys {
        xdotool(&["key", "--clearmodifiers", key])?;
    }
    Ok(())
}

/// Gives the keyboard focus to `window`, as a window manager would when a dialog closes.
pub fn focus(window: &str) -> Result<(), Failure> {
    xdotool(&["windowfocus", "--sync", window])?;
    Ok(())
}

/// Gives `window` the keyboard focus and types `text` into it.
pub fn type_text(window: &str, text: &str) -> Result<(), Failure> {
    focus(window)?;
    xdotool(&["type", "--clearmodifiers", "--delay", "20", text])?;
    Ok(())
}

/// Saves the whole display, native windows included, as a PNG (xwd and netpbm).
pub fn save_display(path: &std::path::Path) -> Result<(), Failure> {
    let pipeline = format!(
        "xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng > '{}'",
        path.display()
    );
    let status = Command::new("sh")
        .args(["-c", &pipeline])
        .status()
        .map_err(|e| Failure(format!("the display screenshot did not run: {e}")))?;
    match status.success() {
        true => Ok(()),
        false => Err(Failure(format!(
            "the display screenshot failed (xwd, netpbm): {status}"
        ))),
    }
}
