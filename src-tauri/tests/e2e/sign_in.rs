//! Signing in through the sign-in window: success, restart, sign-out, cancelling, denying,
//! and that the provider's cookies do not outlive a sign-in.

use crate::app::ProviderPage;
use crate::harness::{Harness, PATIENCE};
use crate::wait::wait_until;
use crate::{ensure, scenario, Failure};
use igtimi_sim::demo::ManifestUser;

/// A demo user of the simulator, by email.
pub(crate) fn demo_user(h: &Harness, email: &str) -> Result<ManifestUser, Failure> {
    let users = h.sim().manifest().users;
    users
        .into_iter()
        .find(|u| u.email == email)
        .ok_or_else(|| Failure(format!("the simulator has no demo user {email}")))
}

/// From the signed-out view: presses "Sign in at <the simulator's host>" (the old API's
/// profile; nothing says Igtimi's closed cloud), waits for the sign-in window and makes it
/// current.
async fn open_sign_in_window(h: &Harness) -> Result<(), Failure> {
    h.wait_for_view("signed-out").await?;
    let label = h.text("#sign-in").await?;
    let base = h.sim().base_url();
    let host = base.trim_start_matches("http://").trim_end_matches('/');
    ensure!(
        label == format!("Sign in at {host}"),
        "#sign-in says {label:?}"
    );
    h.click("#sign-in").await?;
    h.wait_for_view("signing-in").await?;
    h.switch_to_sign_in_window().await?;
    Ok(())
}

/// Signs `user` in on the simulator's pages and presses `button` on the consent page,
/// taking a screenshot of each page; ends back in the main window once the sign-in window
/// has closed itself.
pub(crate) async fn sign_in(
    h: &mut Harness,
    user: &ManifestUser,
    button: &str,
) -> Result<(), Failure> {
    open_sign_in_window(h).await?;
    h.wait_for_page(ProviderPage::SignIn).await?;
    h.screenshot("provider-sign-in").await?;
    h.submit_password(&user.email, &user.password).await?;
    h.wait_for_page(ProviderPage::Consent).await?;
    h.screenshot("provider-consent").await?;
    h.decide(button).await?;
    h.wait_for_sign_in_window_to_close().await
}

/// Waits until the signed-in view shows `user`'s name, email and id, with no note that the
/// sign-in was not saved (the tests run with a working keychain).
pub(crate) async fn expect_account(h: &Harness, user: &ManifestUser) -> Result<(), Failure> {
    h.wait_for_view("signed-in").await?;
    let want = (user.name.clone(), user.email.clone(), user.id.to_string());
    wait_until(
        &format!("the account of {}", user.email),
        PATIENCE,
        || async {
            let seen = async {
                Ok::<_, Failure>((
                    h.text("#account-name").await?,
                    h.text("#account-email").await?,
                    h.text("#account-id").await?,
                ))
            };
            match seen.await {
                Ok(seen) if seen == want => Ok(()),
                Ok(seen) => Err(format!("name, email, id = {seen:?}, want {want:?}")),
                Err(e) => Err(e.to_string()),
            }
        },
    )
    .await?;
    let note = h.element("#keychain-note").await?;
    let unsaved = h.wd().is_displayed(&note).await?;
    ensure!(
        !unsaved,
        "#keychain-note is shown: {:?}",
        h.wd().text(&note).await?
    );
    Ok(())
}

/// Signs out from the signed-in view.
pub(crate) async fn sign_out(h: &Harness) -> Result<(), Failure> {
    h.click("#sign-out").await?;
    h.wait_for_view("signed-out").await
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn sign_in_shows_the_account_then_restart_keeps_it_then_sign_out() {
    let test = "sign_in_shows_the_account_then_restart_keeps_it_then_sign_out";
    scenario(test, async |h: &mut Harness| {
        let bob = demo_user(h, "bob@telltale.demo")?;
        ensure!(bob.id == 1373, "bob is account {} in the simulator", bob.id);
        h.wait_for_view("signed-out").await?;
        h.screenshot("signed-out").await?;
        // The browse area (its code with uPlot, and its styles) loads on first sign-in,
        // not with the first page.
        let early = h.browse_code().await?;
        ensure!(
            early == (String::new(), vec![]),
            "before any sign-in the browse area is {early:?}"
        );
        // The header's mark gets its image after the first frame (ui/src/main.ts).
        wait_until("the header's mark", PATIENCE, || async {
            let script = "const m = document.getElementById('mark'); \
                          return m.complete ? m.naturalWidth : 0;";
            let width = h
                .wd()
                .execute(script, vec![])
                .await
                .map_err(|e| e.to_string())?;
            match width.as_u64() {
                Some(64) => Ok(()),
                _ => Err(format!("image width {width}")),
            }
        })
        .await?;
        sign_in(h, &bob, "Authorize").await?;
        expect_account(h, &bob).await?;
        wait_until("the browse area's code and styles", PATIENCE, || async {
            let seen = h.browse_code().await.map_err(|e| e.to_string())?;
            match seen.0 == "loaded" && seen.1 == ["browse.css", "uplot.css"] {
                true => Ok(()),
                false => Err(format!("{seen:?}")),
            }
        })
        .await?;
        let browse = h.element("#browse").await?;
        ensure!(
            h.wd().is_displayed(&browse).await?,
            "the browse area is hidden after sign-in"
        );
        h.screenshot("signed-in").await?;
        // Preferences: the dark theme, and the sidebar widened from the keyboard.
        let widened = h
            .wd()
            .execute(
                "const theme = document.querySelector('#theme-choice');
                 theme.value = 'dark';
                 theme.dispatchEvent(new Event('change', { bubbles: true }));
                 const splitter = document.querySelector('#sidebar-splitter');
                 const before = splitter.getAttribute('aria-valuenow');
                 for (let i = 0; i < 3; i++) {
                     splitter.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
                 }
                 return [before, splitter.getAttribute('aria-valuenow')];",
                vec![],
            )
            .await?;
        let (before, widened) = (widened[0].clone(), widened[1].clone());
        ensure!(
            before != widened && widened.is_string(),
            "the arrow keys did not move the sidebar's splitter ({before} to {widened})"
        );

        h.quit_app().await?;
        h.start_app().await?;
        expect_account(h, &bob).await?;
        // The web storage was cleared at start (it is the sign-in window's too); the
        // preferences came back from the config folder.
        let kept = h
            .wd()
            .execute(
                "return [document.documentElement.dataset.theme,
                         document.querySelector('#sidebar-splitter').getAttribute('aria-valuenow')]",
                vec![],
            )
            .await?;
        ensure!(
            kept == serde_json::json!(["dark", widened]),
            "after a restart the theme and sidebar are {kept}, not [\"dark\", {widened}]"
        );
        // And the page is painted in the dark palette's background (#09121e).
        let painted = h
            .wd()
            .execute(
                "return getComputedStyle(document.body).backgroundColor",
                vec![],
            )
            .await?;
        ensure!(
            painted == serde_json::json!("rgb(9, 18, 30)"),
            "the dark theme paints the page {painted}, not rgb(9, 18, 30)"
        );
        h.screenshot("restored-after-restart").await?;

        sign_out(h).await?;
        h.screenshot("signed-out-again").await?;
        h.quit_app().await?;
        h.start_app().await?;
        h.wait_for_view("signed-out").await?;
        h.screenshot("still-signed-out-after-restart").await?;
        Ok(())
    })
    .await
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn closing_the_sign_in_window_cancels() {
    scenario(
        "closing_the_sign_in_window_cancels",
        async |h: &mut Harness| {
            // Closed on the consent page: signed in at the provider, not yet approved.
            let bob = demo_user(h, "bob@telltale.demo")?;
            open_sign_in_window(h).await?;
            h.wait_for_page(ProviderPage::SignIn).await?;
            h.screenshot("provider-sign-in").await?;
            h.submit_password(&bob.email, &bob.password).await?;
            h.wait_for_page(ProviderPage::Consent).await?;
            h.wd().close_window().await?;
            h.wait_for_sign_in_window_to_close().await?;
            h.wait_for_view("signed-out").await?;
            h.wait_for_message("cancelled").await?;
            h.screenshot("cancelled").await?;
            // The provider's session cookie went with the window: the password is asked again.
            open_sign_in_window(h).await?;
            let page = h.wait_for_provider_page().await?;
            ensure!(
                page == ProviderPage::SignIn,
                "after a cancelled sign-in the {page:?} page showed, not the password form"
            );
            Ok(())
        },
    )
    .await
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn deny_on_the_consent_page_is_a_cancelled_sign_in() {
    let test = "deny_on_the_consent_page_is_a_cancelled_sign_in";
    scenario(test, async |h: &mut Harness| {
        let ana = demo_user(h, "ana@telltale.demo")?;
        sign_in(h, &ana, "Deny").await?;
        h.wait_for_view("signed-out").await?;
        h.wait_for_message("cancelled").await?;
        h.screenshot("denied").await?;
        crate::a11y::audit(h, "the signed-out screen").await?;
        Ok(())
    })
    .await
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn a_second_sign_in_asks_for_the_password_again() {
    let test = "a_second_sign_in_asks_for_the_password_again";
    scenario(test, async |h: &mut Harness| {
        let bob = demo_user(h, "bob@telltale.demo")?;
        sign_in(h, &bob, "Authorize").await?;
        expect_account(h, &bob).await?;
        sign_out(h).await?;
        // The simulator remembers that bob approved Telltale: with its session cookie
        // still in the webview, the window would go straight to the app's callback.
        open_sign_in_window(h).await?;
        let page = h.wait_for_provider_page().await?;
        h.screenshot("second-sign-in").await?;
        ensure!(
            page == ProviderPage::SignIn,
            "the second sign-in showed the {page:?} page, not the password form"
        );
        Ok(())
    })
    .await
}
