//! Writes the `resources/data` encoding straight into one byte buffer:
//! `{"<serial>":{"<type>[:<dsi>]":{"t":[..],"1":[..],..}}}`. No intermediate JSON tree, so a
//! week of 1 Hz data costs one allocation of about its final size.

use crate::demo::data::Series;
use crate::world::TypeKey;
use serde_json::ser::{CompactFormatter, Formatter};

/// Bytes a sample value takes on average (timestamps are 15, positions up to 19).
const BYTES_PER_VALUE: usize = 18;

/// One device's channels, in the order they are written.
pub type DeviceData = (String, Vec<(TypeKey, Series)>);

/// Encodes devices' data as one JSON object.
pub fn encode(devices: &[DeviceData]) -> Vec<u8> {
    let estimate: usize = devices
        .iter()
        .flat_map(|(_, channels)| channels)
        .map(|(_, s)| s.len() * (s.fields.len() + 1) * BYTES_PER_VALUE + 64)
        .sum::<usize>()
        + 64 * devices.len()
        + 2;
    let mut buf = Vec::with_capacity(estimate);
    encode_into(&mut buf, devices);
    buf
}

/// Appends the encoding of `devices` to `buf`.
pub fn encode_into(buf: &mut Vec<u8>, devices: &[DeviceData]) {
    buf.push(b'{');
    for (i, (serial, channels)) in devices.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        write_str(buf, serial);
        buf.extend_from_slice(b":{");
        for (j, (key, series)) in channels.iter().enumerate() {
            if j > 0 {
                buf.push(b',');
            }
            write_str(buf, &key.to_string());
            buf.push(b':');
            write_series(buf, series);
        }
        buf.push(b'}');
    }
    buf.push(b'}');
}

fn write_series(buf: &mut Vec<u8>, series: &Series) {
    buf.extend_from_slice(b"{\"t\":");
    write_numbers(buf, &series.t);
    for (index, column) in series.fields.iter().enumerate() {
        buf.extend_from_slice(format!(",\"{}\":", index + 1).as_bytes());
        write_numbers(buf, column);
    }
    buf.push(b'}');
}

fn write_numbers(buf: &mut Vec<u8>, values: &[f64]) {
    buf.push(b'[');
    for (i, &v) in values.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        write_f64(buf, v);
    }
    buf.push(b']');
}

/// A float the way serde_json prints it (`1750500000000.0`, `10.25`); `null` if not finite.
pub fn write_f64(buf: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        // Writing into a Vec cannot fail.
        let _ = CompactFormatter.write_f64(buf, v);
    } else {
        buf.extend_from_slice(b"null");
    }
}

fn write_str(buf: &mut Vec<u8>, s: &str) {
    // Serialising a &str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *buf, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_serde_json() {
        let series = Series {
            t: vec![1_750_500_000_000.0, 1_750_500_001_000.0],
            fields: vec![vec![10.5, f64::NAN], vec![54.25, 54.0]],
        };
        let devices = vec![(
            "AA-\"1".to_string(),
            vec![(TypeKey::with_dsi(1, 100), series)],
        )];
        let text = String::from_utf8(encode(&devices)).expect("utf-8");
        assert_eq!(
            text,
            r#"{"AA-\"1":{"1:100":{"t":[1750500000000.0,1750500001000.0],"1":[10.5,null],"2":[54.25,54.0]}}}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert!(parsed.is_object());
    }
}
