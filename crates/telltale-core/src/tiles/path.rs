//! The page's tile requests, `/{z}/{x}/{y}.png`: untrusted text (any page in the main
//! window can ask), read by [`parse_tile_path`] without panicking into a [`TileId`].

use crate::AppError;

/// The deepest zoom level any source may have (OpenStreetMap's is 19; few go past 22).
pub const ZOOM_LIMIT: u8 = 22;
/// The longest path read: `/22/4194303/4194303.png` is 23 bytes.
const MAX_PATH_LEN: usize = 32;

/// One tile: zoom level `z`, column `x` and row `y`, each below `2^z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileId {
    /// The whole world at zoom 0.
    pub const ROOT: TileId = TileId { z: 0, x: 0, y: 0 };

    /// The tile, if it exists: `z` at most [`ZOOM_LIMIT`], `x` and `y` below `2^z`.
    pub fn new(z: u8, x: u32, y: u32) -> Option<TileId> {
        if z > ZOOM_LIMIT {
            return None;
        }
        let side = 1u32 << z;
        (x < side && y < side).then_some(TileId { z, x, y })
    }

    /// The path the page asks for it by.
    pub fn path(&self) -> String {
        format!("/{}/{}/{}.png", self.z, self.x, self.y)
    }
}

impl std::fmt::Display for TileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.z, self.x, self.y)
    }
}

/// Reads `/{z}/{x}/{y}.png`, numbers in plain decimal without leading zeros (one tile has
/// one path, so one cache entry). Anything else, or a tile that does not exist, is
/// [`AppError::NoSuchTile`].
pub fn parse_tile_path(path: &str) -> Result<TileId, AppError> {
    let refuse = |why: &str| AppError::NoSuchTile {
        detail: why.to_string(),
    };
    if path.len() > MAX_PATH_LEN {
        return Err(refuse("the address is too long for a tile"));
    }
    let inner = path
        .strip_prefix('/')
        .and_then(|rest| rest.strip_suffix(".png"))
        .ok_or_else(|| refuse("a tile's address is /zoom/x/y.png"))?;
    let mut parts = inner.split('/');
    let (Some(z), Some(x), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refuse("a tile's address is /zoom/x/y.png"));
    };
    let (Some(z), Some(x), Some(y)) = (number(z), number(x), number(y)) else {
        return Err(refuse(
            "a tile's zoom, x and y are whole numbers without leading zeros",
        ));
    };
    let z = u8::try_from(z)
        .ok()
        .filter(|z| *z <= ZOOM_LIMIT)
        .ok_or_else(|| refuse("the zoom level is too deep"))?;
    TileId::new(z, x, y).ok_or_else(|| refuse("x and y must be below 2 to the power of the zoom"))
}

/// A plain decimal number of up to 7 digits (2^22 has 7), without sign or leading zero.
fn number(text: &str) -> Option<u32> {
    let canonical = !text.is_empty()
        && text.len() <= 7
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    canonical.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_path_reads_into_its_numbers() {
        assert_eq!(
            parse_tile_path("/12/2200/1343.png"),
            Ok(TileId {
                z: 12,
                x: 2200,
                y: 1343
            })
        );
        assert_eq!(parse_tile_path("/0/0/0.png"), Ok(TileId::ROOT));
        let deepest = TileId::new(ZOOM_LIMIT, (1 << ZOOM_LIMIT) - 1, 0).expect("exists");
        assert_eq!(parse_tile_path(&deepest.path()), Ok(deepest));
    }

    #[test]
    fn anything_else_is_no_tile() {
        for bad in [
            "",
            "/",
            "12/2200/1343.png",
            "/12/2200/1343",
            "/12/2200/1343.jpg",
            "/12/2200/1343.png?x=1",
            "/12/2200/1343.png/",
            "/12//1343.png",
            "/12/2200/1343/1.png",
            "/012/2200/1343.png",
            "/12/+2200/1343.png",
            "/12/-1/1343.png",
            "/12/4096/0.png",
            "/23/0/0.png",
            "/255/0/0.png",
            "/1/0/0x1.png",
            "/1/%30/0.png",
            "/１/0/0.png",
        ] {
            let error = parse_tile_path(bad).expect_err(bad);
            assert_eq!(error.kind(), "no_such_tile", "{bad}");
        }
    }
}
