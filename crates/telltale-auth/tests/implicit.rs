//! Igtimi's implicit grant against the simulator: the real sign-in and consent pages answer
//! with the token in the redirect's fragment, and every malformed or refused redirect gets
//! a clear error.

mod support;

use igtimi_client::IgtimiClient;
use igtimi_sim::{SimConfig, TokenLifetime};
use std::time::{Duration, SystemTime};
use support::sim;
use telltale_auth::{finish_sign_in, implicit, AuthError, PendingSignIns, Provider, SignIn};
use telltale_test_support::demo::{self, Decision, DemoUser};
use url::Url;

/// Starts an implicit attempt for `provider`, plays `who` through the pages, and returns
/// the registry holding the attempt and the redirect.
async fn attempt(
    sim: &igtimi_sim::Simulator,
    provider: &Provider,
    who: &DemoUser,
    decision: Decision,
) -> (PendingSignIns, String) {
    let registry = PendingSignIns::new();
    let (url, pending) = implicit::start(provider);
    registry.insert(pending);
    let callback = who.signs_in(&sim.base_url(), url.as_str(), decision).await;
    (registry, callback)
}

fn invalid_callback(result: Result<telltale_auth::TokenSet, AuthError>) -> String {
    match result {
        Err(AuthError::InvalidCallback { reason }) => reason,
        other => panic!("expected an invalid callback, got {other:?}"),
    }
}

#[tokio::test]
async fn the_authorize_url_asks_for_a_token() {
    let sim = sim::start().await;
    let (url, pending) = implicit::start(&sim::telltale_provider(&sim));
    let params: std::collections::HashMap<String, String> =
        url.query_pairs().into_owned().collect();
    assert_eq!(
        params.get("response_type").map(String::as_str),
        Some("token")
    );
    assert_eq!(
        params.get("state").map(String::as_str),
        Some(pending.state_secret())
    );
    assert!(!params.contains_key("code_challenge"));
    assert_eq!(pending.verifier_secret(), None);
}

#[tokio::test]
async fn a_token_in_the_fragment_signs_in_once() {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    let (registry, callback) = attempt(&sim, &provider, demo::bob(), Decision::Authorize).await;
    assert!(
        callback.starts_with("io.telltale.app:/oauth/callback#"),
        "{callback}"
    );
    let tokens = implicit::finish(&registry, &callback, &provider).expect("signed in");
    assert_eq!(
        tokens.expires_at, None,
        "Igtimi's tokens never expire by default"
    );
    assert_eq!(tokens.refresh_token, None);
    assert_eq!(tokens.scope, vec!["read".to_owned()]);
    let api = IgtimiClient::new(sim::base(&sim)).expect("api client");
    let account = api.account(&tokens.access_token).await.expect("account");
    assert_eq!(account.id, demo::BOB);
    assert_eq!(
        implicit::finish(&registry, &callback, &provider),
        Err(AuthError::InvalidState)
    );
}

#[tokio::test]
async fn an_expiring_token_gets_its_expiry() {
    let sim = sim::start_with(SimConfig {
        token_lifetime: TokenLifetime::Expiring { access_secs: 600 },
        ..SimConfig::default()
    })
    .await;
    let provider = sim::telltale_provider(&sim);
    let (registry, callback) = attempt(&sim, &provider, demo::ana(), Decision::Authorize).await;
    let before = SystemTime::now();
    let tokens = implicit::finish(&registry, &callback, &provider).expect("signed in");
    let expires_at = tokens.expires_at.expect("an expiry");
    assert!(expires_at >= before + Duration::from_secs(600));
    assert!(expires_at <= SystemTime::now() + Duration::from_secs(600));
    assert_eq!(tokens.refresh_token, None, "the implicit grant has none");
}

#[tokio::test]
async fn denying_is_a_cancel() {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    let (registry, callback) = attempt(&sim, &provider, demo::bob(), Decision::Deny).await;
    assert!(callback.contains("#error=access_denied"), "{callback}");
    assert_eq!(
        implicit::finish(&registry, &callback, &provider),
        Err(AuthError::Cancelled)
    );
}

#[tokio::test]
async fn errors_the_server_sends_in_the_fragment_are_rejections() {
    let sim = sim::start().await;
    let mut provider = sim::telltale_provider(&sim);
    provider.scopes = vec!["everything".into()];
    let (registry, callback) = attempt(&sim, &provider, demo::bob(), Decision::Authorize).await;
    match implicit::finish(&registry, &callback, &provider) {
        Err(AuthError::Rejected { error, description }) => {
            assert_eq!(error, "invalid_scope");
            assert!(description.unwrap_or_default().contains("everything"));
        }
        other => panic!("{other:?}"),
    }

    // Iternio's client may not use the implicit grant.
    let iternio = Provider::igtimi(
        &sim::base(&sim),
        sim::ITERNIO_CLIENT,
        None,
        Url::parse(sim::ITERNIO_REDIRECT).expect("redirect"),
    )
    .expect("provider");
    let (registry, callback) = attempt(&sim, &iternio, demo::bob(), Decision::Authorize).await;
    match implicit::finish(&registry, &callback, &iternio) {
        Err(AuthError::Rejected { error, .. }) => assert_eq!(error, "unsupported_response_type"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn malformed_redirects_are_refused_and_leave_the_attempt_waiting() {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    let (registry, callback) = attempt(&sim, &provider, demo::bob(), Decision::Authorize).await;
    let (address, fragment) = callback.split_once('#').expect("a fragment");
    let token = fragment
        .split('&')
        .find_map(|pair| pair.strip_prefix("access_token="))
        .expect("a token")
        .to_owned();
    let without = |name: &str| {
        fragment
            .split('&')
            .filter(|pair| !pair.starts_with(&format!("{name}=")))
            .collect::<Vec<_>>()
            .join("&")
    };

    let in_query = format!("{address}?{fragment}");
    assert!(invalid_callback(implicit::finish(&registry, &in_query, &provider)).contains("query"));
    let no_token = format!("{address}#{}", without("access_token"));
    assert!(
        invalid_callback(implicit::finish(&registry, &no_token, &provider))
            .contains("neither a token nor an error")
    );
    let mac = format!(
        "{address}#{}",
        fragment.replace("token_type=Bearer", "token_type=mac")
    );
    assert!(invalid_callback(implicit::finish(&registry, &mac, &provider)).contains("bearer"));
    let untyped = format!("{address}#{}", without("token_type"));
    assert!(invalid_callback(implicit::finish(&registry, &untyped, &provider)).contains("type"));
    let both = format!("{address}#{fragment}&error=server_error");
    let reason = invalid_callback(implicit::finish(&registry, &both, &provider));
    assert!(reason.contains("both a token and an error"), "{reason}");
    let no_fragment = address.to_owned();
    assert!(
        invalid_callback(implicit::finish(&registry, &no_fragment, &provider)).contains("fragment")
    );
    let elsewhere = callback.replace("/oauth/callback", "/oauth/other");
    let reason = invalid_callback(implicit::finish(&registry, &elsewhere, &provider));
    assert!(reason.contains("return address"), "{reason}");
    assert!(!reason.contains(&token));

    // None of these used up the attempt.
    assert_eq!(registry.len(), 1);
    assert!(implicit::finish(&registry, &callback, &provider).is_ok());
}

#[tokio::test]
async fn a_state_from_another_kind_of_sign_in_is_refused() {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    let (registry, callback) = attempt(&sim, &provider, demo::bob(), Decision::Authorize).await;
    let code_flow = PendingSignIns::new();
    let (_, pending) = SignIn::start(&provider);
    let code_state = pending.state_secret().to_owned();
    code_flow.insert(pending);
    let (address, fragment) = callback.split_once('#').expect("a fragment");
    let state_pair = fragment
        .split('&')
        .find(|pair| pair.starts_with("state="))
        .expect("a state");
    let forged = format!(
        "{address}#{}",
        fragment.replace(state_pair, &format!("state={code_state}"))
    );
    let reason = invalid_callback(implicit::finish(&code_flow, &forged, &provider));
    assert!(reason.contains("kind of sign-in"), "{reason}");
    // An unknown state is the usual refusal.
    assert_eq!(
        implicit::finish(&PendingSignIns::new(), &callback, &provider),
        Err(AuthError::InvalidState)
    );

    // And the other way round: a code-flow redirect carrying an implicit attempt's state.
    let implicit_state = state_pair.trim_start_matches("state=");
    let code_redirect = format!("{address}?code=abc&state={implicit_state}");
    let result = finish_sign_in(&registry, &code_redirect, &provider, &sim::http()).await;
    let reason = invalid_callback(result);
    assert!(reason.contains("kind of sign-in"), "{reason}");
}
