//! Riot's `resources/data` body: `{"<serial>":["<base64 of one Msg>", ..]}`.
//!
//! Each `Msg` is `Msg{data: Data{data: [DataMsg{serial_number, data: [DataPoint ..]}]}}`
//! with the points of every requested channel whose timestamps fall in one second, in
//! standard base64 with padding and without a length prefix. Values come from the same
//! samples as the JSON dialect ([`crate::api::data::channel`]), converted point by point
//! ([`super::points`]); a position carries the device's altitude (JSON type 5, same data
//! source, same timestamp) when it has one. Samples devices pushed over the device port
//! ([`super::pushed`]) are merged in, channel by channel ([`encode_body_with`]).
//!
//! The list is deliberately **not in time order**, as the real service promises none: the
//! seconds are dealt into [`STRIDE`] piles by index and the piles sent last first, each in
//! time order. Deterministic, so tests can reproduce it, and never sorted when a device has
//! two or more messages.

use super::points::{kind_of, point, series_kind};
use super::pushed::{merge_series, PushedStore};
use crate::api::data::channel;
use crate::api::simplify::douglas_peucker;
use crate::demo::data::{DataStore, Series};
use crate::world::TypeKey;
use base64::Engine;
use prost::Message;
use riot_proto::units::Kind;
use riot_proto::*;

/// Piles the seconds are dealt into (see the module docs).
pub const STRIDE: usize = 7;
/// The app's type code of altitude, which Riot sends inside `pos`.
const ALTITUDE: u16 = 5;
/// Bytes a message takes per data point on average, for the first allocation.
const BYTES_PER_POINT: usize = 32;

/// One device's part of an answer.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceRequest {
    pub serial: String,
    /// The channels it records ([`DataStore::sensors`]).
    pub sensors: Vec<TypeKey>,
    /// Sorted, disjoint `[start, end]` intervals (ms) to read.
    pub intervals: Vec<(i64, i64)>,
    /// Riot `DataPoint` field numbers with their compression (max error, `pos` only).
    pub kinds: Vec<(u32, f64)>,
}

/// One channel ready to encode: its kind, data source and samples in the app's units, with
/// the altitude of each position (NaN: none) for `pos`.
struct Channel {
    kind: &'static Kind,
    dsi: u32,
    series: Series,
    altitude: Option<Vec<f64>>,
}

/// The altitude of each position at the same timestamp (NaN where it has none).
fn altitudes(positions: &Series, altitude: &Series) -> Vec<f64> {
    let column = altitude.fields.first().map(Vec::as_slice).unwrap_or(&[]);
    let mut j = 0;
    positions
        .t
        .iter()
        .map(|&t| {
            while j < altitude.t.len() && altitude.t[j] < t {
                j += 1;
            }
            match (altitude.t.get(j), column.get(j)) {
                (Some(&at), Some(&v)) if at == t => v,
                _ => f64::NAN,
            }
        })
        .collect()
}

/// One channel over the request's intervals: the generated samples merged with the pushed
/// ones (a pushed sample wins at the same time), then compressed as the JSON dialect does.
fn series_of(
    data: &DataStore,
    pushed: Option<&PushedStore>,
    request: &DeviceRequest,
    key: TypeKey,
    compression: f64,
) -> Series {
    let extra = pushed
        .map(|p| p.series(&request.serial, key, &request.intervals))
        .unwrap_or_default();
    if extra.is_empty() {
        return channel(data, &request.serial, key, &request.intervals, compression);
    }
    let generated = channel(data, &request.serial, key, &request.intervals, 0.0);
    let merged = merge_series(generated, extra);
    if key.code != 1 || compression <= 0.0 || merged.fields.len() < 2 {
        return merged;
    }
    let kept = douglas_peucker(&merged.fields[0], &merged.fields[1], compression);
    let pick = |v: &Vec<f64>| kept.iter().filter_map(|&i| v.get(i).copied()).collect();
    Series {
        t: pick(&merged.t),
        fields: merged.fields.iter().map(pick).collect(),
    }
}

fn channels(
    data: &DataStore,
    pushed: Option<&PushedStore>,
    request: &DeviceRequest,
) -> Vec<Channel> {
    let mut kinds = request.kinds.clone();
    kinds.sort_by_key(|(field, _)| *field);
    kinds.dedup_by_key(|(field, _)| *field);
    let mut keys = request.sensors.clone();
    if let Some(pushed) = pushed {
        keys.extend(pushed.keys(&request.serial));
    }
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for (field, compression) in kinds {
        let Some(kind) = series_kind(field) else {
            continue;
        };
        for key in keys.iter().filter(|k| k.code == kind.app_code) {
            let series = series_of(data, pushed, request, *key, compression);
            if series.is_empty() {
                continue;
            }
            let height = TypeKey::with_dsi(ALTITUDE, key.dsi);
            let altitude = (field == 1 && keys.contains(&height)).then(|| {
                let all = series_of(data, pushed, request, height, 0.0);
                altitudes(&series, &all)
            });
            out.push(Channel {
                kind,
                dsi: key.dsi,
                series,
                altitude,
            });
        }
    }
    out
}

/// The point of sample `i` of a channel.
fn point_of(channel: &Channel, i: usize) -> Option<DataPoint> {
    let mut values = [f64::NAN; 4];
    for (slot, column) in values.iter_mut().zip(&channel.series.fields) {
        *slot = column.get(i).copied().unwrap_or(f64::NAN);
    }
    let altitude = channel
        .altitude
        .as_ref()
        .and_then(|a| a.get(i).copied())
        .filter(|a| !a.is_nan());
    let t = channel.series.t[i].max(0.0) as u64;
    point(channel.kind, channel.dsi, t, &values, altitude)
}

/// One device's points as a `Msg`.
pub fn message(serial: &str, points: Vec<DataPoint>) -> Msg {
    Msg {
        msg: Some(msg::Msg::Data(Data {
            data: vec![DataMsg {
                data: points,
                source: Some(data_msg::Source::SerialNumber(serial.to_string())),
                type_of_service: 0,
                stream_id: 0,
            }],
        })),
    }
}

/// Appends `"<base64 of msg>"` to `out`; `scratch` is reused for the protobuf bytes.
pub fn write_message(out: &mut Vec<u8>, scratch: &mut Vec<u8>, msg: &Msg) {
    scratch.clear();
    // Encoding into a Vec cannot run out of room.
    let _ = msg.encode(scratch);
    let engine = base64::engine::general_purpose::STANDARD;
    out.push(b'"');
    let start = out.len();
    out.resize(start + scratch.len().div_ceil(3) * 4, 0);
    let written = engine
        .encode_slice(&scratch[..], &mut out[start..])
        .unwrap_or(0);
    out.truncate(start + written);
    out.push(b'"');
}

/// The distinct seconds (floor of ms / 1000) of all channels' samples, ascending.
fn seconds(channels: &[Channel]) -> Vec<i64> {
    let mut all: Vec<i64> = Vec::new();
    for c in channels {
        let mine = c.series.t.iter().map(|&t| (t as i64).div_euclid(1000));
        let mut merged = Vec::with_capacity(all.len() + c.series.len());
        let mut theirs = all.iter().copied().peekable();
        for s in mine {
            while let Some(&a) = theirs.peek().filter(|&&a| a < s) {
                merged.push(a);
                theirs.next();
            }
            merged.push(s);
        }
        merged.extend(theirs);
        merged.dedup();
        all = merged;
    }
    all
}

/// Appends a device's messages, comma-separated, in the order of the module docs.
fn write_device(out: &mut Vec<u8>, serial: &str, channels: &[Channel]) {
    let seconds = seconds(channels);
    let mut scratch = Vec::new();
    let mut first = true;
    for pile in (0..STRIDE.min(seconds.len())).rev() {
        let mut cursors = vec![0usize; channels.len()];
        for &second in seconds.iter().skip(pile).step_by(STRIDE) {
            let (from, to) = ((second * 1000) as f64, (second * 1000 + 1000) as f64);
            let mut points = Vec::new();
            for (channel, cursor) in channels.iter().zip(cursors.iter_mut()) {
                let t = &channel.series.t;
                while *cursor < t.len() && t[*cursor] < from {
                    *cursor += 1;
                }
                while *cursor < t.len() && t[*cursor] < to {
                    points.extend(point_of(channel, *cursor));
                    *cursor += 1;
                }
            }
            if !first {
                out.push(b',');
            }
            first = false;
            write_message(out, &mut scratch, &message(serial, points));
        }
    }
}

/// The whole body for these devices, in their order, from the generated samples only
/// (CPU-bound: run it on a blocking thread).
pub fn encode_body(data: &DataStore, devices: &[DeviceRequest]) -> Vec<u8> {
    encode_body_with(data, None, devices)
}

/// [`encode_body`] with the samples devices pushed merged in: what the server answers.
pub fn encode_body_with(
    data: &DataStore,
    pushed: Option<&PushedStore>,
    devices: &[DeviceRequest],
) -> Vec<u8> {
    let prepared: Vec<(&str, Vec<Channel>)> = devices
        .iter()
        .map(|d| (d.serial.as_str(), channels(data, pushed, d)))
        .collect();
    let points: usize = prepared
        .iter()
        .flat_map(|(_, channels)| channels)
        .map(|c| c.series.len())
        .sum();
    let mut out = Vec::with_capacity(points * BYTES_PER_POINT + 64 * devices.len() + 2);
    out.push(b'{');
    for (i, (serial, channels)) in prepared.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Serialising a &str into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, serial);
        out.extend_from_slice(b":[");
        write_device(&mut out, serial, channels);
        out.push(b']');
    }
    out.push(b'}');
    out
}

/// The Riot `resources/data` answer body for one device over `[start_ms, end_ms]`: every
/// channel it records that Riot has a kind for, uncompressed, with no access check. What a
/// benchmark or a reader's test decodes; the server's answers add windows and the
/// requested kinds. Unknown serials give `{"<serial>":[]}`.
pub fn data_body(data: &DataStore, serial: &str, start_ms: i64, end_ms: i64) -> Vec<u8> {
    let sensors = data.sensors(serial).to_vec();
    let mut kinds: Vec<(u32, f64)> = sensors
        .iter()
        .filter_map(|key| kind_of(key.code))
        .map(|k| (k.field, 0.0))
        .collect();
    kinds.sort_by_key(|(field, _)| *field);
    kinds.dedup_by_key(|(field, _)| *field);
    let request = DeviceRequest {
        serial: serial.to_string(),
        sensors,
        intervals: vec![(start_ms, end_ms)],
        kinds,
    };
    encode_body(data, &[request])
}

#[cfg(test)]
mod tests {
    use super::*;
    use riot_proto::data_point::Point;
    use riot_proto::units;

    #[test]
    fn order_is_dealt_into_piles() {
        let series = Series {
            t: (0..10).map(|s| s as f64 * 1000.0).collect(),
            fields: vec![(0..10).map(f64::from).collect()],
        };
        let channel = Channel {
            kind: units::by_field(9).unwrap(),
            dsi: 0,
            series,
            altitude: None,
        };
        let mut out = Vec::new();
        write_device(&mut out, "S", &[channel]);
        let list: Vec<String> = serde_json::from_slice(&[b"[", &out[..], b"]"].concat()).unwrap();
        let engine = base64::engine::general_purpose::STANDARD;
        let order: Vec<u64> = list
            .iter()
            .map(|b| {
                let msg = Msg::decode(&engine.decode(b).unwrap()[..]).unwrap();
                let Some(msg::Msg::Data(data)) = msg.msg else {
                    panic!()
                };
                match &data.data[0].data[0].point {
                    Some(Point::Sog(p)) => p.timestamp / 1000,
                    _ => panic!(),
                }
            })
            .collect();
        assert_eq!(order, vec![6, 5, 4, 3, 2, 9, 1, 8, 0, 7]);
    }
}
