//! Reading one frame of each dialect. Both readers take untrusted bytes: they never panic,
//! allocate no more than the input's size suggests, and say in plain words what was wrong.
//!
//! - Old JSON API (text): `1` is the heartbeat, any other bare number is the server's time
//!   in ms (`1384941923580` or `1384941923580.0`), and data is a JSON array of objects in
//!   the `resources/data` encoding (a lone object is accepted too).
//! - Riot (binary): one protobuf `Msg`, no length prefix: `data` of one device, or a
//!   `channel_management` heartbeat or disconnect; anything else is [`RiotFrame::Other`].

use riot_proto::channel_management::Management;
use riot_proto::data_msg::Source;
use riot_proto::{msg, Message, Msg};
use telltale_data::riot::{decode_msg_into, MsgProblem};
use telltale_data::{merge, Dataset, DecodeError};

/// Largest frame the socket accepts (tungstenite's `max_message_size` and
/// `max_frame_size`); a live frame holds a second or so of one device, a few KiB.
pub const MAX_FRAME_BYTES: usize = 256 * 1024;

/// Longest server text (a close reason, a disconnect reason) kept in a note.
const MAX_REASON_BYTES: usize = 200;

/// A text frame of the old JSON API.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonFrame {
    /// The server's current time in ms, sent in answer to the configuration.
    Time(i64),
    /// The heartbeat `1`.
    Heartbeat,
    /// Samples, by device serial, in the app's units.
    Samples(Dataset),
}

/// A binary frame of Riot.
#[derive(Debug, Clone, PartialEq)]
pub enum RiotFrame {
    /// Data of one device: its samples in the app's units (empty when the message held
    /// only points that are not series).
    Data { serial: String, data: Dataset },
    /// `channel_management.heartbeat`.
    Heartbeat(u64),
    /// `channel_management.disconnect`: the server is closing, with its code and reason.
    Disconnect { code: u32, reason: String },
    /// A message that is neither (acknowledgements, authentication, nothing set).
    Other,
}

/// Why a frame could not be read. The messages quote at most a few characters of the
/// frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Nothing in the frame.
    #[error("an empty frame")]
    Empty,
    /// Over [`MAX_FRAME_BYTES`].
    #[error("a frame of {0} bytes, over the limit of {MAX_FRAME_BYTES}")]
    TooLarge(usize),
    /// Text that is neither a number nor JSON data.
    #[error("a text frame that is neither the time, the heartbeat nor data (it starts {0})")]
    NotJson(String),
    /// A number that cannot be a time in ms.
    #[error("a time that is not a whole number of ms: {0}")]
    BadTime(String),
    /// JSON data that is not in the `resources/data` encoding.
    #[error("data that cannot be read: {0}")]
    BadData(String),
    /// The server sent its `{"error": ..}` object instead of data.
    #[error("the server sent an error: {0}")]
    Server(String),
    /// A frame that does not belong on this socket (binary on the JSON API's, data as
    /// text on Riot's).
    #[error("{0}")]
    Unexpected(&'static str),
    /// Bytes that are not a Riot `Msg`, or a `Msg` whose data cannot be taken.
    #[error("a Riot message that cannot be read: {0}")]
    Riot(MsgProblem),
    /// A Riot data message without a device serial.
    #[error("a Riot data message that names no device")]
    NoDevice,
    /// A Riot data message naming more than one device (the protocol sends one device's
    /// message per frame).
    #[error("a Riot data message that names several devices")]
    SeveralDevices,
}

/// Reads one text frame of the old JSON API.
pub fn read_json_frame(text: &str) -> Result<JsonFrame, FrameError> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(FrameError::TooLarge(text.len()));
    }
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\u{feff}');
    match text.as_bytes().first() {
        None => Err(FrameError::Empty),
        Some(_) if text == "1" => Ok(JsonFrame::Heartbeat),
        Some(b'0'..=b'9' | b'-') => read_time(text).map(JsonFrame::Time),
        Some(b'[') => read_array(text.as_bytes()).map(JsonFrame::Samples),
        Some(b'{') => read_object(text.as_bytes()).map(JsonFrame::Samples),
        Some(_) => Err(FrameError::NotJson(quote(text))),
    }
}

/// Reads one binary frame of Riot.
pub fn read_riot_frame(bytes: &[u8]) -> Result<RiotFrame, FrameError> {
    if bytes.is_empty() {
        return Err(FrameError::Empty);
    }
    if bytes.len() > MAX_FRAME_BYTES {
        return Err(FrameError::TooLarge(bytes.len()));
    }
    let Ok(message) = Msg::decode(bytes) else {
        // The data reader words prost's reason the way every other Riot message is worded.
        let mut scratch = Dataset::default();
        let problem = decode_msg_into(&mut scratch, "", bytes)
            .err()
            .unwrap_or(MsgProblem::NotProtobuf("malformed"));
        return Err(FrameError::Riot(problem));
    };
    match message.msg {
        Some(msg::Msg::Data(data)) => {
            let mut serial: Option<&str> = None;
            for part in &data.data {
                match &part.source {
                    Some(Source::SerialNumber(s)) if serial.is_none_or(|seen| seen == s) => {
                        serial = Some(s)
                    }
                    Some(Source::SerialNumber(_)) => return Err(FrameError::SeveralDevices),
                    Some(Source::SessionId(id)) => {
                        return Err(FrameError::Riot(MsgProblem::SessionSource(*id)))
                    }
                    None => return Err(FrameError::NoDevice),
                }
            }
            let Some(serial) = serial.filter(|s| !s.is_empty()) else {
                return if data.data.is_empty() {
                    Ok(RiotFrame::Other)
                } else {
                    Err(FrameError::NoDevice)
                };
            };
            let mut dataset = Dataset::default();
            decode_msg_into(&mut dataset, serial, bytes).map_err(FrameError::Riot)?;
            Ok(RiotFrame::Data {
                serial: serial.to_owned(),
                data: dataset,
            })
        }
        Some(msg::Msg::ChannelManagement(management)) => match management.management {
            Some(Management::Heartbeat(n)) => Ok(RiotFrame::Heartbeat(n)),
            Some(Management::Disconnect(d)) => Ok(RiotFrame::Disconnect {
                code: d.code,
                reason: clean_text(&d.reason),
            }),
            _ => Ok(RiotFrame::Other),
        },
        Some(msg::Msg::AckResponse(_)) | None => Ok(RiotFrame::Other),
    }
}

/// Server text fit for a note: control characters as spaces, at most 200 bytes (bytes, not
/// characters: a frame of three-byte characters must not make a note three times longer).
pub(crate) fn clean_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if out.len() + c.len_utf8() > MAX_REASON_BYTES {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out.trim().to_owned()
}

/// The first few characters of a frame, quoted.
fn quote(text: &str) -> String {
    let head: String = text.chars().take(16).collect();
    format!("{head:?}")
}

fn read_time(text: &str) -> Result<i64, FrameError> {
    if let Ok(ms) = text.parse::<i64>() {
        return Ok(ms);
    }
    match text.parse::<f64>() {
        // i64::MAX as f64 rounds up to 2^63: a value that large does not fit.
        Ok(ms) if ms.is_finite() && ms >= i64::MIN as f64 && ms < i64::MAX as f64 => {
            Ok(ms.floor() as i64)
        }
        _ => Err(FrameError::BadTime(quote(text))),
    }
}

fn read_object(json: &[u8]) -> Result<Dataset, FrameError> {
    telltale_data::decode(json).map_err(|e| match e {
        DecodeError::Server { .. } => FrameError::Server(clean_text(&e.to_string())),
        DecodeError::Malformed { .. } => FrameError::BadData(clean_text(&e.to_string())),
    })
}

/// Reads `[ {..}, {..} ]`: each object decoded, later objects appended in order.
fn read_array(json: &[u8]) -> Result<Dataset, FrameError> {
    let mut dataset = Dataset::default();
    for element in split_array(json)? {
        if element.first() != Some(&b'{') {
            return Err(FrameError::BadData(
                "an element of the data array is not an object".into(),
            ));
        }
        merge::append(&mut dataset, read_object(element)?);
    }
    Ok(dataset)
}

/// The elements of a JSON array (trimmed), found by a scan that tracks strings and
/// nesting without recursion; each element is read (and checked) by the data decoder.
fn split_array(json: &[u8]) -> Result<Vec<&[u8]>, FrameError> {
    let bad = |detail: &str| FrameError::BadData(detail.to_owned());
    let mut elements = Vec::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut start = 1;
    let mut end = None;
    for (i, &b) in json.iter().enumerate().skip(1) {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth > 0 => depth -= 1,
            b',' if depth == 0 => {
                elements.push(json[start..i].trim_ascii());
                start = i + 1;
            }
            b']' => {
                elements.push(json[start..i].trim_ascii());
                end = Some(i);
                break;
            }
            b'}' => return Err(bad("an unmatched '}' in the data array")),
            _ => {}
        }
    }
    let Some(end) = end else {
        return Err(bad("the data array is not closed"));
    };
    if !json[end + 1..].trim_ascii().is_empty() {
        return Err(bad("text after the data array"));
    }
    if elements.len() == 1 && elements[0].is_empty() {
        return Ok(Vec::new());
    }
    if elements.iter().any(|e| e.is_empty()) {
        return Err(bad("an empty element in the data array"));
    }
    Ok(elements)
}

#[cfg(test)]
#[path = "frame_tests.rs"]
mod tests;
