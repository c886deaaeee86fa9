//! A [`DataView`] packed for the webview: a small JSON header naming the series and tracks,
//! then every number as a little-endian f64, so the page reads the columns as `Float64Array`s
//! over the received bytes instead of parsing a megabyte of JSON.
//!
//! Layout:
//! - `b"TTV1"`, then the header's length in bytes as a little-endian u32;
//! - the header, JSON: `{from, to, series: [{serial, deviceName, channel, len}],
//!   tracks: [{serial, deviceName, len}]}`;
//! - zero bytes up to the next multiple of 8 (typed arrays need aligned offsets);
//! - per series, `t` then `v` (`len` values each); per track, `t`, `lon`, `lat`, `speed`.
//!   A gap or an unknown value is NaN. Times are ms since the epoch, exact in an f64.

use super::views::{ChannelView, DataView};
use serde::Serialize;

/// The first four bytes of a packed view.
pub const PACKED_VIEW_MAGIC: &[u8; 4] = b"TTV1";

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PackedHeader"))]
#[serde(rename_all = "camelCase")]
pub struct Header<'a> {
    from: i64,
    to: i64,
    series: Vec<SeriesHeader<'a>>,
    tracks: Vec<TrackHeader<'a>>,
}

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PackedSeries"))]
#[serde(rename_all = "camelCase")]
pub struct SeriesHeader<'a> {
    serial: &'a str,
    device_name: &'a str,
    channel: &'a ChannelView,
    len: usize,
}

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PackedTrack"))]
#[serde(rename_all = "camelCase")]
pub struct TrackHeader<'a> {
    serial: &'a str,
    device_name: &'a str,
    len: usize,
}

/// `view` in the packed layout described in the module docs.
pub fn pack_view(view: &DataView) -> Vec<u8> {
    let header = Header {
        from: view.from,
        to: view.to,
        series: view
            .series
            .iter()
            .map(|s| SeriesHeader {
                serial: &s.serial,
                device_name: &s.device_name,
                channel: &s.channel,
                len: s.t.len().min(s.v.len()),
            })
            .collect(),
        tracks: view
            .tracks
            .iter()
            .map(|t| TrackHeader {
                serial: &t.serial,
                device_name: &t.device_name,
                len: track_len(t),
            })
            .collect(),
    };
    let header = serde_json::to_vec(&header).expect("a view header always serialises");
    let numbers: usize = view
        .series
        .iter()
        .map(|s| 2 * s.t.len().min(s.v.len()))
        .chain(view.tracks.iter().map(|t| 4 * track_len(t)))
        .sum();
    let start = (8 + header.len()).next_multiple_of(8);
    let mut out = Vec::with_capacity(start + 8 * numbers);
    out.extend_from_slice(PACKED_VIEW_MAGIC);
    let header_len = u32::try_from(header.len()).expect("a view header under 4 GiB");
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(&header);
    out.resize(start, 0);
    let mut put = |x: f64| out.extend_from_slice(&x.to_le_bytes());
    for series in &view.series {
        let len = series.t.len().min(series.v.len());
        series.t[..len].iter().for_each(|&t| put(t as f64));
        series.v[..len]
            .iter()
            .for_each(|v| put(v.unwrap_or(f64::NAN)));
    }
    for track in &view.tracks {
        let len = track_len(track);
        track.t[..len].iter().for_each(|&t| put(t as f64));
        track.lon[..len].iter().for_each(|&x| put(x));
        track.lat[..len].iter().for_each(|&x| put(x));
        track.speed[..len]
            .iter()
            .for_each(|v| put(v.unwrap_or(f64::NAN)));
    }
    out
}

fn track_len(track: &super::views::TrackView) -> usize {
    track
        .t
        .len()
        .min(track.lon.len())
        .min(track.lat.len())
        .min(track.speed.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browse::views::{SeriesView, TrackView};

    fn channel() -> ChannelView {
        ChannelView {
            key: "9".into(),
            code: 9,
            dsi: 0,
            field: 1,
            short_name: "SOG".into(),
            name: "Speed over ground".into(),
            unit: "kn".into(),
            label: "SOG".into(),
        }
    }

    /// Reads the f64 at number index `i` after the header.
    fn number(bytes: &[u8], start: usize, i: usize) -> f64 {
        let at = start + 8 * i;
        f64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
    }

    #[test]
    fn header_then_aligned_columns_with_nan_gaps() {
        let view = DataView {
            from: 1_750_000_000_000,
            to: 1_750_000_100_000,
            series: vec![SeriesView {
                serial: "AA-1".into(),
                device_name: "Tern".into(),
                channel: channel(),
                t: vec![1_750_000_000_000, 1_750_000_050_000, 1_750_000_100_000],
                v: vec![Some(4.5), None, Some(5.25)],
            }],
            tracks: vec![TrackView {
                serial: "AA-1".into(),
                device_name: "Tern".into(),
                t: vec![1_750_000_000_123, 1_750_000_001_123],
                lon: vec![10.5, 10.25],
                lat: vec![54.5, 54.75],
                speed: vec![None, Some(3.5)],
            }],
        };
        let bytes = pack_view(&view);
        assert_eq!(&bytes[..4], PACKED_VIEW_MAGIC);
        let header_len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
        let header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + header_len]).unwrap();
        assert_eq!(header["from"], 1_750_000_000_000_i64);
        assert_eq!(header["series"][0]["deviceName"], "Tern");
        assert_eq!(header["series"][0]["channel"]["unit"], "kn");
        assert_eq!(header["series"][0]["len"], 3);
        assert_eq!(header["tracks"][0]["len"], 2);
        let start = (8 + header_len).next_multiple_of(8);
        assert_eq!(start % 8, 0);
        assert!(bytes[8 + header_len..start].iter().all(|&b| b == 0));
        assert_eq!(bytes.len(), start + 8 * (2 * 3 + 4 * 2));
        assert_eq!(number(&bytes, start, 1), 1_750_000_050_000.0);
        assert_eq!(number(&bytes, start, 3), 4.5);
        assert!(number(&bytes, start, 4).is_nan(), "a gap is NaN");
        assert_eq!(number(&bytes, start, 5), 5.25);
        // The track: t, lon, lat, speed.
        assert_eq!(number(&bytes, start, 6), 1_750_000_000_123.0);
        assert_eq!(number(&bytes, start, 9), 10.25);
        assert_eq!(number(&bytes, start, 10), 54.5);
        assert!(
            number(&bytes, start, 12).is_nan(),
            "an unknown speed is NaN"
        );
        assert_eq!(number(&bytes, start, 13), 3.5);
    }

    #[test]
    fn an_empty_view_is_just_the_header() {
        let view = DataView {
            from: 0,
            to: 1,
            series: vec![],
            tracks: vec![],
        };
        let bytes = pack_view(&view);
        let header_len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
        assert_eq!(bytes.len(), (8 + header_len).next_multiple_of(8));
    }
}
