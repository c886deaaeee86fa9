//! Client authentication at the token endpoint, and revocation (RFC 7009).

use super::person::*;
use crate::common;
use igtimi_sim::store::TokenRejection;
use reqwest::header::{CACHE_CONTROL, WWW_AUTHENTICATE};
use reqwest::StatusCode;

/// A password grant for Bob, without client authentication (the caller adds it).
fn password_form(sim: &igtimi_sim::Simulator) -> Vec<(String, String)> {
    let bob = bob(sim);
    vec![
        ("grant_type".into(), "password".into()),
        ("username".into(), bob.email),
        ("password".into(), bob.password),
    ]
}

fn token_url(sim: &igtimi_sim::Simulator) -> String {
    format!("{}/oauth/token", sim.base_url())
}

#[tokio::test]
async fn http_basic_authenticates_the_client() {
    let sim = common::start().await;
    let app = client(&sim, APP);
    let request = common::http()
        .post(token_url(&sim))
        .basic_auth(&app.client_id, app.client_secret.as_deref())
        .form(&password_form(&sim));
    let (status, _, body) = send_token_request(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().unwrap();
    let state = sim.state();
    let record = state
        .store
        .authenticate(Some(token), state.clock.now_secs())
        .unwrap();
    assert_eq!(record.client_id, app.client_id);
}

#[tokio::test]
async fn basic_and_body_credentials_at_once_are_refused() {
    let sim = common::start().await;
    let app = client(&sim, APP);
    let mut form = password_form(&sim);
    form.push(("client_id".into(), app.client_id.clone()));
    form.push(("client_secret".into(), app.client_secret.clone().unwrap()));
    let request = common::http()
        .post(token_url(&sim))
        .basic_auth(&app.client_id, app.client_secret.as_deref())
        .form(&form);
    let (status, headers, body) = send_token_request(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(headers[CACHE_CONTROL], "no-store");
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn a_bad_secret_or_unknown_client_is_401() {
    let sim = common::start().await;
    let app = client(&sim, APP);

    let request = common::http()
        .post(token_url(&sim))
        .basic_auth(&app.client_id, Some("wrong"))
        .form(&password_form(&sim));
    let (status, headers, body) = send_token_request(request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(headers[WWW_AUTHENTICATE], "Basic realm=\"igtimi\"");

    let cases = [
        vec![
            ("client_id", app.client_id.as_str()),
            ("client_secret", "wrong"),
        ],
        vec![("client_id", app.client_id.as_str())],
        vec![("client_id", "unknown"), ("client_secret", "x")],
        vec![],
    ];
    for auth in cases {
        let mut form = password_form(&sim);
        form.extend(auth.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let request = common::http().post(token_url(&sim)).form(&form);
        let (status, headers, body) = send_token_request(request).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(body["error"], "invalid_client", "{auth:?}");
        assert!(headers.get(WWW_AUTHENTICATE).is_none());
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_form_is_refused() {
    let sim = common::start().await;
    let request = common::http()
        .post(token_url(&sim))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(r#"{"grant_type":"password"}"#);
    let (status, _, body) = send_token_request(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn iternio_clients_use_their_own_token_endpoint() {
    let sim = common::start().await;
    let iternio = client(&sim, ITERNIO);
    let mut form = password_form(&sim);
    form.push(("client_id".into(), iternio.client_id.clone()));
    form.push((
        "client_secret".into(),
        iternio.client_secret.clone().unwrap(),
    ));
    let (status, _, body) =
        send_token_request(common::http().post(token_url(&sim)).form(&form)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "unauthorized_client");
}

#[tokio::test]
async fn revocation_needs_client_auth_and_rejects_the_token_afterwards() {
    let sim = common::start().await;
    let app = client(&sim, APP);
    let cli = client(&sim, CLI);
    let secret = app.client_secret.clone().unwrap();
    let mut form = password_form(&sim);
    form.push(("client_id".into(), app.client_id.clone()));
    form.push(("client_secret".into(), secret.clone()));
    let (_, _, body) = send_token_request(common::http().post(token_url(&sim)).form(&form)).await;
    let token = body["access_token"].as_str().unwrap().to_string();
    let revoke_url = format!("{}/oauth/revoke", sim.base_url());

    // No client authentication: 401, the token lives on.
    let response = common::http()
        .post(&revoke_url)
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    assert!(accepted(&sim, &token));

    // Another client cannot revoke it (and learns nothing: 200).
    let response = common::http()
        .post(&revoke_url)
        .form(&[
            ("token", token.as_str()),
            ("client_id", cli.client_id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(accepted(&sim, &token));

    // Its own client can.
    let response = common::http()
        .post(&revoke_url)
        .basic_auth(&app.client_id, Some(&secret))
        .form(&[
            ("token", token.as_str()),
            ("token_type_hint", "access_token"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let state = sim.state();
    assert_eq!(
        state
            .store
            .authenticate(Some(&token), state.clock.now_secs())
            .err(),
        Some(TokenRejection::Revoked)
    );

    // Unknown tokens are fine; a missing token is not.
    let response = common::http()
        .post(&revoke_url)
        .basic_auth(&app.client_id, Some(&secret))
        .form(&[("token", "no-such-token")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = common::http()
        .post(&revoke_url)
        .basic_auth(&app.client_id, Some(&secret))
        .form(&[("token_type_hint", "access_token")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}
