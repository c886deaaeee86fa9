//! The gap-fill under a slow and a failing `resources/data`: live samples that arrive while
//! it runs are held and released after it (no hole, no duplicate); a fill that fails is a
//! note naming the span, and live goes on.

use crate::support::*;
use igtimi_sim::{FaultKind, FaultRule};

/// `kind` on both dialects' `resources/data`.
fn on_data(sim: &Simulator, kind: FaultKind) {
    for prefix in ["/api/v1/resources/data", "/igtimi/api/v1/resources/data"] {
        sim.faults().add(FaultRule {
            path_prefix: Some(prefix.into()),
            ..FaultRule::new(kind.clone())
        });
    }
}

async fn both_live(sim: &Simulator) -> [Watch; 2] {
    let mut watches = BOTH.map(|kind| Watch::new(feed(sim, kind, &[TERN]), kind));
    for watch in &mut watches {
        watch.more_samples(TERN, 2).await;
    }
    watches
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_samples_wait_for_a_slow_gap_fill_and_leave_no_hole() {
    let sim = start_sim().await;
    let mut watches = both_live(&sim).await;
    // The fill takes 2.5 s: two or three 1 Hz samples come live meanwhile. Were they
    // delivered at once, the filled ones before them would be dropped: a hole.
    on_data(&sim, FaultKind::Latency { ms: 2500 });
    assert_eq!(sim.live_fault(LiveFault::Drop), 2);
    for watch in watches.iter_mut() {
        watch
            .until("a reconnect", 10.0, |w| w.counts().reconnects >= 1)
            .await;
        watch
            .until("the gap filled", 15.0, |w| w.counts().gap_filled > 0)
            .await;
        watch.more_samples(TERN, 2).await;
        watch.assert_kept_as_stored(&sim, TERN).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_gap_fill_is_noted_with_its_span_and_live_goes_on() {
    let sim = start_sim().await;
    let mut watches = both_live(&sim).await;
    on_data(&sim, FaultKind::Status { code: 503 });
    assert_eq!(sim.live_fault(LiveFault::Drop), 2);
    for watch in watches.iter_mut() {
        watch
            .until("a note on the gap", 15.0, |w| {
                w.notes
                    .iter()
                    .any(|n| n.starts_with("The gap of AA-BT-0417 from "))
            })
            .await;
        watch.more_samples(TERN, 2).await;
        let note = watch
            .notes
            .iter()
            .find(|n| n.starts_with("The gap of"))
            .expect("noted");
        assert!(
            note.contains("Z to ") && note.contains("live data goes on"),
            "{note}"
        );
        assert_eq!(watch.counts().gap_filled, 0, "{:?}", watch.kind);
        assert!(watch.is_live());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_view_opens_with_the_recent_past_then_goes_on_live_without_a_seam() {
    let sim = start_sim().await;
    let history = Duration::from_secs(120);
    for kind in BOTH {
        let feed = Feed::start(FeedConfig {
            history,
            ..config(&sim, kind, token(&sim, kind, BOB), &[TERN])
        });
        let mut watch = Watch::new(feed, kind);
        watch.more_samples(TERN, 3).await;
        let counts = watch.counts();
        assert!(
            counts.gap_filled >= 100,
            "{kind:?}: only {} samples of the last 2 minutes",
            counts.gap_filled
        );
        let kept = watch.feed.window();
        let first = kept.block(TERN, TypeKey::new(9)).expect("SOG kept").t[0];
        let now = sim.state().clock.now_ms();
        assert!(
            now - first >= 110_000 && now - first <= 125_000,
            "{kind:?}: the view starts {} s back",
            (now - first) / 1000
        );
        watch.assert_kept_as_stored(&sim, TERN).await;
    }
}
