//! Unit tests of the Riot reader, by topic: `units` (the service's kinds and units to the
//! app's codes and columns), `ordering` (merging in time order, one message at a time, one
//! thread or several) and `problems` (what is skipped, reported or refused). The builders of
//! messages and answers are here.

mod ordering;
mod problems;
mod units;

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
