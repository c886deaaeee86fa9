//! Decoding of `resources/data` answers straight into columns.
//!
//! The shape is `{"<serial>": {"<type>[:<dsi>]": {"t": [..], "1": [..], "2": [..]}}}`. A
//! hand-written scanner walks the bytes once and pushes every number into its column `Vec`;
//! there is no intermediate JSON tree and no allocation per number.

mod scan;
pub(crate) mod tidy;

use crate::model::{Block, Dataset, DeviceData, TypeKey};
use scan::Scanner;
use std::borrow::Cow;
use std::collections::btree_map::Entry;

/// Highest value column index (`"1"`, `"2"`, ..) a block may use; Igtimi types have at most
/// four, so anything far beyond is refused rather than allocated.
pub const MAX_FIELDS: usize = 64;

/// Why a `resources/data` body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The server answered `{"error": "..", "reason": ".."}` instead of data.
    #[error("the server refused the data request: {error}{}", if reason.is_empty() { String::new() } else { format!(" ({reason})") })]
    Server {
        /// The server's `error` text.
        error: String,
        /// The server's `reason` (or `error_description`) text; empty when it sent none.
        reason: String,
    },
    /// The body is not the expected JSON (truncated, garbage, wrong shape).
    #[error("malformed data at byte {offset}: {detail}")]
    Malformed {
        /// Byte offset into the body where reading failed.
        offset: usize,
        /// What was expected or wrong there.
        detail: String,
    },
}

/// Decodes a `resources/data` body.
///
/// Times are floored to whole milliseconds; `null`, strings and other non-numbers in value
/// arrays become NaN (`true`/`false` become 1/0); a missing column between present ones is a
/// NaN column; columns are cut or NaN-padded to the length of `t`; an unsorted block is
/// sorted (stably) and repeated times dropped, the first kept. Unknown keys inside a block
/// are skipped. Never panics, whatever the bytes.
pub fn decode(json: &[u8]) -> Result<Dataset, DecodeError> {
    let mut s = Scanner::new(json);
    s.skip_bom();
    if s.at_end() {
        return Err(s.error_at(s.offset(), "empty body, expected a JSON object"));
    }
    let mut dataset = Dataset::default();
    let mut server_error: Option<String> = None;
    let mut reason = String::new();
    let mut stray: Option<DecodeError> = None;
    object(&mut s, "'{' opening the data object", |s, key, _| {
        match s.peek_non_ws() {
            Some(b'{') => {
                let device = dataset.devices.entry(key.into_owned()).or_default();
                device_object(s, device)
            }
            Some(b'"') if key == "error" => {
                server_error = Some(s.string()?.into_owned());
                Ok(())
            }
            Some(b'"') if key == "reason" || key == "error_description" => {
                reason = s.string()?.into_owned();
                Ok(())
            }
            _ => {
                if stray.is_none() {
                    stray = Some(s.error_at(
                        s.offset(),
                        format!("the value of {key:?} is not an object of channels"),
                    ));
                }
                s.skip_value()
            }
        }
    })?;
    if !s.at_end() {
        return Err(s.error("the end of the body after the data object"));
    }
    if let Some(error) = server_error {
        return Err(DecodeError::Server { error, reason });
    }
    match stray {
        Some(error) => Err(error),
        None => Ok(dataset),
    }
}

/// Reads `{ "key": value, .. }`, calling `each` with the scanner at each value, the key and
/// the key's offset.
fn object<'a>(
    s: &mut Scanner<'a>,
    opening: &str,
    mut each: impl FnMut(&mut Scanner<'a>, Cow<'a, str>, usize) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    s.expect(b'{', opening)?;
    if s.peek_non_ws() == Some(b'}') {
        s.expect(b'}', "'}'")?;
        return Ok(());
    }
    loop {
        if s.peek_non_ws() != Some(b'"') {
            return Err(s.error("a key string"));
        }
        let key_offset = s.offset();
        let key = s.string()?;
        s.expect(b':', "':' after a key")?;
        each(s, key, key_offset)?;
        match s.peek_non_ws() {
            Some(b',') => s.expect(b',', "','")?,
            Some(b'}') => return s.expect(b'}', "'}'"),
            _ => return Err(s.error("',' or '}' in an object")),
        }
    }
}

/// Reads one device's channels into `device`.
fn device_object(s: &mut Scanner<'_>, device: &mut DeviceData) -> Result<(), DecodeError> {
    object(
        s,
        "'{' opening a device's channels",
        |s, key, key_offset| {
            let key: TypeKey = key.parse().map_err(|_| {
                s.error_at(
                    key_offset,
                    format!(
                        "{:?} is not a data type key (expected <code> or <code>:<source id>)",
                        key.chars().take(40).collect::<String>()
                    ),
                )
            })?;
            let block = block_object(s)?;
            match device.channels.entry(key) {
                Entry::Vacant(entry) => {
                    entry.insert(block);
                }
                Entry::Occupied(mut entry) => tidy::absorb(entry.get_mut(), block),
            }
            Ok(())
        },
    )
}

/// Reads one block: `"t"`, the numbered columns, and ignored other keys.
fn block_object(s: &mut Scanner<'_>) -> Result<Block, DecodeError> {
    let block_offset = s.offset();
    let mut times: Option<Vec<i64>> = None;
    let mut columns: Vec<Option<Vec<f64>>> = Vec::new();
    let mut last_len = 0;
    object(s, "'{' opening a channel block", |s, key, key_offset| {
        if key == "t" {
            if times.is_some() {
                return Err(s.error_at(key_offset, "\"t\" appears twice in a block"));
            }
            let mut t = Vec::with_capacity(last_len);
            s.times(&mut t)?;
            last_len = t.len();
            times = Some(t);
            return Ok(());
        }
        let Some(index) = field_index(&key) else {
            return s.skip_value();
        };
        if index > MAX_FIELDS {
            return Err(s.error_at(
                key_offset,
                format!("column {index} is beyond the {MAX_FIELDS} a block may have"),
            ));
        }
        if columns.len() < index {
            columns.resize_with(index, || None);
        }
        let slot = &mut columns[index - 1];
        if slot.is_some() {
            return Err(s.error_at(key_offset, format!("column \"{index}\" appears twice")));
        }
        let capacity = times.as_ref().map_or(last_len, Vec::len);
        let mut values = Vec::with_capacity(capacity);
        s.values(&mut values)?;
        last_len = values.len();
        *slot = Some(values);
        Ok(())
    })?;
    let has_values = columns.iter().flatten().any(|c| !c.is_empty());
    let t = match times {
        Some(t) => t,
        None if has_values => {
            return Err(s.error_at(block_offset, "a block has values but no \"t\""));
        }
        None => Vec::new(),
    };
    Ok(tidy::block(t, columns))
}

/// The 1-based column index of a key made only of digits, without a leading zero.
fn field_index(key: &str) -> Option<usize> {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > 6 || bytes[0] == b'0' {
        return None;
    }
    bytes.iter().try_fold(0usize, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + (b - b'0') as usize)
    })
}

#[cfg(test)]
mod tests;
