//! Igtimi's password grant against the simulator's token endpoint: success with the app's
//! confidential client and a public client, every refusal the endpoint gives, and the
//! transport faults.

mod support;

use igtimi_client::IgtimiClient;
use igtimi_sim::{SimConfig, TokenLifetime};
use std::time::{Duration, SystemTime};
use support::sim;
use telltale_auth::{password, refresh, AuthError, Provider};
use telltale_test_support::demo;
use url::Url;

fn rejected_with(result: &Result<telltale_auth::TokenSet, AuthError>, code: &str) -> String {
    match result {
        Err(AuthError::Rejected { error, description }) if error == code => {
            description.clone().unwrap_or_default()
        }
        other => panic!("expected {code}, got {other:?}"),
    }
}

#[tokio::test]
async fn the_right_password_gives_a_working_token_that_never_expires() {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    let tokens = sim::password_sign_in(&provider, demo::bob(), &sim::http())
        .await
        .expect("signed in");
    assert_eq!(tokens.expires_at, None);
    assert_eq!(tokens.refresh_token, None);
    assert_eq!(tokens.scope, vec!["read".to_owned()]);
    let api = IgtimiClient::new(sim::base(&sim)).expect("api client");
    let account = api.account(&tokens.access_token).await.expect("account");
    assert_eq!(account.id, demo::BOB);
}

#[tokio::test]
async fn expiring_tokens_come_with_a_refresh_token_that_works() {
    let sim = sim::start_with(SimConfig {
        token_lifetime: TokenLifetime::Expiring { access_secs: 900 },
        ..SimConfig::default()
    })
    .await;
    let mut provider = sim::telltale_provider(&sim);
    provider.scopes = vec!["read".into(), "write".into()];
    let before = SystemTime::now();
    let tokens = sim::password_sign_in(&provider, demo::ana(), &sim::http())
        .await
        .expect("signed in");
    let expires_at = tokens.expires_at.expect("an expiry");
    assert!(expires_at >= before + Duration::from_secs(900));
    assert!(expires_at <= SystemTime::now() + Duration::from_secs(900));
    assert_eq!(tokens.scope, vec!["read".to_owned(), "write".to_owned()]);
    let refresh_token = tokens.refresh_token.clone().expect("a refresh token");
    let renewed = refresh(&provider, &refresh_token, &sim::http())
        .await
        .expect("refresh");
    assert_ne!(renewed.access_token, tokens.access_token);
}

#[tokio::test]
async fn a_public_client_signs_in_without_a_secret() {
    let sim = sim::start().await;
    let cli = sim
        .manifest()
        .clients
        .into_iter()
        .find(|c| c.client_secret.is_none())
        .expect("the demo has a public client");
    let provider = Provider::igtimi(
        &sim::base(&sim),
        cli.client_id,
        None,
        Url::parse("urn:ietf:wg:oauth:2.0:oob").expect("oob"),
    )
    .expect("provider");
    let tokens = sim::password_sign_in(&provider, demo::bob(), &sim::http()).await;
    assert!(tokens.is_ok(), "{tokens:?}");
}

#[tokio::test]
async fn a_wrong_password_or_unknown_user_is_bad_credentials_without_the_password() {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    for (user, pass) in [
        (demo::bob().email.as_str(), "windward-2"),
        ("nobody@telltale.demo", demo::bob().password.as_str()),
        (demo::bob().email.as_str(), demo::ana().password.as_str()),
    ] {
        let result = password::sign_in(&provider, user, pass, &sim::http()).await;
        let err = result.expect_err("refused");
        assert_eq!(err, AuthError::BadCredentials, "{user}");
        assert_eq!(err.to_string(), "the user name or password is wrong");
        assert!(!format!("{err:?} {err}").contains(pass));
    }
}

#[tokio::test]
async fn missing_values_are_refused_with_the_servers_words() {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    let no_password = password::sign_in(&provider, &demo::bob().email, "", &sim::http()).await;
    assert!(rejected_with(&no_password, "invalid_request").contains("password"));
    let no_user = password::sign_in(&provider, "", &demo::bob().password, &sim::http()).await;
    assert!(rejected_with(&no_user, "invalid_request").contains("username"));
}

#[tokio::test]
async fn client_problems_are_rejections() {
    let sim = sim::start().await;
    let good = sim::telltale_provider(&sim);

    let mut wrong_secret = good.clone();
    wrong_secret.client_secret = Some("not-the-secret".into());
    let result = sim::password_sign_in(&wrong_secret, demo::bob(), &sim::http()).await;
    assert!(rejected_with(&result, "invalid_client").contains("secret is wrong"));

    let mut no_secret = good.clone();
    no_secret.client_secret = None;
    let result = sim::password_sign_in(&no_secret, demo::bob(), &sim::http()).await;
    assert!(rejected_with(&result, "invalid_client").contains("must authenticate"));

    let mut unknown = good.clone();
    unknown.client_id = "no-such-client".into();
    let result = sim::password_sign_in(&unknown, demo::bob(), &sim::http()).await;
    assert!(rejected_with(&result, "invalid_client").contains("Unknown client"));

    // The Iternio client at Igtimi's token endpoint.
    let iternio = Provider::igtimi(
        &sim::base(&sim),
        sim::ITERNIO_CLIENT,
        Some(sim::iternio_api_key(&sim)),
        Url::parse(sim::ITERNIO_REDIRECT).expect("redirect"),
    )
    .expect("provider");
    let result = sim::password_sign_in(&iternio, demo::bob(), &sim::http()).await;
    assert!(rejected_with(&result, "unauthorized_client").contains("Iternio"));

    let mut bad_scope = good;
    bad_scope.scopes = vec!["admin".into()];
    let result = sim::password_sign_in(&bad_scope, demo::bob(), &sim::http()).await;
    assert!(rejected_with(&result, "invalid_scope").contains("admin"));
}

#[tokio::test]
async fn a_plain_error_status_is_kept_apart_from_oauth_errors() {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    sim::fail_next(
        &sim,
        "/oauth/token",
        igtimi_sim::FaultKind::Status { code: 400 },
    );
    let result = sim::password_sign_in(&provider, demo::bob(), &sim::http()).await;
    // The fault's JSON names an "error" without a description: a rejection, not a crash.
    rejected_with(&result, "Bad Request");
}

#[tokio::test]
async fn transport_faults_at_the_token_endpoint_give_the_usual_errors() {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    let http = sim::impatient_http();
    for case in sim::transport_faults() {
        sim::fail_next(&sim, "/oauth/token", case.kind.clone());
        let result = sim::password_sign_in(&provider, demo::bob(), &http).await;
        case.check(&result);
    }
    // With the faults used up, the same call works.
    assert!(sim::password_sign_in(&provider, demo::bob(), &http)
        .await
        .is_ok());
}
