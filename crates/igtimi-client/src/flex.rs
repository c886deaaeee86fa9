//! Lenient number parsing for Igtimi's JSON, which often writes integers as floats
//! (`"id": 2.0`, `"start_time": 1384941923580.0`).

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest float that still holds every integer below it exactly (2^53).
const MAX_EXACT_FLOAT: f64 = 9_007_199_254_740_992.0;

/// Reads a non-negative whole-number id written as an integer, an integral float or a string
/// of digits. Fractions, negatives, and floats too large to be exact are refused.
pub fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    deserializer.deserialize_any(IdVisitor)
}

struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a non-negative whole-number id")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::custom("an id must not be negative"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        if v.is_finite() && v.fract() == 0.0 && (0.0..=MAX_EXACT_FLOAT).contains(&v) {
            // Exact: v is a whole number within the range where f64 -> u64 loses nothing.
            Ok(v as u64)
        } else {
            Err(E::custom("an id must be a whole, non-negative number"))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(E::custom("an id given as text must be digits only"));
        }
        v.parse().map_err(|_| E::custom("an id is too large"))
    }
}

/// A moment in time as milliseconds since the Unix epoch, the unit of every Igtimi time.
/// Deserializes from integers and floats (a fraction of a millisecond is dropped, rounding
/// toward the past).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EpochMillis(pub i64);

impl<'de> Deserialize<'de> for EpochMillis {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MillisVisitor)
    }
}

struct MillisVisitor;

impl Visitor<'_> for MillisVisitor {
    type Value = EpochMillis;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a time in milliseconds since 1970")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<EpochMillis, E> {
        Ok(EpochMillis(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<EpochMillis, E> {
        i64::try_from(v)
            .map(EpochMillis)
            .map_err(|_| E::custom("a time is out of range"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<EpochMillis, E> {
        let whole = v.floor();
        if whole.is_finite() && whole.abs() <= MAX_EXACT_FLOAT {
            // Exact: a whole number within ±2^53 converts to i64 without loss.
            Ok(EpochMillis(whole as i64))
        } else {
            Err(E::custom("a time is out of range"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct WithId {
        #[serde(deserialize_with = "id")]
        id: u64,
    }

    fn parse_id(json: &str) -> Result<u64, serde_json::Error> {
        serde_json::from_str::<WithId>(json).map(|w| w.id)
    }

    #[test]
    fn ids_accept_integers_integral_floats_and_digit_strings() {
        assert_eq!(parse_id(r#"{"id":2}"#).ok(), Some(2));
        assert_eq!(parse_id(r#"{"id":2.0}"#).ok(), Some(2));
        assert_eq!(parse_id(r#"{"id":"42"}"#).ok(), Some(42));
        assert_eq!(parse_id(r#"{"id":9007199254740992.0}"#).ok(), Some(1 << 53));
    }

    #[test]
    fn ids_refuse_fractions_negatives_and_junk() {
        for bad in [
            r#"{"id":2.5}"#,
            r#"{"id":-1}"#,
            r#"{"id":-1.0}"#,
            r#"{"id":1e300}"#,
            r#"{"id":""}"#,
            r#"{"id":"4x"}"#,
            r#"{"id":true}"#,
            r#"{"id":null}"#,
        ] {
            assert!(parse_id(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn times_accept_integers_and_float_milliseconds() {
        let t: EpochMillis = serde_json::from_str("1384941923580.0").expect("float ms");
        assert_eq!(t, EpochMillis(1_384_941_923_580));
        let t: EpochMillis = serde_json::from_str("1384941923580").expect("int ms");
        assert_eq!(t, EpochMillis(1_384_941_923_580));
        let t: EpochMillis = serde_json::from_str("1384941923580.7").expect("fraction");
        assert_eq!(t, EpochMillis(1_384_941_923_580));
        assert!(serde_json::from_str::<EpochMillis>("1e300").is_err());
        assert!(serde_json::from_str::<EpochMillis>("\"soon\"").is_err());
    }
}
