//! One cached tile as a file: the image with its `ETag`, content type and expiry, behind a
//! header and a checksum, so a file cut short or damaged on disk reads as no entry at all
//! rather than as a broken picture.
//!
//! Layout (integers little-endian): `MAGIC`, expiry (u64, Unix seconds), ETag length (u16)
//! and bytes, content type length (u8) and bytes, image length (u32), checksum (u64,
//! FNV-1a of everything before it and the image), the image.

/// The first bytes of every entry (format 1).
const MAGIC: &[u8; 8] = b"TTTILE\x00\x01";
/// The largest image kept; tiles are tens of kilobytes.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// The longest `ETag` kept (a longer one is not stored, so the tile is fetched in full).
pub const MAX_ETAG_LEN: usize = 512;

/// A cached tile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When it goes stale, Unix seconds.
    pub expires: u64,
    /// The server's tag of the image, sent back in `If-None-Match`.
    pub etag: Option<String>,
    /// `image/png`, `image/jpeg` or `image/webp`.
    pub content_type: String,
    pub image: Vec<u8>,
}

impl Entry {
    /// The file's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let etag = self
            .etag
            .as_deref()
            .filter(|tag| tag.len() <= MAX_ETAG_LEN)
            .unwrap_or("");
        let content_type = &self.content_type.as_bytes()[..self.content_type.len().min(255)];
        let mut out = Vec::with_capacity(64 + etag.len() + self.image.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.expires.to_le_bytes());
        out.extend_from_slice(&(etag.len() as u16).to_le_bytes());
        out.extend_from_slice(etag.as_bytes());
        out.push(content_type.len() as u8);
        out.extend_from_slice(content_type);
        out.extend_from_slice(&(self.image.len() as u32).to_le_bytes());
        let checksum = fnv1a_parts(&[&out, &self.image]);
        out.extend_from_slice(&checksum.to_le_bytes());
        out.extend_from_slice(&self.image);
        out
    }

    /// Reads a file's bytes; `None` unless they are a whole, undamaged entry.
    pub fn decode(bytes: &[u8]) -> Option<Entry> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let expires = u64::from_le_bytes(reader.array()?);
        let etag_len = usize::from(u16::from_le_bytes(reader.array()?));
        let etag = std::str::from_utf8(reader.take(etag_len)?).ok()?;
        let type_len = usize::from(reader.take(1)?[0]);
        let content_type = std::str::from_utf8(reader.take(type_len)?).ok()?;
        let image_len = usize::try_from(u32::from_le_bytes(reader.array()?)).ok()?;
        let header_end = reader.at;
        let checksum = u64::from_le_bytes(reader.array()?);
        let image = reader.take(image_len)?;
        let whole = reader.at == bytes.len();
        let sound = checksum == fnv1a_parts(&[&bytes[..header_end], image]);
        let usable = image_len > 0
            && image_len <= MAX_IMAGE_BYTES
            && is_image_type(content_type)
            && etag.len() <= MAX_ETAG_LEN;
        (whole && sound && usable).then(|| Entry {
            expires,
            etag: (!etag.is_empty()).then(|| etag.to_string()),
            content_type: content_type.to_string(),
            image: image.to_vec(),
        })
    }
}

/// The image types a map can show.
pub fn is_image_type(content_type: &str) -> bool {
    matches!(content_type, "image/png" | "image/jpeg" | "image/webp")
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(len)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
}

/// FNV-1a, 64 bits: a checksum against damage (not against tampering: the cache folder is
/// the user's own) and the sources' folder names.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_parts(&[bytes])
}

fn fnv1a_parts(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|part| part.iter()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entry {
        Entry {
            expires: 1_760_000_000,
            etag: Some("\"abc123\"".into()),
            content_type: "image/png".into(),
            image: b"\x89PNG\r\n\x1a\n-the-rest".to_vec(),
        }
    }

    #[test]
    fn an_entry_reads_back_as_written() {
        let entry = sample();
        assert_eq!(Entry::decode(&entry.encode()), Some(entry));
        let untagged = Entry {
            etag: None,
            ..sample()
        };
        assert_eq!(Entry::decode(&untagged.encode()), Some(untagged));
    }

    #[test]
    fn a_cut_or_damaged_entry_is_no_entry() {
        let bytes = sample().encode();
        for len in 0..bytes.len() {
            assert_eq!(Entry::decode(&bytes[..len]), None, "cut at {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Entry::decode(&longer), None);
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert_eq!(Entry::decode(&damaged), None, "byte {at} flipped");
        }
    }
}
