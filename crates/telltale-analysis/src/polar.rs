//! Polars: the boat speed sailed at each true wind angle, by band of true wind speed, and
//! target polar tables read from text.

use crate::track::BoatTrack;
use crate::wind::TrueWind;
use serde::Serialize;
use std::collections::BTreeMap;

/// Width of a true wind angle bin, degrees.
pub const TWA_BIN: f64 = 5.0;
/// The bands of true wind speed, knots: `[0, 6)`, `[6, 10)`, .. `[18, inf)`.
pub const TWS_BANDS: [f64; 5] = [0.0, 6.0, 10.0, 14.0, 18.0];

/// The speeds sailed at one true wind angle (both sides together) in one wind band.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PolarBin {
    /// The bin's middle angle, degrees 0..180.
    pub twa: f64,
    /// Index into [`TWS_BANDS`].
    pub band: usize,
    /// Seconds in the bin.
    pub count: usize,
    /// Mean and 90th percentile of boat speed (through the water, else over ground), knots.
    pub mean: f64,
    pub p90: f64,
    /// Mean true wind speed of those seconds, knots.
    pub tws: f64,
    /// The target polar's speed at this angle and `tws`, knots, once one is applied
    /// ([`TargetPolar::apply`]); `None` without one or outside its table.
    pub target: Option<f64>,
}

/// The polar of `track` with its wind over grid indices `range`.
pub fn polar_points(
    track: &BoatTrack,
    wind: &TrueWind,
    range: std::ops::Range<usize>,
) -> Vec<PolarBin> {
    // Per bin: the speeds, and the sum of the wind speeds.
    let mut bins: BTreeMap<(i64, usize), (Vec<f64>, f64)> = BTreeMap::new();
    for i in range.filter(|&i| i < track.len()) {
        let speed = if track.stw[i].is_finite() {
            track.stw[i]
        } else {
            track.sog[i]
        };
        let (twa, tws) = (wind.twa[i].abs(), wind.tws[i]);
        if !(speed.is_finite() && twa.is_finite() && tws.is_finite()) || tws < 0.0 {
            continue;
        }
        let band = TWS_BANDS.iter().rposition(|&lo| tws >= lo).unwrap_or(0);
        let bin = ((twa / TWA_BIN).floor() as i64).min((180.0 / TWA_BIN) as i64 - 1);
        let entry = bins.entry((bin, band)).or_default();
        entry.0.push(speed);
        entry.1 += tws;
    }
    bins.into_iter()
        .map(|((bin, band), (mut speeds, tws_sum))| {
            speeds.sort_by(f64::total_cmp);
            let count = speeds.len();
            let p90 = speeds[((count - 1) as f64 * 0.9).round() as usize];
            PolarBin {
                twa: (bin as f64 + 0.5) * TWA_BIN,
                band,
                count,
                mean: speeds.iter().sum::<f64>() / count as f64,
                p90,
                tws: tws_sum / count as f64,
                target: None,
            }
        })
        .collect()
}

/// A target polar: boat speed by true wind angle (rows) and speed (columns).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TargetPolar {
    /// True wind speeds of the columns, ascending, knots.
    pub tws: Vec<f64>,
    /// True wind angles of the rows, ascending, degrees.
    pub twa: Vec<f64>,
    /// `speed[row][column]`, knots; NaN where the table gives none.
    #[cfg_attr(feature = "ts", ts(type = "Array<Array<number | null>>"))]
    pub speed: Vec<Vec<f64>>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TargetPolarError {
    #[error("the polar table is empty")]
    Empty,
    #[error("line {line}: {what}")]
    Line { line: usize, what: String },
    #[error("the polar table is too large (at most {0} rows and columns)")]
    TooLarge(usize),
}

/// Most rows or columns a table may have.
const MAX_CELLS: usize = 400;

impl TargetPolar {
    /// Reads the common grid: a header of true wind speeds after one label cell (`twa/tws`,
    /// `TWA\TWS` or anything), then one row per true wind angle. Cells are separated by
    /// tabs, semicolons, commas or spaces; an empty or `0` cell is no value; lines starting
    /// with `#` are comments.
    pub fn parse(text: &str) -> Result<Self, TargetPolarError> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(n, l)| (n + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
        let (header_line, header) = lines.next().ok_or(TargetPolarError::Empty)?;
        let cells = split(header);
        let tws = cells
            .iter()
            .skip(1)
            .map(|c| number(c, header_line, "a wind speed"))
            .collect::<Result<Vec<f64>, _>>()?;
        if tws.is_empty() {
            return Err(line_error(
                header_line,
                "no wind speeds after the first cell".into(),
            ));
        }
        if tws.len() > MAX_CELLS {
            return Err(TargetPolarError::TooLarge(MAX_CELLS));
        }
        ascending(&tws, header_line, "wind speeds")?;
        let (mut twa, mut speed) = (Vec::new(), Vec::new());
        for (line, text) in lines {
            if twa.len() == MAX_CELLS {
                return Err(TargetPolarError::TooLarge(MAX_CELLS));
            }
            let cells = split(text);
            // A line of separators only is as blank as an empty one.
            let Some(first) = cells.first() else {
                continue;
            };
            let angle = number(first, line, "a wind angle")?;
            if !(0.0..=180.0).contains(&angle) {
                return Err(line_error(
                    line,
                    format!("the wind angle {angle} is not 0 to 180"),
                ));
            }
            if cells.len() - 1 > tws.len() {
                return Err(line_error(
                    line,
                    format!("{} speeds for {} wind speeds", cells.len() - 1, tws.len()),
                ));
            }
            let mut row = vec![f64::NAN; tws.len()];
            for (slot, cell) in row.iter_mut().zip(&cells[1..]) {
                let v = number(cell, line, "a boat speed")?;
                if v < 0.0 {
                    return Err(line_error(line, format!("the boat speed {v} is negative")));
                }
                *slot = if v == 0.0 { f64::NAN } else { v };
            }
            twa.push(angle);
            speed.push(row);
        }
        if twa.is_empty() {
            return Err(line_error(
                header_line,
                "no rows of wind angles follow".into(),
            ));
        }
        ascending(&twa, header_line, "wind angles")?;
        Ok(TargetPolar { tws, twa, speed })
    }

    /// The target speed at `twa` (either side) and `tws`, interpolated between the four
    /// nearest cells; `None` outside the table or where a cell is missing.
    pub fn target(&self, twa: f64, tws: f64) -> Option<f64> {
        let (r0, r1, fr) = bracket(&self.twa, twa.abs())?;
        let (c0, c1, fc) = bracket(&self.tws, tws)?;
        let cell = |r: usize, c: usize| Some(self.speed[r][c]).filter(|v| v.is_finite());
        let top = cell(r0, c0)? * (1.0 - fc) + cell(r0, c1)? * fc;
        let bottom = cell(r1, c0)? * (1.0 - fc) + cell(r1, c1)? * fc;
        Some(top * (1.0 - fr) + bottom * fr)
    }

    /// Sets each bin's `target` to this polar's speed at its angle and mean wind speed.
    pub fn apply(&self, bins: &mut [PolarBin]) {
        for bin in bins {
            bin.target = self.target(bin.twa, bin.tws);
        }
    }
}

fn split(line: &str) -> Vec<&str> {
    line.split(['\t', ';', ',', ' '])
        .filter(|c| !c.is_empty())
        .collect()
}

fn line_error(line: usize, what: String) -> TargetPolarError {
    TargetPolarError::Line { line, what }
}

fn number(cell: &str, line: usize, what: &str) -> Result<f64, TargetPolarError> {
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => {
            let shown: String = cell.chars().take(20).collect();
            Err(line_error(line, format!("{shown:?} is not {what}")))
        }
    }
}

fn ascending(v: &[f64], line: usize, what: &str) -> Result<(), TargetPolarError> {
    if v.windows(2).all(|p| p[0] < p[1]) {
        Ok(())
    } else {
        Err(line_error(
            line,
            format!("the {what} are not in ascending order"),
        ))
    }
}

/// The two neighbours of `x` in ascending `v` and how far it lies between them.
fn bracket(v: &[f64], x: f64) -> Option<(usize, usize, f64)> {
    if !x.is_finite() || v.is_empty() || x < v[0] || x > v[v.len() - 1] {
        return None;
    }
    let hi = v.partition_point(|&e| e < x).min(v.len() - 1);
    if v[hi] == x || hi == 0 {
        return Some((hi, hi, 0.0));
    }
    let lo = hi - 1;
    Some((lo, hi, (x - v[lo]) / (v[hi] - v[lo])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TABLE: &str = "# J/70, made up\n\
        twa/tws\t6\t10\t14\n\
        40\t4.5\t5.6\t6.0\n\
        90\t5.8\t6.9\t7.3\n\
        150\t4.9\t6.5\t0\n";

    #[test]
    fn reads_the_grid_and_interpolates() {
        let p = TargetPolar::parse(TABLE).expect("read");
        assert_eq!(p.tws, vec![6.0, 10.0, 14.0]);
        assert_eq!(p.twa, vec![40.0, 90.0, 150.0]);
        assert_eq!(p.target(40.0, 6.0), Some(4.5));
        assert_eq!(p.target(-90.0, 10.0), Some(6.9), "either side");
        let mid = p.target(65.0, 8.0).expect("inside");
        assert!((mid - (4.5 + 5.6 + 5.8 + 6.9) / 4.0).abs() < 1e-9, "{mid}");
        assert_eq!(p.target(150.0, 14.0), None, "a 0 cell is no value");
        assert_eq!(p.target(30.0, 10.0), None, "outside");
        let semis = TargetPolar::parse("TWA\\TWS;6;10\n45;5;6\n").expect("semicolons");
        assert_eq!(semis.target(45.0, 8.0), Some(5.5));
    }

    #[test]
    fn bad_tables_say_where() {
        let e = |t: &str| TargetPolar::parse(t).unwrap_err().to_string();
        assert_eq!(e(""), "the polar table is empty");
        assert!(e("twa 6 10\n40 4 x\n").starts_with("line 2: \"x\" is not a boat speed"));
        assert!(e("twa 10 6\n40 4 5\n").contains("not in ascending order"));
        assert!(e("twa 6\n200 4\n").contains("not 0 to 180"));
        assert!(e("twa 6\n40 4 5\n").contains("2 speeds for 1 wind speeds"));
        assert!(e("twa 6 10\n").contains("no rows"));
    }

    #[test]
    fn speeds_are_binned_by_angle_on_either_side_and_wind_band() {
        let n = 6;
        let nan = vec![f64::NAN; n];
        let track = BoatTrack {
            t: (0..n as i64).map(|i| i * 1000).collect(),
            lon: nan.clone(),
            lat: nan.clone(),
            cog: nan.clone(),
            hdg: nan.clone(),
            // Through the water where logged, else over the ground (the last second).
            sog: vec![9.0, 9.0, 9.0, 9.0, 9.0, 6.5],
            stw: vec![5.0, 6.0, 7.0, 8.0, 4.0, f64::NAN],
            awa: nan.clone(),
            aws: nan.clone(),
            twd: nan.clone(),
            tws: nan,
        };
        let wind = TrueWind {
            source: crate::WindSource::Measured,
            twd: vec![0.0; n],
            // Four seconds at 42 degrees either side in 12 kn, one at 150 in 5 kn, one with
            // no wind angle (left out).
            tws: vec![12.0, 12.0, 12.0, 12.0, 5.0, 12.0],
            twa: vec![42.0, -42.0, 43.0, -44.0, 150.0, f64::NAN],
            vmg: vec![f64::NAN; n],
        };
        let bins = polar_points(&track, &wind, 0..n + 3);
        assert_eq!(bins.len(), 2, "{bins:?}");
        let (close, run) = (&bins[0], &bins[1]);
        assert_eq!((close.twa, close.band, close.count), (42.5, 2, 4));
        assert_eq!((close.mean, close.p90), (6.5, 8.0));
        assert_eq!((run.twa, run.band, run.count, run.mean), (152.5, 0, 1, 4.0));
        assert_eq!(
            (close.tws, run.tws),
            (12.0, 5.0),
            "the bins' mean wind speeds"
        );
        assert_eq!((close.target, run.target), (None, None));

        // A target polar gives each bin its speed at the bin's angle and mean wind.
        let mut bins = bins;
        TargetPolar::parse("twa 10 14\n40 6 7\n45 7 8\n")
            .expect("read")
            .apply(&mut bins);
        let at_close = bins[0]
            .target
            .expect("42.5 degrees in 12 kn is inside the table");
        assert!((at_close - 7.0).abs() < 1e-9, "{at_close}");
        assert_eq!(bins[1].target, None, "152.5 degrees is outside the table");
    }

    #[test]
    fn a_line_of_separators_is_blank() {
        // Found by the fuzz target: this panicked on the empty list of cells.
        let p = TargetPolar::parse("10,\t14\n\t114\n,\n45 5 6\n").unwrap_err();
        assert_eq!(p.to_string(), "line 4: 2 speeds for 1 wind speeds");
        let p = TargetPolar::parse("twa 6\n , ;\n40 4\n").expect("read");
        assert_eq!(p.twa, vec![40.0]);
    }

    proptest! {
        #[test]
        fn any_text_reads_or_fails_cleanly(text in "[0-9a-z .,;\\t\\n#\\-]{0,300}") {
            if let Ok(p) = TargetPolar::parse(&text) {
                prop_assert_eq!(p.speed.len(), p.twa.len());
                prop_assert!(p.speed.iter().all(|r| r.len() == p.tws.len()));
                let _ = p.target(45.0, 10.0);
            }
        }
    }
}
