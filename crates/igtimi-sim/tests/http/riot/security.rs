//! The security service: tokens and their rotation, hello, sessions, user records.

use super::*;

async fn json_of(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn one_base64_token_per_user_by_every_kind_of_credentials() {
    let sim = common::start().await;
    let http = common::http();
    let pass = password(&sim, "bob");
    let by_form = json_of(
        http.post(security(&sim, "access_token"))
            .form(&[("username", "bob"), ("password", pass.as_str())])
            .send()
            .await
            .unwrap(),
    )
    .await;
    let token = by_form["access_token"].as_str().unwrap().to_string();
    assert_eq!(by_form["username"], "bob");
    // 32 bytes in standard base64: 44 characters with `+`, `/` and `=`.
    assert_eq!(token.len(), 44);
    assert!(token.ends_with('=') && token.contains('+') && token.contains('/'));

    let by_basic = json_of(
        http.get(security(&sim, "access_token"))
            .basic_auth("bob@telltale.demo", Some(&pass))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let by_bearer = json_of(
        http.get(security(&sim, "access_token"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    // A query string works as a servlet's parameters do, the email as the username.
    let by_query = json_of(
        http.get(security(&sim, "access_token"))
            .query(&[
                ("username", "BOB@telltale.demo"),
                ("password", pass.as_str()),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await;
    for answer in [&by_basic, &by_bearer, &by_query] {
        assert_eq!(answer, &by_form, "the same token every time");
    }
    let ana = super::token(&sim, "ana").await;
    assert_ne!(ana, token);

    let wrong = http
        .post(security(&sim, "access_token"))
        .form(&[("username", "bob"), ("password", "leeward-2")])
        .send()
        .await
        .unwrap();
    assert_plain(
        wrong,
        StatusCode::UNAUTHORIZED,
        "Wrong username or password",
    )
    .await;
    let none = http
        .get(security(&sim, "access_token"))
        .send()
        .await
        .unwrap();
    assert_plain(none, StatusCode::UNAUTHORIZED, "Authentication required").await;
}

#[tokio::test]
async fn remove_access_token_rotates() {
    let sim = common::start().await;
    let http = common::http();
    let old = token(&sim, "kai").await;
    let rotated = json_of(
        http.post(security(&sim, "remove_access_token"))
            .bearer_auth(&old)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let new = rotated["access_token"].as_str().unwrap();
    assert_eq!(rotated["username"], "kai");
    assert_ne!(new, old);
    let (status, text) = get_text(&sim, &old, "devices").await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::UNAUTHORIZED, "The access token is not valid")
    );
    assert_eq!(
        get_json(&sim, new, "devices").await["devices"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // Asking again now gives the new token.
    assert_eq!(token(&sim, "kai").await, new);
}

async fn hello(http: &reqwest::Client, sim: &Simulator, bearer: Option<&str>) -> Value {
    let mut request = http.get(security(sim, "hello"));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    json_of(request.send().await.unwrap()).await
}

#[tokio::test]
async fn hello_login_and_logout() {
    let sim = common::start().await;
    let http = common::http();
    let anonymous = serde_json::json!({
        "principal": "anonymous", "authenticated": false, "remembered": false
    });
    assert_eq!(hello(&http, &sim, None).await, anonymous);
    assert_eq!(hello(&http, &sim, Some("not-a-token")).await, anonymous);
    let bearer = token(&sim, "ana").await;
    let signed_in = hello(&http, &sim, Some(&bearer)).await;
    assert_eq!(signed_in["principal"], "ana");
    assert_eq!(signed_in["authenticated"], true);

    // `http` keeps cookies: the session carries on to hello and access_token.
    let login = http
        .post(security(&sim, "login"))
        .form(&[("username", "ana"), ("password", &password(&sim, "ana"))])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::FOUND);
    assert_eq!(login.headers()["location"], format!("{SECURITY}/hello"));
    let cookie = login.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("JSESSIONID=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert_eq!(hello(&http, &sim, None).await["principal"], "ana");
    let by_session = json_of(
        http.get(security(&sim, "access_token"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(by_session["access_token"], bearer.as_str());
    // The API itself does not take the session cookie.
    let api_call = http.get(api(&sim, "devices")).send().await.unwrap();
    assert_eq!(api_call.status(), StatusCode::UNAUTHORIZED);

    let logout = http.post(security(&sim, "logout")).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::OK);
    assert_eq!(hello(&http, &sim, None).await, anonymous);
    // The bearer token outlives the session.
    assert_eq!(hello(&http, &sim, Some(&bearer)).await["principal"], "ana");
    assert_eq!(
        get_json(&sim, &bearer, "devices").await["devices"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );

    let bad = common::http()
        .post(security(&sim, "login"))
        .form(&[("username", "ana"), ("password", "nope")])
        .send()
        .await
        .unwrap();
    assert!(bad.headers().get("set-cookie").is_none());
    assert_plain(bad, StatusCode::UNAUTHORIZED, "Wrong username or password").await;
}

#[tokio::test]
async fn a_user_reads_their_own_record_only() {
    let sim = common::start().await;
    let http = common::http();
    let bob = token(&sim, "bob").await;
    let own = json_of(
        http.get(security(&sim, "user"))
            .query(&[("username", "bob")])
            .bearer_auth(&bob)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        own,
        serde_json::json!({
            "username": "bob", "fullName": "Bob Smith",
            "email": "bob@telltale.demo", "company": ""
        })
    );
    for other in ["ana", "nobody"] {
        let response = http
            .get(security(&sim, "user"))
            .query(&[("username", other)])
            .bearer_auth(&bob)
            .send()
            .await
            .unwrap();
        assert_plain(response, StatusCode::FORBIDDEN, "your own user record").await;
    }
    let missing = http
        .get(security(&sim, "user"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_plain(missing, StatusCode::BAD_REQUEST, "username").await;
    let anonymous = http
        .get(security(&sim, "user"))
        .query(&[("username", "bob")])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
