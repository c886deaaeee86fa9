//! The outer JSON of a Riot answer, `{"<serial>": ["<base64>", ..], ..}`, read by
//! serde_json in one pass into each device's list of strings (borrowed from the body unless
//! they have escapes; no JSON tree). The messages are decoded afterwards, a large device's
//! list on several threads in contiguous parts, joined in list order.

use super::columns::Columns;
use super::{
    base64_msg, DeviceProblem, MsgProblem, RiotDecoded, Skipped, MAX_LISTED_PROBLEMS,
    PARALLEL_MESSAGES,
};
use crate::decode::DecodeError;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// The answer's JSON, read.
#[derive(Default)]
struct Answer<'de> {
    /// Each device's messages, in list order (a serial given twice: both lists, in order).
    devices: BTreeMap<String, Vec<Cow<'de, str>>>,
    server_error: Option<String>,
    reason: String,
}

/// Reads an answer, decoding a large device's messages on up to `threads` threads.
pub(super) fn read(body: &[u8], threads: usize) -> Result<RiotDecoded, DecodeError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Malformed {
            offset: 0,
            detail: "empty body, expected a JSON object".into(),
        });
    }
    let mut answer = Answer::default();
    let mut json = serde_json::Deserializer::from_slice(body);
    json.deserialize_map(Top(&mut answer))
        .and_then(|()| json.end())
        .map_err(|e| malformed(body, &e))?;
    if let Some(error) = answer.server_error {
        return Err(DecodeError::Server {
            error,
            reason: answer.reason,
        });
    }
    let mut decoded = RiotDecoded::default();
    for (serial, texts) in answer.devices {
        let part = decode_device(&serial, &texts, threads);
        drop(texts);
        decoded.skipped.add(part.skipped);
        decoded.unlisted_problems += part.problem_count - part.problems.len();
        decoded
            .problems
            .extend(
                part.problems
                    .into_iter()
                    .map(|(message, problem)| DeviceProblem {
                        serial: serial.clone(),
                        message,
                        problem,
                    }),
            );
        let device = decoded.dataset.devices.entry(serial).or_default();
        part.columns.finish_into(device, threads);
    }
    Ok(decoded)
}

/// A device's messages, or a contiguous part of them, decoded.
#[derive(Default)]
struct Part {
    columns: Columns,
    /// The first [`MAX_LISTED_PROBLEMS`] problems, by message index.
    problems: Vec<(usize, MsgProblem)>,
    /// All problems, listed or not.
    problem_count: usize,
    skipped: Skipped,
}

impl Part {
    /// Adds `later`, the part after this one.
    fn append(&mut self, later: Part) {
        self.columns.append(later.columns);
        let room = MAX_LISTED_PROBLEMS.saturating_sub(self.problems.len());
        self.problems.extend(later.problems.into_iter().take(room));
        self.problem_count += later.problem_count;
        self.skipped.add(later.skipped);
    }
}

/// Decodes `texts`, messages `first..` of device `serial`.
fn decode_part(serial: &str, texts: &[Cow<'_, str>], first: usize) -> Part {
    let mut part = Part::default();
    let mut bytes = Vec::new();
    for (index, text) in (first..).zip(texts) {
        match base64_msg(serial, text, &mut bytes, &mut part.columns) {
            Ok(skipped) => part.skipped.add(skipped),
            Err(problem) => {
                part.problem_count += 1;
                if part.problems.len() < MAX_LISTED_PROBLEMS {
                    part.problems.push((index, problem));
                }
            }
        }
    }
    part
}

/// Decodes a device's messages, a long list on up to `threads` threads.
fn decode_device(serial: &str, texts: &[Cow<'_, str>], threads: usize) -> Part {
    if threads < 2 || texts.len() < PARALLEL_MESSAGES {
        return decode_part(serial, texts, 0);
    }
    let per_thread = texts.len().div_ceil(threads);
    let parts: Vec<Part> = std::thread::scope(|scope| {
        let running: Vec<_> = texts
            .chunks(per_thread)
            .enumerate()
            .map(|(i, chunk)| scope.spawn(move || decode_part(serial, chunk, i * per_thread)))
            .collect();
        running
            .into_iter()
            .map(|thread| match thread.join() {
                Ok(part) => part,
                // decode_part does not panic (fuzzed); should it, the panic goes on.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    let mut parts = parts.into_iter();
    let mut whole = parts.next().unwrap_or_default();
    for part in parts {
        whole.append(part);
    }
    whole
}

/// A serde_json error as the crate's `Malformed`, at its byte offset.
fn malformed(body: &[u8], error: &serde_json::Error) -> DecodeError {
    let (line, column) = (error.line(), error.column());
    // serde_json counts lines from 1 and the bytes of a line from 1.
    let line_start = if line <= 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(line - 2)
            .map_or(body.len(), |(at, _)| at + 1)
    };
    let offset = (line_start + column.saturating_sub(1)).min(body.len());
    let text = error.to_string();
    let suffix = format!(" at line {line} column {column}");
    let detail = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
    DecodeError::Malformed { offset, detail }
}

/// The top-level object.
struct Top<'a, 'de>(&'a mut Answer<'de>);

impl<'de> Visitor<'de> for Top<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of device serials, each with a list of base64 messages")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let answer = self.0;
        while let Some(key) = map.next_key_seed(Text)? {
            let texts = match answer.devices.get_mut(&*key) {
                Some(texts) => texts,
                None => answer.devices.entry(key.to_string()).or_default(),
            };
            let had = texts.len();
            match map.next_value_seed(Entry(texts))? {
                None => {}
                Some(text) => {
                    if had == 0 {
                        answer.devices.remove(&*key);
                    }
                    match &*key {
                        "error" => answer.server_error = Some(text.into_owned()),
                        "reason" | "error_description" => answer.reason = text.into_owned(),
                        _ => {
                            return Err(de::Error::custom(format_args!(
                                "the value of {:?} is a string, not a list of base64 messages",
                                key.chars().take(40).collect::<String>()
                            )))
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// A string, borrowed from the body when it has no escapes.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base64 string")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_owned()))
    }
}

/// The value of one key: a device's list of messages (appended to its texts: `None`), or a
/// string (the server's `error` and `reason`: `Some`).
struct Entry<'a, 'de>(&'a mut Vec<Cow<'de, str>>);

impl<'de> DeserializeSeed<'de> for Entry<'_, 'de> {
    type Value = Option<Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Entry<'_, 'de> {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of base64 messages")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(text.to_owned())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if let Some(hint) = seq.size_hint() {
            self.0.reserve(hint);
        }
        while let Some(text) = seq.next_element_seed(Text)? {
            self.0.push(text);
        }
        Ok(None)
    }
}
