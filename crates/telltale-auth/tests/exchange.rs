//! The code exchange, refresh and revocation over real HTTP against a loopback OAuth server
//! that checks the PKCE verifier (see `support`).

mod support;

use igtimi_client::{ApiError, IgtimiClient};
use std::time::{Duration, SystemTime};
use support::{authorize, Behaviour, OAuthServer};
use telltale_auth::{
    complete, finish_sign_in, parse_callback, refresh, revoke, AuthError, AuthHttp, Callback,
    PendingSignIns, Revocation, SignIn,
};

fn http() -> AuthHttp {
    AuthHttp::new()
}

/// Starts an attempt, follows the authorize redirect, and returns the registry and callback.
async fn begin(server: &OAuthServer) -> (PendingSignIns, String) {
    let registry = PendingSignIns::new();
    let (url, pending) = SignIn::start(&server.provider());
    registry.insert(pending);
    let callback = authorize(&url).await;
    (registry, callback)
}

#[tokio::test]
async fn a_full_sign_in_yields_a_working_token_that_never_expires() {
    let server = OAuthServer::start(Behaviour::Igtimi).await;
    let (registry, callback) = begin(&server).await;
    let tokens = finish_sign_in(&registry, &callback, &server.provider(), &http())
        .await
        .expect("sign-in");
    assert_eq!(tokens.expires_at, None);
    assert_eq!(tokens.refresh_token, None);
    assert_eq!(tokens.scope, vec!["read".to_owned()]);
    assert!(registry.is_empty(), "the attempt is consumed");

    let api = IgtimiClient::new(server.base.clone()).expect("api client");
    let account = api.account(&tokens.access_token).await.expect("account");
    assert_eq!(account.id, 2);
}

#[tokio::test]
async fn a_replayed_callback_is_refused() {
    let server = OAuthServer::start(Behaviour::Igtimi).await;
    let (registry, callback) = begin(&server).await;
    finish_sign_in(&registry, &callback, &server.provider(), &http())
        .await
        .expect("first use");
    let again = finish_sign_in(&registry, &callback, &server.provider(), &http()).await;
    assert_eq!(again, Err(AuthError::InvalidState));
}

#[tokio::test]
async fn expiring_tokens_carry_an_expiry_and_refresh_rotates_them() {
    let server = OAuthServer::start(Behaviour::Expiring).await;
    let (registry, callback) = begin(&server).await;
    let before = SystemTime::now();
    let tokens = finish_sign_in(&registry, &callback, &server.provider(), &http())
        .await
        .expect("sign-in");
    let expires_at = tokens.expires_at.expect("an expiry");
    assert!(expires_at >= before + Duration::from_secs(3600));
    assert!(expires_at <= SystemTime::now() + Duration::from_secs(3600));
    let first_refresh = tokens.refresh_token.clone().expect("a refresh token");

    let renewed = refresh(&server.provider(), &first_refresh, &http())
        .await
        .expect("refresh");
    assert_ne!(renewed.access_token, tokens.access_token);
    assert_ne!(renewed.refresh_token.as_ref(), Some(&first_refresh));
    // The old refresh token was rotated away.
    let reused = refresh(&server.provider(), &first_refresh, &http()).await;
    assert!(
        matches!(reused, Err(AuthError::Rejected { ref error, .. }) if error == "invalid_grant"),
        "{reused:?}"
    );
}

#[tokio::test]
async fn a_wrong_pkce_verifier_is_rejected_as_invalid_grant() {
    let server = OAuthServer::start(Behaviour::Igtimi).await;
    let (registry, callback) = begin(&server).await;
    let Callback::Code { code, state } =
        parse_callback(&callback, &server.provider().redirect_uri).expect("valid")
    else {
        panic!("expected a code");
    };
    registry.take(&state).expect("the real attempt");
    // Another attempt's verifier does not match the challenge the code was issued for.
    let (_, other_attempt) = SignIn::start(&server.provider());
    let result = complete(other_attempt, code, &http()).await;
    assert!(
        matches!(result, Err(AuthError::Rejected { ref error, .. }) if error == "invalid_grant"),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_code_works_only_once() {
    let server = OAuthServer::start(Behaviour::Igtimi).await;
    let (url, pending) = SignIn::start(&server.provider());
    let callback = authorize(&url).await;
    let Ok(Callback::Code { code, .. }) =
        parse_callback(&callback, &server.provider().redirect_uri)
    else {
        panic!("expected a code");
    };
    // Exchange once with the real attempt, then offer the same code again: refused.
    complete(pending, code.clone(), &http())
        .await
        .expect("first exchange");
    let (_, fresh) = SignIn::start(&server.provider());
    let second = complete(fresh, code, &http()).await;
    assert!(
        matches!(second, Err(AuthError::Rejected { ref error, .. }) if error == "invalid_grant"),
        "{second:?}"
    );
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client() {
    let server = OAuthServer::start(Behaviour::Igtimi).await;
    let mut provider = server.provider();
    provider.client_secret = Some("wrong".into());
    let (url, pending) = SignIn::start(&provider);
    let callback = authorize(&url).await;
    let Ok(Callback::Code { code, .. }) = parse_callback(&callback, &provider.redirect_uri) else {
        panic!("expected a code");
    };
    let result = complete(pending, code, &http()).await;
    assert_eq!(
        result,
        Err(AuthError::Rejected {
            error: "invalid_client".into(),
            description: Some("Client authentication failed.".into())
        })
    );
}

#[tokio::test]
async fn an_html_500_is_a_server_error() {
    let server = OAuthServer::start(Behaviour::Igtimi).await;
    let (registry, callback) = begin(&server).await;
    server.set_behaviour(Behaviour::Html500);
    let result = finish_sign_in(&registry, &callback, &server.provider(), &http()).await;
    assert_eq!(result, Err(AuthError::Server { status: 500 }));
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let server = OAuthServer::start(Behaviour::Igtimi).await;
    let (registry, callback) = begin(&server).await;
    server.set_behaviour(Behaviour::Slow(Duration::from_secs(5)));
    let impatient = AuthHttp::with_client(
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_millis(300))
            .build()
            .expect("http client"),
    );
    let result = finish_sign_in(&registry, &callback, &server.provider(), &impatient).await;
    assert_eq!(result, Err(AuthError::Timeout));
}

#[tokio::test]
async fn an_oversized_answer_is_refused() {
    let server = OAuthServer::start(Behaviour::Igtimi).await;
    let (registry, callback) = begin(&server).await;
    server.set_behaviour(Behaviour::Huge);
    let result = finish_sign_in(&registry, &callback, &server.provider(), &http()).await;
    assert!(
        matches!(result, Err(AuthError::InvalidResponse { ref detail }) if detail.contains("larger")),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = url::Url::parse(&format!(
        "http://127.0.0.1:{}",
        listener.local_addr().expect("addr").port()
    ))
    .expect("url");
    drop(listener);
    let provider = telltale_auth::Provider::igtimi(
        &base,
        "c",
        None,
        url::Url::parse(support::REDIRECT).expect("redirect"),
    )
    .expect("provider");
    let (_, pending) = SignIn::start(&provider);
    let result = complete(
        pending,
        telltale_auth::AuthorizationCode::new("c".into()),
        &http(),
    )
    .await;
    assert_eq!(result, Err(AuthError::Unreachable));
}

#[tokio::test]
async fn a_denial_cancels_and_uses_up_the_state() {
    let server = OAuthServer::start(Behaviour::Deny).await;
    let (registry, callback) = begin(&server).await;
    let result = finish_sign_in(&registry, &callback, &server.provider(), &http()).await;
    assert_eq!(result, Err(AuthError::Cancelled));
    assert!(registry.is_empty());
}

#[tokio::test]
async fn echoed_codes_never_reach_the_error_message() {
    let server = OAuthServer::start(Behaviour::EchoingError).await;
    let (registry, callback) = begin(&server).await;
    let Ok(Callback::Code { code, .. }) =
        parse_callback(&callback, &server.provider().redirect_uri)
    else {
        panic!("expected a code");
    };
    let err = finish_sign_in(&registry, &callback, &server.provider(), &http())
        .await
        .expect_err("server refuses");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("invalid_grant"), "{shown}");
    assert!(!shown.contains(code.secret().as_str()), "{shown}");
}

#[tokio::test]
async fn revocation_revokes_both_tokens_and_the_api_then_refuses_them() {
    let server = OAuthServer::start(Behaviour::Expiring).await;
    let (registry, callback) = begin(&server).await;
    let tokens = finish_sign_in(&registry, &callback, &server.provider(), &http())
        .await
        .expect("sign-in");
    let outcome = revoke(&server.provider(), &tokens, &http())
        .await
        .expect("revoke");
    assert_eq!(outcome, Revocation::Revoked);
    let revoked = server.revoked();
    let refresh = tokens
        .refresh_token
        .as_ref()
        .expect("refresh")
        .expose_secret()
        .to_owned();
    assert_eq!(
        revoked,
        vec![
            ("refresh_token".to_owned(), refresh),
            (
                "access_token".to_owned(),
                tokens.access_token.expose_secret().to_owned()
            )
        ]
    );
    let api = IgtimiClient::new(server.base.clone()).expect("api client");
    assert_eq!(
        api.account(&tokens.access_token).await,
        Err(ApiError::Unauthorized)
    );
}

#[tokio::test]
async fn without_a_revocation_endpoint_nothing_is_sent() {
    let server = OAuthServer::start(Behaviour::Igtimi).await;
    let (registry, callback) = begin(&server).await;
    let tokens = finish_sign_in(&registry, &callback, &server.provider(), &http())
        .await
        .expect("sign-in");
    let mut provider = server.provider();
    provider.revoke_url = None;
    assert_eq!(
        revoke(&provider, &tokens, &http()).await,
        Ok(Revocation::NotSupported)
    );
    assert!(server.revoked().is_empty());
}

#[tokio::test]
async fn plain_http_to_a_remote_token_endpoint_is_refused_before_sending() {
    let server = OAuthServer::start(Behaviour::Igtimi).await;
    let mut provider = server.provider();
    provider.token_url = url::Url::parse("http://example.invalid/oauth/token").expect("url");
    let (_, pending) = SignIn::start(&provider);
    let result = complete(
        pending,
        telltale_auth::AuthorizationCode::new("c".into()),
        &http(),
    )
    .await;
    assert!(
        matches!(result, Err(AuthError::Config { .. })),
        "{result:?}"
    );
}
