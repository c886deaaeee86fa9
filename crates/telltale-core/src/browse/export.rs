//! GPX and CSV exports of the loaded data at full resolution. No network; the shell writes
//! the file where the user chooses.

use super::catalog::check_range;
use super::view::{sample_near, MPS_PER_KNOT};
use super::views::{Export, ExportFormat};
use super::{worker_failed, DataBrowser, Loaded};
use crate::AppError;
use std::borrow::Cow;
use telltale_data::export::csv::{self, CsvColumn};
use telltale_data::export::gpx::{self, GpxPoint, GpxTrack};
use telltale_data::{Block, TypeKey};

impl DataBrowser {
    /// The loaded data over `[from, to]` as a file: GPX (each device's track with speed
    /// from SOG and course from COG) or CSV (every channel, positions as longitude and
    /// latitude columns). [`AppError::NothingLoaded`] before a load.
    pub async fn export(
        &self,
        format: ExportFormat,
        from: i64,
        to: i64,
    ) -> Result<Export, AppError> {
        check_range(from, to)?;
        let loaded = self.loaded()?;
        tokio::task::spawn_blocking(move || {
            let (contents, rows, extension) = match format {
                ExportFormat::Gpx => {
                    let (text, rows) = gpx_of(&loaded, from, to);
                    (text, rows, "gpx")
                }
                ExportFormat::Csv => {
                    let (text, rows) = csv_of(&loaded, from, to);
                    (text, rows, "csv")
                }
            };
            Export {
                file_name: format!("telltale-{}-{}.{extension}", stamp(from), stamp(to)),
                contents,
                rows,
            }
        })
        .await
        .map_err(worker_failed)
    }
}

/// `20250621T100000Z`: a UTC time fit for a file name.
fn stamp(t: i64) -> String {
    let text = telltale_data::time::rfc3339_ms(t);
    let seconds = text.split('.').next().unwrap_or(&text);
    let mut compact: String = seconds.chars().filter(|c| *c != '-' && *c != ':').collect();
    compact.push('Z');
    compact
}

/// The index range of `block` within `[from, to]`.
fn span(block: &Block, from: i64, to: i64) -> std::ops::Range<usize> {
    let lo = block.t.partition_point(|&x| x < from);
    let hi = block.t.partition_point(|&x| x <= to).max(lo);
    lo..hi
}

fn gpx_of(loaded: &Loaded, from: i64, to: i64) -> (String, u64) {
    let mut tracks = Vec::new();
    for (serial, device) in &loaded.dataset.devices {
        let Some(position) = device.channels.get(&TypeKey::new(1)) else {
            continue;
        };
        let [lon, lat, ..] = position.fields.as_slice() else {
            continue;
        };
        let sog = device.channels.get(&TypeKey::new(9));
        let cog = device.channels.get(&TypeKey::new(6));
        let usable = lon.len().min(lat.len());
        let points: Vec<GpxPoint> = span(position, from, to)
            .filter(|&i| i < usable && lon[i].is_finite() && lat[i].is_finite())
            .map(|i| {
                let t = position.t[i];
                GpxPoint {
                    t,
                    lat: lat[i],
                    lon: lon[i],
                    speed_mps: sample_near(sog, t).map(|kn| kn * MPS_PER_KNOT),
                    course_deg: sample_near(cog, t),
                }
            })
            .collect();
        if !points.is_empty() {
            tracks.push(GpxTrack {
                name: format!("{} ({serial})", loaded.name(serial)),
                points,
            });
        }
    }
    let rows = tracks.iter().map(|t| t.points.len() as u64).sum();
    (gpx::write(&tracks), rows)
}

fn csv_of(loaded: &Loaded, from: i64, to: i64) -> (String, u64) {
    let mut columns = Vec::new();
    for (serial, device) in &loaded.dataset.devices {
        for (key, block) in &device.channels {
            let range = span(block, from, to);
            let t = &block.t[range.clone()];
            for (index, values) in block.fields.iter().enumerate() {
                let header = if key.code == 1 {
                    let axis = if index == 0 { "longitude" } else { "latitude" };
                    let source = match key.dsi {
                        0 => String::new(),
                        dsi => format!(" (src {dsi})"),
                    };
                    format!("{serial} {axis}{source} (deg)")
                } else {
                    let channel = loaded.types.channel(*key, index + 1);
                    match channel.unit.as_str() {
                        "" => format!("{serial} {}", channel.label),
                        unit => format!("{serial} {} ({unit})", channel.label),
                    }
                };
                if key.code == 1 && index > 1 {
                    continue;
                }
                columns.push(CsvColumn {
                    header,
                    t: Cow::Borrowed(t),
                    v: Cow::Borrowed(values.get(range.clone()).unwrap_or_default()),
                });
            }
        }
    }
    csv::write_counted(&columns)
}

#[cfg(test)]
mod tests {
    use super::stamp;

    #[test]
    fn file_name_stamps_are_compact_utc() {
        assert_eq!(stamp(1_750_500_000_000), "20250621T100000Z");
    }
}
