//! One sample as a Riot `DataPoint`: the JSON type's columns (in the app's units) turned
//! into the kind's fields and the service's units with [`riot_proto::units`] (Riot value =
//! app value / `to_app`: knots to km/h, degrees to radians for `ang`, hPa to Pa). Positions
//! carry latitude before longitude, and an altitude when there is one.

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
}
