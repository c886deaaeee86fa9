//! Signing in with the system browser: "Sign in with your browser" opens the provider's
//! page in the (recording) system browser, the test plays the person there with reqwest,
//! and the answer comes back as an OS deep link (the app started a second time with the
//! link) or at the app's loopback listener. A forged link delivered the same way while the
//! sign-in waits is ignored.

use crate::harness::Harness;
use crate::sign_in::{demo_user, expect_account};
use crate::{ensure, scenario, Failure};
use igtimi_sim::person::{person_signs_in, Decision};
use serde_json::{json, Value};
use url::Url;

/// The `redirect_uri` an authorize URL names.
fn redirect_uri_of(authorize: &str) -> Result<String, Failure> {
    let url = Url::parse(authorize)
        .map_err(|e| Failure(format!("the browser was given {authorize:?}: {e}")))?;
    url.query_pairs()
        .find(|(name, _)| name == "redirect_uri")
        .map(|(_, value)| value.into_owned())
        .ok_or_else(|| Failure(format!("no redirect_uri in {authorize}")))
}

/// Plays bob in the browser at `authorize`; returns where the provider sends it back.
async fn bob_in_the_browser(h: &Harness, authorize: &str) -> Result<String, Failure> {
    let bob = demo_user(h, "bob@telltale.demo")?;
    Ok(person_signs_in(
        &h.sim().base_url(),
        authorize,
        &bob.email,
        &bob.password,
        Decision::Authorize,
    )
    .await)
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn browser_sign_in_comes_back_as_a_deep_link_to_the_running_app() {
    let test = "browser_sign_in_comes_back_as_a_deep_link_to_the_running_app";
    scenario(test, async |h: &mut Harness| {
        let bob = demo_user(h, "bob@telltale.demo")?;
        h.wait_for_view("signed-out").await?;
        let label = h.text("#sign-in-browser").await?;
        ensure!(
            label == "Sign in with your browser",
            "#sign-in-browser says {label:?}"
        );
        // Right after start the display can lag the page by a frame or two.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        h.screenshot("signed-out").await?;
        h.click("#sign-in-browser").await?;
        h.wait_for_view("signing-in").await?;
        let authorize = h.wait_for_browser_page(1).await?;
        let waiting = h.text("#view-signing-in p").await?;
        ensure!(
            waiting.contains("your browser"),
            "the waiting view says {waiting:?}"
        );
        h.screenshot("waiting-for-the-browser").await?;
        let handles = h.wd().window_handles().await?;
        ensure!(handles.len() == 1, "a sign-in window opened: {handles:?}");
        ensure!(
            authorize.starts_with(&h.sim().base_url()),
            "the browser was sent to {authorize}"
        );
        let redirect = redirect_uri_of(&authorize)?;
        ensure!(
            redirect == "io.telltale.app:/oauth/callback/igtimi",
            "redirect_uri {redirect}"
        );

        // A forged link, delivered like a real one, changes nothing.
        h.deliver_link_as_the_os("io.telltale.app:/oauth/callback?code=forged&state=forged")
            .await?;
        let notice = h.wait_for_message("invalid_callback").await?;
        println!("[{test}] forged link: {notice}");
        h.wait_for_view("signing-in").await?;
        h.screenshot("forged-link-ignored").await?;

        let link = bob_in_the_browser(h, &authorize).await?;
        ensure!(
            link.starts_with("io.telltale.app:/oauth/callback/igtimi?"),
            "the provider sent the browser to {link}"
        );
        h.deliver_link_as_the_os(&link).await?;
        expect_account(h, &bob).await?;
        h.screenshot("signed-in").await?;
        ensure!(
            h.opened_in_browser().len() == 1,
            "the browser was asked to open {:?}",
            h.opened_in_browser()
        );

        // The used link, delivered again, is refused and the account stays.
        h.deliver_link_as_the_os(&link).await?;
        h.wait_for_message("invalid_callback").await?;
        expect_account(h, &bob).await?;
        Ok(())
    })
    .await
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn browser_sign_in_comes_back_to_the_loopback_listener() {
    let test = "browser_sign_in_comes_back_to_the_loopback_listener";
    scenario(test, async |h: &mut Harness| {
        let bob = demo_user(h, "bob@telltale.demo")?;
        // First a browser sign-in that is cancelled from the main window.
        h.wait_for_view("signed-out").await?;
        h.click("#sign-in-browser").await?;
        h.wait_for_view("signing-in").await?;
        h.wait_for_browser_page(1).await?;
        h.click("#cancel-sign-in").await?;
        h.wait_for_view("signed-out").await?;
        h.wait_for_message("cancelled").await?;
        h.screenshot("browser-sign-in-cancelled").await?;

        // Then the loopback alternative, from its button.
        h.click("#sign-in-loopback").await?;
        h.wait_for_view("signing-in").await?;
        let status = h
            .invoke("app_status", json!({}))
            .await?
            .map_err(|e| Failure(format!("app_status: {e}")))?;
        ensure!(status["signingIn"] == Value::Bool(true), "status {status}");
        let authorize = h.wait_for_browser_page(2).await?;
        let redirect = redirect_uri_of(&authorize)?;
        ensure!(
            redirect.starts_with("http://127.0.0.1:")
                && redirect.ends_with("/oauth/callback/igtimi"),
            "redirect_uri {redirect}"
        );

        let back = bob_in_the_browser(h, &authorize).await?;
        ensure!(
            back.starts_with(&redirect),
            "the provider sent the browser to {back}"
        );
        let answer = reqwest::get(&back)
            .await
            .map_err(|e| Failure(format!("the loopback listener did not answer: {e}")))?;
        let status = answer.status().as_u16();
        let page = answer.text().await.unwrap_or_default();
        ensure!(
            status == 200,
            "the loopback listener answered {status}: {page}"
        );
        ensure!(
            page.contains("You are signed in to Telltale"),
            "page {page}"
        );
        expect_account(h, &bob).await?;
        h.screenshot("signed-in-through-loopback").await?;
        ensure!(
            reqwest::get(&back).await.is_err(),
            "the loopback listener still answers after the sign-in"
        );
        Ok(())
    })
    .await
}
