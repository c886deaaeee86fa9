//! Both dialects against the simulator's demo boats sailing today: subscribe, receive,
//! heartbeats both ways, only readable devices, a refused token, stop.

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_dialects_deliver_the_followed_readable_devices_as_stored() {
    let sim = start_sim().await;
    for kind in BOTH {
        let raw = token(&sim, kind, BOB);
        let mut watch = Watch::new(
            feed_with(&sim, kind, raw.clone(), &[TERN, PETREL, SKUA]),
            kind,
        );
        watch
            .until("3 SOG samples of Tern and some of Petrel", 15.0, |w| {
                w.sog_of(TERN) >= 3 && w.samples_of(PETREL) >= 3
            })
            .await;
        assert!(watch.is_live(), "{kind:?}: {:?}", watch.status());
        assert!(
            matches!(watch.statuses[0], LiveStatus::Connecting { attempt: 1 }),
            "{kind:?}: {:?}",
            watch.statuses
        );
        // Bob cannot read Skua: nothing of it comes, and it is listed as quiet.
        watch
            .until("Skua listed as quiet", 6.0, |w| {
                w.last.as_ref().is_some_and(|u| {
                    u.quiet
                        .iter()
                        .any(|q| q.serial == SKUA && q.since_ms.is_none())
                        && !u.quiet.iter().any(|q| q.serial == TERN)
                })
            })
            .await;
        assert_eq!(watch.samples_of(SKUA), 0, "{kind:?}");
        let counts = watch.counts();
        assert_eq!(counts.reconnects, 0, "{kind:?}");
        assert_eq!(
            (counts.bad_frames, counts.foreign_frames),
            (0, 0),
            "{kind:?}"
        );
        assert_eq!(
            counts.received as usize,
            watch.samples_of(TERN) + watch.samples_of(PETREL)
        );
        watch.assert_kept_as_stored(&sim, TERN).await;
        watch.assert_kept_as_stored(&sim, PETREL).await;

        watch.feed.stop();
        let stopped = watch.feed.next(0, Duration::ZERO).await;
        assert!(stopped.status.is_stopped(), "{kind:?}: stopped at once");
        assert_eq!(
            sim.state()
                .live_sockets
                .wait_closed(Duration::from_secs(3))
                .await,
            0,
            "{kind:?}: the socket was closed"
        );
        let secret = raw.expose_secret();
        assert!(
            watch.json.iter().all(|j| !j.contains(secret)),
            "{kind:?}: token in an update"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_keep_a_connection_without_data_open_both_ways() {
    // The server beats every 200 ms and drops a client silent for 1 s; the feed beats
    // every 300 ms and gives up on a server silent for 1.5 s. Bob follows only Skua, which
    // he cannot read: no data ever comes, only heartbeats.
    let sim = Simulator::start(SimConfig {
        live_idle_limit: Duration::from_secs(1),
        ..sim_config()
    })
    .await
    .expect("starts");
    let mut watches: Vec<Watch> = BOTH
        .iter()
        .map(|&kind| Watch::new(feed(&sim, kind, &[SKUA]), kind))
        .collect();
    for watch in &mut watches {
        watch.until("live", 5.0, Watch::is_live).await;
    }
    for watch in &mut watches {
        watch.during(2.0).await;
    }
    for watch in &watches {
        let counts = watch.counts();
        assert_eq!(
            counts.reconnects, 0,
            "{:?}: {:?}",
            watch.kind, watch.statuses
        );
        assert_eq!(counts.received, 0);
        assert!(watch.is_live(), "{:?}", watch.statuses);
    }
    assert_eq!(
        sim.state().live_sockets.open(),
        2,
        "both sockets still open"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_stops_the_feed_and_asks_to_sign_in_again() {
    let sim = start_sim().await;
    for kind in BOTH {
        let bogus = AccessToken::new("0123456789abcdef0123456789abcdef").unwrap();
        let mut watch = Watch::new(feed_with(&sim, kind, bogus, &[TERN]), kind);
        watch
            .until("stopped", 8.0, |w| {
                w.status().is_some_and(LiveStatus::is_stopped)
            })
            .await;
        let Some(LiveStatus::Stopped {
            reason,
            sign_in_again,
        }) = watch.status()
        else {
            unreachable!()
        };
        assert!(*sign_in_again, "{kind:?}: {reason}");
        assert_eq!(watch.counts().reconnects, 0, "{kind:?}: no retry loop");
        assert!(watch.json.iter().all(|j| !j.contains("0123456789abcdef")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_revoked_while_live_stops_the_feed() {
    let sim = start_sim().await;
    let json_token = token(&sim, Kind::Json, BOB);
    let mut json = Watch::new(
        feed_with(&sim, Kind::Json, json_token.clone(), &[TERN]),
        Kind::Json,
    );
    let mut riot = Watch::new(feed(&sim, Kind::Riot, &[TERN]), Kind::Riot);
    json.more_samples(TERN, 1).await;
    riot.more_samples(TERN, 1).await;
    assert!(sim.revoke_token(json_token.expose_secret()));
    sim.state().riot.rotate_token(BOB);
    for watch in [&mut json, &mut riot] {
        watch
            .until("stopped", 6.0, |w| {
                w.status().is_some_and(LiveStatus::is_stopped)
            })
            .await;
        assert!(
            matches!(
                watch.status(),
                Some(LiveStatus::Stopped {
                    sign_in_again: true,
                    ..
                })
            ),
            "{:?}: {:?}",
            watch.kind,
            watch.status()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_choice_stops_at_once_and_a_dropped_feed_closes_its_socket() {
    let sim = start_sim().await;
    let empty = feed(&sim, Kind::Json, &[]);
    let update = empty.next(0, Duration::from_secs(5)).await;
    let update = if update.status.is_stopped() {
        update
    } else {
        empty.next(update.seq, Duration::from_secs(5)).await
    };
    assert!(
        matches!(&update.status, LiveStatus::Stopped { reason, sign_in_again: false } if reason.contains("no device")),
        "{:?}",
        update.status
    );

    let mut watch = Watch::new(feed(&sim, Kind::Riot, &[TERN]), Kind::Riot);
    watch.more_samples(TERN, 1).await;
    assert_eq!(sim.state().live_sockets.open(), 1);
    drop(watch);
    assert_eq!(
        sim.state()
            .live_sockets
            .wait_closed(Duration::from_secs(3))
            .await,
        0,
        "the last handle gone, the socket closes"
    );
}
