//! The service's kinds and units, read as the app's codes, columns and units.

use super::*;

#[test]
fn converts_the_services_units_to_the_apps() {
    use riot_proto::{Angle, Pressure};
    let got = one_device(&[data(
        Some(SERIAL),
        vec![
            sog(1000, 18.52),
            point(Point::Ang(Angle {
                timestamp: 1000,
                value: std::f64::consts::PI,
            })),
            point(Point::Press(Pressure {
                timestamp: 1000,
                value: 101_325.0,
            })),
            point(Point::Aws(ApparentWindSpeed {
                timestamp: 1000,
                value: 37.04,
            })),
            hdg(1000, 271.5),
        ],
    )]);
    assert!(got.problems.is_empty(), "{:?}", got.problems);
    let value = |code| {
        got.dataset
            .block(SERIAL, TypeKey::new(code))
            .unwrap()
            .fields[0][0]
    };
    assert!(close(value(9), 10.0), "18.52 km/h is 10 kn: {}", value(9));
    assert!(close(value(105), 180.0), "π rad is 180°: {}", value(105));
    assert!(
        close(value(24), 1013.25),
        "101325 Pa is 1013.25 hPa: {}",
        value(24)
    );
    assert!(close(value(12), 20.0), "37.04 km/h is 20 kn: {}", value(12));
    assert_eq!(value(8), 271.5, "degrees stay degrees");
}

#[test]
fn positions_turn_to_longitude_latitude_with_altitude_as_type_5() {
    let got = one_device(&[data(
        Some(SERIAL),
        vec![
            pos(1000, 54.3, 10.1, 0.0, 0),
            pos(2000, 54.4, 10.2, 12.5, 7),
            pos(3000, 54.5, 10.3, 0.0, 1),
            pos(4000, 54.6, 10.4, 9.0, 4),
            pos(5000, 54.7, 10.5, 9.0, 8),
        ],
    )]);
    let track = got.dataset.block(SERIAL, TypeKey::new(1)).unwrap();
    assert_eq!(track.t, vec![1000, 2000, 3000]);
    assert_eq!(track.fields[0][..2], [10.1, 10.2], "longitude first");
    assert_eq!(track.fields[1][..3], [54.3, 54.4, 54.5], "latitude second");
    assert!(track.fields[0][2].is_nan(), "bit 1 unset: no longitude");
    let altitude = got.dataset.block(SERIAL, TypeKey::new(5)).unwrap();
    assert_eq!(altitude.t, vec![2000, 4000]);
    assert_eq!(altitude.fields, vec![vec![12.5, 9.0]]);
    assert_eq!(got.skipped.other_points, 1, "fields 8: nothing present");
}

#[test]
fn source_id_is_the_data_source_id() {
    let mut second = pos(1000, 1.0, 2.0, 0.0, 3);
    second.source_id = 100;
    let got = one_device(&[data(
        Some(SERIAL),
        vec![pos(1000, 3.0, 4.0, 0.0, 3), second],
    )]);
    assert_eq!(
        got.dataset
            .block(SERIAL, TypeKey::with_dsi(1, 100))
            .unwrap()
            .fields,
        vec![vec![2.0], vec![1.0]]
    );
    assert_eq!(
        got.dataset.block(SERIAL, TypeKey::new(1)).unwrap().fields,
        vec![vec![4.0], vec![3.0]]
    );
}

#[test]
fn multi_column_kinds_have_the_apps_column_order() {
    use riot_proto::{
        Acceleration, Boolean, File, Force, GnssQuality, HeartRate, Integer, Number, Orientation,
        Speed,
    };
    let t = 1_700_000_000_000;
    let got = one_device(&[data(
        Some(SERIAL),
        vec![
            point(Point::Hr(HeartRate {
                timestamp: t,
                event_time: t - 5,
                hb_count: 7,
                heart_rate: 61,
                fields: 15,
            })),
            point(Point::Ori(Orientation {
                timestamp: t,
                x: 0.1,
                y: 0.2,
                z: 0.3,
                w: 0.9,
                fields: 15,
            })),
            point(Point::Acc(Acceleration {
                timestamp: t,
                x: 1.0,
                y: 2.0,
                z: 3.0,
                fields: 7,
            })),
            point(Point::Spd(Speed {
                timestamp: t,
                x: 4.0,
                y: 5.0,
                z: 6.0,
                fields: 7,
            })),
            point(Point::For(Force {
                timestamp: t,
                x: 7.0,
                y: 8.0,
                z: 9.0,
                fields: 7,
            })),
            point(Point::File(File {
                timestamp: t,
                end_time: t + 1,
                filename: "log.ipb".into(),
                md5: "00".into(),
                content_type: "application/octet-stream".into(),
                size: 4096,
            })),
            point(Point::Bool(Boolean {
                timestamp: t,
                value: true,
            })),
            point(Point::Int(Integer {
                timestamp: t,
                value: 1 << 40,
            })),
            point(Point::Satq(GnssQuality {
                timestamp: t,
                value: -2,
            })),
            point(Point::Num(Number {
                timestamp: t,
                value: 87.0,
            })),
        ],
    )]);
    let columns = |code| -> Vec<f64> {
        let block = got.dataset.block(SERIAL, TypeKey::new(code)).unwrap();
        assert_eq!(block.t, vec![t as i64]);
        block.fields.iter().map(|c| c[0]).collect()
    };
    assert_eq!(columns(13), vec![(t - 5) as f64, 7.0, 61.0]);
    assert_eq!(columns(17), vec![0.9, 0.1, 0.2, 0.3], "w, x, y, z");
    assert_eq!(columns(18), vec![1.0, 2.0, 3.0]);
    assert_eq!(columns(119), vec![4.0, 5.0, 6.0]);
    assert_eq!(columns(20), vec![7.0, 8.0, 9.0]);
    let file = columns(16);
    assert!(file[..3].iter().all(|v| v.is_nan()));
    assert_eq!(file[3], 4096.0);
    assert_eq!(columns(153), vec![1.0]);
    assert_eq!(columns(151), vec![(1u64 << 40) as f64]);
    assert_eq!(columns(2), vec![-2.0]);
    assert_eq!(columns(15), vec![87.0], "battery is sent as num");
}

/// A DataPoint holding field `field` as a message with timestamp 1 and nothing else.
fn raw_point(field: u32) -> DataPoint {
    let mut bytes = Vec::new();
    prost::encoding::encode_key(
        field,
        prost::encoding::WireType::LengthDelimited,
        &mut bytes,
    );
    bytes.extend_from_slice(&[2, 0x08, 0x01]);
    DataPoint::decode(bytes.as_slice()).unwrap()
}

#[test]
fn every_kind_of_the_units_table_is_read_under_its_app_code() {
    for kind in riot_proto::units::KINDS {
        let mut out = Vec::new();
        convert(&raw_point(kind.field), &mut out)
            .unwrap_or_else(|e| panic!("{}: {e:?}", kind.name));
        assert_eq!(out.len(), 1, "{}", kind.name);
        assert_eq!(out[0].code, kind.app_code, "{}", kind.name);
        assert_eq!(out[0].t, 1);
        assert_eq!(
            usize::from(out[0].width),
            crate::types::describe(kind.app_code).fields.len(),
            "{}: the types table names every column",
            kind.name
        );
        assert!(
            crate::types::is_known(kind.app_code),
            "{}: the types table knows {}",
            kind.name,
            kind.app_code
        );
    }
    for field in [52, 54, 55, 56, 57, 100, 101] {
        assert_eq!(
            convert(&raw_point(field), &mut Vec::new()),
            Err(NoSample::NotSeries),
            "{field}"
        );
    }
}
