//! The disk cache: its cap evicts the least recently used tiles; damaged entries and
//! leftover temporary files are dropped, never shown.

use crate::{entry_files, tile, World, ROOMY};
use telltale_core::tiles::{TileId, TileOrigin};

/// The size of each tile's entry, measured in a cache of its own.
async fn entry_sizes(tiles: &[TileId]) -> Vec<u64> {
    let measure = World::start("tiles-measure", ROOMY).await;
    let mut sizes = Vec::new();
    for at in tiles {
        let before = measure.tiles.cache().total_bytes();
        measure.tiles.get(*at).await.expect("a tile");
        sizes.push(measure.tiles.cache().total_bytes() - before);
    }
    assert!(sizes.iter().all(|size| *size > 0), "{sizes:?}");
    sizes
}

#[tokio::test]
async fn the_cap_evicts_the_least_recently_used_tile() {
    let (a, b, c) = (tile(8, 10, 10), tile(8, 11, 10), tile(8, 12, 10));
    let sizes = entry_sizes(&[a, b, c]).await;
    // Room for any two of the three, not for all three.
    let cap = sizes.iter().sum::<u64>() - 1;
    assert!(cap >= sizes[0] + sizes[1] && cap >= sizes[1] + sizes[2] && cap >= sizes[0] + sizes[2]);
    let world = World::start("tiles-cap", cap).await;

    world.tiles.get(a).await.expect("a");
    world.tiles.get(b).await.expect("b");
    // A is used again, so B is now the least recently used.
    assert_eq!(
        world.tiles.get(a).await.expect("a").origin,
        TileOrigin::Cache
    );
    world.tiles.get(c).await.expect("c");
    assert_eq!(entry_files(world.dir.path()).len(), 2);
    assert!(world.tiles.cache().total_bytes() <= cap);

    assert_eq!(
        world.tiles.get(a).await.expect("a").origin,
        TileOrigin::Cache
    );
    assert_eq!(
        world.tiles.get(c).await.expect("c").origin,
        TileOrigin::Cache
    );
    assert_eq!(
        world.tiles.get(b).await.expect("b").origin,
        TileOrigin::Fetched
    );
    assert_eq!(world.requests(a).sent, 1);
    assert_eq!(world.requests(b).sent, 2, "B was evicted and fetched again");
    assert_eq!(world.requests(c).sent, 1);
    // Fetching B again pushed out A, the least recently used by then.
    assert_eq!(
        world.tiles.get(c).await.expect("c").origin,
        TileOrigin::Cache
    );
    assert_eq!(
        world.tiles.get(a).await.expect("a").origin,
        TileOrigin::Fetched
    );
}

#[tokio::test]
async fn the_order_of_use_survives_a_restart() {
    let (a, b, c) = (tile(8, 20, 10), tile(8, 21, 10), tile(8, 22, 10));
    let sizes = entry_sizes(&[a, b, c]).await;
    let cap = sizes.iter().sum::<u64>() - 1;
    let world = World::start("tiles-order", ROOMY).await;
    world.tiles.get(a).await.expect("a");
    world.tiles.get(b).await.expect("b");
    // Modification times order the entries after a restart; a second apart is unambiguous.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    world.tiles.get(a).await.expect("a, used again");

    let restarted = world.reopen(cap);
    restarted.get(c).await.expect("c");
    assert_eq!(restarted.get(a).await.expect("a").origin, TileOrigin::Cache);
    assert_eq!(
        restarted.get(b).await.expect("b").origin,
        TileOrigin::Fetched
    );
}

#[tokio::test]
async fn a_damaged_or_cut_entry_is_fetched_again() {
    let world = World::start("tiles-damaged", ROOMY).await;
    let at = tile(6, 33, 21);
    let first = world.tiles.get(at).await.expect("a tile");
    let files = entry_files(world.dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let file = &files[0];
    let whole = std::fs::read(file).expect("the entry");

    std::fs::write(file, &whole[..whole.len() / 2]).expect("cut it");
    let after_cut = world.tiles.get(at).await.expect("fetched again");
    assert_eq!(after_cut.origin, TileOrigin::Fetched);
    assert_eq!(after_cut.image, first.image);

    let mut damaged = std::fs::read(file).expect("the new entry");
    let last = damaged.len() - 1;
    damaged[last] ^= 0xff;
    std::fs::write(file, &damaged).expect("damage it");
    let after_damage = world.tiles.get(at).await.expect("fetched again");
    assert_eq!(after_damage.origin, TileOrigin::Fetched);
    assert_eq!(after_damage.image, first.image);
    assert_eq!(world.requests(at).sent, 3);
    assert_eq!(std::fs::read(file).expect("rewritten").len(), whole.len());
}

#[tokio::test]
async fn leftover_temporary_files_are_removed() {
    let world = World::start("tiles-leftover", ROOMY).await;
    world.tiles.get(tile(1, 1, 1)).await.expect("a tile");
    let entry = entry_files(world.dir.path()).pop().expect("an entry");
    let leftover = entry.with_file_name(".1.tile.tmp-1-1");
    std::fs::write(&leftover, b"half a write").expect("a leftover");
    let restarted = world.reopen(ROOMY);
    restarted.get(tile(1, 1, 1)).await.expect("the tile");
    assert!(!leftover.exists());
    assert_eq!(entry_files(world.dir.path()), vec![entry]);
}
