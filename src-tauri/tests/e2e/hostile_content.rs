//! Account data is shown as text, never as markup, and the main window's CSP stops inline
//! script even where markup does get in: a user whose name is HTML with script in it signs
//! in; the page shows the name verbatim, no element of it exists, none of its script ran;
//! then the test itself puts an inline `<script>` and an `onerror` handler into the page,
//! and the CSP blocks both.

use crate::harness::Harness;
use crate::sign_in::{demo_user, expect_account, sign_in};
use crate::{ensure, scenario_with, Failure};
use igtimi_sim::world::User;
use igtimi_sim::SimConfig;
use serde_json::{json, Value};

const MALLORY_EMAIL: &str = "mallory@telltale.demo";
/// Markup that would run script if it were ever parsed as HTML.
const FIRST_NAME: &str = r#"<img src=x onerror="window.__pwned='img'">"#;
const SURNAME: &str = r#"<script>window.__pwned='script'</script>"#;

fn mallory() -> User {
    User {
        id: 4242,
        username: "mallory".into(),
        first_name: FIRST_NAME.into(),
        surname: SURNAME.into(),
        email: MALLORY_EMAIL.into(),
        password: "mallory-sails-at-night".into(),
        group_ids: Vec::new(),
    }
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn account_data_is_text_and_the_csp_stops_inline_script() {
    let test = "account_data_is_text_and_the_csp_stops_inline_script";
    let config = SimConfig {
        extra_users: vec![mallory()],
        ..SimConfig::default()
    };
    scenario_with(test, config, async |h: &mut Harness| {
        let user = demo_user(h, MALLORY_EMAIL)?;
        ensure!(
            user.name == format!("{FIRST_NAME} {SURNAME}"),
            "the simulator names the user {:?}",
            user.name
        );
        sign_in(h, &user, "Authorize").await?;
        // The name, character for character, as text.
        expect_account(h, &user).await?;
        h.screenshot("hostile-name-as-text").await?;
        let seen = h
            .wd()
            .execute(
                r#"return {
                    pwned: window.__pwned === undefined ? null : String(window.__pwned),
                    // Every image but the header's own mark (the app icon).
                    images: Array.from(document.images)
                        .filter((i) => !(i.getAttribute('src') === 'mark.png' && i.closest('.brand')))
                        .length,
                    scripts: Array.from(document.scripts).filter((s) => !s.src).length,
                };"#,
                vec![],
            )
            .await?;
        ensure!(
            seen["pwned"] == Value::Null,
            "the name's script ran: {seen}"
        );
        ensure!(
            seen["images"] == json!(0),
            "an <img> from the name exists: {seen}"
        );
        ensure!(
            seen["scripts"] == json!(0),
            "an inline <script> exists: {seen}"
        );

        // Markup that does get in still cannot run script: the CSP has no 'unsafe-inline'.
        let blocked = h
            .wd()
            .execute_async(
                r#"const done = arguments[0];
                   const violations = [];
                   document.addEventListener('securitypolicyviolation',
                       (e) => violations.push(e.violatedDirective));
                   const script = document.createElement('script');
                   script.textContent = "window.__inline = 'ran'";
                   document.body.append(script);
                   const box = document.createElement('div');
                   box.innerHTML = '<img src="data:," onerror="window.__handler = \'ran\'">';
                   document.body.append(box);
                   setTimeout(() => {
                       box.remove();
                       script.remove();
                       done({
                           inline: window.__inline === undefined ? null : window.__inline,
                           handler: window.__handler === undefined ? null : window.__handler,
                           violations,
                       });
                   }, 500);"#,
                vec![],
            )
            .await?;
        ensure!(
            blocked["inline"] == Value::Null,
            "an inline script ran: {blocked}"
        );
        ensure!(
            blocked["handler"] == Value::Null,
            "an inline handler ran: {blocked}"
        );
        let violations = blocked["violations"].as_array().map_or(0, Vec::len);
        ensure!(
            violations >= 1,
            "the CSP reported no violation, so it may not be active: {blocked}"
        );
        println!(
            "[{test}] CSP violations reported: {}",
            blocked["violations"]
        );
        Ok::<(), Failure>(())
    })
    .await
}
