//! The authorize endpoint through the real HTML: sign-in, consent, redirects and errors.

use super::person::*;
use crate::common;
use igtimi_sim::demo::APP_ITERNIO_REDIRECT_URI;
use reqwest::header::CACHE_CONTROL;
use reqwest::StatusCode;

#[tokio::test]
async fn code_flow_with_s256_pkce_to_a_private_use_scheme_then_token_exchange() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let (verifier, challenge) = pkce_s256();
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("response_type", "code"),
            ("client_id", app.client_id.as_str()),
            ("redirect_uri", APP_REDIRECT),
            ("state", "xyz,1 2"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .finish();

    // Step by step: the sign-in form first.
    let response = person.get(&format!("/oauth/authorize?{query}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("to continue to Telltale"), "{html}");
    let return_to = hidden_fields(&html)
        .into_iter()
        .find(|(k, _)| k == "return_to")
        .map(|(_, v)| v)
        .expect("the form carries return_to");
    assert!(return_to.starts_with("/oauth/authorize?"), "{return_to}");

    let bob = bob(&sim);
    let response = person.sign_in(&html, &bob.email, &bob.password).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), return_to);

    // Then the consent page, naming the app and the scope.
    let response = person.get(&return_to).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Telltale wants to access your Igtimi account"),
        "{html}"
    );
    assert_eq!(element_text(&html, "scope"), "read");
    assert!(html.contains("id=\"authorize\"") && html.contains("value=\"Authorize\""));
    assert!(html.contains("id=\"deny\"") && html.contains("value=\"Deny\""));
    let mut form = hidden_fields(&html);
    assert!(form
        .iter()
        .any(|(k, v)| k == "authenticity_token" && v.len() == 64));
    assert!(form.iter().any(|(k, v)| k == "state" && v == "xyz,1 2"));
    form.push(("commit".into(), "Authorize".into()));
    let response = person.post(&form_action(&html, "consent"), &form).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let url = url::Url::parse(&location(&response)).unwrap();
    assert_eq!(url.scheme(), "io.telltale.app");
    assert_eq!(url.path(), "/oauth/callback");
    assert_eq!(query_param(&url, "state").as_deref(), Some("xyz,1 2"));
    let code = query_param(&url, "code").expect("a code");

    let (status, headers, body) = token_request(
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", APP_REDIRECT),
            ("client_id", &app.client_id),
            ("client_secret", app.client_secret.as_deref().unwrap()),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers[CACHE_CONTROL], "no-store");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "read");
    assert!(body["created_at"].as_i64().unwrap() > 1_700_000_000);
    assert!(body.get("expires_in").is_none() && body.get("refresh_token").is_none());
    let token = body["access_token"].as_str().unwrap();
    let record = sim
        .state()
        .store
        .authenticate(Some(token), sim.state().clock.now_secs())
        .expect("the token works");
    assert_eq!(record.user_id, bob.id);
    assert_eq!(record.client_id, app.client_id);

    // The admin ledger of secrets (for leak checks) holds the code, the verifier and the
    // token, and nothing it was never given.
    let ledger: serde_json::Value = common::http()
        .get(format!("{}/__admin/secrets", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secrets: Vec<&str> = ledger["secrets"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    for wanted in [code.as_str(), verifier.as_str(), token] {
        assert!(secrets.contains(&wanted), "the ledger misses a secret");
    }
    assert!(
        !secrets.contains(&challenge.as_str()),
        "a challenge is no secret"
    );
}

#[tokio::test]
async fn plain_pkce_for_the_public_client_on_a_loopback_port() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let cli = client(&sim, CLI);
    let verifier = format!("{}{}", "plain-verifier-", "x".repeat(40));
    let redirect = "http://127.0.0.1:53117/oauth/callback";
    let params = [
        ("response_type", "code"),
        ("client_id", cli.client_id.as_str()),
        ("redirect_uri", redirect),
        ("code_challenge", verifier.as_str()),
    ];
    let url = person
        .authorize("/oauth/authorize", &params, &bob(&sim), "Authorize")
        .await
        .redirect();
    assert_eq!(url.port(), Some(53117));
    assert_eq!(query_param(&url, "state"), None);
    let code = query_param(&url, "code").unwrap();
    let (status, _, body) = token_request(
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("client_id", &cli.client_id),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(accepted(&sim, body["access_token"].as_str().unwrap()));
}

#[tokio::test]
async fn deny_redirects_with_access_denied_and_state() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let params = [
        ("response_type", "code"),
        ("client_id", app.client_id.as_str()),
        ("redirect_uri", APP_REDIRECT),
        ("state", "deny-me"),
    ];
    let url = person
        .authorize("/oauth/authorize", &params, &bob(&sim), "Deny")
        .await
        .redirect();
    assert_eq!(query_param(&url, "error").as_deref(), Some("access_denied"));
    assert_eq!(query_param(&url, "state").as_deref(), Some("deny-me"));
    assert_eq!(query_param(&url, "code"), None);
    assert!(!sim.state().store.is_approved(bob(&sim).id, &app.client_id));
}

#[tokio::test]
async fn out_of_band_page_shows_the_code_and_it_can_be_exchanged() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let cli = client(&sim, CLI);
    let (verifier, challenge) = pkce_s256();
    let params = [
        ("response_type", "code"),
        ("client_id", cli.client_id.as_str()),
        ("redirect_uri", OOB),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let (status, html) = person
        .authorize("/oauth/authorize", &params, &bob(&sim), "Authorize")
        .await
        .page();
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Authorization code:</h1>"), "{html}");
    let code = element_text(&html, "code");
    assert_eq!(code.len(), 64);
    let (status, _, body) = token_request(
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", OOB),
            ("client_id", &cli.client_id),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn implicit_grant_returns_the_token_in_the_fragment_or_on_the_oob_page() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let params = [
        ("response_type", "token"),
        ("client_id", app.client_id.as_str()),
        ("redirect_uri", "http://127.0.0.1:9999/oauth/callback"),
        ("state", "imp"),
    ];
    let url = person
        .authorize("/oauth/authorize", &params, &bob(&sim), "Authorize")
        .await
        .redirect();
    assert_eq!(url.query(), None, "nothing in the query: {url}");
    assert_eq!(
        fragment_param(&url, "token_type").as_deref(),
        Some("Bearer")
    );
    assert_eq!(fragment_param(&url, "state").as_deref(), Some("imp"));
    assert_eq!(fragment_param(&url, "scope").as_deref(), Some("read"));
    assert_eq!(fragment_param(&url, "expires_in"), None);
    let token = fragment_param(&url, "access_token").expect("a token");
    assert!(accepted(&sim, &token));

    // Already approved now, so the out-of-band page comes at once.
    let params = [
        ("response_type", "token"),
        ("client_id", app.client_id.as_str()),
        ("redirect_uri", OOB),
    ];
    let (status, html) = person
        .authorize("/oauth/authorize", &params, &bob(&sim), "Authorize")
        .await
        .page();
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Authorization code:</h1>"));
    let token = element_text(&html, "code");
    assert!(accepted(&sim, &token));
}

#[tokio::test]
async fn an_approved_app_is_redirected_at_once() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    obtain_code(&sim, &person, &app, APP_REDIRECT).await;
    let (_, challenge) = pkce_s256();
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("response_type", "code"),
            ("client_id", app.client_id.as_str()),
            ("redirect_uri", APP_REDIRECT),
            ("state", "again"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .finish();
    let response = person.get(&format!("/oauth/authorize?{query}")).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let url = url::Url::parse(&location(&response)).unwrap();
    assert!(query_param(&url, "code").is_some());
    assert_eq!(query_param(&url, "state").as_deref(), Some("again"));
}

#[tokio::test]
async fn iternio_path_redirects_with_auth_code_and_keeps_state_in_the_code() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let iternio = client(&sim, ITERNIO);
    assert_eq!(iternio.client_id, "4242");
    // No response_type (Iternio defaults to code), no redirect_uri (one is registered).
    let params = [("client_id", "4242"), ("state", "iter-state")];
    let url = person
        .authorize(
            "/iternio/1/oauth/authorize",
            &params,
            &bob(&sim),
            "Authorize",
        )
        .await
        .redirect();
    assert_eq!(
        url.as_str().split('?').next(),
        Some(APP_ITERNIO_REDIRECT_URI)
    );
    assert_eq!(query_param(&url, "code"), None);
    assert_eq!(query_param(&url, "state").as_deref(), Some("iter-state"));
    let code = query_param(&url, "auth_code").expect("auth_code");
    let state = sim.state();
    let (record, _) = state
        .store
        .redeem_code(
            &code,
            state.clock.now_secs(),
            state.config.token_lifetime,
            |_| Ok(()),
        )
        .expect("the code is stored");
    assert_eq!(record.state.as_deref(), Some("iter-state"));
    assert_eq!(record.client_id, "4242");
    assert_eq!(record.redirect_uri, APP_ITERNIO_REDIRECT_URI);
}
