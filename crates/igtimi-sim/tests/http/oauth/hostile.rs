//! The hostile sign-in page (`SimConfig::hostile_sign_in_page`): only when asked for, only
//! on the authorize endpoint's sign-in form, and the form still signs in.

use super::person::*;
use crate::common;
use igtimi_sim::SimConfig;
use reqwest::StatusCode;

fn authorize_params(client_id: &str, challenge: &str) -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".into()),
        ("client_id", client_id.into()),
        ("redirect_uri", APP_REDIRECT.into()),
        ("state", "hostile-test".into()),
        ("code_challenge", challenge.into()),
        ("code_challenge_method", "S256".into()),
    ]
}

async fn authorize_page(person: &Person, params: &[(&str, String)]) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())))
        .finish();
    let response = person.get(&format!("/oauth/authorize?{query}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.expect("a page")
}

#[tokio::test]
async fn the_default_sign_in_page_runs_no_script() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let (_, challenge) = pkce_s256();
    let html = authorize_page(&person, &authorize_params(&app.client_id, &challenge)).await;
    assert!(html.contains("id=\"new_user\""), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("hostile-results"), "{html}");
}

#[tokio::test]
async fn the_hostile_page_carries_the_script_and_still_signs_in() {
    let sim = common::start_with(SimConfig {
        hostile_sign_in_page: true,
        ..SimConfig::default()
    })
    .await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let (verifier, challenge) = pkce_s256();
    let params = authorize_params(&app.client_id, &challenge);
    let html = authorize_page(&person, &params).await;
    assert!(
        html.contains("<pre id=\"hostile-results\" data-done=\"false\""),
        "{html}"
    );
    assert!(html.contains(&format!("<script>{}</script>", igtimi_sim::hostile::SCRIPT)));
    // The form comes first and is whole.
    let form_end = html.find("</form>").expect("the form is closed");
    assert!(form_end < html.find("<script>").expect("the script"));

    // The standalone sign-in form is not hostile.
    let plain = person.get("/users/sign_in").await.text().await.unwrap();
    assert!(!plain.contains("<script"), "{plain}");

    // The form still works: sign in, consent, a code that exchanges for a token.
    let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let redirect = person
        .authorize("/oauth/authorize", &pairs, &bob(&sim), "Authorize")
        .await
        .redirect();
    assert_eq!(
        query_param(&redirect, "state").as_deref(),
        Some("hostile-test")
    );
    let code = query_param(&redirect, "code").expect("a code");
    let (status, _, body) = token_request(
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", APP_REDIRECT),
            ("client_id", app.client_id.as_str()),
            (
                "client_secret",
                app.client_secret.as_deref().unwrap_or_default(),
            ),
            ("code_verifier", verifier.as_str()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(accepted(
        &sim,
        body["access_token"].as_str().expect("a token")
    ));
}
