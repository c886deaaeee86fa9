//! The tiles' picture: water, a faint line along the tile's top and left edges (so the
//! tiles of a map form a graticule) and darker squares in a pattern of the tile's address,
//! so that two tiles, or a tile at the wrong place, can be told apart at a glance. A
//! four-colour indexed PNG: a few hundred bytes, drawn in microseconds.

/// A tile's side in pixels.
pub const SIZE: u32 = 256;
/// The squares' grid: `CELLS` x `CELLS` cells, one bit of the fingerprint each.
const CELLS: u32 = 4;
/// Water, the edge line, the squares (OSM's water colour and two darker shades).
const PALETTE: [u8; 9] = [170, 211, 223, 146, 188, 203, 112, 160, 182];
const WATER: u8 = 0;
const LINE: u8 = 1;
const SQUARE: u8 = 2;

/// The PNG of tile `z/x/y`.
pub fn tile(z: u8, x: u32, y: u32) -> Vec<u8> {
    let bits = fingerprint(z, x, y);
    let cell = SIZE / CELLS;
    let inset = cell / 4;
    let pixel = |px: u32, py: u32| -> u8 {
        if px == 0 || py == 0 {
            return LINE;
        }
        let (cx, cy) = (px / cell, py / cell);
        let (ix, iy) = (px % cell, py % cell);
        let inside = (inset..cell - inset).contains(&ix) && (inset..cell - inset).contains(&iy);
        if inside && bits >> (cy * CELLS + cx) & 1 == 1 {
            SQUARE
        } else {
            WATER
        }
    };
    // Two bits a pixel, the leftmost pixel in the high bits.
    let mut data = Vec::with_capacity((SIZE * SIZE / 4) as usize);
    for py in 0..SIZE {
        for px in (0..SIZE).step_by(4) {
            let byte = (0..4).fold(0u8, |byte, i| byte << 2 | pixel(px + i, py));
            data.push(byte);
        }
    }
    encode(&data).unwrap_or_default()
}

fn encode(data: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, SIZE, SIZE);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Two);
    encoder.set_palette(&PALETTE[..]);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(data)?;
    writer.finish()?;
    Ok(out)
}

/// 64 bits of the tile's address (FNV-1a): its squares and its `ETag`.
pub fn fingerprint(z: u8, x: u32, y: u32) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in [z]
        .into_iter()
        .chain(x.to_le_bytes())
        .chain(y.to_le_bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png_bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut pixels).expect("a frame");
        (info, pixels)
    }

    #[test]
    fn a_tile_is_a_256_pixel_png_with_an_edge_line_and_squares() {
        let (info, rgb) = decode(&tile(5, 17, 11));
        assert_eq!((info.width, info.height), (SIZE, SIZE));
        let at = |x: u32, y: u32| {
            let i = ((y * SIZE + x) * 3) as usize;
            [rgb[i], rgb[i + 1], rgb[i + 2]]
        };
        assert_eq!(at(0, 100), [146, 188, 203], "the left edge line");
        assert_eq!(at(100, 0), [146, 188, 203], "the top edge line");
        assert_eq!(at(1, 1), [170, 211, 223], "water");
        let squares = (0..CELLS * CELLS)
            .filter(|k| at(k % CELLS * 64 + 32, k / CELLS * 64 + 32) == [112, 160, 182])
            .count();
        // The low 16 bits of the fingerprint choose the squares.
        let expected = (fingerprint(5, 17, 11) & 0xffff).count_ones() as usize;
        assert!(expected > 0);
        assert_eq!(squares, expected);
    }

    #[test]
    fn neighbouring_tiles_differ() {
        let first = tile(12, 2000, 1300);
        for (x, y) in [(2001, 1300), (2000, 1301), (1999, 1299)] {
            assert_ne!(first, tile(12, x, y), "{x}/{y}");
        }
        assert_ne!(tile(3, 1, 1), tile(4, 1, 1));
    }
}
