//! Every failure the UI explains: denial, an expired code, a rejected token, a failing,
//! slow or unreachable server. Each leaves nothing half done. (Forged, malformed and replayed
//! redirects are `tests/hostile`'s.)

use crate::{
    assert_kind, live_tokens, open_accounts, redirect_of, refresh, saved_entry, sign_in, World,
};
use igtimi_client::RetryPolicy;
use igtimi_sim::demo::{ANA, BOB};
use igtimi_sim::{FaultKind, FaultRule};
use std::time::Duration;
use telltale_core::multi::Channel;
use telltale_core::tokens::{NetworkOptions, RevocationOutcome};
use telltale_test_support::demo::Decision;

fn fault(kind: FaultKind, path: &str, times: u32) -> FaultRule {
    FaultRule {
        kind,
        path_prefix: Some(path.to_string()),
        times: Some(times),
    }
}

#[tokio::test]
async fn deny_on_the_consent_page_is_a_cancelled_sign_in() {
    let Some(world) = World::start("deny").await else {
        return;
    };
    let accounts = world.accounts().await;
    let callback = redirect_of(&world, &accounts, ANA, Decision::Deny).await;
    assert!(callback.contains("error=access_denied"), "{callback}");
    let err = assert_kind(
        accounts.complete_sign_in(&callback, Channel::Window).await,
        "cancelled",
    );
    assert_eq!(err.to_string(), "Sign-in was cancelled.");
    let overview = accounts.overview().await;
    assert_eq!(overview.account, None);
    assert!(overview.accounts.is_empty());
    assert!(!overview.signing_in, "the attempt is over");
    assert_eq!(accounts.restore().await.expect("nothing saved"), None);
}

#[tokio::test]
async fn an_expired_code_is_refused_by_the_server() {
    let Some(world) = World::start("expired_code").await else {
        return;
    };
    let accounts = world.accounts().await;
    let callback = redirect_of(&world, &accounts, BOB, Decision::Authorize).await;
    world.sim.advance_clock(3600);
    let err = assert_kind(
        accounts.complete_sign_in(&callback, Channel::Window).await,
        "sign_in_refused",
    );
    // The server's own words (RFC 6749 error_description).
    assert!(err.to_string().contains("code expired"), "{err}");
    let overview = accounts.overview().await;
    assert_eq!(overview.account, None);
    assert!(overview.accounts.is_empty());
    assert_eq!(live_tokens(&world), 0);
}

#[tokio::test]
async fn a_token_the_server_rejects_is_dropped_from_memory_and_keychain() {
    let Some(world) = World::start("rejected").await else {
        return;
    };
    let accounts = world.accounts().await;
    let key = sign_in(&world, &accounts, BOB).await.summary.key;
    assert_eq!(world.sim.expire_all_tokens(), 1);
    let err = assert_kind(refresh(&accounts).await, "token_rejected");
    assert!(err.to_string().contains("sign in again"), "{err}");
    let overview = accounts.overview().await;
    assert_eq!(overview.account, None);
    let bob = overview.accounts.iter().find(|a| a.key == key);
    assert!(bob.is_some_and(|bob| bob.signed_out), "{bob:?}");
    assert!(
        !saved_entry(&world, &key).await,
        "removed from the keychain"
    );
    assert_kind(refresh(&accounts).await, "signed_out");
    assert_kind(accounts.active_tokens().await.map(|_| ()), "signed_out");
    let restarted = world.accounts().await;
    assert_eq!(restarted.restore().await.expect("nothing saved"), None);
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_server_error_and_a_new_attempt_works() {
    let Some(world) = World::start("token_503").await else {
        return;
    };
    let accounts = world.accounts().await;
    let callback = redirect_of(&world, &accounts, BOB, Decision::Authorize).await;
    world
        .sim
        .faults()
        .add(fault(FaultKind::Status { code: 503 }, "/oauth/token", 1));
    let err = assert_kind(
        accounts.complete_sign_in(&callback, Channel::Window).await,
        "server",
    );
    assert!(err.to_string().contains("503"), "{err}");
    let overview = accounts.overview().await;
    assert_eq!(overview.account, None);
    assert!(overview.accounts.is_empty());
    sign_in(&world, &accounts, BOB).await;
}

#[tokio::test]
async fn a_failing_account_read_keeps_the_saved_sign_in_for_a_retry() {
    let Some(world) = World::start("account_fault").await else {
        return;
    };
    let accounts = world.accounts().await;
    let key = sign_in(&world, &accounts, BOB).await.summary.key;
    drop(accounts);
    let restarted = world.accounts().await;
    // The account read is retried when its failure may pass (a 502, a reset): the faults
    // last for every try.
    let tries = 1 + RetryPolicy::default().retries;
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
    let listed = restarted.overview().await.accounts;
    assert!(
        listed.iter().any(|a| a.key == key && !a.signed_out),
        "still signed in: {listed:?}"
    );
    assert!(saved_entry(&world, &key).await, "still saved");
    let retried = restarted
        .restore()
        .await
        .expect("retry works")
        .expect("still saved");
    assert_eq!(retried.id, BOB);
    restarted.sign_out(&key).await.expect("signs out");
}

#[tokio::test]
async fn a_slow_server_times_out_with_a_clear_error() {
    let Some(world) = World::start("slow").await else {
        return;
    };
    // A 1 s time limit and quick retries, so every try times out in the test's time.
    let network = NetworkOptions {
        request_timeout: Duration::from_secs(1),
        retry: RetryPolicy {
            first_pause: Duration::from_millis(50),
            ..RetryPolicy::default()
        },
        ..NetworkOptions::default()
    };
    let accounts = open_accounts(&world, &network).await;
    let key = sign_in(&world, &accounts, BOB).await.summary.key;
    world.sim.faults().add(fault(
        FaultKind::Latency { ms: 3_000 },
        "/api/v1/account",
        1 + network.retry.retries,
    ));
    let err = assert_kind(refresh(&accounts).await, "timeout");
    assert!(
        err.to_string()
            .contains(&world.config.server.trim_end_matches('/').to_string()),
        "{err}"
    );
    assert_eq!(refresh(&accounts).await.expect("works again").id, BOB);
    accounts.sign_out(&key).await.expect("signs out");
}

#[tokio::test]
async fn sign_out_when_the_server_is_down_still_forgets_the_sign_in() {
    let Some(world) = World::start("signout_down").await else {
        return;
    };
    let accounts = world.accounts().await;
    let key = sign_in(&world, &accounts, BOB).await.summary.key;
    world
        .sim
        .faults()
        .add(fault(FaultKind::Status { code: 500 }, "/oauth/revoke", 1));
    let result = accounts.sign_out(&key).await.expect("signs out anyway");
    assert_eq!(result.revoked, RevocationOutcome::Failed);
    assert!(
        result.message.contains("could not be told"),
        "{}",
        result.message
    );
    assert!(
        !saved_entry(&world, &key).await,
        "removed from the keychain"
    );
    assert_eq!(
        world
            .accounts()
            .await
            .restore()
            .await
            .expect("nothing saved"),
        None
    );
}
