//! The data type table behind `GET data_types`, and the codes `resources/data` accepts.
//!
//! Codes 1-24 follow Igtimi's JSON-era list. For 25 and up the public sources only name the
//! kinds in order ("power, voltage, current, time, number, int, text, bool, JSON, event,
//! log, command, ..."), so codes 25-36 are assigned in that order (inferred).

use super::shape;
use axum::Json;
use serde_json::{json, Value};

/// One value column of a data type (`"1"`, `"2"`, .. in the data encoding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    /// Unit symbol; empty for dimensionless values (counts, indicators, text).
    pub unit: &'static str,
}

/// A data type code with its names and value columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataType {
    pub code: u16,
    /// The sailor's abbreviation (`SOG`).
    pub short_name: &'static str,
    /// The full name (`Speed over ground`).
    pub name: &'static str,
    pub fields: &'static [Field],
}

const fn f(name: &'static str, unit: &'static str) -> Field {
    Field { name, unit }
}

const fn t(
    code: u16,
    short_name: &'static str,
    name: &'static str,
    fields: &'static [Field],
) -> DataType {
    DataType {
        code,
        short_name,
        name,
        fields,
    }
}

const XYZ_ACCEL: &[Field] = &[f("x", "m/s²"), f("y", "m/s²"), f("z", "m/s²")];
const XYZ_GYRO: &[Field] = &[f("x", "deg/s"), f("y", "deg/s"), f("z", "deg/s")];
const XYZ_FORCE: &[Field] = &[f("x", "N"), f("y", "N"), f("z", "N")];
const XYZ_TORQUE: &[Field] = &[f("x", "N·m"), f("y", "N·m"), f("z", "N·m")];

/// Every data type the simulator knows, by code.
pub const DATA_TYPES: &[DataType] = &[
    t(
        1,
        "GPS",
        "GPS position",
        &[f("longitude", "deg"), f("latitude", "deg")],
    ),
    t(2, "FIX", "GPS quality indicator", &[f("quality", "")]),
    t(3, "SATS", "GPS satellite count", &[f("satellites", "")]),
    t(
        4,
        "HDOP",
        "GPS horizontal dilution of precision",
        &[f("hdop", "")],
    ),
    t(5, "ALT", "GPS altitude", &[f("altitude", "m")]),
    t(6, "COG", "Course over ground", &[f("course", "deg")]),
    t(7, "HDGM", "Magnetic heading", &[f("heading", "deg")]),
    t(8, "HDG", "True heading", &[f("heading", "deg")]),
    t(9, "SOG", "Speed over ground", &[f("speed", "kn")]),
    t(10, "STW", "Speed through water", &[f("speed", "kn")]),
    t(11, "AWA", "Apparent wind angle", &[f("angle", "deg")]),
    t(12, "AWS", "Apparent wind speed", &[f("speed", "kn")]),
    t(
        13,
        "HR",
        "Heart rate (ANT+)",
        &[
            f("event time", "ms"),
            f("beat count", ""),
            f("heart rate", "bpm"),
        ],
    ),
    t(14, "CAD", "Cadence (ANT+)", &[f("cadence", "rpm")]),
    t(15, "BAT", "Battery level", &[f("level", "%")]),
    t(
        16,
        "FILE",
        "File",
        &[
            f("filename", ""),
            f("md5", ""),
            f("content type", ""),
            f("size", "bytes"),
        ],
    ),
    t(
        17,
        "QUAT",
        "Orientation quaternion",
        &[f("w", ""), f("x", ""), f("y", ""), f("z", "")],
    ),
    t(18, "ACC", "Acceleration", XYZ_ACCEL),
    t(19, "GYRO", "Angular rate", XYZ_GYRO),
    t(20, "FORCE", "Force", XYZ_FORCE),
    t(21, "TORQUE", "Torque", XYZ_TORQUE),
    t(22, "TWD", "True wind direction", &[f("direction", "deg")]),
    t(23, "TWS", "True wind speed", &[f("speed", "kn")]),
    t(24, "BARO", "Barometric pressure", &[f("pressure", "hPa")]),
    t(25, "PWR", "Power", &[f("power", "W")]),
    t(26, "VOLT", "Voltage", &[f("voltage", "V")]),
    t(27, "AMP", "Current", &[f("current", "A")]),
    t(28, "TIME", "Time", &[f("time", "ms")]),
    t(29, "NUM", "Number", &[f("value", "")]),
    t(30, "INT", "Integer", &[f("value", "")]),
    t(31, "TEXT", "Text", &[f("text", "")]),
    t(32, "BOOL", "Boolean", &[f("value", "")]),
    t(33, "JSON", "JSON document", &[f("json", "")]),
    t(34, "EVENT", "Event", &[f("event", "")]),
    t(35, "LOG", "Log message", &[f("message", "")]),
    t(36, "CMD", "Command", &[f("command", "")]),
];

/// The type with this code, if the simulator knows it.
pub fn by_code(code: u16) -> Option<&'static DataType> {
    DATA_TYPES.iter().find(|d| d.code == code)
}

fn type_json(d: &DataType) -> Value {
    let fields: Vec<Value> = d
        .fields
        .iter()
        .enumerate()
        .map(|(i, field)| json!({ "index": i + 1, "name": field.name, "unit": field.unit }))
        .collect();
    json!({
        "id": d.code,
        "name": d.name,
        "short_name": d.short_name,
        "fields": fields,
    })
}

/// `GET data_types`: the whole table. Needs a token like every API call.
pub async fn data_types(_call: super::auth::ApiCall) -> Json<Value> {
    Json(shape::list(
        "data_types",
        "data_type",
        DATA_TYPES.iter().map(type_json),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_ascending_and_described() {
        assert!(DATA_TYPES.windows(2).all(|w| w[0].code < w[1].code));
        assert!(DATA_TYPES
            .iter()
            .all(|d| !d.name.is_empty() && !d.short_name.is_empty() && !d.fields.is_empty()));
        assert_eq!(by_code(9).map(|d| d.short_name), Some("SOG"));
        assert!(by_code(99).is_none());
    }
}
