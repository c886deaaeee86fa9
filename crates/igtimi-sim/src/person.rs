//! A scripted person at the simulator's sign-in pages, for tests of OAuth clients (feature
//! `person`). It opens an authorize URL, signs in, answers the consent page and returns
//! where the server finally sends the browser: the client's redirect URI with its query.

use crate::scrape::{form_action, hidden_fields};

/// What the person presses on the consent page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// "Authorize".
    Authorize,
    /// "Deny".
    Deny,
}

impl Decision {
    fn button(self) -> &'static str {
        match self {
            Decision::Authorize => "Authorize",
            Decision::Deny => "Deny",
        }
    }
}

/// Opens `authorize` on the simulator at `base` (e.g. `http://127.0.0.1:4000`), signs in
/// with `email` and `password`, presses `decision`, and returns the first redirect that
/// leaves the simulator. Follows only the server's own relative redirects.
///
/// Panics when the pages do not lead to a redirect: it is a test helper.
pub async fn person_signs_in(
    base: &str,
    authorize: &str,
    email: &str,
    password: &str,
    decision: Decision,
) -> String {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("browser");
    let base = base.trim_end_matches('/');
    let mut response = browser.get(authorize).send().await.expect("authorize page");
    for _ in 0..6 {
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get("location")
                .and_then(|value| value.to_str().ok())
                .expect("a redirect names its location")
                .to_string();
            if !location.starts_with('/') {
                return location;
            }
            response = browser
                .get(format!("{base}{location}"))
                .send()
                .await
                .expect("follows");
            continue;
        }
        let html = response.text().await.expect("a page");
        let mut form = hidden_fields(&html);
        let action = if let Some(action) = form_action(&html, "new_user") {
            form.push(("user[email]".into(), email.into()));
            form.push(("user[password]".into(), password.into()));
            action
        } else if let Some(action) = form_action(&html, "consent") {
            form.push(("commit".into(), decision.button().into()));
            action
        } else {
            panic!("neither a sign-in nor a consent page: {html}");
        };
        response = browser
            .post(format!("{base}{action}"))
            .form(&form)
            .send()
            .await
            .expect("posts");
    }
    panic!("the sign-in did not end in a redirect");
}
