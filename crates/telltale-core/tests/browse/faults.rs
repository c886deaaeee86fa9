//! Faults mid-load: transient ones are retried, persistent ones leave failed chunks while
//! the others are kept (and a re-load fetches only those), refusals are not retried; cancel
//! and a rejected token end a load at once, keeping what arrived.

use crate::load::assert_race_matches_one_request;
use crate::*;
use telltale_core::browse::ViewRequest;

#[tokio::test]
async fn transient_faults_are_retried_and_the_load_completes() {
    let Some(world) = World::start("transient").await else {
        return;
    };
    let faults = world.sim().faults();
    faults.add(data_fault(FaultKind::Status { code: 503 }, Some(1)));
    faults.add(data_fault(FaultKind::Reset, Some(1)));
    faults.add(data_fault(FaultKind::TruncatedJson, Some(1)));
    faults.add(data_fault(FaultKind::MalformedJson, Some(1)));
    let counter = world.count_data_requests();
    let (result, events) = world.load_race().await;
    let summary = result.expect("loads despite the faults");
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(
        faults.list().len(),
        1,
        "all four faults were hit: {:?}",
        faults.list()
    );
    assert_eq!(counter.count(), 7, "each chunk got through once");
    assert!(
        events.iter().filter(|e| e.retrying).count() >= 4,
        "{events:?}"
    );
    assert_eq!(
        events.last().map(|e| (e.chunks_done, e.chunks_failed)),
        Some((7, 0))
    );
    assert_race_matches_one_request(&world).await;
}

#[tokio::test]
async fn failed_chunks_are_reported_kept_apart_and_fetched_alone_later() {
    let Some(world) = World::start_with(
        "partial",
        FetchOptions {
            retries: 0,
            ..options()
        },
    )
    .await
    else {
        return;
    };
    world
        .sim()
        .faults()
        .add(data_fault(FaultKind::Status { code: 503 }, Some(2)));
    let (result, events) = world.load_race().await;
    let partial = result.expect("a partial load is still a load");
    assert_eq!(partial.failed.len(), 2, "{:?}", partial.failed);
    for failed in &partial.failed {
        assert_eq!(failed.error.kind(), "server");
        assert!(failed.end - failed.start <= WINDOW_MS);
    }
    assert_eq!(
        events.last().map(|e| (e.chunks_done, e.chunks_failed)),
        Some((5, 2))
    );
    assert!(partial.samples > 0, "the five other chunks are kept");
    let view = world
        .data
        .view(ViewRequest {
            from: RACE_START,
            to: RACE_END,
            width: 8192,
        })
        .await
        .expect("the partial data can be shown");
    assert!(!view.series.is_empty() && !view.tracks.is_empty());

    // The fault is used up: a second load fetches only the two failed windows.
    let counter = world.count_data_requests();
    let (result, _) = world.load_race().await;
    let complete = result.expect("loads");
    assert_eq!(counter.count(), 2);
    assert_eq!(complete.chunks_from_cache, 5);
    assert!(complete.failed.is_empty());
    assert!(complete.samples > partial.samples);
    assert_race_matches_one_request(&world).await;
}

#[tokio::test]
async fn retries_stop_at_the_limit_and_refusals_are_not_retried() {
    let Some(world) = World::start_with(
        "give-up",
        FetchOptions {
            retries: 2,
            ..options()
        },
    )
    .await
    else {
        return;
    };
    let unavailable = FaultKind::Status { code: 503 };
    world
        .sim()
        .faults()
        .add(data_fault(unavailable.clone(), Some(1000)));
    let (result, _) = world.load_race().await;
    let summary = result.expect("a load whose chunks all failed");
    assert_eq!(summary.failed.len(), 7);
    assert_eq!(summary.samples, 0);
    assert_eq!(
        uses_of(world.sim(), &unavailable, 1000),
        21,
        "1 try + 2 retries each"
    );

    world.sim().faults().clear();
    let refused = FaultKind::Status { code: 422 };
    world
        .sim()
        .faults()
        .add(data_fault(refused.clone(), Some(1000)));
    let (result, _) = world.load_race().await;
    let summary = result.expect("loads");
    assert_eq!(summary.failed.len(), 7);
    assert!(summary.failed.iter().all(|f| f.error.kind() == "refused"));
    assert!(summary.failed[0].error.to_string().contains("422"));
    assert_eq!(
        uses_of(world.sim(), &refused, 1000),
        7,
        "a refusal is not retried"
    );
}

#[tokio::test]
async fn cancel_stops_the_load_and_keeps_finished_chunks() {
    let Some(world) = World::start_with(
        "cancel",
        FetchOptions {
            concurrency: 1,
            ..options()
        },
    )
    .await
    else {
        return;
    };
    assert!(!world.data.cancel_load(), "nothing runs yet");
    world
        .sim()
        .faults()
        .add(data_fault(FaultKind::Latency { ms: 200 }, None));
    let data = world.data.clone();
    let cancelled = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = cancelled.clone();
    let result = world
        .data
        .load(&world.tokens, race_request(), move |p| {
            if p.chunks_done == 2 && !flag.swap(true, std::sync::atomic::Ordering::SeqCst) {
                assert!(data.cancel_load(), "a load was running");
            }
        })
        .await;
    assert_eq!(
        result.map(|s| s.load_id).map_err(|e| e.kind()),
        Err("cancelled")
    );
    assert!(cancelled.load(std::sync::atomic::Ordering::SeqCst));

    // A request already on its way when the load was cancelled may still reach the server;
    // let it arrive (and take the latency rule) before counting.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    world.sim().faults().clear();
    let counter = world.count_data_requests();
    let (result, _) = world.load_race().await;
    let summary = result.expect("loads");
    assert!(
        summary.chunks_from_cache >= 2,
        "{}",
        summary.chunks_from_cache
    );
    assert_eq!(counter.count() as u64, 7 - summary.chunks_from_cache);
}

#[tokio::test]
async fn a_new_load_cancels_the_running_one() {
    let Some(world) = World::start("replace").await else {
        return;
    };
    world
        .sim()
        .faults()
        .add(data_fault(FaultKind::Latency { ms: 300 }, None));
    let first = world.load_race();
    let second = async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        world
            .load(LoadRequest {
                from: RACE_START,
                to: RACE_START + 5 * MIN,
                serials: vec![TERN.into()],
            })
            .await
    };
    let ((first, _), (second, _)) = tokio::join!(first, second);
    assert_eq!(
        first.map_err(|e| e.kind()).map(|s| s.load_id),
        Err("cancelled")
    );
    assert_eq!(second.expect("the new load runs").chunks_total, 1);
}

#[tokio::test]
async fn a_rejected_token_ends_the_load_and_the_sign_in() {
    let Some(world) = World::start_with(
        "rejected",
        FetchOptions {
            concurrency: 1,
            ..options()
        },
    )
    .await
    else {
        return;
    };
    world
        .sim()
        .faults()
        .add(data_fault(FaultKind::Latency { ms: 50 }, None));
    let signed_in = world.signed_in.clone();
    let result = world
        .data
        .load(&world.tokens, race_request(), move |p| {
            if p.chunks_done == 2 {
                signed_in.world.sim.expire_all_tokens();
            }
        })
        .await;
    assert_eq!(
        result.map(|s| s.load_id).map_err(|e| e.kind()),
        Err("token_rejected")
    );
    let after = world.tokens.api_access().await;
    assert_eq!(after.map(|_| ()).map_err(|e| e.kind()), Err("signed_out"));
    let accounts = &world.signed_in.accounts;
    let active = accounts.active_tokens().await;
    assert_eq!(active.map(|_| ()).map_err(|e| e.kind()), Err("signed_out"));
    let listed = accounts.overview().await.accounts;
    assert!(listed.iter().all(|a| a.signed_out), "{listed:?}");
}
