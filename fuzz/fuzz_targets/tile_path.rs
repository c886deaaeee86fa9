//! The page's tile addresses (`/{z}/{x}/{y}.png`, asked for through the `tile:` scheme) on
//! arbitrary text: never a panic; an address read names a tile that exists, and is that
//! tile's one canonical address.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telltale_core::tiles::{parse_tile_path, ZOOM_LIMIT};

fuzz_target!(|data: &[u8]| {
    let path = String::from_utf8_lossy(data);
    match parse_tile_path(&path) {
        Ok(tile) => {
            assert!(tile.z <= ZOOM_LIMIT);
            assert!(tile.x < 1 << tile.z && tile.y < 1 << tile.z);
            assert_eq!(tile.path(), path);
        }
        Err(error) => assert_eq!(error.kind(), "no_such_tile"),
    }
});
