//! The login webview family of issue 7: a hostile provider page tries every way a page has
//! to reach the app, and none works.
//!
//! The simulator serves its sign-in form with a script ([`igtimi_sim::hostile`]) that, on
//! load, looks for Tauri's globals, `invoke`s every app command and the plugin commands a
//! page would go for, tries the raw IPC channels, and posts messages by every window handle
//! it has; it lists each outcome on the page. The test reads that list, then itself makes
//! the page navigate to the app's origins, the IPC scheme, another loopback origin, a file
//! and `javascript:` URLs (by `location`, a link and a form, one at a time, reading the URL
//! back), load those in iframes, and `window.open` them. Every case must fail to reach the
//! app; the app's state is unchanged; then the same page's form signs in as usual.

mod cases;
mod nav;

use crate::harness::Harness;
use crate::sign_in::{demo_user, expect_account};
use crate::wait::wait_until;
use crate::{ensure, scenario_with, Failure};
use cases::Case;
use igtimi_sim::hostile::RESULTS_ID;
use igtimi_sim::{SimConfig, Simulator};
use serde_json::{json, Value};
use std::time::Duration;

/// Whom the test signs in as once the attacks are over.
const USER_EMAIL: &str = "bob@telltale.demo";
/// The hostile script waits up to 5 s per attempt; a few run one after the other.
const RESULTS_PATIENCE: Duration = Duration::from_secs(45);

/// Starts listening in the main window for anything the login page could send it: window
/// messages and the `BroadcastChannel` the page posts on.
const LISTEN_IN_MAIN: &str = r#"
    window.__hostileHeard = [];
    window.addEventListener('message', (e) => window.__hostileHeard.push('message from ' + e.origin));
    const channel = new BroadcastChannel('telltale');
    channel.onmessage = () => window.__hostileHeard.push('broadcast');
    window.__hostileChannel = channel;
    return true;
"#;

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn a_hostile_login_page_reaches_nothing() {
    let test = "a_hostile_login_page_reaches_nothing";
    let config = SimConfig {
        hostile_sign_in_page: true,
        ..SimConfig::default()
    };
    scenario_with(test, config, async |h: &mut Harness| {
        // Another loopback origin for off-origin navigations: a second, plain simulator.
        let elsewhere = Simulator::start(SimConfig::default())
            .await
            .map_err(|e| Failure(format!("the second simulator did not start: {e}")))?;
        let user = demo_user(h, USER_EMAIL)?;

        h.wait_for_view("signed-out").await?;
        let before = main_status(h).await?;
        h.wd().execute(LISTEN_IN_MAIN, vec![]).await?;
        h.click("#sign-in").await?;
        h.wait_for_view("signing-in").await?;
        let login = h.switch_to_sign_in_window().await?;
        h.wait_for_provider_page().await?;

        let mut all = page_cases(h).await?;
        h.screenshot("hostile-page").await?;
        all.extend(nav::navigation_cases(h, &elsewhere.base_url()).await?);
        all.extend(nav::iframe_cases(h, &elsewhere.base_url()).await?);
        all.extend(nav::window_open_cases(h, &login, &elsewhere.base_url()).await?);
        all.push(nav::download_case(h, &login).await?);

        // The main window: nothing heard, same state, still waiting for the sign-in.
        h.wd().switch_to_window(h.main_window()).await?;
        let heard = h
            .wd()
            .execute("return window.__hostileHeard;", vec![])
            .await?;
        let heard_nothing = heard.as_array().is_some_and(|list| list.is_empty());
        for case in all.iter_mut().filter(|c| c.outcome == "sent") {
            case.passed = heard_nothing;
            case.detail = format!("{}; the main window heard {heard}", case.detail);
        }
        h.wait_for_view("signing-in").await?;
        let after = main_status(h).await?;
        let unchanged = same_state(&before, &after);
        all.push(Case::new(
            "the app's state (main window's app_status)",
            if unchanged { "unchanged" } else { "changed" },
            format!("before {before}, after {after}"),
            unchanged,
        ));
        h.screenshot("main-window-during").await?;

        let passed = all.iter().filter(|c| c.passed).count();
        for case in &all {
            println!("[{test}] {case}");
        }
        let line = format!("login webview: {} cases, {passed} passed", all.len());
        println!("{line}");
        // Also straight to stderr, which the test harness does not capture: CI's log shows it.
        use std::io::Write;
        let _ = writeln!(std::io::stderr().lock(), "{line}");
        let failed: Vec<String> = all
            .iter()
            .filter(|c| !c.passed)
            .map(ToString::to_string)
            .collect();
        ensure!(
            failed.is_empty(),
            "the login page reached the app:\n{}",
            failed.join("\n")
        );

        // The page still works: its form signs in, and the account shows.
        h.wd().switch_to_window(&login).await?;
        h.wait_for_page(crate::app::ProviderPage::SignIn).await?;
        h.submit_password(&user.email, &user.password).await?;
        h.wait_for_page(crate::app::ProviderPage::Consent).await?;
        h.decide("Authorize").await?;
        h.wait_for_sign_in_window_to_close().await?;
        expect_account(h, &user).await?;
        h.screenshot("main-window-after").await?;
        elsewhere.shutdown().await;
        Ok(())
    })
    .await
}

/// The main window's own `app_status` (it must be answered).
async fn main_status(h: &Harness) -> Result<Value, Failure> {
    h.invoke("app_status", json!({}))
        .await?
        .map_err(|e| Failure(format!("the main window's app_status was refused: {e}")))
}

/// Whether the app's state is the same as `before` but for the sign-in now in progress.
fn same_state(before: &Value, after: &Value) -> bool {
    let mut expected = before.clone();
    expected["signingIn"] = Value::Bool(true);
    before["signingIn"] == Value::Bool(false) && *after == expected
}

/// Waits for the hostile page's own list of attempts and judges each.
async fn page_cases(h: &Harness) -> Result<Vec<Case>, Failure> {
    let script = format!(
        "const out = document.getElementById('{RESULTS_ID}');\
         return out && out.dataset.done === 'true' ? out.textContent : null;"
    );
    let text = wait_until("the hostile page's results", RESULTS_PATIENCE, || async {
        let value = h
            .wd()
            .execute(&script, vec![])
            .await
            .map_err(|e| e.to_string())?;
        match value.as_str() {
            Some(text) => Ok(text.to_string()),
            None => Err("not done yet".to_string()),
        }
    })
    .await?;
    let results: Vec<Value> = serde_json::from_str(&text).map_err(|e| {
        Failure(format!(
            "the hostile page's results are not JSON ({e}): {text}"
        ))
    })?;
    cases::judge_page(&results)
}
