//! Several accounts on the real webview against the simulator: the legacy implicit grant
//! in the sign-in window, the legacy password grant and the token API in Telltale's own
//! form, Iternio's dialect in the sign-in window (a `[[providers]]` profile in the settings
//! file), then the account list: switch and sign out of one.

use crate::app::ProviderPage;
use crate::harness::{Harness, PATIENCE};
use crate::sign_in::{demo_user, expect_account};
use crate::wait::wait_until;
use crate::{ensure, scenario, Failure};
use igtimi_sim::demo::ManifestUser;
use serde_json::Value;

/// Picks `value` in the `<select id=id>`, or the radio button of that value in the group
/// `id` (the providers), as a user would (a `change` event follows).
pub(crate) async fn pick(h: &Harness, id: &str, value: &str) -> Result<(), Failure> {
    let script = "const [id, value] = arguments; const s = document.getElementById(id); \
                  if (s instanceof HTMLSelectElement) { \
                    s.value = value; s.dispatchEvent(new Event('change')); return s.value; } \
                  const radio = [...document.querySelectorAll(`input[type=radio][name='${id}']`)] \
                    .find((r) => r.value === value); \
                  if (!radio) return null; radio.click(); return radio.checked ? radio.value : null;";
    let picked = h
        .wd()
        .execute(script, vec![Value::from(id), Value::from(value)])
        .await?;
    ensure!(picked == value, "#{id} did not take {value:?}: {picked}");
    Ok(())
}

/// Whether the element matching `css` is shown.
pub(crate) async fn shown(h: &Harness, css: &str) -> Result<bool, Failure> {
    let element = h.element(css).await?;
    Ok(h.wd().is_displayed(&element).await?)
}

/// Checks that the input matching `css` (the `field` field) was emptied after a submit.
pub(crate) async fn expect_emptied(h: &Harness, css: &str, field: &str) -> Result<(), Failure> {
    let left = h.wd().property(&h.element(css).await?, "value").await?;
    ensure!(left == "", "the {field} field still holds {left}");
    Ok(())
}

/// Presses the sign-in button for the picked provider and method, signs `user` in on the
/// simulator's pages in the sign-in window and authorizes Telltale.
async fn sign_in_in_window(h: &mut Harness, user: &ManifestUser) -> Result<(), Failure> {
    h.click("#sign-in").await?;
    h.wait_for_view("signing-in").await?;
    let main = h.main_window().to_string();
    let handle = wait_until("the sign-in window", PATIENCE, || async {
        let handles = h.wd().window_handles().await.map_err(|e| e.to_string())?;
        handles
            .iter()
            .find(|handle| **handle != main)
            .cloned()
            .ok_or_else(|| format!("window handles {handles:?}"))
    })
    .await?;
    h.wd().switch_to_window(&handle).await?;
    h.wait_for_page(ProviderPage::SignIn).await?;
    h.submit_password(&user.email, &user.password).await?;
    h.wait_for_page(ProviderPage::Consent).await?;
    h.decide("Authorize").await?;
    h.wait_for_sign_in_window_to_close().await
}

/// Fills Telltale's own user name and password form and submits it.
async fn sign_in_with_form(
    h: &mut Harness,
    user: &ManifestUser,
    shot: &str,
) -> Result<(), Failure> {
    ensure!(shown(h, "#credentials").await?, "the form is not shown");
    ensure!(
        !shown(h, "#sign-in").await?,
        "the provider's sign-in button shows beside the form"
    );
    h.type_checked("#credentials-username", &user.email).await?;
    h.type_checked("#credentials-password", &user.password)
        .await?;
    h.screenshot(shot).await?;
    h.click("#credentials-submit").await?;
    expect_account(h, user).await?;
    expect_emptied(h, "#credentials-password", "password").await
}

/// Opens "Add an account" from the signed-in view.
async fn add_another(h: &Harness) -> Result<(), Failure> {
    h.click("#add-another").await?;
    h.wait_for_view("signed-out").await
}

/// The keys the account list shows, in order.
async fn listed(h: &Harness) -> Result<Vec<String>, Failure> {
    let items = h.wd().find_all("#account-list li").await?;
    let mut keys = Vec::new();
    for item in &items {
        keys.push(
            h.wd()
                .attribute(item, "data-key")
                .await?
                .unwrap_or_default(),
        );
    }
    Ok(keys)
}

async fn wait_for_listed(h: &Harness, want: &[&str]) -> Result<(), Failure> {
    wait_until("the account list", PATIENCE, || async {
        match listed(h).await {
            Ok(keys) if keys == want => Ok(()),
            Ok(keys) => Err(format!("listed {keys:?}, want {want:?}")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    Ok(())
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn every_kind_of_sign_in_adds_an_account_then_switch_and_sign_out_of_one() {
    let test = "every_kind_of_sign_in_adds_an_account_then_switch_and_sign_out_of_one";
    scenario(test, async |h: &mut Harness| {
        let (bob, ana, kai) = (
            demo_user(h, "bob@telltale.demo")?,
            demo_user(h, "ana@telltale.demo")?,
            demo_user(h, "kai@telltale.demo")?,
        );
        // Iternio is a provider profile in the settings file; the app reads it at start.
        let iternio = h
            .sim()
            .manifest()
            .clients
            .into_iter()
            .find(|client| client.client_id == "4242")
            .ok_or_else(|| Failure("the simulator has no Iternio client".into()))?;
        let providers = format!(
            "[[providers]]\nid = \"abrp\"\nname = \"A Better Route Planner\"\n\
             kind = \"iternio\"\nbase_url = \"{}/iternio/1\"\nclient_id = \"4242\"\n\
             client_secret = \"{}\"\n",
            h.sim().base_url(),
            iternio.client_secret.unwrap_or_default()
        );
        h.restart_with_providers(&providers).await?;

        // Legacy implicit grant in the sign-in window.
        pick(h, "add-method", "implicit").await?;
        let reason = h.text("#method-reason").await?;
        ensure!(
            reason.starts_with("Not recommended"),
            "#method-reason: {reason:?}"
        );
        h.screenshot("add-account-implicit").await?;
        sign_in_in_window(h, &bob).await?;
        expect_account(h, &bob).await?;

        // Legacy password grant in our own form.
        add_another(h).await?;
        pick(h, "add-method", "password").await?;
        sign_in_with_form(h, &ana, "password-form").await?;

        // Token API in our own form: the expiry shows in the account view.
        add_another(h).await?;
        pick(h, "add-method", "token_api").await?;
        sign_in_with_form(h, &kai, "token-api-form").await?;
        ensure!(
            shown(h, "#account-expiry-field").await?,
            "the token API's expiry is not shown"
        );
        let expiry = h.text("#account-expiry").await?;
        ensure!(!expiry.is_empty(), "empty expiry");

        // Iternio in the sign-in window; its account view comes from its user info.
        add_another(h).await?;
        pick(h, "add-profile", "abrp").await?;
        let label = h.text("#sign-in").await?;
        ensure!(
            label == "Sign in to A Better Route Planner",
            "#sign-in says {label:?}"
        );
        // No PKCE at Iternio: its answer stays in the sign-in window, no system browser.
        for button in ["#sign-in-browser", "#sign-in-loopback"] {
            let element = h.element(button).await?;
            let shown = h.wd().is_displayed(&element).await?;
            ensure!(!shown, "{button} is offered for Iternio");
        }
        sign_in_in_window(h, &ana).await?;
        h.wait_for_view("signed-in").await?;
        wait_until("Ana's Iternio account", PATIENCE, || async {
            match h.text("#account-email").await {
                Ok(email) if email == ana.email => Ok(()),
                Ok(email) => Err(format!("email {email:?}")),
                Err(e) => Err(e.to_string()),
            }
        })
        .await?;

        let (bob_key, ana_key, kai_key, abrp_key) = (
            "igtimi/1373".to_string(),
            "igtimi/1374".to_string(),
            format!("igtimi/{}", kai.id),
            "abrp/1374".to_string(),
        );
        wait_for_listed(h, &[&bob_key, &ana_key, &kai_key, &abrp_key]).await?;
        h.screenshot("account-list").await?;

        // Switch to Bob.
        h.click(&format!(
            "#account-list li[data-key=\"{bob_key}\"] button[data-action=switch]"
        ))
        .await?;
        expect_account(h, &bob).await?;

        // Sign out of Ana's Igtimi account only: revoked, the others stay.
        h.click(&format!(
            "#account-list li[data-key=\"{ana_key}\"] button[data-action=sign-out]"
        ))
        .await?;
        let said = h.wait_for_message("info").await?;
        ensure!(said.contains("Signed out"), "the sign-out said {said:?}");
        wait_for_listed(h, &[&bob_key, &kai_key, &abrp_key]).await?;
        expect_account(h, &bob).await?;

        // Iternio cannot revoke: the UI says the token stays valid there.
        h.click(&format!(
            "#account-list li[data-key=\"{abrp_key}\"] button[data-action=sign-out]"
        ))
        .await?;
        wait_until("the Iternio sign-out message", PATIENCE, || async {
            match h.text("#message-text").await {
                Ok(text) if text.contains("stays valid") => Ok(()),
                Ok(text) => Err(format!("message {text:?}")),
                Err(e) => Err(e.to_string()),
            }
        })
        .await?;
        wait_for_listed(h, &[&bob_key, &kai_key]).await?;
        h.screenshot("account-list-after-sign-out").await?;
        Ok(())
    })
    .await
}
