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

/// Like [`id`], but `null` or a missing field (with `#[serde(default)]`) gives `None`.
pub fn opt_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    deserializer.deserialize_option(OptIdVisitor)
}

struct OptIdVisitor;

impl<'de> Visitor<'de> for OptIdVisitor {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a non-negative whole-number id or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        id(d).map(Some)
    }
}

/// A data type code (an [`id`] no larger than 65535).
pub fn code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u16, D::Error> {
    let value = id(deserializer)?;
    u16::try_from(value).map_err(|_| de::Error::custom("a data type code must be below 65536"))
}

/// A data type code that deserializes leniently (see [`code`]); used inside lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Code(#[serde(deserialize_with = "code")] pub u16);

/// A list of data type codes; `null` gives an empty list.
pub fn codes<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u16>, D::Error> {
    let codes: Option<Vec<Code>> = Option::deserialize(deserializer)?;
    Ok(codes.unwrap_or_default().into_iter().map(|c| c.0).collect())
}

/// A text that may be `null`: `null` gives an empty string.
pub fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}

/// A flag that may be `null`: `null` gives `false`.
pub fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(deserializer)?.unwrap_or(false))
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

    #[derive(Deserialize)]
    struct Lenient {
        #[serde(default, deserialize_with = "opt_id")]
        owner: Option<u64>,
        #[serde(default, deserialize_with = "codes")]
        types: Vec<u16>,
        #[serde(default, deserialize_with = "text")]
        name: String,
        #[serde(default, deserialize_with = "flag")]
        hidden: bool,
    }

    #[test]
    fn optional_ids_codes_texts_and_flags_tolerate_null_and_absence() {
        let parse = |json: &str| serde_json::from_str::<Lenient>(json);
        let all = parse(r#"{"owner":7.0,"types":[1,9.0,"13"],"name":"Tern","hidden":true}"#)
            .expect("full");
        assert_eq!(all.owner, Some(7));
        assert_eq!(all.types, vec![1, 9, 13]);
        assert_eq!(all.name, "Tern");
        assert!(all.hidden);
        let empty =
            parse(r#"{"owner":null,"types":null,"name":null,"hidden":null}"#).expect("nulls");
        assert_eq!(empty.owner, None);
        assert!(empty.types.is_empty() && empty.name.is_empty() && !empty.hidden);
        assert!(parse("{}").is_ok());
        assert!(parse(r#"{"types":[70000]}"#).is_err());
        assert!(parse(r#"{"owner":-3}"#).is_err());
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
