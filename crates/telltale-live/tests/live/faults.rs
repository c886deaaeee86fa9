//! The simulator's live faults, each hitting a JSON feed and a Riot feed at once: each
//! ends in a reconnect or a clear note, and after the gap-fill the kept window equals what
//! `resources/data` stores (no hole, no duplicate).

use crate::support::*;

/// A JSON and a Riot feed of Bob on Tern, both live with a few samples.
async fn both_live(sim: &Simulator) -> [Watch; 2] {
    let mut watches = BOTH.map(|kind| Watch::new(feed(sim, kind, &[TERN]), kind));
    for watch in &mut watches {
        watch.more_samples(TERN, 2).await;
    }
    watches
}

/// After a fault that cuts the connection: a reconnect whose reason contains `why`, live
/// again, samples filled into the gap, and the window as stored.
async fn recovers(sim: &Simulator, watches: &mut [Watch; 2], why: &str) {
    for watch in watches.iter_mut() {
        watch
            .until("a reconnect", 10.0, |w| w.counts().reconnects >= 1)
            .await;
        watch.more_samples(TERN, 2).await;
        let reasons = watch.reconnect_reasons();
        assert!(
            reasons.iter().any(|r| r.contains(why)),
            "{:?}: reasons {reasons:?}, wanted {why:?}",
            watch.kind
        );
        let counts = watch.counts();
        assert!(counts.gap_filled > 0, "{:?}: {counts:?}", watch.kind);
        watch.assert_kept_as_stored(sim, TERN).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_reconnects_and_fills_the_gap() {
    let sim = start_sim().await;
    let mut watches = both_live(&sim).await;
    assert_eq!(sim.live_fault(LiveFault::Drop), 2);
    recovers(&sim, &mut watches, "").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_open_connection_is_given_up_after_the_silence() {
    let sim = start_sim().await;
    let mut watches = both_live(&sim).await;
    assert_eq!(sim.live_fault(LiveFault::HalfOpen), 2);
    recovers(&sim, &mut watches, "no heartbeat from the server for 1.5 s").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_simulator_restarted_on_its_port_is_followed_again() {
    let scratch = telltale_test_support::Scratch::new("live-restart");
    let config = SimConfig {
        remember_tokens: Some(scratch.path().join("tokens.json")),
        ..sim_config()
    };
    let sim = Simulator::start(config.clone()).await.expect("starts");
    let addr = sim.addr();
    let mut watches = both_live(&sim).await;
    sim.shutdown().await;
    for watch in watches.iter_mut() {
        watch
            .until("a reconnect", 5.0, |w| w.counts().reconnects >= 1)
            .await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let sim = Simulator::start_on(config, addr)
        .await
        .expect("the same port again");
    recovers(&sim, &mut watches, "shutting down").await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbage_frame_is_noted_and_the_connection_kept() {
    let sim = start_sim().await;
    let mut watches = both_live(&sim).await;
    assert_eq!(sim.live_fault(LiveFault::Garbage), 2);
    for watch in watches.iter_mut() {
        watch
            .until("the bad frame counted", 5.0, |w| w.counts().bad_frames == 1)
            .await;
        watch.more_samples(TERN, 2).await;
        assert!(
            watch.notes.iter().any(|n| n.contains("unreadable frame")),
            "{:?}: {:?}",
            watch.kind,
            watch.notes
        );
        assert_eq!(watch.counts().reconnects, 0, "{:?}", watch.kind);
        watch.assert_kept_as_stored(&sim, TERN).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_of_a_device_not_followed_is_counted_not_delivered() {
    let sim = start_sim().await;
    let mut watches = both_live(&sim).await;
    assert_eq!(sim.live_fault(LiveFault::ForeignDevice), 2);
    for watch in watches.iter_mut() {
        watch
            .until("the foreign frame counted", 5.0, |w| {
                w.counts().foreign_frames >= 1
            })
            .await;
        watch.more_samples(TERN, 1).await;
        assert!(
            watch.delivered.keys().all(|(serial, ..)| serial == TERN),
            "{:?}: {:?}",
            watch.kind,
            watch.delivered.keys()
        );
        assert_eq!(watch.counts().reconnects, 0, "{:?}", watch.kind);
        assert_eq!(watch.feed.window().devices.len(), 1);
        watch.assert_kept_as_stored(&sim, TERN).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mebibyte_frame_ends_the_connection_with_a_clear_reason() {
    let sim = start_sim().await;
    let mut watches = both_live(&sim).await;
    assert_eq!(sim.live_fault(LiveFault::HugeFrame), 2);
    recovers(&sim, &mut watches, "over this app's limit of 262144 bytes").await;
}
