//! Iternio's dialect against the simulator: sign-in through its pages, the token call with
//! the echoed state, the user-info call, every refusal both calls give, and the faults.

mod support;

use igtimi_sim::world::{Client, Dialect};
use igtimi_sim::{FaultKind, SimConfig, Simulator};
use support::sim::{self, ITERNIO_REDIRECT};
use telltale_auth::iternio::{self, IternioUser};
use telltale_auth::{revoke, AuthError, AuthHttp, PendingSignIns, Provider, Revocation, TokenSet};
use telltale_test_support::demo::{self, Decision};
use url::Url;

/// An attempt whose redirect has arrived.
struct Arrived {
    registry: PendingSignIns,
    callback: String,
}

async fn attempt(sim: &Simulator, provider: &Provider, decision: Decision) -> Arrived {
    let registry = PendingSignIns::new();
    let (url, pending) = iternio::start(provider);
    registry.insert(pending);
    let callback = demo::bob()
        .signs_in(&sim.base_url(), url.as_str(), decision)
        .await;
    Arrived { registry, callback }
}

/// The `auth_code` of an Iternio redirect.
fn auth_code(callback: &str) -> String {
    let url = Url::parse(callback).expect("redirect URL");
    url.query_pairs()
        .find(|(name, _)| name == "auth_code")
        .map(|(_, value)| value.into_owned())
        .expect("an auth_code")
}

/// A fresh attempt for `provider` in `registry`, answered by a redirect carrying `code`:
/// what an attacker slipping a code into someone's sign-in would produce.
fn forged(registry: &PendingSignIns, provider: &Provider, code: &str) -> String {
    let (_, pending) = iternio::start(provider);
    let state = pending.state_secret().to_owned();
    registry.insert(pending);
    format!("{}?auth_code={code}&state={state}", provider.redirect_uri)
}

async fn finish(arrived: &Arrived, provider: &Provider) -> Result<TokenSet, AuthError> {
    iternio::finish_sign_in(&arrived.registry, &arrived.callback, provider, &sim::http()).await
}

fn rejected_with<T: std::fmt::Debug>(result: &Result<T, AuthError>, code: &str) -> String {
    match result {
        Err(AuthError::Rejected { error, description }) if error == code => {
            description.clone().unwrap_or_default()
        }
        other => panic!("expected {code}, got {other:?}"),
    }
}

fn extra_client(id: &str, secret: &str, redirects: &str, dialect: Dialect) -> Client {
    let mut client = Client::new("Test app", id, Some(secret), redirects);
    client.dialect = dialect;
    client
}

#[tokio::test]
async fn sign_in_then_ask_who_signed_in() {
    let sim = sim::start().await;
    let provider = sim::iternio_provider(&sim);
    let arrived = attempt(&sim, &provider, Decision::Authorize).await;
    assert!(
        arrived
            .callback
            .starts_with("io.telltale.app:/oauth/iternio/abrp?auth_code="),
        "{}",
        arrived.callback
    );
    let tokens = finish(&arrived, &provider).await.expect("signed in");
    assert_eq!(
        tokens.expires_at, None,
        "Iternio's tokens can be reused forever"
    );
    assert_eq!(tokens.refresh_token, None);
    let user = iternio::user_info(&sim::base(&sim), &tokens.access_token, &sim::http())
        .await
        .expect("user info");
    assert_eq!(
        user,
        IternioUser {
            id: demo::BOB,
            name: "Bob Smith".into(),
            email: demo::bob().email.clone()
        }
    );
    // Used once only.
    assert_eq!(
        finish(&arrived, &provider).await,
        Err(AuthError::InvalidState)
    );
    // No revocation endpoint: the app can only forget the token.
    assert_eq!(
        revoke(&provider, &tokens, &sim::http()).await,
        Ok(Revocation::NotSupported)
    );
}

#[tokio::test]
async fn the_authorize_url_is_iternios() {
    let sim = sim::start().await;
    let (url, pending) = iternio::start(&sim::iternio_provider(&sim));
    assert_eq!(url.path(), "/iternio/1/oauth/authorize");
    let params: std::collections::HashMap<String, String> =
        url.query_pairs().into_owned().collect();
    assert_eq!(params.get("client_id").map(String::as_str), Some("4242"));
    assert_eq!(
        params.get("response_type").map(String::as_str),
        Some("code")
    );
    assert_eq!(
        params.get("redirect_uri").map(String::as_str),
        Some(ITERNIO_REDIRECT)
    );
    assert_eq!(
        params.get("state").map(String::as_str),
        Some(pending.state_secret())
    );
    assert!(
        !url.as_str().contains(&sim::iternio_api_key(&sim)),
        "the API key stays local"
    );
}

#[tokio::test]
async fn denying_is_a_cancel_and_redirect_errors_are_rejections() {
    let sim = sim::start().await;
    let provider = sim::iternio_provider(&sim);
    let arrived = attempt(&sim, &provider, Decision::Deny).await;
    assert_eq!(finish(&arrived, &provider).await, Err(AuthError::Cancelled));

    let mut scoped = provider.clone();
    scoped.scopes = vec!["garage".into()];
    let arrived = attempt(&sim, &scoped, Decision::Authorize).await;
    assert!(rejected_with(&finish(&arrived, &scoped).await, "invalid_scope").contains("garage"));
}

#[tokio::test]
async fn a_code_slipped_into_another_sign_in_is_caught_by_the_echoed_state() {
    let sim = sim::start().await;
    let provider = sim::iternio_provider(&sim);
    let victim = attempt(&sim, &provider, Decision::Authorize).await;
    let code = auth_code(&victim.callback);
    let registry = PendingSignIns::new();
    let callback = forged(&registry, &provider, &code);
    let result = iternio::finish_sign_in(&registry, &callback, &provider, &sim::http()).await;
    match result {
        Err(AuthError::InvalidResponse { detail }) => {
            assert!(detail.contains("another sign-in"), "{detail}");
            assert!(!detail.contains(&code));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_token_answer_without_the_state_is_refused() {
    let sim = sim::start().await;
    let provider = sim::iternio_provider(&sim);
    // An authorize call without `state` (Iternio makes it optional): the token call then
    // echoes none.
    let mut stateless = provider.authorize_url.clone();
    stateless
        .query_pairs_mut()
        .append_pair("client_id", &provider.client_id)
        .append_pair("redirect_uri", ITERNIO_REDIRECT)
        .append_pair("response_type", "code");
    let redirect = demo::bob()
        .signs_in(&sim.base_url(), stateless.as_str(), Decision::Authorize)
        .await;
    let registry = PendingSignIns::new();
    let callback = forged(&registry, &provider, &auth_code(&redirect));
    let result = iternio::finish_sign_in(&registry, &callback, &provider, &sim::http()).await;
    match result {
        Err(AuthError::InvalidResponse { detail }) => {
            assert!(detail.contains("does not repeat"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn refusals_of_the_client_at_the_token_call() {
    let sim = sim::start_with(SimConfig {
        extra_clients: vec![
            extra_client("777", "igtimi-key", ITERNIO_REDIRECT, Dialect::Igtimi),
            extra_client("4343", "other-key", ITERNIO_REDIRECT, Dialect::Iternio),
        ],
        ..SimConfig::default()
    })
    .await;
    let provider = sim::iternio_provider(&sim);
    let with = |id: &str, key: Option<&str>| Provider {
        client_id: id.into(),
        client_secret: key.map(str::to_owned),
        ..provider.clone()
    };
    let cases = [
        (with("4242", Some("wrong-key")), "API key) is wrong"),
        (with("4242", None), "is required"),
        (with("9999", Some("any")), "No client has the id 9999"),
        (
            with("777", Some("igtimi-key")),
            "not registered for Iternio",
        ),
    ];
    for (client, words) in cases {
        let code = auth_code(&attempt(&sim, &provider, Decision::Authorize).await.callback);
        let registry = PendingSignIns::new();
        let callback = forged(&registry, &client, &code);
        let result = iternio::finish_sign_in(&registry, &callback, &provider, &sim::http()).await;
        let description = rejected_with(&result, "invalid_client");
        assert!(description.contains(words), "{description}");
        assert!(!format!("{result:?}").contains(&code));
    }
    // A code issued to 4242 does not work for 4343.
    let code = auth_code(&attempt(&sim, &provider, Decision::Authorize).await.callback);
    let registry = PendingSignIns::new();
    let other = with("4343", Some("other-key"));
    let callback = forged(&registry, &other, &code);
    let result = iternio::finish_sign_in(&registry, &callback, &provider, &sim::http()).await;
    assert!(rejected_with(&result, "invalid_grant").contains("another client"));
}

#[tokio::test]
async fn refusals_of_the_code_at_the_token_call() {
    let sim = sim::start_with(SimConfig {
        extra_clients: vec![extra_client(
            "4344",
            "two-key",
            "io.telltale.app:/oauth/iternio/abrp io.telltale.app:/oauth/iternio2",
            Dialect::Iternio,
        )],
        ..SimConfig::default()
    })
    .await;
    let provider = sim::iternio_provider(&sim);

    // Used twice.
    let arrived = attempt(&sim, &provider, Decision::Authorize).await;
    let code = auth_code(&arrived.callback);
    finish(&arrived, &provider).await.expect("first use");
    let registry = PendingSignIns::new();
    let callback = forged(&registry, &provider, &code);
    let result = iternio::finish_sign_in(&registry, &callback, &provider, &sim::http()).await;
    rejected_with(&result, "invalid_grant");

    // Expired.
    let arrived = attempt(&sim, &provider, Decision::Authorize).await;
    sim.advance_clock(3600);
    rejected_with(&finish(&arrived, &provider).await, "invalid_grant");

    // Authorized for one redirect URI, exchanged with another.
    let two = Provider::iternio(
        &sim::base(&sim),
        "4344",
        "two-key",
        Url::parse(ITERNIO_REDIRECT).expect("redirect"),
    )
    .expect("provider");
    let code = auth_code(&attempt(&sim, &two, Decision::Authorize).await.callback);
    let second = Provider {
        redirect_uri: Url::parse("io.telltale.app:/oauth/iternio2").expect("redirect"),
        ..two.clone()
    };
    let registry = PendingSignIns::new();
    let callback = forged(&registry, &second, &code);
    let result = iternio::finish_sign_in(&registry, &callback, &second, &sim::http()).await;
    assert!(rejected_with(&result, "invalid_grant").contains("redirect_uri"));
}

#[tokio::test]
async fn transport_faults_at_the_token_call() {
    let sim = sim::start().await;
    let provider = sim::iternio_provider(&sim);
    let http = sim::impatient_http();
    let mut cases = sim::transport_faults();
    cases.push(sim::FaultCase {
        kind: FaultKind::Status { code: 400 },
        expected: |e| matches!(e, AuthError::Rejected { error, .. } if error == "Bad Request"),
    });
    for case in cases {
        let arrived = attempt(&sim, &provider, Decision::Authorize).await;
        sim::fail_next(&sim, "/iternio/1/oauth/token", case.kind.clone());
        let result =
            iternio::finish_sign_in(&arrived.registry, &arrived.callback, &provider, &http).await;
        case.check(&result);
    }
}

async fn iternio_token(sim: &Simulator) -> TokenSet {
    let provider = sim::iternio_provider(sim);
    let arrived = attempt(sim, &provider, Decision::Authorize).await;
    finish(&arrived, &provider).await.expect("signed in")
}

#[tokio::test]
async fn refusals_of_the_user_info_call() {
    let sim = sim::start().await;
    let base = sim::base(&sim);

    // A token from Igtimi's OAuth2, not Iternio's.
    let igtimi = sim::password_sign_in(&sim::telltale_provider(&sim), demo::ana(), &sim::http())
        .await
        .expect("igtimi token");
    let result = iternio::user_info(&base, &igtimi.access_token, &sim::http()).await;
    assert!(rejected_with(&result, "invalid_token").contains("Iternio"));

    let revoked = iternio_token(&sim).await;
    assert!(sim.revoke_token(revoked.access_token.expose_secret()));
    let result = iternio::user_info(&base, &revoked.access_token, &sim::http()).await;
    assert!(rejected_with(&result, "invalid_token").contains("revoked"));

    let expired = iternio_token(&sim).await;
    sim.expire_all_tokens();
    let result = iternio::user_info(&base, &expired.access_token, &sim::http()).await;
    assert!(rejected_with(&result, "invalid_token").contains("expired"));

    let unknown = telltale_auth::AccessToken::new("f".repeat(64)).expect("token");
    let result = iternio::user_info(&base, &unknown, &sim::http()).await;
    let description = rejected_with(&result, "invalid_token");
    assert!(description.contains("invalid"), "{description}");
}

#[tokio::test]
async fn transport_faults_at_the_user_info_call() {
    let sim = sim::start().await;
    let tokens = iternio_token(&sim).await;
    let http: AuthHttp = sim::impatient_http();
    let mut cases = sim::transport_faults();
    cases.push(sim::FaultCase {
        kind: FaultKind::Status { code: 400 },
        expected: |e| matches!(e, AuthError::Rejected { error, .. } if error == "Bad Request"),
    });
    for case in cases {
        sim::fail_next(&sim, "/iternio/1/oauth/userinfo", case.kind.clone());
        let result = iternio::user_info(&sim::base(&sim), &tokens.access_token, &http).await;
        case.check(&result);
    }
    assert!(
        iternio::user_info(&sim::base(&sim), &tokens.access_token, &http)
            .await
            .is_ok()
    );
}
