//! Fetching: once, then from disk; Telltale's `User-Agent`; revalidation; two at a time;
//! the page's addresses and the source's own refusals.

use crate::{entry_files, tile, World, ROOMY};
use igtimi_sim::tiles::TileCount;
use igtimi_sim::{FaultKind, FaultRule};
use std::time::{Duration, Instant};
use telltale_core::tiles::{user_agent, TileOrigin};

#[tokio::test]
async fn a_tile_is_fetched_once_then_served_from_disk() {
    let world = World::start("tiles-once", ROOMY).await;
    let at = tile(12, 2200, 1343);
    let first = world.tiles.get(at).await.expect("a tile");
    assert_eq!(first.origin, TileOrigin::Fetched);
    assert_eq!(first.content_type, "image/png");
    assert!(first.image.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(world.requests(at).sent, 1);

    let again = world.tiles.get(at).await.expect("the tile again");
    assert_eq!(again.origin, TileOrigin::Cache);
    assert_eq!(again.image, first.image);
    // After a restart too: the disk, not memory, held it.
    let restarted = world.reopen(ROOMY);
    let after = restarted.get(at).await.expect("after a restart");
    assert_eq!(after.origin, TileOrigin::Cache);
    assert_eq!(after.image, first.image);
    assert_eq!(world.requests(at).total(), 1, "one request in all");
    assert_eq!(entry_files(world.dir.path()).len(), 1);
}

#[tokio::test]
async fn tiles_are_asked_for_as_telltale_and_anonymous_requests_are_refused() {
    let world = World::start("tiles-agent", ROOMY).await;
    let agent = user_agent();
    assert!(agent.starts_with("Telltale/0."), "{agent}");
    // The simulator refuses whoever does not identify an application; Telltale passes.
    let at = tile(3, 4, 2);
    world.tiles.get(at).await.expect("Telltale gets the tile");
    assert_eq!(world.requests(at).sent, 1);

    // reqwest's default is no User-Agent at all: refused.
    let url = format!("{}/tiles/3/4/2.png", world.sim.base_url());
    let bare = reqwest::get(&url).await.expect("an answer");
    assert_eq!(bare.status(), 403);
    let library = reqwest::Client::builder()
        .user_agent("reqwest/0.12")
        .build()
        .expect("client")
        .get(&url)
        .send()
        .await
        .expect("an answer");
    assert_eq!(library.status(), 403);
    assert_eq!(
        world.requests(at),
        TileCount {
            sent: 1,
            not_modified: 0,
            refused: 2
        }
    );
}

#[tokio::test]
async fn a_stale_tile_is_revalidated_and_a_304_keeps_it() {
    let world = World::start("tiles-304", ROOMY).await;
    world.sim.tiles().set_max_age(0);
    let at = tile(9, 300, 170);
    let first = world.tiles.get(at).await.expect("a tile");
    assert_eq!(first.origin, TileOrigin::Fetched);

    let second = world.tiles.get(at).await.expect("revalidated");
    assert_eq!(second.origin, TileOrigin::Revalidated);
    assert_eq!(second.image, first.image);

    // The 304 carries the new max-age: fresh from then on.
    world.sim.tiles().set_max_age(3600);
    let third = world.tiles.get(at).await.expect("revalidated again");
    assert_eq!(third.origin, TileOrigin::Revalidated);
    let fourth = world.tiles.get(at).await.expect("fresh");
    assert_eq!(fourth.origin, TileOrigin::Cache);
    assert_eq!(
        world.requests(at),
        TileCount {
            sent: 1,
            not_modified: 2,
            refused: 0
        }
    );
}

#[tokio::test]
async fn no_more_than_two_tiles_are_fetched_at_once() {
    let world = World::start("tiles-two", ROOMY).await;
    let mut slow = FaultRule::new(FaultKind::Latency { ms: 300 });
    slow.path_prefix = Some("/tiles/".into());
    world.sim.faults().add(slow);
    let tiles = std::sync::Arc::new(world.reopen(ROOMY));
    let started = Instant::now();
    let mut gets = tokio::task::JoinSet::new();
    for x in 0..6 {
        let tiles = tiles.clone();
        gets.spawn(async move { tiles.get(tile(5, x, 7)).await });
    }
    while let Some(got) = gets.join_next().await {
        let got = got.expect("the task ran").expect("a tile");
        assert_eq!(got.origin, TileOrigin::Fetched);
    }
    // Six requests of 300 ms each, two at a time, take three rounds at least.
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(900), "took {took:?}");
    assert_eq!(world.sim.tiles().all_requests().sent, 6);
}

#[tokio::test]
async fn bad_addresses_are_refused_before_any_request() {
    let world = World::start("tiles-paths", ROOMY).await;
    let good = world
        .tiles
        .get_path("/12/2200/1343.png")
        .await
        .expect("a good address");
    assert_eq!(good.origin, TileOrigin::Fetched);
    for bad in [
        "/../../etc/passwd",
        "/12/2200/1343.png/../x",
        "/12/5000/0.png",
        "/20/0/0.png",
        "/12/2200/01343.png",
        "12/2200/1343.png",
        "/12/2200/1343.png?v=2",
    ] {
        let error = world.tiles.get_path(bad).await.expect_err(bad);
        assert_eq!(error.kind(), "no_such_tile", "{bad}: {error}");
    }
    assert_eq!(world.sim.tiles().all_requests().total(), 1);
}

#[tokio::test]
async fn the_sources_own_refusals_and_failures_are_told_apart() {
    let world = World::start("tiles-source-errors", ROOMY).await;
    // Deeper than the simulator goes: its 404 is no such tile.
    let deep = telltale_core::tiles::Tiles::open(
        &telltale_core::tiles::TileSettings {
            source: telltale_core::tiles::TileSource {
                max_zoom: 22,
                ..crate::source(&world.sim)
            },
            cache_max_bytes: ROOMY,
        },
        world.dir.path().to_path_buf(),
    )
    .expect("tiles");
    let missing = deep.get(tile(21, 0, 0)).await.expect_err("no such tile");
    assert_eq!(missing.kind(), "no_such_tile", "{missing}");
    assert!(missing.to_string().contains("127.0.0.1"), "{missing}");

    let mut failing = FaultRule::new(FaultKind::Status { code: 500 });
    failing.path_prefix = Some("/tiles/".into());
    world.sim.faults().add(failing);
    let failed = world.tiles.get(tile(2, 1, 1)).await.expect_err("a failure");
    assert_eq!(failed.kind(), "server", "{failed}");
    assert!(entry_files(world.dir.path()).is_empty());
}
