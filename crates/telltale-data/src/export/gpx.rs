//! GPX 1.1 tracks with time, speed and course.
//!
//! One `<trk>` per device, one `<trkseg>` per run of points without a pause over a minute.
//! Speed (m/s) and course (degrees) go into Garmin's TrackPointExtension v2, which GPX
//! readers such as Garmin tools, Strava and GPXSee understand; the GPX schema accepts it
//! through its `<extensions>` element.

use crate::time::write_rfc3339_ms;
use std::fmt::Write;

/// Garmin's TrackPointExtension v2 namespace.
pub const TRACK_POINT_EXTENSION_NS: &str =
    "http://www.garmin.com/xmlschemas/TrackPointExtension/v2";

/// A pause longer than this (ms) between two points starts a new track segment.
pub const SEGMENT_GAP_MS: i64 = 60_000;

/// One position with its time and, when known, speed and course.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GpxPoint {
    /// Time in ms since the Unix epoch.
    pub t: i64,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Speed over ground in metres per second.
    pub speed_mps: Option<f64>,
    /// Course over ground in degrees.
    pub course_deg: Option<f64>,
}

/// One device's track.
#[derive(Debug, Clone, PartialEq)]
pub struct GpxTrack {
    /// Shown as the track name (typically the boat's name and serial).
    pub name: String,
    /// Points in time order.
    pub points: Vec<GpxPoint>,
}

/// Writes `tracks` as a GPX 1.1 document. Points with a non-finite or out-of-range position
/// are left out (longitude 180 is written as -180, the schema's range being [-180, 180));
/// non-finite or negative speeds and non-finite courses are left out, courses are brought
/// into [0, 360).
pub fn write(tracks: &[GpxTrack]) -> String {
    let points: usize = tracks.iter().map(|t| t.points.len()).sum();
    let mut out = String::with_capacity(512 + points * 240);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<gpx version=\"1.1\" creator=\"Telltale\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:gpxtpx=\"",
    );
    out.push_str(TRACK_POINT_EXTENSION_NS);
    out.push_str(
        "\" xsi:schemaLocation=\"http://www.topografix.com/GPX/1/1 \
         http://www.topografix.com/GPX/1/1/gpx.xsd \
         http://www.garmin.com/xmlschemas/TrackPointExtension/v2 \
         https://www8.garmin.com/xmlschemas/TrackPointExtensionv2.xsd\">\n",
    );
    for track in tracks {
        write_track(&mut out, track);
    }
    out.push_str("</gpx>\n");
    out
}

fn write_track(out: &mut String, track: &GpxTrack) {
    out.push_str("  <trk>\n    <name>");
    escape_into(out, &track.name);
    out.push_str("</name>\n");
    let mut previous: Option<i64> = None;
    for point in &track.points {
        let Some((lat, lon)) = position(point) else {
            continue;
        };
        match previous {
            None => out.push_str("    <trkseg>\n"),
            Some(before) if point.t.saturating_sub(before) > SEGMENT_GAP_MS => {
                out.push_str("    </trkseg>\n    <trkseg>\n");
            }
            Some(_) => {}
        }
        previous = Some(point.t);
        // Writing to a String cannot fail.
        let _ = write!(out, "      <trkpt lat=\"{lat}\" lon=\"{lon}\"><time>");
        write_rfc3339_ms(out, point.t);
        out.push_str("</time>");
        let speed = point.speed_mps.filter(|s| s.is_finite() && *s >= 0.0);
        let course = point
            .course_deg
            .filter(|c| c.is_finite())
            .map(|c| c.rem_euclid(360.0))
            .map(|c| if c >= 360.0 { 0.0 } else { c });
        if speed.is_some() || course.is_some() {
            out.push_str("<extensions><gpxtpx:TrackPointExtension>");
            if let Some(speed) = speed {
                let _ = write!(out, "<gpxtpx:speed>{speed}</gpxtpx:speed>");
            }
            if let Some(course) = course {
                let _ = write!(out, "<gpxtpx:course>{course}</gpxtpx:course>");
            }
            out.push_str("</gpxtpx:TrackPointExtension></extensions>");
        }
        out.push_str("</trkpt>\n");
    }
    if previous.is_some() {
        out.push_str("    </trkseg>\n");
    }
    out.push_str("  </trk>\n");
}

/// The point's (lat, lon) when the schema can hold it.
fn position(point: &GpxPoint) -> Option<(f64, f64)> {
    let (lat, lon) = (point.lat, point.lon);
    let lon = if lon == 180.0 { -180.0 } else { lon };
    ((-90.0..=90.0).contains(&lat) && (-180.0..180.0).contains(&lon)).then_some((lat, lon))
}

/// Appends `text` with XML's special characters escaped and characters XML 1.0 cannot hold
/// (control characters other than tab, newline and carriage return) left out.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(t: i64, lat: f64, lon: f64) -> GpxPoint {
        GpxPoint {
            t,
            lat,
            lon,
            speed_mps: None,
            course_deg: None,
        }
    }

    #[test]
    fn segments_split_at_pauses_over_a_minute() {
        let track = GpxTrack {
            name: "Tern".into(),
            points: vec![
                point(0, 54.0, 10.0),
                point(60_000, 54.1, 10.1),
                point(120_001, 54.2, 10.2),
                point(120_002, f64::NAN, 10.2),
                point(130_000, 95.0, 10.2),
            ],
        };
        let gpx = write(&[track]);
        assert_eq!(gpx.matches("<trkseg>").count(), 2);
        assert_eq!(gpx.matches("</trkseg>").count(), 2);
        assert_eq!(gpx.matches("<trkpt ").count(), 3);
        assert!(gpx.contains(
            "<trkpt lat=\"54.1\" lon=\"10.1\"><time>1970-01-01T00:01:00.000Z</time></trkpt>"
        ));
    }

    #[test]
    fn extensions_carry_speed_and_normalised_course() {
        let mut p = point(1_750_500_000_000, -33.5, 180.0);
        p.speed_mps = Some(3.25);
        p.course_deg = Some(-90.0);
        let gpx = write(&[GpxTrack {
            name: "x".into(),
            points: vec![p],
        }]);
        assert!(gpx.contains("lat=\"-33.5\" lon=\"-180\""), "{gpx}");
        assert!(gpx.contains("<extensions><gpxtpx:TrackPointExtension><gpxtpx:speed>3.25</gpxtpx:speed><gpxtpx:course>270</gpxtpx:course></gpxtpx:TrackPointExtension></extensions>"), "{gpx}");
        p.speed_mps = Some(f64::NAN);
        p.course_deg = None;
        let gpx = write(&[GpxTrack {
            name: "x".into(),
            points: vec![p],
        }]);
        assert!(!gpx.contains("<extensions>"));
    }

    #[test]
    fn names_are_escaped() {
        let gpx = write(&[GpxTrack {
            name: "Tern & <Skua> \"A\" 'B'\u{1}".into(),
            points: Vec::new(),
        }]);
        assert!(gpx.contains("<name>Tern &amp; &lt;Skua&gt; &quot;A&quot; &apos;B&apos;</name>"));
        assert!(!gpx.contains("<trkseg>"));
    }
}
