//! Property tests of the two readers of bytes the app did not write itself: the page's tile
//! addresses and the cache's entry files (anything may be on disk). Neither panics; what
//! they accept is exactly what they should. Small case counts; the long runs are the
//! `tile_path` fuzz target (`scripts/fuzz.sh`).

use proptest::prelude::*;
use telltale_core::tiles::entry::{Entry, MAX_IMAGE_BYTES};
use telltale_core::tiles::{parse_tile_path, TileId, ZOOM_LIMIT};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The reader's rule, written out plainly: plain decimals, no leading zeros, in range.
fn expected(z: &str, x: &str, y: &str) -> Option<TileId> {
    let plain = |s: &str| s == "0" || (!s.is_empty() && !s.starts_with('0') && s.len() <= 7);
    if !(plain(z) && plain(x) && plain(y)) {
        return None;
    }
    let z: u8 = z.parse().ok().filter(|z| *z <= ZOOM_LIMIT)?;
    TileId::new(z, x.parse().ok()?, y.parse().ok()?)
}

/// Any tile that exists.
fn any_tile() -> impl Strategy<Value = TileId> {
    (0..=ZOOM_LIMIT).prop_flat_map(|z| {
        let side = 1u32 << z;
        (Just(z), 0..side, 0..side).prop_map(|(z, x, y)| TileId::new(z, x, y).expect("in range"))
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_reads_without_panic_and_only_canonical_paths_pass(path in ".{0,40}") {
        if let Ok(tile) = parse_tile_path(&path) {
            prop_assert_eq!(tile.path(), path);
            prop_assert!(tile.z <= ZOOM_LIMIT);
            prop_assert!(tile.x < 1 << tile.z && tile.y < 1 << tile.z);
        }
    }

    #[test]
    fn path_like_text_passes_exactly_when_it_names_a_tile(
        z in "[0-9]{1,3}", x in "[0-9]{1,8}", y in "[0-9]{1,8}"
    ) {
        let path = format!("/{z}/{x}/{y}.png");
        prop_assert_eq!(parse_tile_path(&path).ok(), expected(&z, &x, &y));
    }

    #[test]
    fn every_tile_reads_back_from_its_path(tile in any_tile()) {
        prop_assert_eq!(parse_tile_path(&tile.path()), Ok(tile));
    }

    #[test]
    fn any_bytes_read_as_an_entry_or_none_without_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..200)
    ) {
        let _ = Entry::decode(&bytes);
        let mut headed = b"TTTILE\x00\x01".to_vec();
        headed.extend_from_slice(&bytes);
        if let Some(entry) = Entry::decode(&headed) {
            prop_assert_eq!(entry.encode(), headed);
        }
    }

    #[test]
    fn every_entry_reads_back_and_any_cut_is_none(
        expires in any::<u64>(),
        etag in proptest::option::of("\"[!#-~]{1,40}\""),
        content_type in prop_oneof![Just("image/png"), Just("image/jpeg"), Just("image/webp")],
        image in proptest::collection::vec(any::<u8>(), 1..300),
        cut in any::<prop::sample::Index>(),
    ) {
        let entry = Entry { expires, etag, content_type: content_type.to_string(), image };
        let bytes = entry.encode();
        prop_assert_eq!(Entry::decode(&bytes), Some(entry));
        prop_assert_eq!(Entry::decode(&bytes[..cut.index(bytes.len())]), None);
        prop_assert!(bytes.len() < MAX_IMAGE_BYTES);
    }
}
