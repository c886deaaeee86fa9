use super::*;
use crate::model::TypeKey;
use base64::Engine;
use riot_proto::data_point::Point;
use riot_proto::{
    channel_management, ApparentWindSpeed, ChannelManagement, Data, DataMsg, DataPoint,
    GnssPosition, Heading, SpeedOverGround,
};

const SERIAL: &str = "AA-BT-0417";

fn point(point: Point) -> DataPoint {
    DataPoint {
        source_id: 0,
        point: Some(point),
    }
}

fn sog(t: u64, kmh: f64) -> DataPoint {
    point(Point::Sog(SpeedOverGround {
        timestamp: t,
        value: kmh,
    }))
}

fn hdg(t: u64, deg: f64) -> DataPoint {
    point(Point::Hdg(Heading {
        timestamp: t,
        value: deg,
    }))
}

fn pos(t: u64, lat: f64, lon: f64, alt: f64, fields: u32) -> DataPoint {
    point(Point::Pos(GnssPosition {
        timestamp: t,
        latitude: lat,
        longitude: lon,
        altitude: alt,
        fields,
    }))
}

/// A data message of `serial` (None: no source) with `points`.
fn data(serial: Option<&str>, points: Vec<DataPoint>) -> Msg {
    Msg {
        msg: Some(msg::Msg::Data(Data {
            data: vec![DataMsg {
                data: points,
                source: serial.map(|s| Source::SerialNumber(s.into())),
                type_of_service: 3,
                stream_id: 0,
            }],
        })),
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An answer body from `(serial, base64 texts)`.
fn body(devices: &[(&str, Vec<String>)]) -> Vec<u8> {
    let map: serde_json::Map<String, serde_json::Value> = devices
        .iter()
        .map(|(serial, texts)| (serial.to_string(), serde_json::json!(texts)))
        .collect();
    serde_json::to_vec(&map).unwrap()
}

fn texts(msgs: &[Msg]) -> Vec<String> {
    msgs.iter().map(|m| b64(&m.encode_to_vec())).collect()
}

fn one_device(msgs: &[Msg]) -> RiotDecoded {
    decode_answer(&body(&[(SERIAL, texts(msgs))])).expect("the answer decodes")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

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
fn unordered_messages_merge_in_time_order_and_repeats_keep_the_first() {
    let got = one_device(&[
        data(Some(SERIAL), vec![hdg(3000, 3.0), hdg(4000, 4.0)]),
        data(None, vec![hdg(1000, 1.0), hdg(3000, 30.0)]),
        data(Some(SERIAL), vec![hdg(2000, 2.0), hdg(1000, 10.0)]),
    ]);
    let block = got.dataset.block(SERIAL, TypeKey::new(8)).unwrap();
    assert_eq!(block.t, vec![1000, 2000, 3000, 4000]);
    assert_eq!(block.fields, vec![vec![1.0, 2.0, 3.0, 4.0]]);
    assert!(got.problems.is_empty());
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

#[test]
fn untimed_points_and_messages_without_data_are_skipped_and_counted() {
    use riot_proto::Text;
    let heartbeat = Msg {
        msg: Some(msg::Msg::ChannelManagement(ChannelManagement {
            management: Some(channel_management::Management::Heartbeat(7)),
        })),
    };
    let got = one_device(&[
        data(
            Some(SERIAL),
            vec![
                sog(0, 5.0),
                sog(1000, 5.0),
                point(Point::Txt(Text {
                    timestamp: 1000,
                    value: "hello".into(),
                })),
                DataPoint {
                    source_id: 3,
                    point: None,
                },
            ],
        ),
        heartbeat,
        data(Some(SERIAL), vec![]),
        Msg::default(),
    ]);
    assert!(got.problems.is_empty());
    assert_eq!(
        got.skipped,
        Skipped {
            untimed_points: 1,
            other_points: 2,
            other_messages: 3
        }
    );
    assert_eq!(got.skipped.total(), 6);
    assert_eq!(
        got.skipped.to_string(),
        "1 point without a time, 2 points that are not series, 3 messages without data"
    );
    assert_eq!(Skipped::default().to_string(), "nothing");
    assert_eq!(got.dataset.sample_count(), 1);
}

#[test]
fn a_bad_message_is_dropped_and_reported_the_rest_kept() {
    let good = data(Some(SERIAL), vec![hdg(1000, 1.0)]);
    let later = data(Some(SERIAL), vec![hdg(2000, 2.0)]);
    let bytes = good.encode_to_vec();
    let other = "AA-BT-0999";
    let mut list = texts(std::slice::from_ref(&good));
    list.push(b64(&bytes[..bytes.len() - 3])); // 1: truncated
    list.push("not*base64".into()); // 2
    list.push(b64(&data(Some(other), vec![hdg(5000, 5.0)]).encode_to_vec())); // 3
    let session = Msg {
        msg: Some(msg::Msg::Data(Data {
            data: vec![DataMsg {
                data: vec![hdg(6000, 6.0)],
                source: Some(Source::SessionId(42)),
                type_of_service: 3,
                stream_id: 0,
            }],
        })),
    };
    list.push(b64(&session.encode_to_vec())); // 4
    list.push(b64(
        &data(None, vec![hdg(7000, 7.0), hdg(u64::MAX, 8.0)]).encode_to_vec()
    )); // 5
    list.extend(texts(&[later]));
    let got = decode_answer(&body(&[
        (SERIAL, list),
        (other, texts(&[data(Some(other), vec![sog(1000, 1.852)])])),
    ]))
    .unwrap();
    let texts: Vec<String> = got.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        [
            "device AA-BT-0417, message 1: not a protobuf Msg (truncated)",
            "device AA-BT-0417, message 2: not base64 ('*' at 3 is not a base64 character here)",
            "device AA-BT-0417, message 3: a wrong serial: its data is of device \"AA-BT-0999\"",
            "device AA-BT-0417, message 4: its data is of session 42, not of a device",
            "device AA-BT-0417, message 5: a data point's time, 18446744073709551615 ms, is \
             beyond any date",
        ]
    );
    let kept = got.dataset.block(SERIAL, TypeKey::new(8)).unwrap();
    assert_eq!(
        kept.t,
        vec![1000, 2000],
        "only the good messages, none of message 5"
    );
    let theirs = got.dataset.block(other, TypeKey::new(9)).unwrap();
    assert!(close(theirs.fields[0][0], 1.0));
}

#[test]
fn base64_with_or_without_padding_and_escaped_slashes() {
    let msg = data(Some(SERIAL), vec![sog(1000, 1.852), hdg(1000, 90.0)]);
    let padded = b64(&msg.encode_to_vec());
    assert!(
        padded.ends_with('='),
        "a length that needs padding: {padded}"
    );
    let bare = padded.trim_end_matches('=').to_string();
    let got = one_device(&[]);
    assert!(got.dataset.devices[SERIAL].channels.is_empty());
    for text in [padded.clone(), bare] {
        let got = decode_answer(&body(&[(SERIAL, vec![text])])).unwrap();
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        assert_eq!(got.dataset.sample_count(), 2);
    }
    // A server that escapes '/' (Java's JSON writers may): `\/` reads as `/`.
    let msg = data(Some(SERIAL), (0..60).map(|i| sog(1000 + i, 1.0)).collect());
    let text = b64(&msg.encode_to_vec());
    assert!(text.contains('/'), "{text}");
    let json = format!("{{\"{SERIAL}\":[\"{}\"]}}", text.replace('/', "\\/"));
    let got = decode_answer(json.as_bytes()).unwrap();
    assert!(got.problems.is_empty(), "{:?}", got.problems);
    assert_eq!(got.dataset.sample_count(), 60);
    // Whitespace, the URL-safe alphabet and stray bits are refused.
    for bad in [
        format!(" {padded}"),
        padded.replace('/', "_"),
        "QR==".to_string(),
    ] {
        let got = decode_answer(&body(&[(SERIAL, vec![bad.clone()])])).unwrap();
        assert_eq!(got.problems.len(), 1, "{bad}");
        assert!(
            got.problems[0].to_string().contains("not base64"),
            "{}",
            got.problems[0]
        );
    }
}

#[test]
fn a_body_not_of_the_shape_fails_as_a_whole() {
    let cases: [(&[u8], &str); 7] = [
        (b"", "empty body"),
        (b"[]", "invalid type: sequence"),
        (b"{\"A\": 5}", "expected a list of base64 messages"),
        (b"{\"A\": [5]}", "expected a base64 string"),
        (b"{\"A\": \"x\"}", "is a string, not a list"),
        (b"{\"A\": []", "EOF"),
        (b"{\"A\": []} x", "trailing characters"),
    ];
    for (body, expected) in cases {
        match decode_answer(body) {
            Err(DecodeError::Malformed { offset, detail }) => {
                assert!(detail.contains(expected), "{body:?}: {detail}");
                assert!(offset <= body.len(), "{body:?}: {offset}");
            }
            other => panic!("{body:?}: {other:?}"),
        }
    }
    let err = decode_answer(b"{\n  \"A\": [],\n  \"B\": 5\n}").unwrap_err();
    assert!(
        matches!(err, DecodeError::Malformed { offset: 20, .. }),
        "the byte offset of line 3's 5: {err:?}"
    );
    assert_eq!(
        decode_answer(br#"{"error":"unauthorized","reason":"no window"}"#),
        Err(DecodeError::Server {
            error: "unauthorized".into(),
            reason: "no window".into()
        })
    );
    let empty = decode_answer(b"\xEF\xBB\xBF {} ").unwrap();
    assert_eq!(empty, RiotDecoded::default());
}

#[test]
fn problems_beyond_the_listed_are_counted() {
    let list = vec!["%".to_string(); MAX_LISTED_PROBLEMS + 5];
    let got = decode_answer(&body(&[(SERIAL, list), ("B", vec!["%".into()])])).unwrap();
    assert_eq!(got.problems.len(), MAX_LISTED_PROBLEMS + 1);
    assert_eq!(got.unlisted_problems, 5);
    assert!(got.dataset.devices.contains_key(SERIAL) && got.dataset.devices.contains_key("B"));
}

#[test]
fn one_message_merges_into_a_dataset() {
    let mut dataset = Dataset::default();
    let first = data(Some(SERIAL), vec![hdg(2000, 2.0), hdg(3000, 3.0)]);
    let skipped = decode_msg_into(&mut dataset, SERIAL, &first.encode_to_vec()).unwrap();
    assert_eq!(skipped, Skipped::default());
    let later = data(Some(SERIAL), vec![hdg(4000, 4.0)]);
    decode_msg_into(&mut dataset, SERIAL, &later.encode_to_vec()).unwrap();
    let earlier = data(Some(SERIAL), vec![hdg(1000, 1.0), hdg(3000, 30.0)]);
    decode_msg_into(&mut dataset, SERIAL, &earlier.encode_to_vec()).unwrap();
    let block = dataset.block(SERIAL, TypeKey::new(8)).unwrap();
    assert_eq!(block.t, vec![1000, 2000, 3000, 4000]);
    assert_eq!(block.fields, vec![vec![1.0, 2.0, 3.0, 4.0]]);

    let before = dataset.clone();
    let wrong = data(Some("ZZ-1"), vec![hdg(5000, 5.0)]);
    assert_eq!(
        decode_msg_into(&mut dataset, SERIAL, &wrong.encode_to_vec()),
        Err(MsgProblem::WrongSerial("ZZ-1".into()))
    );
    assert_eq!(
        decode_msg_into(&mut dataset, SERIAL, &[0x12, 0x7f]),
        Err(MsgProblem::NotProtobuf("truncated"))
    );
    let heartbeat = Msg {
        msg: Some(msg::Msg::ChannelManagement(ChannelManagement {
            management: Some(channel_management::Management::Heartbeat(1)),
        })),
    };
    let skipped = decode_msg_into(&mut dataset, "OTHER", &heartbeat.encode_to_vec()).unwrap();
    assert_eq!(skipped.other_messages, 1);
    assert_eq!(dataset, before, "refused and empty messages change nothing");
}

#[test]
fn protobuf_problems_in_plain_words() {
    let words = |bytes: &[u8]| match decode_msg_into(&mut Dataset::default(), SERIAL, bytes) {
        Err(MsgProblem::NotProtobuf(words)) => words,
        other => panic!("{bytes:?}: {other:?}"),
    };
    // Msg.data (2) with a length prefix of 2^62: nothing is allocated.
    let mut huge = vec![0x12];
    prost::encoding::encode_varint(1 << 62, &mut huge);
    assert_eq!(words(&huge), "truncated");
    // Msg.data declared as a varint.
    assert_eq!(words(&[0x10, 0x01]), "a wrong wire type");
    // Deeply nested groups in an unknown field.
    let deep = vec![0x7b; 200]; // field 15, start group, 200 times
    assert_eq!(words(&deep), "nested too deeply");
    // An invalid UTF-8 serial number.
    let msg = data(Some("AA-\u{e9}"), vec![]);
    let mut bytes = msg.encode_to_vec();
    let at = bytes.iter().position(|&b| b == 0xc3).unwrap();
    bytes[at] = 0xff;
    assert_eq!(words(&bytes), "a text field is not UTF-8");
    assert_eq!(words(&[0x00]), "a broken field key");
    assert_eq!(words(&[0x12, 0x05, 0x0a]), "truncated");
    assert_eq!(
        words(&[0x78, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        "a broken number (varint)"
    );
    // Unknown fields are ignored.
    let mut bytes = data(Some(SERIAL), vec![hdg(1000, 1.0)]).encode_to_vec();
    bytes.extend_from_slice(&[0xf8, 0x07, 0x05]); // field 127, varint 5
    let mut dataset = Dataset::default();
    decode_msg_into(&mut dataset, SERIAL, &bytes).unwrap();
    assert_eq!(dataset.sample_count(), 1);
}

#[test]
fn a_long_list_decodes_alike_on_one_thread_and_several() {
    // 10,000 messages (over PARALLEL_MESSAGES), out of order with repeated times, 31 of
    // them bad and spread over the parts (more than are listed), one refused after some
    // of its points were put (a bad time in its last point).
    let n = 10_000u64;
    let mut list = Vec::new();
    for i in 0..n {
        let t = 1_000 * ((i * 7919) % 6_000) + 1;
        let msg = if i % 333 == 7 {
            data(Some(SERIAL), vec![hdg(t, 1.0), hdg(u64::MAX, 2.0)])
        } else {
            data(Some(SERIAL), vec![hdg(t, i as f64), sog(t, 2.0 * i as f64)])
        };
        list.push(b64(&msg.encode_to_vec()));
    }
    let answer = body(&[
        (SERIAL, list),
        ("B", texts(&[data(None, vec![hdg(5, 5.0)])])),
    ]);
    let one = body::read(&answer, 1).unwrap();
    for threads in [2, 3, 8] {
        assert_eq!(
            body::read(&answer, threads).unwrap(),
            one,
            "{threads} threads"
        );
    }
    assert_eq!(one.problems.len(), MAX_LISTED_PROBLEMS);
    assert_eq!(one.unlisted_problems, 31 - MAX_LISTED_PROBLEMS);
    assert_eq!(
        one.problems.iter().map(|p| p.message).collect::<Vec<_>>(),
        (0..MAX_LISTED_PROBLEMS)
            .map(|k| 7 + 333 * k)
            .collect::<Vec<_>>()
    );
    let headings = one.dataset.block(SERIAL, TypeKey::new(8)).unwrap();
    let good_times: std::collections::BTreeSet<u64> = (0..n)
        .filter(|i| i % 333 != 7)
        .map(|i| 1_000 * ((i * 7919) % 6_000) + 1)
        .collect();
    assert_eq!(headings.len(), good_times.len());
    assert!(headings.t.windows(2).all(|w| w[0] < w[1]));
    // Each time's first good message, in list order.
    for (t, value) in headings.t.iter().zip(&headings.fields[0]) {
        let first = (0..n)
            .find(|i| i % 333 != 7 && 1_000 * ((i * 7919) % 6_000) + 1 == *t as u64)
            .unwrap();
        assert_eq!(*value, first as f64);
    }
    assert_eq!(one.dataset.block("B", TypeKey::new(8)).unwrap().t, vec![5]);
}
