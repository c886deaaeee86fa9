//! `POST /v1/oauth/`: credentials from the query string or a form body, the documented
//! answers and errors, debug mode, and the missing-slash redirect.

use crate::common;
use igtimi_sim::demo::BOB;
use igtimi_sim::store::Origin;
use igtimi_sim::Simulator;
use serde_json::Value;

const BOB_EMAIL: &str = "bob@telltale.demo";
const BOB_PASSWORD: &str = "windward-1";
const THIRTY_DAYS: i64 = 30 * 24 * 3600;

/// POSTs to a path with the parameters in the query string, as the documentation shows.
async fn post_query(sim: &Simulator, path: &str, params: &[(&str, &str)]) -> reqwest::Response {
    common::http()
        .post(format!("{}{path}", sim.base_url()))
        .query(params)
        .send()
        .await
        .expect("answers")
}

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

fn assert_success(sim: &Simulator, body: &Value) {
    assert_eq!(body["success"], true);
    let token = body["data"]["access_token"].as_str().expect("a token");
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let state = sim.state();
    let now = state.clock.now_secs();
    let record = state
        .store
        .authenticate(Some(token), now)
        .expect("the token is accepted like any other");
    assert_eq!(record.user_id, BOB);
    assert_eq!(record.client_id, "token-api");
    assert_eq!(record.origin, Origin::TokenApi);
    let expiry = body["data"]["expiry"]
        .as_i64()
        .expect("expiry in unix seconds");
    assert!(
        (expiry - (now + THIRTY_DAYS)).abs() <= 5,
        "expiry {expiry}, now {now}"
    );
    assert_eq!(record.expires_at, Some(expiry));
}

#[tokio::test]
async fn query_string_credentials_give_a_30_day_token() {
    let sim = common::start().await;
    let response = post_query(
        &sim,
        "/v1/oauth/",
        &[
            ("username", BOB_EMAIL),
            ("password", BOB_PASSWORD),
            ("device-info", "Pixel 8, Telltale 0.1"),
        ],
    )
    .await;
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200);
    assert_success(&sim, &body);
}

#[tokio::test]
async fn form_body_credentials_work_too() {
    let sim = common::start().await;
    let response = common::http()
        .post(format!("{}/v1/oauth/", sim.base_url()))
        .form(&[
            ("username", BOB_EMAIL),
            ("password", BOB_PASSWORD),
            ("debug", "1"),
        ])
        .send()
        .await
        .expect("answers");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200);
    assert_success(&sim, &body);
    assert!(body.get("debug").is_none());
}

#[tokio::test]
async fn the_alternative_path_works() {
    let sim = common::start().await;
    let params = [("username", BOB_EMAIL), ("password", BOB_PASSWORD)];
    let (status, body) = json_of(post_query(&sim, "/v1/add/index.php", &params).await).await;
    assert_eq!(status, 200);
    assert_success(&sim, &body);
}

#[tokio::test]
async fn token_expires_after_30_days_on_the_simulator_clock() {
    let sim = common::start().await;
    let params = [("username", BOB_EMAIL), ("password", BOB_PASSWORD)];
    let (_, body) = json_of(post_query(&sim, "/v1/oauth/", &params).await).await;
    let token = body["data"]["access_token"]
        .as_str()
        .expect("token")
        .to_string();
    sim.advance_clock(THIRTY_DAYS - 60);
    let state = sim.state();
    assert!(state
        .store
        .authenticate(Some(&token), state.clock.now_secs())
        .is_ok());
    sim.advance_clock(120);
    assert!(state
        .store
        .authenticate(Some(&token), state.clock.now_secs())
        .is_err());
}

#[tokio::test]
async fn wrong_password_is_401_with_debug_only_when_asked() {
    let sim = common::start().await;
    let params = [("username", BOB_EMAIL), ("password", "leeward-2")];
    let (status, body) = json_of(post_query(&sim, "/v1/oauth/", &params).await).await;
    assert_eq!(status, 401);
    assert_eq!(body["success"], false);
    assert_eq!(body["errors"]["code"], 401);
    assert!(body["errors"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert!(body.get("debug").is_none(), "{body}");
    assert!(body.get("data").is_none());

    let params = [
        ("username", BOB_EMAIL),
        ("password", "leeward-2"),
        ("debug", "1"),
    ];
    let (status, body) = json_of(post_query(&sim, "/v1/oauth/", &params).await).await;
    assert_eq!(status, 401);
    assert_eq!(body["debug"]["password"], "Password incorrect");
    assert!(body["debug"].get("username").is_none());
}

#[tokio::test]
async fn unknown_user_is_401_with_debug_only_when_asked() {
    let sim = common::start().await;
    let params = [
        ("username", "nobody@telltale.demo"),
        ("password", BOB_PASSWORD),
    ];
    let (status, body) = json_of(post_query(&sim, "/v1/oauth/", &params).await).await;
    assert_eq!(status, 401);
    assert_eq!(body["success"], false);
    assert!(body.get("debug").is_none());

    let params = [
        ("username", "nobody@telltale.demo"),
        ("password", BOB_PASSWORD),
        ("debug", "1"),
    ];
    let (status, body) = json_of(post_query(&sim, "/v1/oauth/", &params).await).await;
    assert_eq!(status, 401);
    assert_eq!(body["debug"]["username"], "Username not found");

    let params = [("username", BOB_EMAIL), ("password", "x"), ("debug", "0")];
    let (_, body) = json_of(post_query(&sim, "/v1/oauth/", &params).await).await;
    assert!(body.get("debug").is_none());
}

#[tokio::test]
async fn device_info_longer_than_200_characters_is_refused() {
    let sim = common::start().await;
    // 200 characters (not bytes) is still fine.
    let longest = "é".repeat(200);
    let params = [
        ("username", BOB_EMAIL),
        ("password", BOB_PASSWORD),
        ("device-info", longest.as_str()),
    ];
    let (status, _) = json_of(post_query(&sim, "/v1/oauth/", &params).await).await;
    assert_eq!(status, 200);

    let too_long = "x".repeat(201);
    let params = [
        ("username", BOB_EMAIL),
        ("password", BOB_PASSWORD),
        ("device-info", too_long.as_str()),
    ];
    let (status, body) = json_of(post_query(&sim, "/v1/oauth/", &params).await).await;
    assert_eq!(status, 400);
    assert_eq!(body["success"], false);
    assert_eq!(body["errors"]["code"], 400);
    let message = body["errors"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("device-info") && message.contains("201"),
        "{message}"
    );
}

#[tokio::test]
async fn bad_requests_are_400() {
    let sim = common::start().await;
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[("password", BOB_PASSWORD)], "username"),
        (&[("username", BOB_EMAIL)], "password"),
        (&[("username", ""), ("password", BOB_PASSWORD)], "username"),
        (
            &[
                ("username", BOB_EMAIL),
                ("password", BOB_PASSWORD),
                ("debug", "yes"),
            ],
            "debug",
        ),
    ];
    for (params, named) in cases {
        let (status, body) = json_of(post_query(&sim, "/v1/oauth/", params).await).await;
        assert_eq!(status, 400, "{params:?}");
        assert_eq!(body["success"], false);
        let message = body["errors"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(named), "{params:?}: {message}");
    }
}

#[tokio::test]
async fn missing_slash_redirects_and_the_post_is_lost() {
    let sim = common::start().await;
    let params = [("username", BOB_EMAIL), ("password", BOB_PASSWORD)];
    let response = post_query(&sim, "/v1/oauth", &params).await;
    assert_eq!(response.status(), 301);
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location")
        .to_string();
    assert!(location.starts_with("/v1/oauth/?username="), "{location}");
    assert_eq!(
        sim.state()
            .store
            .live_access_tokens(sim.state().clock.now_secs()),
        0
    );
    // A client following the 301 turns the POST into a GET, which the API refuses.
    let followed = common::http()
        .get(format!("{}{location}", sim.base_url()))
        .send()
        .await
        .expect("answers");
    let (status, body) = json_of(followed).await;
    assert_eq!(status, 405);
    assert_eq!(body["success"], false);
    assert_eq!(body["errors"]["code"], 405);
}
