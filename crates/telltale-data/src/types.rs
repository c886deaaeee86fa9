//! The built-in table of Igtimi data types: names and the name and unit of each value
//! column. Codes 1..=24 are the JSON API's (its meanings and the app's units: knots,
//! degrees, hPa); codes above 100 are the Riot kinds that have no JSON-era code
//! (`riot_proto::units`: 100 + the `DataPoint` field number, in the app's units after the
//! reader's conversion). The server's own `data_types` list, when it has one, takes
//! precedence (applied by the caller).

/// What a data type code means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeInfo {
    /// The type code.
    pub code: u16,
    /// The sailor's abbreviation (`SOG`), or `T<code>` for an unknown code.
    pub short_name: String,
    /// The full name (`Speed over ground`).
    pub name: String,
    /// Name and unit of each value column, in order (`fields[0]` is the API's `"1"`); the
    /// unit is empty for counts, indicators and other dimensionless values.
    pub fields: &'static [(&'static str, &'static str)],
}

/// One row of the built-in table.
struct Known {
    code: u16,
    short_name: &'static str,
    name: &'static str,
    fields: &'static [(&'static str, &'static str)],
}

const fn known(
    code: u16,
    short_name: &'static str,
    name: &'static str,
    fields: &'static [(&'static str, &'static str)],
) -> Known {
    Known {
        code,
        short_name,
        name,
        fields,
    }
}

const ANGLE: &[(&str, &str)] = &[("angle", "deg")];
const SPEED: &[(&str, &str)] = &[("speed", "kn")];

/// Codes 1..=24 in order, then the Riot-only codes in order.
const TABLE: &[Known] = &[
    known(
        1,
        "GPS",
        "Position",
        &[("longitude", "deg"), ("latitude", "deg")],
    ),
    known(2, "FIX", "GPS fix quality", &[("quality", "")]),
    known(3, "SATS", "Satellites in use", &[("count", "")]),
    known(
        4,
        "HDOP",
        "Horizontal dilution of precision",
        &[("hdop", "")],
    ),
    known(5, "ALT", "Altitude", &[("altitude", "m")]),
    known(6, "COG", "Course over ground", &[("course", "deg")]),
    known(7, "HDGM", "Heading (magnetic)", &[("heading", "deg")]),
    known(8, "HDG", "Heading (true)", &[("heading", "deg")]),
    known(9, "SOG", "Speed over ground", SPEED),
    known(10, "STW", "Speed through water", SPEED),
    known(11, "AWA", "Apparent wind angle", ANGLE),
    known(12, "AWS", "Apparent wind speed", SPEED),
    known(
        13,
        "HR",
        "Heart rate",
        &[("event time", "ms"), ("beats", ""), ("rate", "bpm")],
    ),
    known(14, "CAD", "Cadence", &[("cadence", "rpm")]),
    known(15, "BAT", "Battery", &[("charge", "%")]),
    known(
        16,
        "FILE",
        "File",
        &[
            ("name", ""),
            ("md5", ""),
            ("content type", ""),
            ("size", "bytes"),
        ],
    ),
    known(
        17,
        "QUAT",
        "Orientation (quaternion)",
        &[("w", ""), ("x", ""), ("y", ""), ("z", "")],
    ),
    known(
        18,
        "ACC",
        "Acceleration",
        &[("x", "m/s²"), ("y", "m/s²"), ("z", "m/s²")],
    ),
    known(
        19,
        "GYRO",
        "Rotation rate",
        &[("x", "deg/s"), ("y", "deg/s"), ("z", "deg/s")],
    ),
    known(20, "FORCE", "Force", &[("x", "N"), ("y", "N"), ("z", "N")]),
    known(
        21,
        "TORQUE",
        "Torque",
        &[("x", "N·m"), ("y", "N·m"), ("z", "N·m")],
    ),
    known(22, "TWD", "True wind direction", &[("direction", "deg")]),
    known(23, "TWS", "True wind speed", SPEED),
    known(24, "BARO", "Air pressure", &[("pressure", "hPa")]),
    // Riot's kinds without a JSON-era code (riot_proto::units: 100 + the field number).
    known(104, "LEN", "Length", &[("length", "m")]),
    known(105, "ANG", "Angle", ANGLE),
    known(114, "FREQ", "Frequency", &[("frequency", "Hz")]),
    known(115, "TEMP", "Temperature", &[("temperature", "°C")]),
    // Riot's unit table does not name the unit of `spd`; its values are shown as sent.
    known(
        119,
        "SPD3",
        "Speed (x, y, z)",
        &[("x", ""), ("y", ""), ("z", "")],
    ),
    known(121, "TORQ", "Torque", &[("torque", "N·m")]),
    known(125, "PWR", "Power", &[("power", "W")]),
    known(126, "VOLT", "Voltage", &[("voltage", "V")]),
    known(127, "AMP", "Current", &[("current", "A")]),
    known(128, "TIME", "Time interval", &[("duration", "s")]),
    known(151, "INT", "Integer", &[("value", "")]),
    known(153, "BOOL", "On/off", &[("value", "")]),
];

/// Fields of a type this table does not know.
const UNKNOWN_FIELDS: &[(&str, &str)] = &[("value", "")];

/// What `code` means: from the built-in table (1..=24 and the Riot-only codes), otherwise
/// `T<code>` with one unitless `value` field.
pub fn describe(code: u16) -> TypeInfo {
    match TABLE.iter().find(|k| k.code == code) {
        Some(k) => TypeInfo {
            code,
            short_name: k.short_name.to_string(),
            name: k.name.to_string(),
            fields: k.fields,
        },
        None => TypeInfo {
            code,
            short_name: format!("T{code}"),
            name: format!("Data type {code}"),
            fields: UNKNOWN_FIELDS,
        },
    }
}

/// Whether the built-in table knows `code`.
pub fn is_known(code: u16) -> bool {
    TABLE.iter().any(|k| k.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_1_to_24_in_order_then_riot_codes_with_fields() {
        for (i, k) in TABLE.iter().take(24).enumerate() {
            assert_eq!(usize::from(k.code), i + 1);
        }
        for k in TABLE {
            assert!(!k.fields.is_empty() && !k.short_name.is_empty());
        }
        assert!(TABLE[24..].iter().all(|k| k.code > 100));
        assert!(TABLE.windows(2).all(|w| w[0].code < w[1].code));
        assert!(is_known(24) && !is_known(25) && !is_known(0));
    }

    #[test]
    fn every_riot_kind_has_a_named_type() {
        for kind in riot_proto::units::KINDS {
            assert!(is_known(kind.app_code), "{} ({})", kind.name, kind.app_code);
        }
        assert_eq!(describe(105).short_name, "ANG");
        assert_eq!(describe(115).fields, &[("temperature", "°C")]);
        assert_eq!(describe(153).name, "On/off");
    }

    #[test]
    fn describes_known_and_unknown_codes() {
        let sog = describe(9);
        assert_eq!((sog.short_name.as_str(), sog.fields), ("SOG", SPEED));
        let position = describe(1);
        assert_eq!(position.fields[0], ("longitude", "deg"));
        assert_eq!(position.fields[1], ("latitude", "deg"));
        assert_eq!(describe(13).fields[2], ("rate", "bpm"));
        assert_eq!(describe(15).fields[0].1, "%");
        let odd = describe(57);
        assert_eq!(odd.short_name, "T57");
        assert_eq!(odd.fields, &[("value", "")]);
    }
}
