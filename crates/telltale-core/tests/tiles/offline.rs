//! Without the source: fresh and stale tiles are still shown, a tile never fetched is an
//! error that says "offline"; a failing source is treated alike.

use crate::{tile, World, ROOMY};
use igtimi_sim::{FaultKind, FaultRule};
use telltale_core::tiles::TileOrigin;

#[tokio::test]
async fn offline_a_stale_tile_is_shown_and_a_missing_one_says_offline() {
    let World {
        sim,
        dir: _dir,
        tiles,
    } = World::start("tiles-offline", ROOMY).await;
    sim.tiles().set_max_age(0);
    let stale = tile(10, 500, 300);
    let kept = tiles.get(stale).await.expect("a tile");
    sim.tiles().set_max_age(3600);
    let fresh = tile(10, 501, 300);
    tiles.get(fresh).await.expect("another tile");

    // The port closes: the source cannot be reached.
    sim.shutdown().await;
    let shown = tiles.get(stale).await.expect("the stale tile");
    assert_eq!(shown.origin, TileOrigin::Stale);
    assert_eq!(shown.image, kept.image);
    let cached = tiles.get(fresh).await.expect("the fresh tile");
    assert_eq!(cached.origin, TileOrigin::Cache);

    let missing = tiles.get(tile(10, 502, 300)).await.expect_err("offline");
    assert_eq!(missing.kind(), "map_offline", "{missing}");
    let message = missing.to_string();
    assert!(message.contains("offline"), "{message}");
    assert!(message.contains("127.0.0.1"), "{message}");
}

#[tokio::test]
async fn a_failing_source_leaves_the_stale_tile_shown() {
    let world = World::start("tiles-failing", ROOMY).await;
    world.sim.tiles().set_max_age(0);
    let at = tile(4, 3, 3);
    let kept = world.tiles.get(at).await.expect("a tile");
    let mut failing = FaultRule::new(FaultKind::Status { code: 503 });
    failing.path_prefix = Some("/tiles/".into());
    world.sim.faults().add(failing);
    let shown = world.tiles.get(at).await.expect("the stale tile");
    assert_eq!(shown.origin, TileOrigin::Stale);
    assert_eq!(shown.image, kept.image);
}
