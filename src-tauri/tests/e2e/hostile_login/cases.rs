//! One attempt of the hostile page and whether it failed to reach the app, and the rules
//! that judge the outcomes the page reports itself.

use crate::Failure;
use serde_json::Value;
use std::fmt;

include!("../../../command_names.rs");

/// The plugin commands the page invokes besides the app's own: each must be refused too.
pub const PLUGIN_COMMANDS: &[&str] = &[
    "plugin:opener|open_url",
    "plugin:dialog|open",
    "plugin:dialog|save",
    "plugin:event|emit_to",
    "plugin:event|emit",
    "plugin:event|listen",
    "plugin:webview|create_webview_window",
    "plugin:window|close",
    "plugin:deep-link|get_current",
];

/// One counted case.
#[derive(Debug, Clone)]
pub struct Case {
    /// What was attempted.
    pub attempt: String,
    /// What happened (`refused`, `absent`, `stayed`, ...).
    pub outcome: String,
    /// The evidence.
    pub detail: String,
    /// Whether the attempt failed to reach the app, as it must.
    pub passed: bool,
}

impl Case {
    /// A case with its verdict.
    pub fn new(attempt: &str, outcome: &str, detail: String, passed: bool) -> Case {
        Case {
            attempt: attempt.to_string(),
            outcome: outcome.to_string(),
            detail,
            passed,
        }
    }
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.passed { "ok  " } else { "FAIL" };
        let detail: String = self.detail.chars().take(160).collect();
        write!(
            f,
            "{verdict} {} -> {} ({detail})",
            self.attempt, self.outcome
        )
    }
}

/// The outcomes that keep the app out of reach, per attempt the page reports. `sent` (a
/// message that left by a handle or channel) is judged later by what the main window heard.
fn allowed(attempt: &str, internals_present: bool) -> &'static [&'static str] {
    match attempt {
        "window.__TAURI__" | "window.__TAURI_IPC__" => &["absent"],
        // Recorded: Tauri injects it into every webview; what counts is that its invokes fail.
        "window.__TAURI_INTERNALS__" => &["present", "absent"],
        "window.ipc.postMessage app_status" => &["refused", "ignored", "absent"],
        a if a.starts_with("fetch ") => &["refused", "ignored"],
        a if a.starts_with("invoke ") && internals_present => &["refused"],
        a if a.starts_with("invoke ") => &["absent"],
        "postMessage to window.opener" => &["absent", "self", "sent"],
        "postMessage to window.parent" | "postMessage to window.top" => &["self", "sent"],
        "BroadcastChannel telltale" => &["sent", "absent"],
        _ => &[],
    }
}

/// Every attempt the page must report, exactly once.
fn expected_attempts() -> Vec<String> {
    let mut names: Vec<String> = [
        "window.__TAURI__",
        "window.__TAURI_IPC__",
        "window.__TAURI_INTERNALS__",
        "postMessage to window.opener",
        "postMessage to window.parent",
        "postMessage to window.top",
        "BroadcastChannel telltale",
        "fetch ipc://localhost/app_status",
        "fetch http://ipc.localhost/app_status",
        "window.ipc.postMessage app_status",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    names.extend(
        APP_COMMANDS
            .iter()
            .chain(PLUGIN_COMMANDS)
            .map(|c| format!("invoke {c}")),
    );
    names
}

/// Judges the page's list of `{attempt, outcome, detail}`; a `Failure` when an attempt is
/// missing, doubled or unknown (the list would prove nothing).
pub fn judge_page(results: &[Value]) -> Result<Vec<Case>, Failure> {
    let field = |r: &Value, name: &str| r[name].as_str().unwrap_or_default().to_string();
    let internals_present = results.iter().any(|r| {
        field(r, "attempt") == "window.__TAURI_INTERNALS__" && field(r, "outcome") == "present"
    });
    let mut cases = Vec::new();
    for r in results {
        let (attempt, outcome) = (field(r, "attempt"), field(r, "outcome"));
        let passed = allowed(&attempt, internals_present).contains(&outcome.as_str());
        cases.push(Case::new(&attempt, &outcome, field(r, "detail"), passed));
    }
    let reported: Vec<&str> = cases.iter().map(|c| c.attempt.as_str()).collect();
    for name in expected_attempts() {
        let times = reported.iter().filter(|a| **a == name).count();
        if times != 1 {
            return Err(Failure(format!(
                "the hostile page reported {name:?} {times} times: {results:?}"
            )));
        }
    }
    if let Some(unknown) = cases.iter().find(|c| allowed(&c.attempt, true).is_empty()) {
        return Err(Failure(format!(
            "the hostile page reported an unknown attempt: {unknown}"
        )));
    }
    Ok(cases)
}
