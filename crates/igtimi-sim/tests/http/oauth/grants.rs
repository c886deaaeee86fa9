//! The token endpoint's grants: authorization code (one-time, expiring, bound to client,
//! redirect URI and PKCE), password, client credentials and refresh rotation.

use super::person::*;
use crate::common;
use igtimi_sim::{SimConfig, TokenLifetime};
use reqwest::StatusCode;

/// The form of an authorization_code exchange by the app client.
fn app_exchange<'a>(
    app: &'a igtimi_sim::world::Client,
    code: &'a str,
    redirect_uri: &'a str,
    verifier: Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("client_id", app.client_id.as_str()),
        ("client_secret", app.client_secret.as_deref().unwrap()),
    ];
    if let Some(v) = verifier {
        form.push(("code_verifier", v));
    }
    form
}

#[tokio::test]
async fn wrong_or_missing_verifier_is_invalid_grant() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let (code, verifier) = obtain_code(&sim, &person, &app, APP_REDIRECT).await;
    let (other_verifier, _) = pkce_s256();
    for wrong in [None, Some(other_verifier.as_str()), Some("short")] {
        let (status, _, body) =
            token_request(&sim, &app_exchange(&app, &code, APP_REDIRECT, wrong)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{wrong:?}");
        assert_eq!(body["error"], "invalid_grant", "{wrong:?}");
        assert!(body["error_description"]
            .as_str()
            .unwrap()
            .contains("code_verifier"));
    }
    let (status, _, body) = token_request(
        &sim,
        &app_exchange(&app, &code, APP_REDIRECT, Some(&verifier)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_reused_code_fails_and_revokes_the_token_it_issued() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let (code, verifier) = obtain_code(&sim, &person, &app, APP_REDIRECT).await;
    let form = app_exchange(&app, &code, APP_REDIRECT, Some(&verifier));
    let (status, _, first) = token_request(&sim, &form).await;
    assert_eq!(status, StatusCode::OK);
    let token = first["access_token"].as_str().unwrap();
    assert!(accepted(&sim, token));

    let (status, _, body) = token_request(&sim, &form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    let state = sim.state();
    assert_eq!(
        state
            .store
            .authenticate(Some(token), state.clock.now_secs())
            .err(),
        Some(igtimi_sim::store::TokenRejection::Revoked)
    );
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let (code, verifier) = obtain_code(&sim, &person, &app, APP_REDIRECT).await;
    sim.advance_clock(sim.state().config.code_lifetime_secs as i64 + 1);
    let (status, _, body) = token_request(
        &sim,
        &app_exchange(&app, &code, APP_REDIRECT, Some(&verifier)),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("expired"));
}

#[tokio::test]
async fn a_code_of_another_client_is_refused() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let cli = client(&sim, CLI);
    // Both clients register the loopback URI, so only the client tells them apart.
    let redirect = "http://127.0.0.1:5555/oauth/callback";
    let (code, verifier) = obtain_code(&sim, &person, &app, redirect).await;
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
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("another client"));
}

#[tokio::test]
async fn the_redirect_uri_must_be_the_one_of_the_authorize_request() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let (code, verifier) =
        obtain_code(&sim, &person, &app, "http://127.0.0.1:1111/oauth/callback").await;
    for wrong in ["http://127.0.0.1:2222/oauth/callback", APP_REDIRECT, ""] {
        let (status, _, body) =
            token_request(&sim, &app_exchange(&app, &code, wrong, Some(&verifier))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{wrong:?}");
        assert_eq!(body["error"], "invalid_grant", "{wrong:?}");
    }
    let (status, _, _) = token_request(
        &sim,
        &app_exchange(
            &app,
            &code,
            "http://127.0.0.1:1111/oauth/callback",
            Some(&verifier),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn password_grant_accepts_the_right_password_only() {
    let sim = common::start().await;
    let cli = client(&sim, CLI);
    let bob = bob(&sim);
    let (status, headers, body) = token_request(
        &sim,
        &[
            ("grant_type", "password"),
            ("username", &bob.email),
            ("password", &bob.password),
            ("scope", "read write"),
            ("client_id", &cli.client_id),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers[reqwest::header::CACHE_CONTROL], "no-store");
    assert_eq!(body["scope"], "read write");
    let token = body["access_token"].as_str().unwrap();
    let state = sim.state();
    let record = state
        .store
        .authenticate(Some(token), state.clock.now_secs())
        .unwrap();
    assert_eq!(record.user_id, bob.id);

    for (user, password) in [
        (bob.email.as_str(), "nope"),
        ("nobody@x.demo", "windward-1"),
    ] {
        let (status, _, body) = token_request(
            &sim,
            &[
                ("grant_type", "password"),
                ("username", user),
                ("password", password),
                ("client_id", &cli.client_id),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], "invalid_grant");
    }
    let (_, _, body) = token_request(
        &sim,
        &[
            ("grant_type", "password"),
            ("username", &bob.email),
            ("password", &bob.password),
            ("scope", "everything"),
            ("client_id", &cli.client_id),
        ],
    )
    .await;
    assert_eq!(body["error"], "invalid_scope");
}

#[tokio::test]
async fn client_credentials_act_as_the_owner_and_need_a_secret() {
    let sim = common::start().await;
    let app = client(&sim, APP);
    let (status, _, body) = token_request(
        &sim,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &app.client_id),
            ("client_secret", app.client_secret.as_deref().unwrap()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().unwrap();
    let state = sim.state();
    let record = state
        .store
        .authenticate(Some(token), state.clock.now_secs())
        .unwrap();
    assert_eq!(record.user_id, app.owner_id);

    let cli = client(&sim, CLI);
    let (status, _, body) = token_request(
        &sim,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &cli.client_id),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "unauthorized_client");
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_replayed_one_revokes_the_family() {
    let sim = common::start_with(SimConfig {
        token_lifetime: TokenLifetime::Expiring { access_secs: 600 },
        ..SimConfig::default()
    })
    .await;
    let app = client(&sim, APP);
    let secret = app.client_secret.as_deref().unwrap();
    let bob = bob(&sim);
    let (status, _, first) = token_request(
        &sim,
        &[
            ("grant_type", "password"),
            ("username", &bob.email),
            ("password", &bob.password),
            ("client_id", &app.client_id),
            ("client_secret", secret),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["expires_in"], 600);
    let old_refresh = first["refresh_token"].as_str().unwrap().to_string();
    let refresh_form = |token: &str| {
        vec![
            ("grant_type".to_string(), "refresh_token".to_string()),
            ("refresh_token".to_string(), token.to_string()),
            ("client_id".to_string(), app.client_id.clone()),
            ("client_secret".to_string(), secret.to_string()),
        ]
    };
    let post = |form: Vec<(String, String)>| {
        send_token_request(
            common::http()
                .post(format!("{}/oauth/token", sim.base_url()))
                .form(&form),
        )
    };

    // The access token expires; the refresh token gets a new pair.
    sim.advance_clock(601);
    assert!(!accepted(&sim, first["access_token"].as_str().unwrap()));
    let (status, _, second) = post(refresh_form(&old_refresh)).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let new_access = second["access_token"].as_str().unwrap().to_string();
    let new_refresh = second["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(new_refresh, old_refresh);
    assert!(accepted(&sim, &new_access));

    // The rotated token is refused, and replaying it kills the whole family.
    let (status, _, body) = post(refresh_form(&old_refresh)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert!(!accepted(&sim, &new_access));
    let (_, _, body) = post(refresh_form(&new_refresh)).await;
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn unknown_or_missing_grant_types_are_errors() {
    let sim = common::start().await;
    let cli = client(&sim, CLI);
    let (status, _, body) = token_request(
        &sim,
        &[
            ("grant_type", "urn:example:magic"),
            ("client_id", &cli.client_id),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "unsupported_grant_type");
    let (status, _, body) = token_request(&sim, &[("client_id", &cli.client_id)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
}
