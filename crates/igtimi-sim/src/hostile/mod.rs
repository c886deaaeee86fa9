//! A hostile provider page, for the app's isolation tests.
//!
//! With [`crate::SimConfig::hostile_sign_in_page`] set, the sign-in form that the authorize
//! endpoint shows also carries [`SCRIPT`]: on load it tries every way a page has to reach
//! the application showing it (Tauri's globals, `invoke` of each app and plugin command,
//! the raw IPC channels, `postMessage` to every window handle, a `BroadcastChannel`) and
//! lists each attempt's outcome in `<pre id="hostile-results">` as a JSON array of
//! `{attempt, outcome, detail}`, setting `data-done="true"` when all have settled. The form
//! itself works as usual. Navigations and `window.open` are left to the test, which does
//! them one at a time and reads the window's URL back (a page cannot report once it left).

/// The script the hostile sign-in page runs (plain JavaScript, no `</script>` inside).
pub const SCRIPT: &str = include_str!("hostile.js");

/// The element ids the hostile page adds.
pub const RESULTS_ID: &str = "hostile-results";
/// The one-line summary above the results.
pub const SUMMARY_ID: &str = "hostile-summary";

/// What the sign-in form appends when the page is hostile: the summary, the (still empty)
/// results and the script.
pub fn markup() -> String {
    format!(
        "<p id=\"{SUMMARY_ID}\">Hostile page: starting</p>\
<pre id=\"{RESULTS_ID}\" data-done=\"false\" style=\"font-size:.7rem;white-space:pre-wrap;overflow-wrap:anywhere\">[]</pre>\
<script>{SCRIPT}</script>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_cannot_end_its_own_element_early() {
        assert!(!SCRIPT.to_ascii_lowercase().contains("</script"));
        assert!(!SCRIPT.contains("<!--"));
    }

    #[test]
    fn the_markup_holds_the_results_and_the_script() {
        let html = markup();
        assert!(html.contains("id=\"hostile-results\" data-done=\"false\""));
        assert!(html.contains("id=\"hostile-summary\""));
        assert!(html.ends_with("</script>"));
        assert!(html.contains("__TAURI_INTERNALS__"));
    }
}
