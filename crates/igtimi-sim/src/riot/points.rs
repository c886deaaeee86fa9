//! One sample as a Riot `DataPoint`: the JSON type's columns (in the app's units) turned
//! into the kind's fields and the service's units with [`riot_proto::units`] (Riot value =
//! app value / `to_app`: knots to km/h, degrees to radians for `ang`, hPa to Pa). Positions
//! carry latitude before longitude, and an altitude when there is one.
//!
//! [`sample`] is the inverse (Riot value × `to_app`), for points devices push over the
//! device port ([`super::device`]): one table both ways, so a round trip is exact.

use riot_proto::data_point::Point;
use riot_proto::units::{self, Kind};
use riot_proto::*;

/// The Riot kind a JSON type code is sent as; `None` for types Riot has no series for
/// (altitude rides in `pos`; files are not numbers).
pub fn kind_of(code: u16) -> Option<&'static Kind> {
    units::for_app_code(code).filter(|k| k.field != 16)
}

/// The kind of a `DataPoint` field the simulator has series for; `None` for files, text
/// and the other fields that are not numbers.
pub fn series_kind(field: u32) -> Option<&'static Kind> {
    units::by_field(field).filter(|k| kind_of(k.app_code) == Some(*k))
}

/// The data point of one sample: `values` are the JSON type's columns in the app's units,
/// `altitude` the device's at that time (positions only). `None` for kinds that are not
/// numbers.
pub fn point(
    kind: &Kind,
    dsi: u32,
    t_ms: u64,
    values: &[f64],
    altitude: Option<f64>,
) -> Option<DataPoint> {
    let v = |i: usize| values.get(i).copied().unwrap_or(f64::NAN);
    let timestamp = t_ms;
    // The one-number kinds, converted to the service's unit.
    let value = v(0) / kind.to_app;
    let point = match kind.field {
        1 => Point::Pos(GnssPosition {
            timestamp,
            latitude: v(1),
            longitude: v(0),
            altitude: altitude.unwrap_or(0.0),
            // Bits: latitude, longitude, altitude.
            fields: if altitude.is_some() { 7 } else { 3 },
        }),
        2 => Point::Satq(GnssQuality {
            timestamp,
            value: v(0).round() as i32,
        }),
        3 => Point::Satc(GnssSatCount {
            timestamp,
            value: v(0).round() as i32,
        }),
        4 => Point::Len(Length { timestamp, value }),
        5 => Point::Ang(Angle { timestamp, value }),
        6 => Point::Cog(CourseOverGround { timestamp, value }),
        7 => Point::Hdgm(HeadingMagnetic { timestamp, value }),
        8 => Point::Hdg(Heading { timestamp, value }),
        9 => Point::Sog(SpeedOverGround { timestamp, value }),
        10 => Point::Stw(SpeedThroughWater { timestamp, value }),
        11 => Point::Awa(ApparentWindAngle { timestamp, value }),
        12 => Point::Aws(ApparentWindSpeed { timestamp, value }),
        // JSON columns: event time (ms), beat count, heart rate; all three present.
        13 => Point::Hr(HeartRate {
            timestamp,
            event_time: v(0).max(0.0) as u64,
            hb_count: v(1).max(0.0) as u32,
            heart_rate: v(2).max(0.0) as u32,
            fields: 7,
        }),
        14 => Point::Freq(Frequency { timestamp, value }),
        15 => Point::Temp(Temperature { timestamp, value }),
        // JSON columns w, x, y, z; Riot's order is x, y, z, w.
        17 => Point::Ori(Orientation {
            timestamp,
            x: v(1),
            y: v(2),
            z: v(3),
            w: v(0),
            fields: 15,
        }),
        18 => Point::Acc(Acceleration {
            timestamp,
            x: v(0),
            y: v(1),
            z: v(2),
            fields: 7,
        }),
        19 => Point::Spd(Speed {
            timestamp,
            x: v(0),
            y: v(1),
            z: v(2),
            fields: 7,
        }),
        20 => Point::For(Force {
            timestamp,
            x: v(0),
            y: v(1),
            z: v(2),
            fields: 7,
        }),
        21 => Point::Torq(Torque { timestamp, value }),
        22 => Point::Twd(TrueWindDirection { timestamp, value }),
        23 => Point::Tws(TrueWindSpeed { timestamp, value }),
        24 => Point::Press(Pressure { timestamp, value }),
        25 => Point::Pwr(Power { timestamp, value }),
        26 => Point::Volt(ElectricalPotential { timestamp, value }),
        27 => Point::Amp(ElectricalCurrent { timestamp, value }),
        28 => Point::Time(TimeInterval { timestamp, value }),
        50 => Point::Num(Number { timestamp, value }),
        51 => Point::Int(Integer {
            timestamp,
            value: v(0).max(0.0) as u64,
        }),
        53 => Point::Bool(Boolean {
            timestamp,
            value: v(0) != 0.0,
        }),
        _ => return None,
    };
    Some(DataPoint {
        source_id: dsi,
        point: Some(point),
    })
}

/// One data point in the app's terms: what [`point`] was made from.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub kind: &'static Kind,
    /// The data source (`source_id`, the JSON dialect's `:dsi`).
    pub dsi: u32,
    /// Milliseconds since the epoch; 0 when the device left it unset.
    pub t_ms: u64,
    /// The JSON type's columns in the app's units.
    pub values: Vec<f64>,
    /// A position's altitude (the app's type 5), when its `fields` say it has one.
    pub altitude: Option<f64>,
}

/// The inverse of [`point`]: a pushed point's columns in the app's units (app value = Riot
/// value × `to_app`). `None` for kinds that are not numbers (files, text, logs, ..) and for
/// an empty point.
pub fn sample(data_point: &DataPoint) -> Option<Sample> {
    let (field, timestamp, values, altitude) = match data_point.point.as_ref()? {
        Point::Pos(p) => {
            // A device that leaves `fields` unset sends latitude and longitude only.
            let altitude = (p.fields & 4 != 0).then_some(p.altitude);
            (1, p.timestamp, vec![p.longitude, p.latitude], altitude)
        }
        Point::Satq(p) => (2, p.timestamp, vec![f64::from(p.value)], None),
        Point::Satc(p) => (3, p.timestamp, vec![f64::from(p.value)], None),
        Point::Hr(p) => (
            13,
            p.timestamp,
            vec![
                p.event_time as f64,
                f64::from(p.hb_count),
                f64::from(p.heart_rate),
            ],
            None,
        ),
        Point::Ori(p) => (17, p.timestamp, vec![p.w, p.x, p.y, p.z], None),
        Point::Acc(p) => (18, p.timestamp, vec![p.x, p.y, p.z], None),
        Point::Spd(p) => (19, p.timestamp, vec![p.x, p.y, p.z], None),
        Point::For(p) => (20, p.timestamp, vec![p.x, p.y, p.z], None),
        Point::Int(p) => (51, p.timestamp, vec![p.value as f64], None),
        Point::Bool(p) => (53, p.timestamp, vec![f64::from(u8::from(p.value))], None),
        other => {
            let (field, timestamp, value) = scalar(other)?;
            let kind = units::by_field(field)?;
            let sample = Sample {
                kind,
                dsi: data_point.source_id,
                t_ms: timestamp,
                values: vec![value * kind.to_app],
                altitude: None,
            };
            return Some(sample);
        }
    };
    Some(Sample {
        kind: units::by_field(field)?,
        dsi: data_point.source_id,
        t_ms: timestamp,
        values,
        altitude,
    })
}

/// The field number, timestamp and value of the one-number kinds, in the service's unit.
fn scalar(point: &Point) -> Option<(u32, u64, f64)> {
    Some(match point {
        Point::Len(p) => (4, p.timestamp, p.value),
        Point::Ang(p) => (5, p.timestamp, p.value),
        Point::Cog(p) => (6, p.timestamp, p.value),
        Point::Hdgm(p) => (7, p.timestamp, p.value),
        Point::Hdg(p) => (8, p.timestamp, p.value),
        Point::Sog(p) => (9, p.timestamp, p.value),
        Point::Stw(p) => (10, p.timestamp, p.value),
        Point::Awa(p) => (11, p.timestamp, p.value),
        Point::Aws(p) => (12, p.timestamp, p.value),
        Point::Freq(p) => (14, p.timestamp, p.value),
        Point::Temp(p) => (15, p.timestamp, p.value),
        Point::Torq(p) => (21, p.timestamp, p.value),
        Point::Twd(p) => (22, p.timestamp, p.value),
        Point::Tws(p) => (23, p.timestamp, p.value),
        Point::Press(p) => (24, p.timestamp, p.value),
        Point::Pwr(p) => (25, p.timestamp, p.value),
        Point::Volt(p) => (26, p.timestamp, p.value),
        Point::Amp(p) => (27, p.timestamp, p.value),
        Point::Time(p) => (28, p.timestamp, p.value),
        Point::Num(p) => (50, p.timestamp, p.value),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_the_table() {
        let sog = units::by_field(9).unwrap();
        let Some(Point::Sog(p)) = point(sog, 0, 5, &[10.0], None).unwrap().point else {
            panic!("a sog point");
        };
        assert!((p.value - 18.52).abs() < 1e-12);
        let press = units::by_field(24).unwrap();
        let Some(Point::Press(p)) = point(press, 0, 5, &[1013.25], None).unwrap().point else {
            panic!("a press point");
        };
        assert!((p.value - 101_325.0).abs() < 1e-6);
        let pos = units::by_field(1).unwrap();
        let Some(Point::Pos(p)) = point(pos, 100, 5, &[10.1, 54.4], Some(3.5)).unwrap().point
        else {
            panic!("a pos point");
        };
        assert_eq!(
            (p.latitude, p.longitude, p.altitude, p.fields),
            (54.4, 10.1, 3.5, 7)
        );
        let ang = units::by_field(5).unwrap();
        let Some(Point::Ang(p)) = point(ang, 0, 5, &[180.0], None).unwrap().point else {
            panic!("an ang point");
        };
        assert!(
            (p.value - std::f64::consts::PI).abs() < 1e-12,
            "degrees to radians"
        );
        assert_eq!(kind_of(15).map(|k| k.name), Some("num"));
        assert_eq!(kind_of(5), None);
        assert_eq!(kind_of(16), None);
    }

    /// Every channel of every demo device, app → Riot → app, is exact within 1e-9.
    #[test]
    fn a_round_trip_through_riot_is_exact() {
        let world = crate::demo::world(7, crate::config::DEFAULT_WEEK_START_MS);
        let mut checked = 0;
        for device in &world.devices {
            let from = crate::config::DEFAULT_WEEK_START_MS + 10 * 3600 * 1000;
            let chunk = crate::demo::track::generate(device, from, from + 20_000);
            for (key, columns) in &chunk.channels {
                let Some(kind) = kind_of(key.code) else {
                    continue;
                };
                for (i, &t) in chunk.t.iter().enumerate() {
                    let values: Vec<f64> = columns.iter().map(|c| c[i]).collect();
                    let p = point(kind, key.dsi, t as u64, &values, Some(2.5)).unwrap();
                    let back = sample(&p).unwrap();
                    assert_eq!((back.kind, back.dsi, back.t_ms), (kind, key.dsi, t as u64));
                    assert_eq!(back.values.len(), values.len(), "{}", kind.name);
                    for (a, b) in back.values.iter().zip(&values) {
                        assert!((a - b).abs() < 1e-9, "{}: {a} against {b}", kind.name);
                    }
                    let altitude = (kind.field == 1).then_some(2.5);
                    assert_eq!(back.altitude, altitude);
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked} samples");
        // The kinds the demo does not record, through made-up values.
        for kind in riot_proto::units::KINDS.iter().filter(|k| k.field != 16) {
            let values = [1.0, 2.0, 3.0, 4.0];
            let p = point(kind, 3, 9, &values, None).unwrap();
            let back = sample(&p).unwrap();
            let expected = match kind.field {
                1 => 2,
                13 | 18 | 19 | 20 => 3,
                17 => 4,
                _ => 1,
            };
            assert_eq!(back.values.len(), expected, "{}", kind.name);
            for (a, b) in back.values.iter().zip(&values) {
                assert!((a - b).abs() < 1e-9, "{}: {a} against {b}", kind.name);
            }
            assert_eq!(back.dsi, 3);
        }
        let text = DataPoint {
            source_id: 0,
            point: Some(Point::Txt(Text::default())),
        };
        assert_eq!(sample(&text), None);
    }
}
