//! Accounts of the security service: `create_user` and its refusals, the admin secrets
//! list, and the usernames `--print-demo` names.

use super::*;

async fn json_of(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("JSON")
}

async fn create(sim: &Simulator, fields: &[(&str, &str)]) -> reqwest::Response {
    common::http()
        .post(security(sim, "create_user"))
        .form(fields)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn created_users_use_the_api_and_own_nothing() {
    let sim = common::start().await;
    let fields = [
        ("username", "mia"),
        ("email", "mia@example.org"),
        ("password", "tack+gybe9"),
        ("fullName", "Mia Berg"),
        ("company", "Berg Sails"),
    ];
    let created = json_of(create(&sim, &fields).await).await;
    assert_eq!(created["username"], "mia");
    let token = created["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        super::get_json(&sim, &token, "devices").await,
        serde_json::json!({"devices": []})
    );
    let record = json_of(
        common::http()
            .get(security(&sim, "user"))
            .query(&[("username", "mia")])
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(record["fullName"], "Mia Berg");
    assert_eq!(record["company"], "Berg Sails");
    // Signing in with the new password gives the same token.
    let again = json_of(
        common::http()
            .get(security(&sim, "access_token"))
            .basic_auth("mia", Some("tack+gybe9"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(again["access_token"], token.as_str());
    let data = get_json(
        &sim,
        &token,
        &data_query(
            &[TERN],
            week() + 10 * HOUR_MS,
            week() + 11 * HOUR_MS,
            "types[9]=0",
        ),
    )
    .await;
    assert_eq!(data, serde_json::json!({}), "no window grants Mia anything");
    // The JSON dialect does not know Riot's tokens.
    let json_api = common::http()
        .get(format!("{}/api/v1/account", sim.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(json_api.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn create_user_refusals_are_412_plain_text() {
    let sim = common::start().await;
    let good = |user: &'static str, email: &'static str, pass: &'static str| {
        vec![
            ("username", user),
            ("email", email),
            ("password", pass),
            ("fullName", "X"),
        ]
    };
    for (weak, why) in [
        ("sail-1", "at least 8 characters"),
        ("12345678", "a letter"),
        ("longletters", "a digit or a symbol"),
    ] {
        let response = create(&sim, &good("newbie", "newbie@example.org", weak)).await;
        assert_plain(response, StatusCode::PRECONDITION_FAILED, why).await;
    }
    let taken_name = create(&sim, &good("Bob", "other@example.org", "strong-pass-1")).await;
    assert_plain(
        taken_name,
        StatusCode::PRECONDITION_FAILED,
        "username Bob is taken",
    )
    .await;
    let taken_email = create(&sim, &good("newbie", "ANA@telltale.demo", "strong-pass-1")).await;
    assert_plain(
        taken_email,
        StatusCode::PRECONDITION_FAILED,
        "exists already",
    )
    .await;
    let missing = create(
        &sim,
        &[("username", "newbie"), ("password", "strong-pass-1")],
    )
    .await;
    assert_plain(
        missing,
        StatusCode::PRECONDITION_FAILED,
        "email is required",
    )
    .await;
    let bad_name = create(
        &sim,
        &good("new bie", "newbie@example.org", "strong-pass-1"),
    )
    .await;
    assert_plain(bad_name, StatusCode::PRECONDITION_FAILED, "letters, digits").await;
    // The first account with a name takes it; the second is refused.
    assert_eq!(
        create(&sim, &good("newbie", "newbie@example.org", "strong-pass-1"))
            .await
            .status(),
        StatusCode::OK
    );
    let again = create(
        &sim,
        &good("NEWBIE", "newbie2@example.org", "strong-pass-1"),
    )
    .await;
    assert_plain(again, StatusCode::PRECONDITION_FAILED, "taken").await;
}

#[tokio::test]
async fn riot_tokens_and_sessions_are_in_the_admin_secrets() {
    let sim = common::start().await;
    let http = common::http();
    let first = token(&sim, "bob").await;
    let second = http
        .post(security(&sim, "remove_access_token"))
        .bearer_auth(&first)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let login = http
        .post(security(&sim, "login"))
        .form(&[("username", "bob"), ("password", &password(&sim, "bob"))])
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"].to_str().unwrap();
    let sid = cookie["JSESSIONID=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let secrets: Value = http
        .get(format!("{}/__admin/secrets", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secrets: Vec<&str> = secrets["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    for secret in [first.as_str(), &second, &sid] {
        assert!(secrets.contains(&secret), "{secret} is not listed");
    }
}

#[tokio::test]
async fn print_demo_names_the_riot_usernames_and_paths() {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_igtimi-sim"))
        .arg("--print-demo")
        .output()
        .await
        .expect("runs");
    assert!(out.status.success());
    let demo: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut names: Vec<&str> = demo["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["ana", "bob", "developer", "kai"]);
    assert_eq!(demo["riot"]["security"], "/security/api/restsecurity/");
    assert_eq!(demo["riot"]["api"], "/igtimi/api/v1/");
    // Every listed username signs in with its listed password.
    let sim = common::start().await;
    for user in demo["users"].as_array().unwrap() {
        let response = common::http()
            .get(security(&sim, "hello"))
            .basic_auth(
                user["username"].as_str().unwrap(),
                user["password"].as_str(),
            )
            .send()
            .await
            .unwrap();
        let hello: Value = response.json().await.unwrap();
        assert_eq!(hello["principal"], user["username"]);
    }
}
