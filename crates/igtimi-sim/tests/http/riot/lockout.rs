//! Authentication of the API: the 401s, Basic and form credentials, their precedence, and
//! the lockout of an address that guesses tokens.

use super::*;

async fn send(request: reqwest::RequestBuilder) -> reqwest::Response {
    request.send().await.expect("answers")
}

#[tokio::test]
async fn missing_and_bad_credentials_are_401_plain_text() {
    let sim = common::start().await;
    let http = common::http();
    let url = api(&sim, "devices/");
    let none = send(http.get(&url)).await;
    assert_eq!(none.headers()["www-authenticate"], "Bearer realm=\"riot\"");
    assert_plain(none, StatusCode::UNAUTHORIZED, "Authentication required").await;
    let bad = send(http.get(&url).bearer_auth("bm90IGEgdG9rZW4=")).await;
    assert_plain(
        bad,
        StatusCode::UNAUTHORIZED,
        "The access token is not valid",
    )
    .await;
    let wrong = send(http.get(&url).basic_auth("bob", Some("leeward-2"))).await;
    assert_plain(
        wrong,
        StatusCode::UNAUTHORIZED,
        "Wrong username or password",
    )
    .await;
    let odd = send(http.get(&url).header("authorization", "Digest x=1")).await;
    assert_plain(odd, StatusCode::UNAUTHORIZED, "Bearer or Basic").await;
    // A bad bearer token decides, whatever password parameters follow.
    let mixed = send(
        http.get(&url)
            .bearer_auth("bm90IGEgdG9rZW4=")
            .query(&[("username", "bob"), ("password", &password(&sim, "bob"))]),
    )
    .await;
    assert_eq!(mixed.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn basic_and_form_credentials_work_like_a_token() {
    let sim = common::start().await;
    let http = common::http();
    let pass = password(&sim, "bob");
    let by_token = get_json(&sim, &token(&sim, "bob").await, "devices").await;
    let by_basic: Value = send(
        http.get(api(&sim, "devices"))
            .basic_auth("bob", Some(&pass)),
    )
    .await
    .json()
    .await
    .unwrap();
    let by_form: Value = send(
        http.get(api(&sim, "devices"))
            .form(&[("username", "bob"), ("password", pass.as_str())]),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(by_basic, by_token);
    assert_eq!(by_form, by_token);
    // A POSTed form with `_method=GET`, the way long filters are sent.
    let start = week() + 10 * HOUR_MS;
    let (start_s, end_s) = (start.to_string(), (start + 10_000).to_string());
    let posted = http
        .post(api(&sim, "resources/data"))
        .form(&[
            ("_method", "GET"),
            ("username", "bob"),
            ("password", pass.as_str()),
            ("start_time", start_s.as_str()),
            ("end_time", end_s.as_str()),
            ("serial_numbers[]", TERN),
            ("types[9]", "0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::OK);
    let body: Value = posted.json().await.unwrap();
    assert_eq!(messages(&body, TERN).len(), 11);
}

async fn advance_clock(sim: &Simulator, secs: i64) {
    let response = common::http()
        .post(format!("{}/__admin/clock/advance", sim.base_url()))
        .json(&serde_json::json!({ "secs": secs }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

async fn bad_tokens(sim: &Simulator, n: usize) {
    for i in 0..n {
        let (status, text) = get_text(sim, &format!("guess{i}+/="), "devices").await;
        assert_eq!(
            (status, text.as_str()),
            (StatusCode::UNAUTHORIZED, "The access token is not valid")
        );
    }
}

#[tokio::test]
async fn ten_bad_tokens_lock_the_address_out_for_a_minute() {
    let sim = common::start().await;
    let good = token(&sim, "bob").await;
    bad_tokens(&sim, 9).await;
    // Nine are tolerated; a good token does not reset the count.
    assert_eq!(get_text(&sim, &good, "devices").await.0, StatusCode::OK);
    bad_tokens(&sim, 1).await;
    let locked = common::http()
        .get(api(&sim, "devices"))
        .bearer_auth(&good)
        .send()
        .await
        .unwrap();
    let retry: i64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((59..=60).contains(&retry), "Retry-After {retry}");
    assert_plain(locked, StatusCode::UNAUTHORIZED, "locked out for").await;
    // Every Riot path of the address, the security service and unknown paths too.
    for url in [
        security(&sim, "hello"),
        security(&sim, "access_token"),
        api(&sim, "nowhere"),
    ] {
        let response = common::http()
            .get(url)
            .bearer_auth(&good)
            .send()
            .await
            .unwrap();
        assert_plain(response, StatusCode::UNAUTHORIZED, "locked out").await;
    }
    // The JSON dialect is not part of it.
    let json_token = common::token_for(&sim, BOB);
    let json_api = common::http()
        .get(format!("{}/api/v1/account", sim.base_url()))
        .bearer_auth(&json_token)
        .send()
        .await
        .unwrap();
    assert_eq!(json_api.status(), StatusCode::OK);

    advance_clock(&sim, 30).await;
    assert_eq!(
        get_text(&sim, &good, "devices").await.0,
        StatusCode::UNAUTHORIZED
    );
    advance_clock(&sim, 31).await;
    assert_eq!(get_text(&sim, &good, "devices").await.0, StatusCode::OK);
    // The count started again: one more bad token does not lock.
    bad_tokens(&sim, 1).await;
    assert_eq!(get_text(&sim, &good, "devices").await.0, StatusCode::OK);
}

#[tokio::test]
async fn bad_tokens_older_than_a_minute_do_not_count() {
    let sim = common::start().await;
    let good = token(&sim, "ana").await;
    bad_tokens(&sim, 9).await;
    advance_clock(&sim, 61).await;
    bad_tokens(&sim, 9).await;
    assert_eq!(get_text(&sim, &good, "devices").await.0, StatusCode::OK);
    bad_tokens(&sim, 1).await;
    assert_eq!(
        get_text(&sim, &good, "devices").await.0,
        StatusCode::UNAUTHORIZED
    );
}
