//! The sign-in form, the session cookie, sign-out and the consent form's CSRF token.

use super::person::*;
use crate::common;
use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::StatusCode;

#[tokio::test]
async fn consent_without_the_csrf_token_is_refused() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("response_type", "code"),
            ("client_id", app.client_id.as_str()),
            ("redirect_uri", APP_REDIRECT),
        ])
        .finish();
    let html = person
        .get(&format!("/oauth/authorize?{query}"))
        .await
        .text()
        .await
        .unwrap();
    let bob = bob(&sim);
    let signed_in = person.sign_in(&html, &bob.email, &bob.password).await;
    let consent = person
        .get(&location(&signed_in))
        .await
        .text()
        .await
        .unwrap();
    for token in [None, Some("0".repeat(64))] {
        let mut form: Vec<_> = hidden_fields(&consent)
            .into_iter()
            .filter(|(k, _)| k != "authenticity_token")
            .collect();
        if let Some(t) = &token {
            form.push(("authenticity_token".into(), t.clone()));
        }
        form.push(("commit".into(), "Authorize".into()));
        let response = person.post("/oauth/authorize", &form).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(response.headers().get(LOCATION).is_none());
    }
    assert!(!sim.state().store.is_approved(bob.id, &app.client_id));
}

#[tokio::test]
async fn wrong_password_shows_the_form_again_with_the_email_kept() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let html = person.get("/users/sign_in").await.text().await.unwrap();
    let email = "bob@telltale.demo\"<b>";
    let response = person.sign_in(&html, email, "wrong").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().get(SET_COOKIE).is_none());
    let html = response.text().await.unwrap();
    assert!(html.contains("Invalid email or password."));
    assert!(
        html.contains("value=\"bob@telltale.demo&quot;&lt;b&gt;\""),
        "{html}"
    );
    assert!(!html.contains("<b>"));

    let bob = bob(&sim);
    let response = person.sign_in(&html, &bob.email, "windward-2").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn session_cookie_is_never_persistent_and_sign_out_ends_it() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let bob = bob(&sim);
    let form = vec![
        ("user[email]".to_string(), bob.email.clone()),
        ("user[password]".to_string(), bob.password.clone()),
        (
            "return_to".to_string(),
            "https://evil.example/oauth/authorize".to_string(),
        ),
    ];
    let response = person.post("/users/sign_in", &form).await;
    // An outside return_to is ignored: signed in, but no redirect.
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(LOCATION).is_none());
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_string();
    assert!(cookie.starts_with("_igtimi_session="), "{cookie}");
    let lower = cookie.to_ascii_lowercase();
    assert!(
        lower.contains("httponly") && lower.contains("samesite=lax") && lower.contains("path=/")
    );
    assert!(
        !lower.contains("expires") && !lower.contains("max-age"),
        "{cookie}"
    );

    let app = client(&sim, APP);
    let authorize = format!(
        "/oauth/authorize?response_type=code&client_id={}&redirect_uri=io.telltale.app%3A%2Foauth%2Fcallback",
        app.client_id
    );
    let html = person.get(&authorize).await.text().await.unwrap();
    assert!(html.contains("id=\"consent\""), "signed in: consent page");
    let response = person.get("/users/sign_out").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = person.get(&authorize).await.text().await.unwrap();
    assert!(
        html.contains("id=\"user_email\""),
        "signed out: sign-in form"
    );
}
