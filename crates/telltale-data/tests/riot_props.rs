//! Property tests of the Riot reader (`telltale_data::riot`) on valid and hostile answers.
//! Each family prints "<family>: N cases, N passed":
//! - valid generated `Msg`s, in any order, with repeated times and second sources, decode to
//!   exactly the expected samples (the first of a repeated time kept), and feeding the same
//!   messages one by one to `decode_msg_into` gives the same dataset;
//! - one hostile message among a device's good ones (truncated, a wrong wire type, a huge
//!   length prefix, deep nesting, invalid UTF-8 in `serial_number`, a wrong serial, a session
//!   source, a time beyond any date, bad base64) is one clear problem naming the device and
//!   the message, while the device's other messages and the other device's data stay intact;
//! - benign oddities (unknown fields anywhere, messages without data, raw nested unknown
//!   bytes) change nothing but the skip counts;
//! - arbitrary bytes as a body and as one message never panic.
//!
//! Small case counts; the long runs are `scripts/fuzz.sh riot_decode`.

use base64::Engine;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use prost::encoding::{encode_key, encode_varint, WireType};
use riot_proto::data_point::Point;
use riot_proto::units::by_field;
use riot_proto::*;
use std::collections::BTreeMap;
use telltale_data::riot::{decode_answer, decode_msg_into, MsgProblem, RiotDecoded};
use telltale_data::{Dataset, TypeKey};
use telltale_test_support::Tally;

const VICTIM: &str = "AA-BT-0417";
const BYSTANDER: &str = "AA-BT-0731";

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Runs `test` on `cases` inputs of `strategy`, tallying each case as family `family`.
fn family<S: Strategy>(
    family: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let tally = std::cell::RefCell::new(Tally::new(family));
    let outcome = runner(cases).run(&strategy, |input| {
        let shown = format!("{input:?}");
        let result = test(input);
        tally.borrow_mut().record(result.is_ok(), || {
            format!("{shown:.300}: {:?}", result.as_ref().err())
        });
        result
    });
    let tally = tally.into_inner();
    if let Err(error) = outcome {
        tally.print();
        panic!("{family}: {error}");
    }
    tally.finish();
}

// ---- valid messages and what they must decode to --------------------------------------

/// One data point's content, in the service's units.
#[derive(Debug, Clone)]
enum Spec {
    /// A kind whose value is one double (field number and value).
    Double(u32, f64),
    Pos {
        lat: f64,
        lon: f64,
        alt: f64,
        fields: u32,
    },
    Hr {
        event_time: u64,
        count: u32,
        rate: u32,
    },
    Ori([f64; 4]),
    Acc([f64; 3]),
    Bool(bool),
    Int(u64),
    Satc(i32),
}

#[derive(Debug, Clone)]
struct PointSpec {
    t: u64,
    dsi: u32,
    spec: Spec,
}

/// The double-valued kinds exercised (cog, hdg, sog, aws, ang, temp, press, num, tws).
const DOUBLES: [u32; 9] = [6, 8, 9, 12, 5, 15, 24, 50, 23];

fn spec() -> impl Strategy<Value = Spec> {
    let value = || -1.0e6f64..1.0e6;
    prop_oneof![
        4 => (prop::sample::select(&DOUBLES[..]), value()).prop_map(|(f, v)| Spec::Double(f, v)),
        2 => (-90.0f64..90.0, -180.0f64..180.0, -50.0f64..500.0, prop::sample::select(&[0u32, 3, 7, 1, 2, 4][..]))
            .prop_map(|(lat, lon, alt, fields)| Spec::Pos { lat, lon, alt, fields }),
        1 => (0u64..1 << 50, any::<u32>(), 30u32..220)
            .prop_map(|(event_time, count, rate)| Spec::Hr { event_time, count, rate }),
        1 => prop::array::uniform4(-1.0f64..1.0).prop_map(Spec::Ori),
        1 => prop::array::uniform3(value()).prop_map(Spec::Acc),
        1 => any::<bool>().prop_map(Spec::Bool),
        1 => (0u64..1 << 53).prop_map(Spec::Int),
        1 => (0i32..40).prop_map(Spec::Satc),
    ]
}

fn point_spec() -> impl Strategy<Value = PointSpec> {
    // Times from a small range repeat often; the rest are anywhere up to 2100.
    let t = prop_oneof![1u64..40, 1u64..4_102_444_800_000];
    (t, prop::sample::select(&[0u32, 0, 0, 2, 100][..]), spec())
        .prop_map(|(t, dsi, spec)| PointSpec { t, dsi, spec })
}

/// A device's messages, each a list of points.
fn messages() -> impl Strategy<Value = Vec<Vec<PointSpec>>> {
    prop::collection::vec(prop::collection::vec(point_spec(), 1..8), 1..8)
}

fn data_point(p: &PointSpec) -> DataPoint {
    let t = p.t;
    let point = match p.spec {
        Spec::Double(field, value) => match field {
            5 => Point::Ang(Angle {
                timestamp: t,
                value,
            }),
            6 => Point::Cog(CourseOverGround {
                timestamp: t,
                value,
            }),
            8 => Point::Hdg(Heading {
                timestamp: t,
                value,
            }),
            9 => Point::Sog(SpeedOverGround {
                timestamp: t,
                value,
            }),
            12 => Point::Aws(ApparentWindSpeed {
                timestamp: t,
                value,
            }),
            15 => Point::Temp(Temperature {
                timestamp: t,
                value,
            }),
            23 => Point::Tws(TrueWindSpeed {
                timestamp: t,
                value,
            }),
            24 => Point::Press(Pressure {
                timestamp: t,
                value,
            }),
            50 => Point::Num(Number {
                timestamp: t,
                value,
            }),
            other => unreachable!("no double kind {other} in DOUBLES"),
        },
        Spec::Pos {
            lat,
            lon,
            alt,
            fields,
        } => Point::Pos(GnssPosition {
            timestamp: t,
            latitude: lat,
            longitude: lon,
            altitude: alt,
            fields,
        }),
        Spec::Hr {
            event_time,
            count,
            rate,
        } => Point::Hr(HeartRate {
            timestamp: t,
            event_time,
            hb_count: count,
            heart_rate: rate,
            fields: 15,
        }),
        Spec::Ori([w, x, y, z]) => Point::Ori(Orientation {
            timestamp: t,
            x,
            y,
            z,
            w,
            fields: 15,
        }),
        Spec::Acc([x, y, z]) => Point::Acc(Acceleration {
            timestamp: t,
            x,
            y,
            z,
            fields: 7,
        }),
        Spec::Bool(value) => Point::Bool(Boolean {
            timestamp: t,
            value,
        }),
        Spec::Int(value) => Point::Int(Integer {
            timestamp: t,
            value,
        }),
        Spec::Satc(value) => Point::Satc(GnssSatCount {
            timestamp: t,
            value,
        }),
    };
    DataPoint {
        source_id: p.dsi,
        point: Some(point),
    }
}

/// The samples a point must give: (code, dsi, t, values in the app's units), written from
/// the units table and the field list, not from the reader.
fn expected_samples(p: &PointSpec) -> Vec<(u16, u32, i64, Vec<f64>)> {
    let at = |field: u32, values: Vec<f64>| {
        let kind = by_field(field).expect("a numeric kind");
        (
            kind.app_code,
            p.dsi,
            p.t as i64,
            values.into_iter().map(|v| v * kind.to_app).collect(),
        )
    };
    match p.spec {
        Spec::Double(field, v) => vec![at(field, vec![v])],
        Spec::Pos {
            lat,
            lon,
            alt,
            fields,
        } => {
            let (has_lat, has_lon, has_alt) = if fields == 0 {
                (true, true, false)
            } else {
                (fields & 1 != 0, fields & 2 != 0, fields & 4 != 0)
            };
            let or_nan = |yes: bool, v: f64| if yes { v } else { f64::NAN };
            let mut out = Vec::new();
            if has_lat || has_lon {
                out.push((
                    1,
                    p.dsi,
                    p.t as i64,
                    vec![or_nan(has_lon, lon), or_nan(has_lat, lat)],
                ));
            }
            if has_alt {
                out.push((5, p.dsi, p.t as i64, vec![alt]));
            }
            out
        }
        Spec::Hr {
            event_time,
            count,
            rate,
        } => {
            vec![at(13, vec![event_time as f64, count.into(), rate.into()])]
        }
        Spec::Ori([w, x, y, z]) => vec![at(17, vec![w, x, y, z])],
        Spec::Acc([x, y, z]) => vec![at(18, vec![x, y, z])],
        Spec::Bool(b) => vec![at(53, vec![if b { 1.0 } else { 0.0 }])],
        Spec::Int(v) => vec![at(51, vec![v as f64])],
        Spec::Satc(v) => vec![at(3, vec![v.into()])],
    }
}

type Expected = BTreeMap<TypeKey, BTreeMap<i64, Vec<f64>>>;

/// What a device's messages must decode to: per key, per time, the first sample sent.
fn expected(messages: &[&[PointSpec]]) -> Expected {
    let mut out = Expected::new();
    for point in messages.iter().flat_map(|m| m.iter()) {
        for (code, dsi, t, values) in expected_samples(point) {
            out.entry(TypeKey::with_dsi(code, dsi))
                .or_default()
                .entry(t)
                .or_insert(values);
        }
    }
    out
}

fn data_msg(serial: Option<&str>, points: &[PointSpec]) -> Msg {
    Msg {
        msg: Some(msg::Msg::Data(Data {
            data: vec![DataMsg {
                data: points.iter().map(data_point).collect(),
                source: serial.map(|s| data_msg::Source::SerialNumber(s.into())),
                type_of_service: 3,
                stream_id: 0,
            }],
        })),
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn body(devices: &[(&str, Vec<String>)]) -> Vec<u8> {
    let map: serde_json::Map<String, serde_json::Value> = devices
        .iter()
        .map(|(serial, texts)| (serial.to_string(), serde_json::json!(texts)))
        .collect();
    serde_json::to_vec(&map).expect("a JSON body")
}

fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

/// Whether two datasets hold the same samples (NaN equal to NaN).
fn same_dataset(a: &Dataset, b: &Dataset) -> Result<(), TestCaseError> {
    let shape = |d: &Dataset| -> Vec<(String, TypeKey, Vec<i64>, usize)> {
        d.blocks()
            .map(|(s, k, b)| (s.to_string(), k, b.t.clone(), b.fields.len()))
            .collect()
    };
    prop_assert_eq!(shape(a), shape(b));
    prop_assert_eq!(
        a.devices.keys().collect::<Vec<_>>(),
        b.devices.keys().collect::<Vec<_>>()
    );
    for ((_, key, x), (_, _, y)) in a.blocks().zip(b.blocks()) {
        for (cx, cy) in x.fields.iter().zip(&y.fields) {
            prop_assert!(
                cx.iter()
                    .zip(cy)
                    .all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan())),
                "{}",
                key
            );
        }
    }
    Ok(())
}

/// Whether `dataset` holds exactly `expected` for `serial`.
fn holds(dataset: &Dataset, serial: &str, expected: &Expected) -> Result<(), TestCaseError> {
    let device = dataset
        .devices
        .get(serial)
        .ok_or_else(|| TestCaseError::fail(format!("{serial} is missing")))?;
    let keys: Vec<_> = device.channels.keys().collect();
    prop_assert_eq!(keys, expected.keys().collect::<Vec<_>>(), "{}", serial);
    for (key, samples) in expected {
        let block = &device.channels[key];
        prop_assert_eq!(
            &block.t,
            &samples.keys().copied().collect::<Vec<_>>(),
            "{} {}",
            serial,
            key
        );
        for (i, values) in samples.values().enumerate() {
            prop_assert_eq!(block.fields.len(), values.len(), "{} {}", serial, key);
            for (column, &v) in block.fields.iter().zip(values) {
                prop_assert!(
                    same(column[i], v),
                    "{} {} #{}: {} vs {}",
                    serial,
                    key,
                    i,
                    column[i],
                    v
                );
            }
        }
    }
    Ok(())
}

#[test]
fn valid_messages_decode_to_their_samples() {
    let devices = prop::collection::btree_map(
        prop::sample::select(&[VICTIM, BYSTANDER, "AB-01", "AB-02"][..]),
        (messages(), any::<bool>()),
        0..4,
    );
    family("riot round trip", 300, devices, |devices| {
        let answer: Vec<(&str, Vec<String>)> = devices
            .iter()
            .map(|(serial, (messages, named))| {
                let texts = messages
                    .iter()
                    .map(|points| b64(&data_msg(named.then_some(*serial), points).encode_to_vec()))
                    .collect();
                (*serial, texts)
            })
            .collect();
        let got = decode_answer(&body(&answer)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(got.problems.is_empty(), "{:?}", got.problems);
        prop_assert_eq!(got.skipped.total(), 0);
        prop_assert_eq!(got.dataset.devices.len(), devices.len());
        let mut one_by_one = Dataset::default();
        for (serial, (messages, named)) in &devices {
            let refs: Vec<&[PointSpec]> = messages.iter().map(Vec::as_slice).collect();
            holds(&got.dataset, serial, &expected(&refs))?;
            for points in messages {
                let bytes = data_msg(named.then_some(*serial), points).encode_to_vec();
                decode_msg_into(&mut one_by_one, serial, &bytes)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
        }
        same_dataset(&one_by_one, &got.dataset)?;
        Ok(())
    });
}

// ---- hostile messages ------------------------------------------------------------------

/// A length-delimited field: key, length (or `fake` in its place), bytes.
fn ld(field: u32, bytes: &[u8], fake: Option<u64>) -> Vec<u8> {
    let mut out = Vec::new();
    encode_key(field, WireType::LengthDelimited, &mut out);
    encode_varint(fake.unwrap_or(bytes.len() as u64), &mut out);
    out.extend_from_slice(bytes);
    out
}

/// Unknown fields of every wire type (numbers no message uses).
fn unknown_fields() -> Vec<u8> {
    let mut out = Vec::new();
    encode_key(900, WireType::Varint, &mut out);
    encode_varint(123_456, &mut out);
    encode_key(901, WireType::SixtyFourBit, &mut out);
    out.extend_from_slice(&1.5f64.to_le_bytes());
    encode_key(902, WireType::ThirtyTwoBit, &mut out);
    out.extend_from_slice(&[1, 2, 3, 4]);
    out.extend(ld(903, b"\xff\xfe not UTF-8, not looked at", None));
    encode_key(904, WireType::StartGroup, &mut out);
    encode_key(1, WireType::Varint, &mut out);
    encode_varint(7, &mut out);
    encode_key(904, WireType::EndGroup, &mut out);
    out
}

/// How a message is written by hand (prost's encoder cannot write what is wrong).
#[derive(Debug, Clone, Default)]
struct Raw {
    /// The serial's bytes, if the source is set.
    serial: Option<Vec<u8>>,
    session: Option<u32>,
    /// Unknown fields at every level.
    unknown: bool,
    /// A length prefix replaced by this (at level 0 Msg.data, 1 Data.data, 2 DataMsg.data).
    huge: Option<(usize, u64)>,
}

fn raw(points: &[PointSpec], how: &Raw) -> Vec<u8> {
    let extra = || {
        if how.unknown {
            unknown_fields()
        } else {
            Vec::new()
        }
    };
    let fake = |level: usize| how.huge.filter(|(at, _)| *at == level).map(|(_, n)| n);
    let mut data_msg = Vec::new();
    for point in points {
        let mut bytes = data_point(point).encode_to_vec();
        bytes.extend(extra());
        data_msg.extend(ld(1, &bytes, fake(2)));
    }
    if let Some(serial) = &how.serial {
        data_msg.extend(ld(2, serial, None));
    }
    if let Some(session) = how.session {
        encode_key(3, WireType::Varint, &mut data_msg);
        encode_varint(session.into(), &mut data_msg);
    }
    data_msg.extend(extra());
    let mut data = ld(1, &data_msg, fake(1));
    data.extend(extra());
    let mut msg = extra();
    msg.extend(ld(2, &data, fake(0)));
    msg
}

/// What is done to one of the victim's messages.
#[derive(Debug, Clone)]
enum Harm {
    /// Cut to this fraction of its bytes (at least one byte kept, at least one cut).
    Truncate(f64),
    /// The top-level key's wire type replaced (0 varint, 1 64-bit, 5 32-bit).
    WireType(u8),
    /// A length prefix at `level` replaced by a huge number.
    HugeLength(usize, u64),
    /// Unclosed groups nested this deep, appended as an unknown field.
    DeepGroups(usize),
    /// 200 levels of Msg{ack_response{data_message{session_id as a message{..}}}}.
    NestedAcks,
    /// `serial_number` with a byte that is not UTF-8.
    BadUtf8Serial,
    WrongSerial(String),
    Session(u32),
    /// A point's time beyond `i64::MAX`.
    BadTime(u64),
    /// A character outside standard base64 inserted at this fraction of the text.
    BadBase64(char, f64),
}

fn harm() -> impl Strategy<Value = Harm> {
    prop_oneof![
        (0.0f64..1.0).prop_map(Harm::Truncate),
        prop::sample::select(&[0u8, 1, 5][..]).prop_map(Harm::WireType),
        (0usize..3, prop_oneof![Just(u64::MAX), 1u64 << 31..u64::MAX])
            .prop_map(|(level, n)| Harm::HugeLength(level, n)),
        prop_oneof![150usize..300, Just(100_000)].prop_map(Harm::DeepGroups),
        Just(Harm::NestedAcks),
        Just(Harm::BadUtf8Serial),
        "[A-Z]{2}-[A-Z]{2}-[0-9]{4}"
            .prop_filter("another device", |s| s != VICTIM)
            .prop_map(Harm::WrongSerial),
        any::<u32>().prop_map(Harm::Session),
        (i64::MAX as u64 + 1..=u64::MAX).prop_map(Harm::BadTime),
        (
            prop::sample::select(&['!', '*', '-', '_', ' ', '\n', '.', '\u{e9}', '\0'][..]),
            0.0f64..1.0
        )
            .prop_map(|(c, at)| Harm::BadBase64(c, at)),
    ]
}

/// The harmed message's text, and a check of the problem it must get.
fn harmed(points: &[PointSpec], harm: &Harm) -> (String, fn(&MsgProblem) -> bool) {
    let named = Raw {
        serial: Some(VICTIM.as_bytes().to_vec()),
        ..Raw::default()
    };
    let good = raw(points, &named);
    let protobuf = |p: &MsgProblem| matches!(p, MsgProblem::NotProtobuf(_));
    match harm {
        Harm::Truncate(at) => {
            let len = ((good.len() as f64 * at) as usize).clamp(1, good.len() - 1);
            (b64(&good[..len]), protobuf)
        }
        Harm::WireType(wire) => {
            let mut bytes = good.clone();
            bytes[0] = (2 << 3) | wire;
            (b64(&bytes), |p| {
                p == &MsgProblem::NotProtobuf("a wrong wire type")
            })
        }
        Harm::HugeLength(level, n) => (
            b64(&raw(
                points,
                &Raw {
                    huge: Some((*level, *n)),
                    ..named
                },
            )),
            |p| p == &MsgProblem::NotProtobuf("truncated"),
        ),
        Harm::DeepGroups(depth) => {
            let mut bytes = good.clone();
            for _ in 0..*depth {
                encode_key(15, WireType::StartGroup, &mut bytes);
            }
            (b64(&bytes), |p| {
                p == &MsgProblem::NotProtobuf("nested too deeply")
            })
        }
        Harm::NestedAcks => {
            // Msg.ack_response (3) → AckResponse.data_message (5) → DataMsg field 3 (a
            // session id, a varint) written as a message, and so on 200 times.
            let mut inner = good.clone();
            for _ in 0..200 {
                inner = ld(3, &ld(5, &inner, None), None);
            }
            (b64(&inner), protobuf)
        }
        Harm::BadUtf8Serial => {
            let mut serial = VICTIM.as_bytes().to_vec();
            serial[3] = 0xff;
            (
                b64(&raw(
                    points,
                    &Raw {
                        serial: Some(serial),
                        ..Raw::default()
                    },
                )),
                |p| p == &MsgProblem::NotProtobuf("a text field is not UTF-8"),
            )
        }
        Harm::WrongSerial(other) => {
            let text = b64(&raw(
                points,
                &Raw {
                    serial: Some(other.as_bytes().to_vec()),
                    ..Raw::default()
                },
            ));
            (
                text,
                |p| matches!(p, MsgProblem::WrongSerial(s) if s != VICTIM),
            )
        }
        Harm::Session(id) => (
            b64(&raw(
                points,
                &Raw {
                    session: Some(*id),
                    ..Raw::default()
                },
            )),
            |p| matches!(p, MsgProblem::SessionSource(_)),
        ),
        Harm::BadTime(ms) => {
            let mut points = points.to_vec();
            points[0].t = *ms;
            (
                b64(&raw(&points, &named)),
                |p| matches!(p, MsgProblem::BadTime(t) if *t > i64::MAX as u64),
            )
        }
        Harm::BadBase64(c, at) => {
            let mut text = b64(&good);
            let mut index = (text.len() as f64 * at) as usize;
            while !text.is_char_boundary(index) {
                index -= 1;
            }
            text.insert(index, *c);
            (text, |p| matches!(p, MsgProblem::NotBase64(_)))
        }
    }
}

#[test]
fn one_hostile_message_is_one_problem_and_harms_nothing_else() {
    let input = (messages(), messages(), any::<prop::sample::Index>(), harm());
    family(
        "riot hostile message",
        600,
        input,
        |(victim, bystander, which, harm)| {
            let k = which.index(victim.len());
            let named = Raw {
                serial: Some(VICTIM.as_bytes().to_vec()),
                ..Raw::default()
            };
            let mut texts: Vec<String> = victim
                .iter()
                .map(|points| b64(&raw(points, &named)))
                .collect();
            let (text, right_problem) = harmed(&victim[k], &harm);
            texts[k] = text.clone();
            let theirs: Vec<String> = bystander
                .iter()
                .map(|points| b64(&data_msg(Some(BYSTANDER), points).encode_to_vec()))
                .collect();
            let got: RiotDecoded = decode_answer(&body(&[(VICTIM, texts), (BYSTANDER, theirs)]))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(got.problems.len(), 1, "{:?}", got.problems);
            let problem = &got.problems[0];
            prop_assert_eq!(&problem.serial, VICTIM);
            prop_assert_eq!(problem.message, k);
            prop_assert!(right_problem(&problem.problem), "{:?}: {}", harm, problem);
            let words = problem.to_string();
            prop_assert!(
                words.starts_with(&format!("device {VICTIM}, message {k}: ")),
                "{}",
                words
            );
            let kept: Vec<&[PointSpec]> = victim
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k)
                .map(|(_, m)| m.as_slice())
                .collect();
            holds(&got.dataset, VICTIM, &expected(&kept))?;
            let refs: Vec<&[PointSpec]> = bystander.iter().map(Vec::as_slice).collect();
            holds(&got.dataset, BYSTANDER, &expected(&refs))?;
            // The same message alone, as a live frame, is the same problem and changes nothing.
            if !matches!(harm, Harm::BadBase64(..)) {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(&text)
                    .expect("harmed after base64");
                let mut dataset = got.dataset.clone();
                let alone = decode_msg_into(&mut dataset, VICTIM, &bytes);
                prop_assert_eq!(alone.as_ref().err(), Some(&problem.problem));
                same_dataset(&dataset, &got.dataset)?;
            }
            Ok(())
        },
    );
}

// ---- benign oddities -------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Oddity {
    /// Unknown fields of every wire type at every level.
    UnknownFields,
    /// A heartbeat instead of data.
    Heartbeat,
    /// A Msg with no part set (an empty base64 string).
    Empty,
    /// An acknowledgement carrying a data message (not `data`: skipped).
    Ack,
    /// An APIData message (field 4, not in our .proto): a Msg with none of its parts.
    ApiData,
    /// `data` whose DataMsg has no points.
    NoPoints,
    /// 200 levels of raw nested length-delimited bytes in an unknown field.
    NestedUnknown,
}

#[test]
fn benign_oddities_change_nothing_but_the_skip_counts() {
    let oddity = prop_oneof![
        Just(Oddity::UnknownFields),
        Just(Oddity::Heartbeat),
        Just(Oddity::Empty),
        Just(Oddity::Ack),
        Just(Oddity::ApiData),
        Just(Oddity::NoPoints),
        Just(Oddity::NestedUnknown),
    ];
    let input = (messages(), messages(), any::<prop::sample::Index>(), oddity);
    family(
        "riot benign oddity",
        300,
        input,
        |(victim, bystander, which, oddity)| {
            let k = which.index(victim.len());
            let named = Raw {
                serial: Some(VICTIM.as_bytes().to_vec()),
                ..Raw::default()
            };
            let mut texts: Vec<String> = victim
                .iter()
                .map(|points| b64(&raw(points, &named)))
                .collect();
            let mut kept: Vec<&[PointSpec]> = victim.iter().map(Vec::as_slice).collect();
            let odd = match oddity {
                Oddity::UnknownFields => raw(
                    &victim[k],
                    &Raw {
                        unknown: true,
                        ..named.clone()
                    },
                ),
                Oddity::Heartbeat => Msg {
                    msg: Some(msg::Msg::ChannelManagement(ChannelManagement {
                        management: Some(channel_management::Management::Heartbeat(3)),
                    })),
                }
                .encode_to_vec(),
                Oddity::Empty => Vec::new(),
                Oddity::Ack => Msg {
                    msg: Some(msg::Msg::AckResponse(AckResponse {
                        timestamp: 1,
                        ack: true,
                        code: 200,
                        reason: "OK".into(),
                        data_message: Some(DataMsg {
                            data: victim[k].iter().map(data_point).collect(),
                            source: None,
                            type_of_service: 0,
                            stream_id: 0,
                        }),
                    })),
                }
                .encode_to_vec(),
                Oddity::ApiData => ld(4, &ld(1, b"request", None), None),
                Oddity::NoPoints => raw(&[], &named),
                Oddity::NestedUnknown => {
                    let mut nested = b"core".to_vec();
                    for _ in 0..200 {
                        nested = ld(77, &nested, None);
                    }
                    let mut bytes = raw(&victim[k], &named);
                    bytes.extend(nested);
                    bytes
                }
            };
            texts[k] = b64(&odd);
            let counted = !matches!(oddity, Oddity::UnknownFields | Oddity::NestedUnknown);
            if counted {
                kept.remove(k);
            }
            let theirs: Vec<String> = bystander
                .iter()
                .map(|points| b64(&data_msg(Some(BYSTANDER), points).encode_to_vec()))
                .collect();
            let got = decode_answer(&body(&[(VICTIM, texts), (BYSTANDER, theirs)]))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(got.problems.is_empty(), "{:?}", got.problems);
            prop_assert_eq!(got.skipped.other_messages, usize::from(counted));
            prop_assert_eq!(got.skipped.total(), usize::from(counted));
            holds(&got.dataset, VICTIM, &expected(&kept))?;
            let refs: Vec<&[PointSpec]> = bystander.iter().map(Vec::as_slice).collect();
            holds(&got.dataset, BYSTANDER, &expected(&refs))?;
            Ok(())
        },
    );
}

// ---- arbitrary bytes -------------------------------------------------------------------

/// Every block's columns are as long as its times, and its times strictly increase.
fn well_formed(dataset: &Dataset) -> Result<(), TestCaseError> {
    for (serial, key, block) in dataset.blocks() {
        for column in &block.fields {
            prop_assert_eq!(column.len(), block.t.len(), "{} {}", serial, key);
        }
        prop_assert!(
            block.t.windows(2).all(|w| w[0] < w[1]),
            "{} {}",
            serial,
            key
        );
    }
    Ok(())
}

#[test]
fn arbitrary_bytes_never_panic() {
    let input = (
        prop::collection::vec(any::<u8>(), 0..512),
        "[{}\\[\\]\":, A-Za-z0-9+/=\\\\-]{0,200}",
    );
    family("riot arbitrary bytes", 600, input, |(bytes, text)| {
        let mut dataset = Dataset::default();
        let _ = decode_msg_into(&mut dataset, VICTIM, &bytes);
        well_formed(&dataset)?;
        for body in [bytes.as_slice(), text.as_bytes()] {
            if let Ok(got) = decode_answer(body) {
                well_formed(&got.dataset)?;
            }
        }
        // The bytes as one device's message, among good ones.
        let good = b64(&data_msg(
            Some(VICTIM),
            &[PointSpec {
                t: 5,
                dsi: 0,
                spec: Spec::Bool(true),
            }],
        )
        .encode_to_vec());
        let answer = body(&[(VICTIM, vec![good.clone(), b64(&bytes), good])]);
        let got = decode_answer(&answer).map_err(|e| TestCaseError::fail(e.to_string()))?;
        well_formed(&got.dataset)?;
        prop_assert!(got.problems.len() <= 1);
        prop_assert!(got.dataset.block(VICTIM, TypeKey::new(153)).is_some());
        Ok(())
    });
}
