//! The Riot reader: `resources/data` (and `resources/data/latest`) answers of the Riot
//! service, `{"<serial>": ["<base64 of one Msg>", ..], ..}`, and single `Msg`s (a live
//! WebSocket frame holds exactly one), decoded straight into the same [`Dataset`] the JSON
//! path ([`crate::decode()`]) fills.
//!
//! Each `Msg` is decoded by prost (`riot_proto`); its base64 is standard, with or without
//! padding, and otherwise strict. Each data point becomes samples in the app's terms by one
//! function (`convert.rs`): the type code and factor from `riot_proto::units`, key
//! `(app code, source_id)`, values multiplied by `to_app` (km/h to knots, radians to
//! degrees, Pa to hPa), positions turned to `[longitude, latitude]` with the altitude as
//! type 5. Blocks are put in time order at the end, a repeated time keeping its first sample.
//!
//! What is skipped and counted ([`Skipped`]), not an error: points with timestamp 0 (unset),
//! points that are not series (text, JSON, commands, events, logs, session log entries,
//! corrections, unknown kinds), messages that are not `data` (channel management,
//! acknowledgements, ...) and `data` without points. Unknown protobuf fields are ignored.
//!
//! What refuses one message ([`MsgProblem`]): bad base64, bytes that are not a protobuf
//! `Msg` (truncated, a wrong wire type, a length prefix past the end, nesting beyond
//! prost's limit, invalid UTF-8 in a string, ...), a `DataMsg` whose `serial_number` is not
//! the device's (the JSON key, or the serial given), a `DataMsg` from a `session_id`, a
//! point time beyond `i64::MAX`. **Only that message is dropped**: the device's other
//! messages are kept, and the answer lists the problem naming the device and the message's
//! index ([`DeviceProblem`]). Only a body that is not the JSON shape fails as a whole
//! ([`DecodeError`]).
//!
//! A device with many messages (a week at 1 Hz) is decoded on several threads, each a
//! contiguous part of its list; the result is the same as on one (bench/README.md, "Riot
//! decode", has the figures).
//!
//! Never panics; allocations are bounded by the input's size (prost checks every length
//! prefix against the bytes left before it reads, and limits nesting).

mod body;
mod columns;
mod convert;

use crate::decode::DecodeError;
use crate::model::Dataset;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use columns::Columns;
use convert::{convert, NoSample};
use riot_proto::data_msg::Source;
use riot_proto::{msg, Message, Msg};
use std::fmt;

/// Problems listed per device at most; more are only counted
/// ([`RiotDecoded::unlisted_problems`]), so an answer of bad messages cannot make a list as
/// long as itself.
pub const MAX_LISTED_PROBLEMS: usize = 20;

/// A decoded Riot `resources/data` answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RiotDecoded {
    /// The samples of every message that could be read, by device. Every device of the
    /// answer is present, even when none of its messages could be read.
    pub dataset: Dataset,
    /// The messages that were refused, by device (in serial order), each device's in list
    /// order, at most [`MAX_LISTED_PROBLEMS`] per device.
    pub problems: Vec<DeviceProblem>,
    /// Refused messages beyond those listed.
    pub unlisted_problems: usize,
    /// What was skipped without being a problem.
    pub skipped: Skipped,
}

/// What a Riot answer or message held that is not samples; none of it is an error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Data points with timestamp 0 (protobuf's default: unset).
    pub untimed_points: usize,
    /// Data points that are not series: text, JSON, commands, events, logs, session log
    /// entries, corrections, kinds this reader does not know, positions with no part present.
    pub other_points: usize,
    /// Messages that are not `data` (channel management, acknowledgements, ...) or are
    /// `data` without points.
    pub other_messages: usize,
}

impl Skipped {
    /// Everything skipped, points and messages.
    pub fn total(&self) -> usize {
        self.untimed_points + self.other_points + self.other_messages
    }

    fn add(&mut self, other: Skipped) {
        self.untimed_points += other.untimed_points;
        self.other_points += other.other_points;
        self.other_messages += other.other_messages;
    }
}

impl fmt::Display for Skipped {
    /// `"2 points without a time, 1 point that is not a series, 3 messages without data"`,
    /// only the parts that are not zero; `"nothing"` when all are.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let parts: Vec<String> = [
            (
                self.untimed_points,
                "point without a time",
                "points without a time",
            ),
            (
                self.other_points,
                "point that is not a series",
                "points that are not series",
            ),
            (
                self.other_messages,
                "message without data",
                "messages without data",
            ),
        ]
        .into_iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect();
        if parts.is_empty() {
            f.write_str("nothing")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// One refused message of one device: `device AA-BT-0417, message 12: not a protobuf Msg
/// (truncated)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("device {serial}, message {message}: {problem}")]
pub struct DeviceProblem {
    /// The device's serial (the answer's key).
    pub serial: String,
    /// The message's index in the device's list, counted from 0.
    pub message: usize,
    /// What was wrong with it.
    pub problem: MsgProblem,
}

/// Why one message was refused. Its samples are not kept; nothing else is affected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MsgProblem {
    /// The text is not standard base64.
    #[error("not base64 ({0})")]
    NotBase64(String),
    /// The bytes are not a protobuf `Msg`; the reason in a few words.
    #[error("not a protobuf Msg ({0})")]
    NotProtobuf(&'static str),
    /// A `DataMsg` names another device (its serial, cut to 64 characters).
    #[error("a wrong serial: its data is of device {0:?}")]
    WrongSerial(String),
    /// A `DataMsg` names a session instead of a device.
    #[error("its data is of session {0}, not of a device")]
    SessionSource(u32),
    /// A data point's time (ms) is beyond any date the app can hold (`i64::MAX`).
    #[error("a data point's time, {0} ms, is beyond any date")]
    BadTime(u64),
}

/// Decodes a Riot `resources/data` or `resources/data/latest` body: the samples of every
/// message that could be read, the messages refused (by device and index), and what was
/// skipped. Fails as a whole only when the body is not a JSON object of device serials,
/// each a list of strings (or is the server's `{"error": .., "reason": ..}`).
pub fn decode_answer(body: &[u8]) -> Result<RiotDecoded, DecodeError> {
    body::read(body, threads())
}

/// Decodes one `Msg` (a live WebSocket frame's bytes, no length prefix) of device `serial`
/// into `dataset`, merged in time order with what it holds (a sample at a time already held
/// is dropped). A refused message changes nothing. A message without samples does not add
/// the device.
pub fn decode_msg_into(
    dataset: &mut Dataset,
    serial: &str,
    msg: &[u8],
) -> Result<Skipped, MsgProblem> {
    let mut columns = Columns::default();
    let skipped = read_msg(serial, msg, &mut columns)?;
    if !columns.is_empty() {
        let device = match dataset.devices.get_mut(serial) {
            Some(device) => device,
            None => dataset.devices.entry(serial.to_owned()).or_default(),
        };
        columns.finish_into(device, 1);
    }
    Ok(skipped)
}

/// A device with at least this many messages in an answer is decoded on several threads,
/// each taking a contiguous part of its list.
const PARALLEL_MESSAGES: usize = 4096;

/// Blocks with at least this many samples in all are put in order on several threads.
const PARALLEL_SAMPLES: usize = 100_000;

/// Threads used at most.
const MAX_THREADS: usize = 8;

/// Threads to use: the cores available, at most [`MAX_THREADS`].
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(MAX_THREADS)
}

/// Standard base64, padded or not; trailing bits and anything outside the alphabet refused.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes one base64 message of device `serial` into `columns`; `bytes` is a buffer
/// reused from message to message.
fn base64_msg(
    serial: &str,
    text: &str,
    bytes: &mut Vec<u8>,
    columns: &mut Columns,
) -> Result<Skipped, MsgProblem> {
    use base64::Engine;
    bytes.clear();
    BASE64
        .decode_vec(text, bytes)
        .map_err(|e| MsgProblem::NotBase64(base64_words(&e)))?;
    read_msg(serial, bytes, columns)
}

/// Decodes one `Msg` of device `serial` into `columns`: all its samples, or none when the
/// message is refused.
fn read_msg(serial: &str, bytes: &[u8], columns: &mut Columns) -> Result<Skipped, MsgProblem> {
    let msg = Msg::decode(bytes).map_err(|e| MsgProblem::NotProtobuf(protobuf_words(&e)))?;
    let mut skipped = Skipped::default();
    let Some(msg::Msg::Data(data)) = msg.msg else {
        skipped.other_messages = 1;
        return Ok(skipped);
    };
    for part in &data.data {
        match &part.source {
            Some(Source::SerialNumber(other)) if other != serial => {
                return Err(MsgProblem::WrongSerial(other.chars().take(64).collect()));
            }
            Some(Source::SessionId(session)) => return Err(MsgProblem::SessionSource(*session)),
            _ => {}
        }
    }
    columns.mark();
    let mut points = 0;
    for point in data.data.iter().flat_map(|part| &part.data) {
        points += 1;
        match convert(point, columns) {
            Ok(()) => {}
            Err(NoSample::Untimed) => skipped.untimed_points += 1,
            Err(NoSample::NotSeries) => skipped.other_points += 1,
            Err(NoSample::BadTime(ms)) => {
                columns.rollback();
                return Err(MsgProblem::BadTime(ms));
            }
        }
    }
    if points == 0 {
        skipped.other_messages = 1;
    }
    Ok(skipped)
}

/// prost's reason, in a few plain words.
fn protobuf_words(error: &prost::DecodeError) -> &'static str {
    // prost's error kinds are private; its Display names them in fixed words.
    let text = error.to_string();
    const WORDS: [(&str, &str); 10] = [
        ("buffer underflow", "truncated"),
        (
            "delimited length exceeded",
            "a part runs past the end of its enclosing part",
        ),
        (
            "length delimiter exceeds",
            "a length prefix beyond any size",
        ),
        ("recursion limit reached", "nested too deeply"),
        ("invalid wire type", "a wrong wire type"),
        ("invalid string value", "a text field is not UTF-8"),
        ("invalid varint", "a broken number (varint)"),
        ("unexpected end group tag", "an unmatched end of group"),
        ("invalid key value", "a broken field key"),
        ("invalid tag value", "a broken field key"),
    ];
    WORDS
        .iter()
        .find(|(prost, _)| text.contains(prost))
        .map(|(_, words)| *words)
        .unwrap_or("malformed")
}

/// The base64 crate's reason, in a few plain words.
fn base64_words(error: &base64::DecodeError) -> String {
    use base64::DecodeError as E;
    let byte = |b: u8| {
        if b.is_ascii_graphic() {
            format!("{:?}", b as char)
        } else {
            format!("byte 0x{b:02x}")
        }
    };
    match *error {
        E::InvalidByte(at, b) => format!("{} at {at} is not a base64 character here", byte(b)),
        E::InvalidLength(symbols) => format!("{symbols} characters cannot be base64"),
        E::InvalidLastSymbol(at, b) => {
            format!("its last character {} at {at} has stray bits", byte(b))
        }
        E::InvalidPadding => "bad padding".into(),
    }
}

#[cfg(test)]
mod tests;
