//! A stand-in for the app's `DataView` (issue 4 contract, section 3): what Rust sends to the
//! charts after a load. Built the way `Browser::view` builds it, from the same
//! `telltale-data` calls (`min_max` per series, `pick_track` for the track), so timing it
//! times the Rust side of "data in memory to plotted".

use serde::Serialize;
use telltale_data::downsample::{min_max, pick_track};
use telltale_data::Dataset;

/// Points at most in a drawn track (the contract's `max_points`).
pub const TRACK_POINTS: usize = 4000;
/// Speed is taken from a SOG sample at most this far from a track point.
const SPEED_MATCH_MS: i64 = 5_000;
/// Type code of positions (lon, lat).
const POSITION: u16 = 1;
/// Type code of speed over ground (knots).
const SOG: u16 = 9;

/// One channel field, labelled as the charts need it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelView {
    pub key: String,
    pub code: u16,
    pub dsi: u32,
    pub field: u8,
    pub short_name: String,
    pub name: String,
    pub unit: String,
    pub label: String,
}

/// One downsampled series; `None` marks a gap.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesView {
    pub serial: String,
    pub device_name: String,
    pub channel: ChannelView,
    pub t: Vec<i64>,
    pub v: Vec<Option<f64>>,
}

/// One device's track, thinned to at most [`TRACK_POINTS`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackView {
    pub serial: String,
    pub device_name: String,
    pub t: Vec<i64>,
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
    pub speed: Vec<Option<f64>>,
}

/// What the charts receive.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataView {
    pub from: i64,
    pub to: i64,
    pub series: Vec<SeriesView>,
    pub tracks: Vec<TrackView>,
}

impl DataView {
    /// Points in all series and tracks.
    pub fn points(&self) -> usize {
        self.series.iter().map(|s| s.t.len()).sum::<usize>()
            + self.tracks.iter().map(|t| t.t.len()).sum::<usize>()
    }
}

/// The first and last sample time over every block, or `None` for an empty dataset.
pub fn time_span(data: &Dataset) -> Option<(i64, i64)> {
    let blocks = data.devices.values().flat_map(|d| d.channels.values());
    blocks.fold(None, |span, block| {
        let (Some(&first), Some(&last)) = (block.t.first(), block.t.last()) else {
            return span;
        };
        Some(match span {
            None => (first, last),
            Some((lo, hi)) => (lo.min(first), hi.max(last)),
        })
    })
}

/// SOG (dsi 0) at `t`: the nearest sample within [`SPEED_MATCH_MS`].
fn speed_at(sog_t: &[i64], sog: &[f64], t: i64) -> Option<f64> {
    let after = sog_t.partition_point(|&s| s < t);
    let nearest = [after.checked_sub(1), Some(after)]
        .into_iter()
        .flatten()
        .filter_map(|i| Some((*sog_t.get(i)?, *sog.get(i)?)))
        .min_by_key(|(s, _)| (s - t).abs())?;
    ((nearest.0 - t).abs() <= SPEED_MATCH_MS && nearest.1.is_finite()).then_some(nearest.1)
}

/// Builds the view of `[from, to]` for a chart `width` pixels wide (one bucket per pixel).
pub fn build(data: &Dataset, from: i64, to: i64, width: usize) -> DataView {
    let mut series = Vec::new();
    let mut tracks = Vec::new();
    for (serial, device) in &data.devices {
        for (key, block) in &device.channels {
            if key.code == POSITION {
                let (Some(lon), Some(lat)) = (block.fields.first(), block.fields.get(1)) else {
                    continue;
                };
                if key.dsi != 0 {
                    continue;
                }
                let picked = pick_track(&block.t, lon, lat, from, to, TRACK_POINTS);
                let sog = device.channels.get(&telltale_data::TypeKey::new(SOG));
                let (sog_t, sog_v) = match sog {
                    Some(b) => (b.t.as_slice(), b.fields.first().map_or(&[][..], |f| f)),
                    None => (&[][..], &[][..]),
                };
                let mut track = TrackView {
                    serial: serial.clone(),
                    device_name: serial.clone(),
                    t: Vec::with_capacity(picked.len()),
                    lon: Vec::with_capacity(picked.len()),
                    lat: Vec::with_capacity(picked.len()),
                    speed: Vec::with_capacity(picked.len()),
                };
                for i in picked {
                    let (Some(&t), Some(&x), Some(&y)) = (block.t.get(i), lon.get(i), lat.get(i))
                    else {
                        continue;
                    };
                    track.t.push(t);
                    track.lon.push(x);
                    track.lat.push(y);
                    track.speed.push(speed_at(sog_t, sog_v, t));
                }
                tracks.push(track);
                continue;
            }
            for (index, values) in block.fields.iter().enumerate() {
                let field = index + 1;
                let (t, v) = min_max(&block.t, values, from, to, width);
                let short_name = format!("T{}", key.code);
                series.push(SeriesView {
                    serial: serial.clone(),
                    device_name: serial.clone(),
                    channel: ChannelView {
                        key: key.to_string(),
                        code: key.code,
                        dsi: key.dsi,
                        field: u8::try_from(field).unwrap_or(u8::MAX),
                        label: format!("{short_name}.{field}"),
                        name: format!("Type {} field {field}", key.code),
                        short_name,
                        unit: String::new(),
                    },
                    t,
                    v: v.into_iter().map(|x| (!x.is_nan()).then_some(x)).collect(),
                });
            }
        }
    }
    DataView {
        from,
        to,
        series,
        tracks,
    }
}
