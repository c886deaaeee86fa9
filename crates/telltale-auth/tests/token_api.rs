//! The username/password token API against the simulator's `POST /v1/oauth/`: success,
//! the expiry, device-info, every refusal it gives and the transport faults.

mod support;

use igtimi_client::IgtimiClient;
use std::time::{Duration, SystemTime};
use support::sim;
use telltale_auth::token_api::{self, MAX_DEVICE_INFO_CHARS};
use telltale_auth::{AuthError, TokenSet};
use telltale_test_support::demo;
use url::Url;

/// 30 days, the token API's documented lifetime.
const THIRTY_DAYS: u64 = 30 * 24 * 3600;

fn rejected_with(result: &Result<TokenSet, AuthError>, code: &str) -> String {
    match result {
        Err(AuthError::Rejected { error, description }) if error == code => {
            description.clone().unwrap_or_default()
        }
        other => panic!("expected a {code} refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_token_expires_when_the_server_says_and_works_on_the_api() {
    let sim = sim::start().await;
    let now = u64::try_from(sim.state().clock.now_secs()).expect("positive clock");
    let tokens = sim::token_api_token(
        &sim::base(&sim),
        demo::bob(),
        &token_api::device_info(),
        &sim::http(),
    )
    .await
    .expect("token");
    let expires_at = tokens.expires_at.expect("an expiry");
    let expected = SystemTime::UNIX_EPOCH + Duration::from_secs(now + THIRTY_DAYS);
    let slack = Duration::from_secs(2);
    assert!(
        expires_at >= expected && expires_at <= expected + slack,
        "{expires_at:?} vs {expected:?}"
    );
    assert_eq!(tokens.refresh_token, None);
    let api = IgtimiClient::new(sim::base(&sim)).expect("api client");
    let account = api.account(&tokens.access_token).await.expect("account");
    assert_eq!(account.id, demo::BOB);
}

#[tokio::test]
async fn the_base_may_end_with_or_without_a_slash() {
    let sim = sim::start().await;
    let slashed = Url::parse(&format!("{}/", sim.base_url())).expect("base");
    let result = sim::token_api_token(&slashed, demo::ana(), "", &sim::http()).await;
    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn a_long_device_info_is_cut_to_what_the_server_takes() {
    let sim = sim::start().await;
    // 300 two-byte characters: the server refuses more than 200 characters.
    let long = "é".repeat(MAX_DEVICE_INFO_CHARS + 100);
    let result = sim::token_api_token(&sim::base(&sim), demo::bob(), &long, &sim::http()).await;
    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn wrong_credentials_are_bad_credentials_without_the_password() {
    let sim = sim::start().await;
    for (user, pass) in [
        (demo::bob().email.as_str(), "windward-9"),
        ("nobody@telltale.demo", demo::bob().password.as_str()),
    ] {
        let err = token_api::generate(&sim::base(&sim), user, pass, "test", &sim::http())
            .await
            .expect_err("refused");
        assert_eq!(err, AuthError::BadCredentials);
        assert!(!format!("{err} {err:?}").contains(pass));
    }
}

#[tokio::test]
async fn missing_values_get_the_servers_message() {
    let sim = sim::start().await;
    let no_user = token_api::generate(
        &sim::base(&sim),
        "  ",
        &demo::bob().password,
        "",
        &sim::http(),
    )
    .await;
    assert_eq!(
        rejected_with(&no_user, "400"),
        "The username parameter is required"
    );
    let no_password =
        token_api::generate(&sim::base(&sim), &demo::bob().email, "", "", &sim::http()).await;
    let err = no_password.as_ref().expect_err("refused").to_string();
    assert_eq!(
        err,
        "the sign-in server refused the request (400: The password parameter is required)"
    );
}

#[tokio::test]
async fn error_statuses_without_the_apis_json_are_server_errors() {
    let sim = sim::start().await;
    // The fault's body is JSON, but not the token API's.
    sim::fail_next(
        &sim,
        "/v1/oauth/",
        igtimi_sim::FaultKind::Status { code: 429 },
    );
    let result = sim::token_api_token(&sim::base(&sim), demo::bob(), "", &sim::http()).await;
    assert_eq!(result, Err(AuthError::Server { status: 429 }));
}

#[tokio::test]
async fn plain_http_to_another_computer_is_refused_before_sending() {
    let base = Url::parse("http://example.org").expect("base");
    let result = sim::token_api_token(&base, demo::bob(), "", &sim::http()).await;
    assert!(
        matches!(result, Err(AuthError::Config { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn transport_faults_give_the_usual_errors() {
    let sim = sim::start().await;
    let http = sim::impatient_http();
    for case in sim::transport_faults() {
        sim::fail_next(&sim, "/v1/oauth/", case.kind.clone());
        let result = sim::token_api_token(&sim::base(&sim), demo::bob(), "", &http).await;
        case.check(&result);
    }
    assert!(
        sim::token_api_token(&sim::base(&sim), demo::bob(), "", &http)
            .await
            .is_ok()
    );
}
