//! Generated points, and the messages written from them: by prost, and by hand where prost
//! cannot write what is wrong.

use base64::Engine;
use proptest::prelude::*;
use prost::encoding::{encode_key, encode_varint, WireType};
use riot_proto::data_point::Point;
use riot_proto::*;

/// One data point's content, in the service's units.
#[derive(Debug, Clone)]
pub enum Spec {
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
pub struct PointSpec {
    pub t: u64,
    pub dsi: u32,
    pub spec: Spec,
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
pub fn messages() -> impl Strategy<Value = Vec<Vec<PointSpec>>> {
    prop::collection::vec(prop::collection::vec(point_spec(), 1..8), 1..8)
}

pub fn data_point(p: &PointSpec) -> DataPoint {
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

pub fn data_msg(serial: Option<&str>, points: &[PointSpec]) -> Msg {
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

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn body(devices: &[(&str, Vec<String>)]) -> Vec<u8> {
    let map: serde_json::Map<String, serde_json::Value> = devices
        .iter()
        .map(|(serial, texts)| (serial.to_string(), serde_json::json!(texts)))
        .collect();
    serde_json::to_vec(&map).expect("a JSON body")
}

/// A length-delimited field: key, length (or `fake` in its place), bytes.
pub fn ld(field: u32, bytes: &[u8], fake: Option<u64>) -> Vec<u8> {
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
pub struct Raw {
    /// The serial's bytes, if the source is set.
    pub serial: Option<Vec<u8>>,
    pub session: Option<u32>,
    /// Unknown fields at every level.
    pub unknown: bool,
    /// A length prefix replaced by this (at level 0 Msg.data, 1 Data.data, 2 DataMsg.data).
    pub huge: Option<(usize, u64)>,
}

pub fn raw(points: &[PointSpec], how: &Raw) -> Vec<u8> {
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
