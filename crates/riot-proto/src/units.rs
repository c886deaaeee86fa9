//! What each Riot data point kind is in the app's terms: the JSON-era type code it is shown
//! under, its value columns in that type's order, and the factor from the service's unit to
//! the app's. The one table both directions use: the reader (`telltale_data::riot`)
//! multiplies by [`Kind::to_app`], the simulator's Riot dialect divides by it.
//!
//! The app shows the old JSON API's units (knots, degrees, hPa), so Riot's km/h, radians
//! and Pa are converted here. Where the two numberings collide (Riot's 4, 5, 14, 15 are
//! length, angle, frequency and temperature; the JSON API's are HDOP, altitude, cadence and
//! battery) the Riot-only kinds get codes of their own: 100 + their field number.

/// Kilometres per hour in one knot (1 kn = 1.852 km/h exactly).
pub const KMH_PER_KNOT: f64 = 1.852;

/// One Riot `DataPoint` kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kind {
    /// Its field number in `DataPoint` (`sog` = 9).
    pub field: u32,
    /// Its field name in `DataPoint` (`sog`).
    pub name: &'static str,
    /// The app's (JSON-era) type code its values are shown under.
    pub app_code: u16,
    /// App value = service value × this (1 when the units agree).
    pub to_app: f64,
    /// The service's unit, for messages and docs (`km/h`).
    pub riot_unit: &'static str,
}

const fn kind(
    field: u32,
    name: &'static str,
    app_code: u16,
    to_app: f64,
    riot_unit: &'static str,
) -> Kind {
    Kind {
        field,
        name,
        app_code,
        to_app,
        riot_unit,
    }
}

const KN: f64 = 1.0 / KMH_PER_KNOT;
const DEG: f64 = 180.0 / std::f64::consts::PI;

/// Every numeric kind, by field number. Text, JSON, commands, events, logs, session log
/// entries and GNSS corrections are not series and have no row.
///
/// Positions (`pos`) carry latitude before longitude and may carry an altitude: the app's
/// type 1 holds `[longitude, latitude]` and the altitude goes to type 5.
pub const KINDS: &[Kind] = &[
    kind(1, "pos", 1, 1.0, "deg"),
    kind(2, "satq", 2, 1.0, ""),
    kind(3, "satc", 3, 1.0, ""),
    kind(4, "len", 104, 1.0, "m"),
    kind(5, "ang", 105, DEG, "rad"),
    kind(6, "cog", 6, 1.0, "deg"),
    kind(7, "hdgm", 7, 1.0, "deg"),
    kind(8, "hdg", 8, 1.0, "deg"),
    kind(9, "sog", 9, KN, "km/h"),
    kind(10, "stw", 10, KN, "km/h"),
    kind(11, "awa", 11, 1.0, "deg"),
    kind(12, "aws", 12, KN, "km/h"),
    kind(13, "hr", 13, 1.0, ""),
    kind(14, "freq", 114, 1.0, "Hz"),
    kind(15, "temp", 115, 1.0, "°C"),
    kind(16, "file", 16, 1.0, ""),
    // A unit quaternion: dimensionless, whatever the unit table says about `ori`.
    kind(17, "ori", 17, 1.0, ""),
    kind(18, "acc", 18, 1.0, "m/s²"),
    kind(19, "spd", 119, 1.0, ""),
    kind(20, "for", 20, 1.0, "N"),
    kind(21, "torq", 121, 1.0, "N·m"),
    kind(22, "twd", 22, 1.0, "deg"),
    kind(23, "tws", 23, KN, "km/h"),
    kind(24, "press", 24, 0.01, "Pa"),
    kind(25, "pwr", 125, 1.0, "W"),
    kind(26, "volt", 126, 1.0, "V"),
    kind(27, "amp", 127, 1.0, "A"),
    kind(28, "time", 128, 1.0, "s"),
    // Battery charge in percent is sent as a plain number.
    kind(50, "num", 15, 1.0, "%"),
    kind(51, "int", 151, 1.0, ""),
    kind(53, "bool", 153, 1.0, ""),
];

/// The row of a `DataPoint` field number.
pub fn by_field(field: u32) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.field == field)
}

/// The Riot kind the app's type `code` is sent as, if Riot has one. Altitude (5) has none of
/// its own (it rides in `pos`); neither have HDOP (4), cadence (14), the JSON file type's
/// strings, rotation rate (19) and the three-axis torque (21).
pub fn for_app_code(code: u16) -> Option<&'static Kind> {
    match code {
        5 | 4 | 14 | 19 | 21 => None,
        code => KINDS.iter().find(|k| k.app_code == code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_and_app_code_has_one_row() {
        for (i, a) in KINDS.iter().enumerate() {
            for b in &KINDS[i + 1..] {
                assert_ne!(a.field, b.field, "{} and {}", a.name, b.name);
                assert_ne!(a.app_code, b.app_code, "{} and {}", a.name, b.name);
            }
        }
    }

    #[test]
    fn speeds_and_angles_convert_to_the_apps_units() {
        let sog = by_field(9).unwrap();
        assert!(
            (18.52 * sog.to_app - 10.0).abs() < 1e-12,
            "18.52 km/h is 10 kn"
        );
        let ang = by_field(5).unwrap();
        assert!((std::f64::consts::PI * ang.to_app - 180.0).abs() < 1e-12);
        assert_eq!(for_app_code(15).map(|k| k.name), Some("num"));
        assert_eq!(for_app_code(9).map(|k| k.field), Some(9));
        assert_eq!(for_app_code(5), None);
        assert_eq!(for_app_code(16).map(|k| k.name), Some("file"));
    }
}
