//! The device port's framing: every message, both ways, is one protobuf `Msg` preceded by
//! its length as a protobuf varint. The reader refuses an announced length over
//! [`MAX_FRAME_BYTES`] before reading the body, so a hostile prefix costs no memory.

use bytes::{Buf, BytesMut};
use riot_proto::{Message, Msg};
use tokio::io::{AsyncRead, AsyncReadExt};

/// Longest message accepted (1 MiB): a YachtBot sends a few hundred bytes a second.
pub const MAX_FRAME_BYTES: usize = 1 << 20;
/// A u64 varint takes at most 10 bytes.
const MAX_VARINT_BYTES: usize = 10;
/// Most bytes asked of the socket at a time.
const READ_CHUNK: usize = 64 * 1024;

/// Why a byte stream is not a sequence of frames. [`FrameError::code`] is the
/// `disconnect` code the server answers with.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error(
        "A message of {len} bytes was announced; at most {MAX_FRAME_BYTES} bytes are accepted"
    )]
    TooLarge { len: u64 },
    #[error("The length prefix is not a valid varint (longer than 10 bytes or over 64 bits)")]
    BadLength,
    #[error("The stream ended inside a length prefix")]
    TruncatedLength,
    #[error("The stream ended inside a message ({have} of {need} bytes)")]
    Truncated { have: usize, need: usize },
    #[error("A message is not a valid Riot Msg: {0}")]
    Malformed(String),
}

impl FrameError {
    /// The HTTP-like code of the `disconnect` that refuses it: 413 too large, else 400.
    pub fn code(&self) -> u32 {
        match self {
            FrameError::TooLarge { .. } => 413,
            _ => 400,
        }
    }
}

/// The varint at the start of `buf` and its length in bytes; `None` when more bytes are
/// needed.
fn varint(buf: &[u8]) -> Result<Option<(u64, usize)>, FrameError> {
    let mut value = 0u64;
    for (i, &byte) in buf.iter().take(MAX_VARINT_BYTES).enumerate() {
        // The tenth byte holds the 64th bit only.
        if i == MAX_VARINT_BYTES - 1 && byte > 1 {
            return Err(FrameError::BadLength);
        }
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok(Some((value, i + 1)));
        }
    }
    if buf.len() >= MAX_VARINT_BYTES {
        return Err(FrameError::BadLength);
    }
    Ok(None)
}

/// The body length the frame at the start of `buf` announces and the prefix's length;
/// `None` while the prefix is incomplete.
fn header(buf: &[u8]) -> Result<Option<(usize, usize)>, FrameError> {
    let Some((len, used)) = varint(buf)? else {
        return Ok(None);
    };
    match usize::try_from(len) {
        Ok(len) if len <= MAX_FRAME_BYTES => Ok(Some((len, used))),
        _ => Err(FrameError::TooLarge { len }),
    }
}

/// The first frame of `buf` and the bytes it took; `None` when more bytes are needed.
pub fn decode_frame(buf: &[u8]) -> Result<Option<(Msg, usize)>, FrameError> {
    let Some((len, used)) = header(buf)? else {
        return Ok(None);
    };
    let Some(body) = buf.get(used..used + len) else {
        return Ok(None);
    };
    let msg = Msg::decode(body).map_err(|e| FrameError::Malformed(e.to_string()))?;
    Ok(Some((msg, used + len)))
}

/// Every frame of a complete stream, in order; an error for the first bad one or a stream
/// that ends inside a frame. What the fuzz target drives.
pub fn read_frames(bytes: &[u8]) -> Result<Vec<Msg>, FrameError> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        match decode_frame(rest)? {
            Some((msg, used)) => {
                out.push(msg);
                rest = &rest[used..];
            }
            None => return Err(truncated(rest)),
        }
    }
    Ok(out)
}

/// The error for a stream that ended with these bytes of an unfinished frame.
fn truncated(rest: &[u8]) -> FrameError {
    match header(rest) {
        Ok(Some((len, used))) => FrameError::Truncated {
            have: rest.len() - used,
            need: len,
        },
        Ok(None) => FrameError::TruncatedLength,
        Err(e) => e,
    }
}

/// One message as a frame: varint length, then the protobuf bytes.
pub fn encode_frame(msg: &Msg) -> Vec<u8> {
    msg.encode_length_delimited_to_vec()
}

/// Why reading the next frame failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The peer sent something that is not a frame.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// The connection failed.
    #[error("The connection failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads frames off a byte stream, keeping what arrived of the next one.
pub struct FrameReader<R> {
    inner: R,
    buf: BytesMut,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    pub fn new(inner: R) -> Self {
        FrameReader {
            inner,
            buf: BytesMut::new(),
        }
    }

    /// The next message; `None` when the peer closed between frames. Cancel-safe (bytes
    /// read so far stay buffered), so it can sit in a `select!`.
    pub async fn next(&mut self) -> Result<Option<Msg>, ReadError> {
        loop {
            if let Some((msg, used)) = decode_frame(&self.buf)? {
                self.buf.advance(used);
                return Ok(Some(msg));
            }
            // Room for the rest of the announced frame, at most a chunk ahead of what
            // arrived: a peer that announces 1 MiB and sends nothing holds little memory.
            let wanted = match header(&self.buf)? {
                Some((len, used)) => (used + len).saturating_sub(self.buf.len()),
                None => READ_CHUNK,
            };
            self.buf.reserve(wanted.clamp(1, READ_CHUNK));
            if self.inner.read_buf(&mut self.buf).await? == 0 {
                return match self.buf.is_empty() {
                    true => Ok(None),
                    false => Err(truncated(&self.buf).into()),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use riot_proto::{channel_management, msg, ChannelManagement};

    fn heartbeat(n: u64) -> Msg {
        Msg {
            msg: Some(msg::Msg::ChannelManagement(ChannelManagement {
                management: Some(channel_management::Management::Heartbeat(n)),
            })),
        }
    }

    #[test]
    fn frames_round_trip() {
        let msgs = vec![heartbeat(1), Msg::default(), heartbeat(u64::MAX)];
        let bytes: Vec<u8> = msgs.iter().flat_map(encode_frame).collect();
        assert_eq!(read_frames(&bytes), Ok(msgs));
        assert_eq!(read_frames(&[]), Ok(vec![]));
    }

    #[test]
    fn hostile_prefixes_are_refused_before_any_body() {
        // 2^63, as a ten-byte varint.
        let huge = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
        assert_eq!(
            read_frames(&huge),
            Err(FrameError::TooLarge { len: 1 << 63 })
        );
        assert_eq!(FrameError::TooLarge { len: 0 }.code(), 413);
        let mut over = Vec::new();
        prost::encode_length_delimiter(MAX_FRAME_BYTES + 1, &mut over).unwrap();
        assert!(matches!(
            decode_frame(&over),
            Err(FrameError::TooLarge { .. })
        ));
        assert_eq!(read_frames(&[0xff; 11]), Err(FrameError::BadLength));
        assert_eq!(read_frames(&[0xff; 9]), Err(FrameError::TruncatedLength));
        let mut ten = [0xff; 10];
        ten[9] = 0x02;
        assert_eq!(read_frames(&ten), Err(FrameError::BadLength));
        assert_eq!(
            read_frames(&[5, 8, 1]),
            Err(FrameError::Truncated { have: 2, need: 5 })
        );
        let garbage = read_frames(&[3, 0xff, 0xff, 0xff]).unwrap_err();
        assert!(matches!(garbage, FrameError::Malformed(_)), "{garbage}");
        assert_eq!(garbage.code(), 400);
    }

    #[tokio::test]
    async fn the_reader_takes_frames_split_anywhere() {
        let msgs = vec![heartbeat(7), heartbeat(300), Msg::default()];
        let bytes: Vec<u8> = msgs.iter().flat_map(encode_frame).collect();
        for split in 0..bytes.len() {
            let (a, b) = bytes.split_at(split);
            let mut reader = FrameReader::new(AsyncReadExt::chain(a, b));
            for expected in &msgs {
                assert_eq!(reader.next().await.unwrap().as_ref(), Some(expected));
            }
            assert!(reader.next().await.unwrap().is_none());
        }
        let mut cut = FrameReader::new(&bytes[..bytes.len() - 3]);
        cut.next().await.unwrap();
        assert!(matches!(
            cut.next().await,
            Err(ReadError::Frame(FrameError::Truncated { .. }))
        ));
    }

    proptest! {
        #[test]
        fn any_bytes_give_frames_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = read_frames(&bytes);
        }

        #[test]
        fn valid_streams_read_back_whole(beats in proptest::collection::vec(any::<u64>(), 0..20)) {
            let msgs: Vec<Msg> = beats.iter().map(|&n| heartbeat(n)).collect();
            let bytes: Vec<u8> = msgs.iter().flat_map(encode_frame).collect();
            prop_assert_eq!(read_frames(&bytes), Ok(msgs));
            if !bytes.is_empty() {
                prop_assert!(read_frames(&bytes[..bytes.len() - 1]).is_err());
            }
        }
    }
}
