//! The sign-in flow against the real simulator over loopback HTTP: its real sign-in and
//! consent pages, its token endpoint with PKCE, and then the account through igtimi-client.

mod support;

use igtimi_client::{ApiError, IgtimiClient};
use igtimi_sim::{FaultKind, FaultRule, Simulator};
use support::sim;
use telltale_auth::{finish_sign_in, AuthError, AuthHttp, PendingSignIns, Provider, SignIn};
use telltale_test_support::demo::{self, Decision, DemoUser};
use url::Url;

async fn sim_and_provider() -> (Simulator, Provider) {
    let sim = sim::start().await;
    let provider = sim::telltale_provider(&sim);
    (sim, provider)
}

/// Starts a sign-in attempt, plays the person through it, and returns the registry that
/// holds the attempt with the callback URL the server redirected to.
async fn attempt(
    sim: &Simulator,
    provider: &Provider,
    who: &DemoUser,
    decision: Decision,
) -> (PendingSignIns, String) {
    let registry = PendingSignIns::new();
    let (authorize, pending) = SignIn::start(provider);
    registry.insert(pending);
    let callback = who
        .signs_in(&sim.base_url(), authorize.as_str(), decision)
        .await;
    (registry, callback)
}

#[tokio::test]
async fn sign_in_through_the_real_pages_then_read_the_account() {
    let (sim, provider) = sim_and_provider().await;
    let (registry, callback) = attempt(&sim, &provider, demo::bob(), Decision::Authorize).await;
    assert!(
        callback.starts_with("io.telltale.app:/oauth/callback?"),
        "{callback}"
    );

    let http = AuthHttp::new();
    let tokens = finish_sign_in(&registry, &callback, &provider, &http)
        .await
        .expect("signed in");
    assert!(
        tokens.expires_at.is_none(),
        "Igtimi's tokens never expire by default"
    );

    let api = IgtimiClient::new(Url::parse(&sim.base_url()).unwrap()).expect("client");
    let account = api.account(&tokens.access_token).await.expect("account");
    assert_eq!(account.id, demo::BOB);
    assert_eq!(account.email.as_ref(), Some(&demo::bob().email));

    // The same callback again: its state was used up.
    let again = finish_sign_in(&registry, &callback, &provider, &http).await;
    assert!(matches!(again, Err(AuthError::InvalidState)), "{again:?}");

    // Revoked at the server: the API answers Unauthorized, which makes the app drop it.
    assert!(sim.revoke_token(tokens.access_token.expose_secret()));
    let rejected = api.account(&tokens.access_token).await;
    assert!(
        matches!(rejected, Err(ApiError::Unauthorized)),
        "{rejected:?}"
    );
}

#[tokio::test]
async fn denying_at_the_consent_page_is_a_clean_cancel() {
    let (sim, provider) = sim_and_provider().await;
    let (registry, callback) = attempt(&sim, &provider, demo::ana(), Decision::Deny).await;
    let http = AuthHttp::new();
    let result = finish_sign_in(&registry, &callback, &provider, &http).await;
    assert!(matches!(result, Err(AuthError::Cancelled)), "{result:?}");
}

#[tokio::test]
async fn a_token_endpoint_failing_with_json_503_is_a_server_error_not_a_rejection() {
    let (sim, provider) = sim_and_provider().await;
    let (registry, callback) = attempt(&sim, &provider, demo::bob(), Decision::Authorize).await;
    sim.faults().add(FaultRule {
        kind: FaultKind::Status { code: 503 },
        path_prefix: Some("/oauth/token".into()),
        times: Some(1),
    });
    let http = AuthHttp::new();
    let result = finish_sign_in(&registry, &callback, &provider, &http).await;
    assert!(
        matches!(result, Err(AuthError::Server { status: 503 })),
        "{result:?}"
    );
}
