//! The provider's page in the sign-in window must not reach the app: no capability matches
//! that window, so every `invoke` from it is refused, app commands and core ones alike.

use crate::harness::Harness;
use crate::{ensure, scenario, Failure};
use serde_json::{json, Value};

/// What the login page tries: two app commands and Tauri's own event API.
fn attempts() -> Vec<(&'static str, Value)> {
    vec![
        ("app_status", json!({})),
        ("sign_out", json!({})),
        (
            "plugin:event|listen",
            json!({ "event": "x", "target": { "kind": "Any" }, "handler": 0 }),
        ),
    ]
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn the_login_page_cannot_invoke_anything() {
    scenario(
        "the_login_page_cannot_invoke_anything",
        async |h: &mut Harness| {
            h.wait_for_view("signed-out").await?;
            h.click("#sign-in").await?;
            h.wait_for_view("signing-in").await?;
            h.switch_to_sign_in_window().await?;
            h.wait_for_provider_page().await?;
            h.screenshot("provider-page").await?;

            // `invoke` fails with a Failure when __TAURI_INTERNALS__ is missing: the check
            // below would then prove nothing.
            let mut outcomes = Vec::new();
            for (command, args) in attempts() {
                let outcome = h.invoke(command, args).await?;
                println!("[login page] invoke({command}) -> {outcome:?}");
                outcomes.push((command, outcome));
            }
            for (command, outcome) in &outcomes {
                match outcome {
                    Ok(value) => {
                        return Err(Failure(format!(
                            "the login page's invoke({command}) was answered: {value}"
                        )))
                    }
                    Err(refusal) => ensure!(
                    !refusal.starts_with("no answer"),
                    "the login page's invoke({command}) got no answer (not a refusal): {refusal}"
                ),
                }
            }

            // The main window is unaffected and its own calls still work.
            h.wd().switch_to_window(h.main_window()).await?;
            h.wait_for_view("signing-in").await?;
            let status = h.invoke("app_status", json!({})).await?.map_err(|e| {
                Failure(format!(
                    "the main window's invoke(app_status) was refused: {e}"
                ))
            })?;
            ensure!(
                status["account"].is_null() && status["signingIn"] == Value::Bool(true),
                "app_status from the main window: {status}"
            );
            h.click("#cancel-sign-in").await?;
            h.wait_for_sign_in_window_to_close().await?;
            h.wait_for_view("signed-out").await?;
            h.wait_for_message("cancelled").await?;
            h.screenshot("main-window-after").await?;
            Ok(())
        },
    )
    .await
}
