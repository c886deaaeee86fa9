//! The Iternio dialect: `POST /iternio/1/oauth/token` and `GET /iternio/1/oauth/userinfo`.
//! Codes are stored directly (the authorize page is the OAuth work's).

use crate::common;
use igtimi_sim::demo::{APP_ITERNIO_REDIRECT_URI, BOB};
use igtimi_sim::store::{AuthCode, TokenRejection};
use igtimi_sim::world::{Client, Dialect};
use igtimi_sim::{SimConfig, Simulator};
use serde_json::{json, Value};

const ITERNIO_CLIENT: &str = "4242";

/// The demo Iternio client's API key.
fn api_key(sim: &Simulator) -> String {
    sim.state()
        .world
        .client(ITERNIO_CLIENT)
        .and_then(|c| c.client_secret.clone())
        .expect("the demo registers the Iternio client with an API key")
}

/// Stores an authorization code as the authorize page would.
fn code_for(sim: &Simulator, client_id: &str, state: Option<&str>) -> String {
    let now = sim.state().clock.now_secs();
    sim.state().store.insert_code(AuthCode {
        user_id: BOB,
        client_id: client_id.into(),
        redirect_uri: APP_ITERNIO_REDIRECT_URI.into(),
        scope: String::new(),
        pkce: None,
        expires_at: now + 60,
        state: state.map(str::to_string),
        used: false,
        issued: Vec::new(),
    })
}

async fn exchange(sim: &Simulator, form: &[(&str, &str)]) -> (u16, Value) {
    let response = common::http()
        .post(format!("{}/iternio/1/oauth/token", sim.base_url()))
        .form(form)
        .send()
        .await
        .expect("answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

async fn userinfo(sim: &Simulator, token: Option<&str>) -> (u16, Value) {
    let mut request = common::http().get(format!("{}/iternio/1/oauth/userinfo", sim.base_url()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn code_exchange_returns_user_token_and_echoes_state() {
    let sim = common::start().await;
    let key = api_key(&sim);
    let code = code_for(&sim, ITERNIO_CLIENT, Some("opaque-state-42"));
    let (status, body) = exchange(
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", ITERNIO_CLIENT),
            ("client_secret", &key),
            ("code", &code),
            ("redirect_uri", APP_ITERNIO_REDIRECT_URI),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["state"], "opaque-state-42");
    let token = body["user_token"].as_str().expect("a user token");
    let state = sim.state();
    let record = state
        .store
        .authenticate(Some(token), state.clock.now_secs())
        .expect("the token is live");
    assert_eq!(record.user_id, BOB);
    assert_eq!(record.client_id, ITERNIO_CLIENT);
    assert_eq!(
        record.expires_at, None,
        "Iternio tokens are kept and reused"
    );
}

#[tokio::test]
async fn grant_type_defaults_and_json_bodies_work() {
    let sim = common::start().await;
    let code = code_for(&sim, ITERNIO_CLIENT, None);
    let response = common::http()
        .post(format!("{}/iternio/1/oauth/token", sim.base_url()))
        .json(&json!({
            "client_id": 4242,
            "client_secret": api_key(&sim),
            "code": code,
            "redirect_uri": APP_ITERNIO_REDIRECT_URI,
        }))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert!(body["user_token"].is_string());
    assert_eq!(body["state"], Value::Null);
}

#[tokio::test]
async fn wrong_secret_is_invalid_client() {
    let sim = common::start().await;
    let code = code_for(&sim, ITERNIO_CLIENT, None);
    for secret in ["not-the-key", ""] {
        let (status, body) = exchange(
            &sim,
            &[
                ("client_id", ITERNIO_CLIENT),
                ("client_secret", secret),
                ("code", &code),
                ("redirect_uri", APP_ITERNIO_REDIRECT_URI),
            ],
        )
        .await;
        assert_eq!(status, 401, "{secret:?}");
        assert_eq!(body["error"], "invalid_client");
        assert!(body["error_description"].is_string());
    }
}

#[tokio::test]
async fn clients_of_the_igtimi_dialect_are_refused() {
    let mut igtimi_client = Client::new(
        "Numeric but Igtimi",
        "5151",
        Some("secret-5151"),
        APP_ITERNIO_REDIRECT_URI,
    );
    igtimi_client.dialect = Dialect::Igtimi;
    let sim = common::start_with(SimConfig {
        extra_clients: vec![igtimi_client],
        ..SimConfig::default()
    })
    .await;
    let code = code_for(&sim, "5151", None);
    let (status, body) = exchange(
        &sim,
        &[
            ("client_id", "5151"),
            ("client_secret", "secret-5151"),
            ("code", &code),
            ("redirect_uri", APP_ITERNIO_REDIRECT_URI),
        ],
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");
    assert!(body["error_description"]
        .as_str()
        .unwrap_or_default()
        .contains("Iternio"));
}

#[tokio::test]
async fn a_reused_code_fails_and_revokes_its_token() {
    let sim = common::start().await;
    let key = api_key(&sim);
    let code = code_for(&sim, ITERNIO_CLIENT, Some("s"));
    let form = [
        ("client_id", ITERNIO_CLIENT),
        ("client_secret", key.as_str()),
        ("code", code.as_str()),
        ("redirect_uri", APP_ITERNIO_REDIRECT_URI),
    ];
    let (status, first) = exchange(&sim, &form).await;
    assert_eq!(status, 200);
    let (status, second) = exchange(&sim, &form).await;
    assert_eq!(status, 400);
    assert_eq!(second["error"], "invalid_grant");
    let token = first["user_token"].as_str().expect("token");
    let state = sim.state();
    assert_eq!(
        state
            .store
            .authenticate(Some(token), state.clock.now_secs())
            .err(),
        Some(TokenRejection::Revoked)
    );
}

#[tokio::test]
async fn redirect_uri_must_match_the_authorize_call() {
    let sim = common::start().await;
    let key = api_key(&sim);
    let code = code_for(&sim, ITERNIO_CLIENT, None);
    let (status, body) = exchange(
        &sim,
        &[
            ("client_id", ITERNIO_CLIENT),
            ("client_secret", &key),
            ("code", &code),
            ("redirect_uri", "https://evil.example/cb"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert!(body["error_description"]
        .as_str()
        .unwrap_or_default()
        .contains("redirect_uri"));
}

#[tokio::test]
async fn expired_and_unknown_codes_are_invalid_grants() {
    let sim = common::start().await;
    let key = api_key(&sim);
    let code = code_for(&sim, ITERNIO_CLIENT, None);
    sim.advance_clock(61);
    for code in [code.as_str(), "no-such-code"] {
        let (status, body) = exchange(
            &sim,
            &[
                ("client_id", ITERNIO_CLIENT),
                ("client_secret", &key),
                ("code", code),
                ("redirect_uri", APP_ITERNIO_REDIRECT_URI),
            ],
        )
        .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_grant"))
        );
    }
}

#[tokio::test]
async fn malformed_token_requests_are_400() {
    let sim = common::start().await;
    let key = api_key(&sim);
    let code = code_for(&sim, ITERNIO_CLIENT, None);
    let redirect = APP_ITERNIO_REDIRECT_URI;
    let cases: [(Vec<(&str, &str)>, &str); 4] = [
        (
            vec![
                ("grant_type", "refresh_token"),
                ("client_id", ITERNIO_CLIENT),
                ("client_secret", &key),
                ("code", &code),
                ("redirect_uri", redirect),
            ],
            "unsupported_grant_type",
        ),
        (
            vec![
                ("client_id", "telltale"),
                ("client_secret", &key),
                ("code", &code),
                ("redirect_uri", redirect),
            ],
            "invalid_request",
        ),
        (
            vec![
                ("client_id", ITERNIO_CLIENT),
                ("client_secret", &key),
                ("redirect_uri", redirect),
            ],
            "invalid_request",
        ),
        (
            vec![
                ("client_id", ITERNIO_CLIENT),
                ("client_secret", &key),
                ("code", &code),
            ],
            "invalid_request",
        ),
    ];
    for (form, error) in cases {
        let (status, body) = exchange(&sim, &form).await;
        assert_eq!(status, 400, "{form:?}");
        assert_eq!(body["error"], error, "{form:?}");
    }
}

#[tokio::test]
async fn userinfo_answers_for_a_user_token() {
    let sim = common::start().await;
    let key = api_key(&sim);
    let code = code_for(&sim, ITERNIO_CLIENT, None);
    let (_, body) = exchange(
        &sim,
        &[
            ("client_id", ITERNIO_CLIENT),
            ("client_secret", &key),
            ("code", &code),
            ("redirect_uri", APP_ITERNIO_REDIRECT_URI),
        ],
    )
    .await;
    let token = body["user_token"].as_str().expect("token");
    let (status, info) = userinfo(&sim, Some(token)).await;
    assert_eq!(status, 200);
    assert_eq!(
        info,
        json!({"id": BOB, "name": "Bob Smith", "email": "bob@telltale.demo"})
    );
}

#[tokio::test]
async fn userinfo_without_a_good_token_is_401() {
    let sim = common::start().await;
    let igtimi_token = common::token_for(&sim, BOB);
    for token in [None, Some("not-a-token"), Some(igtimi_token.as_str())] {
        let (status, body) = userinfo(&sim, token).await;
        assert_eq!(status, 401, "{token:?}");
        assert_eq!(body["error"], "invalid_token");
    }
    let response = common::http()
        .get(format!("{}/iternio/1/oauth/userinfo", sim.base_url()))
        .header("authorization", "Basic Ym9iOnB3")
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 401);
    assert!(response.headers().contains_key("www-authenticate"));
}
