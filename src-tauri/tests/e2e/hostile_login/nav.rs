//! The attempts a page cannot report itself, done by the test one at a time in the login
//! window: navigations (by `location`, a link, a form), iframes and new windows. After each,
//! the test reads back where the window is.

use super::cases::Case;
use crate::harness::Harness;
use crate::Failure;
use serde_json::{json, Value};
use std::time::Duration;

/// How long a navigation or a new window gets to happen before the test looks.
const SETTLE: Duration = Duration::from_millis(1500);

/// A `javascript:` URL that would sign out through the page's Tauri handle, and notes on the
/// page that it ran and what its invoke got.
const JS_URL: &str = "javascript:void((document.body.dataset.jsUrl = 'ran'), window.__TAURI_INTERNALS__ \
&& window.__TAURI_INTERNALS__.invoke('sign_out', {}).then(function () { document.body.dataset.jsUrl = 'answered' }, function () { document.body.dataset.jsUrl = 'ran, its invoke was refused' }))";

/// Starts a navigation of the page to `url` by `how` and returns at once.
const NAVIGATE: &str = r#"
    const [how, url, marker] = arguments;
    window.__hostileMarker = marker;
    delete document.body.dataset.jsUrl;
    if (how === 'location.href') {
        location.href = url;
    } else if (how === 'link click') {
        const a = document.createElement('a');
        a.href = url;
        a.textContent = 'hostile link';
        document.body.appendChild(a);
        a.click();
    } else {
        const form = document.createElement('form');
        form.method = 'get';
        form.action = url;
        document.body.appendChild(form);
        form.submit();
    }
    return true;
"#;

/// Where the page is now, whether it is the same document, and what a `javascript:` URL noted.
const WHERE: &str = r#"
    const [marker] = arguments;
    return {
        href: location.href,
        same: window.__hostileMarker === marker,
        jsUrl: document.body ? (document.body.dataset.jsUrl || '') : '',
    };
"#;

/// The targets of navigations, iframes and new windows: the app's origins, the IPC scheme,
/// another loopback origin, a local file and a `javascript:` URL.
fn targets(elsewhere: &str) -> Vec<(&'static str, String)> {
    vec![
        ("the app (tauri://)", "tauri://localhost/index.html".into()),
        (
            "the app (http://tauri.localhost)",
            "http://tauri.localhost/".into(),
        ),
        ("the IPC scheme", "ipc://localhost/app_status".into()),
        (
            "another loopback origin",
            format!("{elsewhere}/users/sign_in"),
        ),
        ("a local file", "file:///etc/passwd".into()),
        ("a javascript: URL", JS_URL.into()),
    ]
}

/// Each target by `location.href`, a link click and a form submit: the window must stay on
/// the provider's page, the same document, and a `javascript:` URL's invoke must be refused.
pub async fn navigation_cases(h: &Harness, elsewhere: &str) -> Result<Vec<Case>, Failure> {
    let provider = h.sim().base_url();
    control_navigation(h).await?;
    let mut cases = Vec::new();
    let mut marker = 0;
    for (what, url) in targets(elsewhere) {
        for how in ["location.href", "link click", "form submit"] {
            marker += 1;
            let attempt = format!("navigate to {what} by {how}");
            let started = h
                .wd()
                .execute(NAVIGATE, vec![json!(how), json!(url), json!(marker)])
                .await;
            tokio::time::sleep(SETTLE).await;
            let case = match (started, h.wd().execute(WHERE, vec![json!(marker)]).await) {
                (Err(e), _) => Case::new(&attempt, "error", format!("starting it: {e}"), false),
                (_, Err(e)) => Case::new(&attempt, "error", format!("reading back: {e}"), false),
                (Ok(_), Ok(seen)) => judge_navigation(&attempt, &provider, &seen),
            };
            cases.push(case);
        }
    }
    Ok(cases)
}

/// Shows that the check sees a navigation that does happen: the page loads itself again (an
/// allowed, same-origin navigation), so the document's marker is gone within [`SETTLE`].
async fn control_navigation(h: &Harness) -> Result<(), Failure> {
    let here = h.wd().url().await?;
    let marker = -1;
    h.wd()
        .execute(
            NAVIGATE,
            vec![json!("location.href"), json!(here), json!(marker)],
        )
        .await?;
    tokio::time::sleep(SETTLE).await;
    let seen = h.wd().execute(WHERE, vec![json!(marker)]).await?;
    if seen["same"] != Value::Bool(false) || seen["href"] != here.as_str() {
        return Err(Failure(format!(
            "control: reloading the page by location.href was not seen ({seen}); \
             the navigation checks would prove nothing"
        )));
    }
    h.wait_for_provider_page().await?;
    Ok(())
}

fn judge_navigation(attempt: &str, provider: &str, seen: &Value) -> Case {
    let href = seen["href"].as_str().unwrap_or_default();
    let same = seen["same"] == Value::Bool(true);
    let js = seen["jsUrl"].as_str().unwrap_or_default();
    let on_provider = href.starts_with(provider);
    let (outcome, passed) = match (on_provider, same, js) {
        (true, true, "answered") => ("the javascript: URL's invoke was answered", false),
        (true, true, _) => ("stayed", true),
        (true, false, _) => ("reloaded", false),
        (false, _, _) => ("navigated away", false),
    };
    let detail = match (attempt.contains("javascript:"), js) {
        (true, "") => format!("the javascript: URL did not run; at {href}"),
        (_, "") => format!("at {href}"),
        (_, js) => format!("the javascript: URL {js}; at {href}"),
    };
    Case::new(attempt, outcome, detail, passed)
}

/// An iframe of each app origin and another loopback origin: it must stay empty
/// (`about:blank`, readable by the page) rather than load the other origin.
pub async fn iframe_cases(h: &Harness, elsewhere: &str) -> Result<Vec<Case>, Failure> {
    let add = r#"
        const [url, id] = arguments;
        const frame = document.createElement('iframe');
        frame.id = id;
        frame.src = url;
        document.body.appendChild(frame);
        return true;
    "#;
    let read = r#"
        const [id] = arguments;
        const frame = document.getElementById(id);
        if (!frame) return 'no frame';
        let href;
        try { href = frame.contentWindow.location.href; }
        catch (e) { href = 'unreadable (' + e.name + '): another origin loaded'; }
        frame.remove();
        return href;
    "#;
    let frames = [
        (
            "the app (tauri://)",
            "tauri://localhost/index.html".to_string(),
        ),
        (
            "the app (http://tauri.localhost)",
            "http://tauri.localhost/".to_string(),
        ),
        ("the IPC scheme", "ipc://localhost/app_status".to_string()),
        (
            "another loopback origin",
            format!("{elsewhere}/api/v1/account"),
        ),
    ];
    // Control: a frame of the provider's own origin does load, and the check sees it.
    let control = format!("{}/api/v1/account", h.sim().base_url());
    h.wd()
        .execute(add, vec![json!(control), json!("hostile-frame-control")])
        .await?;
    tokio::time::sleep(SETTLE).await;
    let seen = h
        .wd()
        .execute(read, vec![json!("hostile-frame-control")])
        .await?;
    if seen != control.as_str() {
        return Err(Failure(format!(
            "control: a frame of the provider's own {control} shows {seen}; \
             the iframe checks would prove nothing"
        )));
    }
    let mut cases = Vec::new();
    for (n, (what, url)) in frames.into_iter().enumerate() {
        let id = format!("hostile-frame-{n}");
        let attempt = format!("iframe of {what}");
        h.wd().execute(add, vec![json!(url), json!(id)]).await?;
        tokio::time::sleep(SETTLE).await;
        let seen = h.wd().execute(read, vec![json!(id)]).await?;
        let href = seen.as_str().unwrap_or_default().to_string();
        let passed = href == "about:blank";
        let outcome = if passed { "stayed empty" } else { "loaded" };
        cases.push(Case::new(&attempt, outcome, href, passed));
    }
    Ok(cases)
}

/// `window.open` of the app, another loopback origin, the provider itself and
/// `about:blank`, and a `target=_blank` link to the app: no new window may appear (the
/// driver's window handles stay the same) and `window.open` gives no window back.
pub async fn window_open_cases(
    h: &Harness,
    login: &str,
    elsewhere: &str,
) -> Result<Vec<Case>, Failure> {
    let open = r#"
        const [how, url] = arguments;
        if (how === 'window.open') {
            const opened = window.open(url);
            return opened === null ? 'null' : 'a window';
        }
        const a = document.createElement('a');
        a.href = url;
        a.target = '_blank';
        a.textContent = 'hostile new window';
        document.body.appendChild(a);
        a.click();
        return 'clicked';
    "#;
    let provider = h.sim().base_url();
    let attempts = [
        ("window.open", "tauri://localhost/index.html".to_string()),
        ("window.open", format!("{elsewhere}/users/sign_in")),
        ("window.open", format!("{provider}/users/sign_in")),
        ("window.open", "about:blank".to_string()),
        (
            "a target=_blank link to",
            "tauri://localhost/index.html".to_string(),
        ),
    ];
    let mut cases = Vec::new();
    for (how, url) in attempts {
        let attempt = format!("{how} {url}");
        let before = h.wd().window_handles().await?;
        let returned = h.wd().execute(open, vec![json!(how), json!(url)]).await?;
        tokio::time::sleep(SETTLE).await;
        let after = h.wd().window_handles().await?;
        let new: Vec<&String> = after.iter().filter(|w| !before.contains(w)).collect();
        let returned = returned.as_str().unwrap_or_default().to_string();
        let passed = new.is_empty() && returned != "a window";
        let outcome = if new.is_empty() {
            "no new window"
        } else {
            "a new window"
        };
        let detail = format!("window.open gave {returned}; handles {before:?} -> {after:?}");
        cases.push(Case::new(&attempt, outcome, detail, passed));
        for handle in new {
            h.wd().switch_to_window(handle).await?;
            h.wd().close_window().await?;
        }
        h.wd().switch_to_window(login).await?;
    }
    cases.push(clicked_blank_link(h, login, &provider).await?);
    Ok(cases)
}

/// What the app logs when its new-window handler refuses a window (`login::open`).
const REFUSED_WINDOW: &str = "the sign-in window may not open another window";

/// A real click (the driver's, a trusted user gesture that WebKit's pop-up blocker lets
/// through, unlike the scripted attempts above) on a `target=_blank` link to the provider:
/// it must reach the app's new-window handler, which refuses it, and no window may appear.
async fn clicked_blank_link(h: &Harness, login: &str, provider: &str) -> Result<Case, Failure> {
    let url = format!("{provider}/users/sign_in");
    let before = h.wd().window_handles().await?;
    let refusals = click_added_link(h, &url, ("target", "_blank"), REFUSED_WINDOW).await?;
    let after = h.wd().window_handles().await?;
    let new: Vec<&String> = after.iter().filter(|w| !before.contains(w)).collect();
    let passed = new.is_empty() && refusals == 1;
    let outcome = match (new.is_empty(), refusals) {
        (true, 1) => "refused by the app's new-window handler",
        (true, _) => "no new window, but the handler did not say it refused one",
        (false, _) => "a new window",
    };
    let detail = format!("handles {before:?} -> {after:?}; refusals logged: {refusals}");
    for handle in new {
        h.wd().switch_to_window(handle).await?;
        h.wd().close_window().await?;
    }
    h.wd().switch_to_window(login).await?;
    Ok(Case::new(
        &format!("a clicked target=_blank link to {url}"),
        outcome,
        detail,
        passed,
    ))
}

/// What the app logs when a download handler refuses one (`login::refuse_download`).
const REFUSED_DOWNLOAD: &str = "a download was refused";

/// A real click on a `download` link to a provider page (same origin, so WebKit downloads
/// it instead of navigating): it must reach the app's download handler, which refuses it,
/// and no file may be written (in the app's working folder, the test's folder or the user's
/// Downloads). Before the main window refused downloads too, this saved the page into the
/// working folder: the sign-in window's own handler was never installed (one web context).
pub async fn download_case(h: &Harness, login: &str) -> Result<Case, Failure> {
    let url = format!("{}/users/sign_in", h.sim().base_url());
    let download = ("download", "telltale-hostile-download.html");
    let refusals = click_added_link(h, &url, download, REFUSED_DOWNLOAD).await?;
    h.wd().switch_to_window(login).await?;
    let mut places = vec![h.dir().to_path_buf()];
    places.extend(std::env::current_dir().ok());
    if let Some(home) = std::env::var_os("HOME") {
        places.push(std::path::PathBuf::from(home).join("Downloads"));
    }
    let written: Vec<String> = places
        .iter()
        .flat_map(|place| files_named(place, "telltale-hostile-download", 4))
        .collect();
    for file in &written {
        let _ = std::fs::remove_file(file);
    }
    let passed = refusals == 1 && written.is_empty();
    let outcome = match (refusals, written.is_empty()) {
        (1, true) => "refused by the app's download handler",
        (_, true) => "nothing written, but no handler said it refused a download",
        (_, false) => "a file was written",
    };
    let detail = format!("refusals logged: {refusals}; files: {written:?}");
    Ok(Case::new(
        &format!("a clicked download link to {url}"),
        outcome,
        detail,
        passed,
    ))
}

/// Adds a link to `url` with the property `name` set to `value` at the top of the current
/// page, clicks it for real (the driver's click: a trusted user gesture, which WebKit lets
/// open windows and start downloads), lets it settle, and counts the log lines with
/// `refusal` the app wrote meanwhile.
async fn click_added_link(
    h: &Harness,
    url: &str,
    (name, value): (&str, &str),
    refusal: &str,
) -> Result<usize, Failure> {
    let add = r#"
        const [url, name, value] = arguments;
        const a = document.createElement('a');
        a.id = 'hostile-clicked-link';
        a.href = url;
        a[name] = value;
        a.textContent = 'hostile link (clicked): ' + name;
        document.body.prepend(a);
    "#;
    let refusals_before = h.log_tail(usize::MAX).matches(refusal).count();
    h.wd()
        .execute(add, vec![json!(url), json!(name), json!(value)])
        .await?;
    let link = h.wd().find("#hostile-clicked-link").await?;
    h.wd().click(&link).await?;
    tokio::time::sleep(SETTLE).await;
    h.wd()
        .execute(
            "document.getElementById('hostile-clicked-link').remove();",
            vec![],
        )
        .await?;
    Ok(h.log_tail(usize::MAX).matches(refusal).count() - refusals_before)
}

/// Files under `dir` (down to `depth` folders) whose name starts with `prefix`.
fn files_named(dir: &std::path::Path, prefix: &str, depth: usize) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            found.push(path.display().to_string());
        } else if depth > 0 && path.is_dir() && !path.is_symlink() {
            found.extend(files_named(&path, prefix, depth - 1));
        }
    }
    found
}
