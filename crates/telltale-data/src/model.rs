//! The columnar model of Igtimi sensor data: per device serial, per type key, one block of
//! timestamps with parallel value columns.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A data type code with its data-source id: `"9"` is SOG from the primary source (dsi 0),
/// `"13:100"` is heart rate from data source 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TypeKey {
    /// The Igtimi data type code (1 = position, 9 = SOG, ...).
    pub code: u16,
    /// The data-source id; 0 for the primary (and then omitted in keys).
    pub dsi: u32,
}

impl TypeKey {
    /// The primary source's key for `code`.
    pub const fn new(code: u16) -> Self {
        TypeKey { code, dsi: 0 }
    }

    /// The key for `code` from data source `dsi`.
    pub const fn with_dsi(code: u16, dsi: u32) -> Self {
        TypeKey { code, dsi }
    }
}

impl fmt::Display for TypeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dsi == 0 {
            write!(f, "{}", self.code)
        } else {
            write!(f, "{}:{}", self.code, self.dsi)
        }
    }
}

/// A type key that is not `<code>` or `<code>:<dsi>` with decimal numbers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a data type key (expected <code> or <code>:<source id>)")]
pub struct BadTypeKey(pub String);

impl FromStr for TypeKey {
    type Err = BadTypeKey;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadTypeKey(text.chars().take(40).collect());
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        let (code, dsi) = match text.split_once(':') {
            Some((code, dsi)) => (code, Some(dsi)),
            None => (text, None),
        };
        if !digits(code) || dsi.is_some_and(|d| !digits(d)) {
            return Err(bad());
        }
        Ok(TypeKey {
            code: code.parse().map_err(|_| bad())?,
            dsi: match dsi {
                Some(dsi) => dsi.parse().map_err(|_| bad())?,
                None => 0,
            },
        })
    }
}

/// One channel group of one device: timestamps (ms since the epoch, ascending, no
/// duplicates) and value columns parallel to them. `fields[0]` is the API's `"1"`,
/// `fields[1]` its `"2"`, and so on; a value that is missing or not a number is `NaN`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    /// Sample times in milliseconds since the Unix epoch.
    pub t: Vec<i64>,
    /// Value columns, each as long as `t`.
    pub fields: Vec<Vec<f64>>,
}

impl Block {
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.t.len()
    }

    /// Whether the block holds no samples.
    pub fn is_empty(&self) -> bool {
        self.t.is_empty()
    }

    /// Bytes of sample memory held (timestamps and values).
    pub fn heap_bytes(&self) -> usize {
        self.t.len() * 8 + self.fields.iter().map(|f| f.len() * 8).sum::<usize>()
    }
}

/// One device's data: its blocks by type key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceData {
    /// Blocks by type key, in key order.
    pub channels: BTreeMap<TypeKey, Block>,
}

/// Decoded `resources/data`: devices by serial number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    /// Devices by serial number.
    pub devices: BTreeMap<String, DeviceData>,
}

impl Dataset {
    /// Total samples over all blocks.
    pub fn sample_count(&self) -> usize {
        self.blocks().map(|(_, _, b)| b.len()).sum()
    }

    /// Bytes of sample memory held.
    pub fn heap_bytes(&self) -> usize {
        self.blocks().map(|(_, _, b)| b.heap_bytes()).sum()
    }

    /// Every block with its serial and key.
    pub fn blocks(&self) -> impl Iterator<Item = (&str, TypeKey, &Block)> {
        self.devices.iter().flat_map(|(serial, device)| {
            device
                .channels
                .iter()
                .map(move |(key, block)| (serial.as_str(), *key, block))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_keys_round_trip_and_refuse_junk() {
        assert_eq!("9".parse(), Ok(TypeKey::new(9)));
        assert_eq!("13:100".parse(), Ok(TypeKey::with_dsi(13, 100)));
        assert_eq!(TypeKey::with_dsi(13, 100).to_string(), "13:100");
        assert_eq!(TypeKey::new(1).to_string(), "1");
        for bad in [
            "", ":", "9:", ":1", "a", "9:x", "-1", "99999999", "1:2:3", " 9",
        ] {
            assert!(bad.parse::<TypeKey>().is_err(), "{bad:?}");
        }
    }
}
