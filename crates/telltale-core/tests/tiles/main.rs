//! The map tiles against the real simulator's tile endpoint over loopback: fetched once then
//! served from disk, Telltale's `User-Agent` (the simulator refuses anonymous and library
//! clients as OpenStreetMap does), revalidation with 304, the size cap's least recently
//! used eviction, damaged entries, offline answers, at most two requests at a time, and the
//! page's tile addresses (with property tests of their reader and of the cache entries').

mod cache;
mod fetch;
mod offline;
mod props;

use igtimi_sim::tiles::TileCount;
use igtimi_sim::{SimConfig, Simulator};
use telltale_core::tiles::{TileId, TileSettings, TileSource, Tiles};
use telltale_test_support::Scratch;

/// A simulator and tiles from it, cached in a scratch folder.
pub struct World {
    pub sim: Simulator,
    pub dir: Scratch,
    pub tiles: Tiles,
}

impl World {
    /// With a cache cap of `cache_max_bytes`.
    pub async fn start(test: &str, cache_max_bytes: u64) -> World {
        let sim = Simulator::start(SimConfig::default())
            .await
            .expect("simulator");
        let dir = Scratch::new(test);
        let tiles = open(&sim, &dir, cache_max_bytes);
        World { sim, dir, tiles }
    }

    /// The simulator's count of requests for `tile`.
    pub fn requests(&self, tile: TileId) -> TileCount {
        self.sim.tiles().requests(tile.z, tile.x, tile.y)
    }

    /// Another instance over the same cache folder, as after a restart.
    pub fn reopen(&self, cache_max_bytes: u64) -> Tiles {
        open(&self.sim, &self.dir, cache_max_bytes)
    }
}

/// The simulator's tiles as a source.
pub fn source(sim: &Simulator) -> TileSource {
    TileSource {
        url_template: format!("{}/tiles/{{z}}/{{x}}/{{y}}.png", sim.base_url()),
        attribution: "© simulated".into(),
        max_zoom: 19,
    }
}

fn open(sim: &Simulator, dir: &Scratch, cache_max_bytes: u64) -> Tiles {
    let settings = TileSettings {
        source: source(sim),
        cache_max_bytes,
    };
    Tiles::open(&settings, dir.path().to_path_buf()).expect("tiles")
}

/// A tile by its numbers.
pub fn tile(z: u8, x: u32, y: u32) -> TileId {
    TileId::new(z, x, y).expect("a tile")
}

/// A cap no test reaches.
pub const ROOMY: u64 = 1 << 30;

/// Every cache entry file below `dir`, sorted.
pub fn entry_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
