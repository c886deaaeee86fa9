//! Every failure the UI explains: denial, forged and replayed callbacks, an expired code,
//! a rejected token, a failing or unreachable server. Each leaves nothing half done.

use crate::{assert_kind, bob_authorizes, sign_in_bob, sign_in_pages, World};
use igtimi_client::RetryPolicy;
use igtimi_sim::browser::Decision;
use igtimi_sim::{FaultKind, FaultRule};
use std::time::Duration;
use telltale_core::session::{NetworkOptions, RevocationOutcome};

fn fault(kind: FaultKind, path: &str, times: u32) -> FaultRule {
    FaultRule {
        kind,
        path_prefix: Some(path.to_string()),
        times: Some(times),
    }
}

#[tokio::test]
async fn deny_on_the_consent_page_is_a_cancelled_sign_in() {
    let world = World::start("deny").await;
    let session = world.session().await;
    let callback = sign_in_pages(
        &world,
        &session,
        "ana@telltale.demo",
        "leeward-2",
        Decision::Deny,
    )
    .await;
    assert!(callback.contains("error=access_denied"), "{callback}");
    let err = assert_kind(session.complete_sign_in(&callback).await, "cancelled");
    assert_eq!(err.to_string(), "Sign-in was cancelled.");
    assert_eq!(session.overview().await.account, None);
    assert_eq!(session.restore().await.expect("nothing saved"), None);
}

#[tokio::test]
async fn forged_malformed_and_replayed_callbacks_change_nothing() {
    let world = World::start("forged").await;
    let session = world.session().await;
    let callback = bob_authorizes(&world, &session).await;
    for forged in [
        "io.telltale.app:/oauth/callback?code=abc&state=not-the-state".to_string(),
        "io.telltale.app:/oauth/callback?code=abc".to_string(),
        "io.telltale.app:/oauth/callback".to_string(),
        "not a url at all".to_string(),
        callback.replace(
            "io.telltale.app:/oauth/callback",
            "io.telltale.app:/elsewhere",
        ),
        callback.replace("io.telltale.app:", "io.telltale.evil:"),
        format!("{callback}&code=second"),
    ] {
        assert_kind(session.complete_sign_in(&forged).await, "invalid_callback");
        assert!(
            session.overview().await.signing_in,
            "the real attempt still waits: {forged}"
        );
    }
    let signed_in = session
        .complete_sign_in(&callback)
        .await
        .expect("the real one works");
    assert_eq!(signed_in.account.id, 1373);
    assert_kind(
        session.complete_sign_in(&callback).await,
        "invalid_callback",
    );
    assert_eq!(
        session.refresh_account().await.expect("still signed in").id,
        1373
    );
    session.sign_out().await.expect("signs out");
}

#[tokio::test]
async fn an_expired_code_is_refused_by_the_server() {
    let world = World::start("expired_code").await;
    let session = world.session().await;
    let callback = bob_authorizes(&world, &session).await;
    world.sim.advance_clock(3600);
    let err = assert_kind(session.complete_sign_in(&callback).await, "sign_in_refused");
    assert!(err.to_string().contains("invalid_grant"), "{err}");
    assert_eq!(session.overview().await.account, None);
    assert_eq!(world.live_tokens(), 0);
}

#[tokio::test]
async fn a_token_the_server_rejects_is_dropped_from_memory_and_keychain() {
    let world = World::start("rejected").await;
    let session = world.session().await;
    sign_in_bob(&world, &session).await;
    assert_eq!(world.sim.expire_all_tokens(), 1);
    let err = assert_kind(session.refresh_account().await, "token_rejected");
    assert!(err.to_string().contains("sign in again"), "{err}");
    assert_eq!(session.overview().await.account, None);
    assert_kind(session.refresh_account().await, "signed_out");
    let restarted = world.session().await;
    assert_eq!(restarted.restore().await.expect("nothing saved"), None);
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_server_error_and_a_new_attempt_works() {
    let world = World::start("token_503").await;
    let session = world.session().await;
    let callback = bob_authorizes(&world, &session).await;
    world
        .sim
        .faults()
        .add(fault(FaultKind::Status { code: 503 }, "/oauth/token", 1));
    let err = assert_kind(session.complete_sign_in(&callback).await, "server");
    assert!(err.to_string().contains("503"), "{err}");
    assert_eq!(session.overview().await.account, None);
    sign_in_bob(&world, &session).await;
}

#[tokio::test]
async fn a_failing_account_read_keeps_the_saved_sign_in_for_a_retry() {
    let world = World::start("account_fault").await;
    let session = world.session().await;
    sign_in_bob(&world, &session).await;
    drop(session);
    let restarted = world.session().await;
    // The account read is retried when its failure may pass (a 502, a reset): the faults
    // last for every try.
    let tries = 1 + igtimi_client::RetryPolicy::default().retries;
    world.sim.faults().add(fault(
        FaultKind::HtmlError { code: 502 },
        "/api/v1/account",
        tries,
    ));
    assert_kind(restarted.restore().await, "server");
    world
        .sim
        .faults()
        .add(fault(FaultKind::Reset, "/api/v1/account", tries));
    let err = restarted
        .restore()
        .await
        .expect_err("a reset connection fails");
    assert!(
        ["unreachable", "invalid_response"].contains(&err.kind()),
        "{err:?}"
    );
    let retried = restarted
        .restore()
        .await
        .expect("retry works")
        .expect("still saved");
    assert_eq!(retried.id, 1373);
    restarted.sign_out().await.expect("signs out");
}

#[tokio::test]
async fn a_slow_server_times_out_with_a_clear_error() {
    let world = World::start("slow").await;
    // A 1 s time limit and quick retries, so every try times out in the test's time.
    let network = NetworkOptions {
        request_timeout: Duration::from_secs(1),
        retry: RetryPolicy {
            first_pause: Duration::from_millis(50),
            ..RetryPolicy::default()
        },
        ..NetworkOptions::default()
    };
    let session = world
        .session()
        .await
        .with_network(&network)
        .expect("network options apply");
    sign_in_bob(&world, &session).await;
    world.sim.faults().add(fault(
        FaultKind::Latency { ms: 3_000 },
        "/api/v1/account",
        1 + network.retry.retries,
    ));
    let err = assert_kind(session.refresh_account().await, "timeout");
    assert!(
        err.to_string()
            .contains(&world.config.server.trim_end_matches('/').to_string()),
        "{err}"
    );
    assert_eq!(
        session.refresh_account().await.expect("works again").id,
        1373
    );
    session.sign_out().await.expect("signs out");
}

#[tokio::test]
async fn sign_out_when_the_server_is_down_still_forgets_the_sign_in() {
    let world = World::start("signout_down").await;
    let session = world.session().await;
    sign_in_bob(&world, &session).await;
    world
        .sim
        .faults()
        .add(fault(FaultKind::Status { code: 500 }, "/oauth/revoke", 1));
    let result = session.sign_out().await.expect("signs out anyway");
    assert_eq!(result.revoked, RevocationOutcome::Failed);
    assert!(
        result.message.contains("could not be told"),
        "{}",
        result.message
    );
    assert_eq!(
        world
            .session()
            .await
            .restore()
            .await
            .expect("nothing saved"),
        None
    );
}
