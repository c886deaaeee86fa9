//! Access tokens: both ways of presenting one, and the 401s for bad ones.

use super::*;

async fn assert_rejected(response: reqwest::Response, description: &str) {
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    assert_eq!(challenge.as_deref(), Some("Bearer error=\"invalid_token\""));
    let body: Value = response.json().await.expect("JSON error");
    assert_eq!(body["error"], "invalid_token");
    assert_eq!(body["error_description"], description);
}

#[tokio::test]
async fn token_as_header_query_and_form_parameter() {
    let sim = common::start().await;
    let token = common::token_for(&sim, BOB);
    let http = common::http();
    let url = format!("{}/api/v1/account", sim.base_url());

    let by_header: Value = http
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_header["user"]["id"], BOB);

    let by_query = http
        .get(&url)
        .query(&[("access_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(by_query.status(), StatusCode::OK);
    let by_query: Value = by_query.json().await.unwrap();
    assert_eq!(by_query, by_header);

    // A POSTed form with `_method=GET` may carry the token too.
    let by_form = http
        .post(&url)
        .form(&[("_method", "GET"), ("access_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(by_form.status(), StatusCode::OK);
    assert_eq!(by_form.json::<Value>().await.unwrap(), by_header);
}

#[tokio::test]
async fn missing_and_unknown_tokens_are_refused() {
    let sim = common::start().await;
    let http = common::http();
    let url = format!("{}/api/v1/devices", sim.base_url());
    assert_rejected(
        http.get(&url).send().await.unwrap(),
        "No access token was given",
    )
    .await;
    assert_rejected(
        http.get(&url)
            .bearer_auth("f".repeat(64))
            .send()
            .await
            .unwrap(),
        "The access token is invalid",
    )
    .await;
    assert_rejected(
        http.get(&url)
            .query(&[("access_token", "nope")])
            .send()
            .await
            .unwrap(),
        "The access token is invalid",
    )
    .await;
}

#[tokio::test]
async fn revoked_and_expired_tokens_are_refused() {
    let sim = common::start().await;
    let http = common::http();
    let url = format!("{}/api/v1/account", sim.base_url());
    let revoked = common::token_for(&sim, BOB);
    let other = common::token_for(&sim, ANA);
    assert!(sim.revoke_token(&revoked));
    assert_rejected(
        http.get(&url).bearer_auth(&revoked).send().await.unwrap(),
        "The access token was revoked",
    )
    .await;
    // Revoking one token leaves the others working.
    let ok = http.get(&url).bearer_auth(&other).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);

    assert!(sim.expire_all_tokens() >= 1);
    assert_rejected(
        http.get(&url).bearer_auth(&other).send().await.unwrap(),
        "The access token expired",
    )
    .await;
}

#[tokio::test]
async fn post_with_method_get_reaches_the_get_handlers() {
    let sim = common::start().await;
    let token = common::token_for(&sim, BOB);
    let http = common::http();
    let url = format!("{}/api/v1/devices", sim.base_url());
    let response = http
        .post(&url)
        .bearer_auth(&token)
        .form(&[("_method", "GET"), ("serial_numbers[]", PETREL)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let serials: Vec<Value> = items(&body, "devices", "device")
        .iter()
        .map(|d| d["serial_number"].clone())
        .collect();
    assert_eq!(serials, vec![Value::from(PETREL)]);

    // Without the override a POST is not a read.
    let plain = http
        .post(&url)
        .bearer_auth(&token)
        .form(&[("serial_numbers[]", PETREL)])
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::METHOD_NOT_ALLOWED);
}
