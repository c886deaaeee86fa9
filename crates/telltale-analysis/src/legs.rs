//! Upwind and downwind legs: stretches of a minute or more sailed with the true wind
//! forward of 80 degrees, or aft of 100, each with its average VMG. Tacks stay inside an
//! upwind leg and gybes inside a downwind one (their angles stay on the leg's side of the
//! beam); a rounding ends a leg.

use crate::track::BoatTrack;
use crate::wind::{made_good_m, TrueWind};
use serde::Serialize;

/// A stretch shorter than this joins its neighbours, seconds.
const MIN_LEG_S: usize = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LegKind {
    Upwind,
    Downwind,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Leg {
    pub kind: LegKind,
    pub start_ms: i64,
    pub end_ms: i64,
    /// Average speed made good towards (upwind) or away from (downwind) the wind, knots.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub vmg: f64,
    /// Metres made good towards or away from the wind.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub made_good_m: f64,
}

/// The legs of `track`, in time order.
pub fn find_legs(track: &BoatTrack, wind: &TrueWind) -> Vec<Leg> {
    let class: Vec<Option<LegKind>> = wind
        .twa
        .iter()
        .map(|a| match a.abs() {
            x if x < 80.0 => Some(LegKind::Upwind),
            x if x > 100.0 => Some(LegKind::Downwind),
            _ => None,
        })
        .collect();
    // Runs of one class, then short runs folded into the one before.
    let mut runs: Vec<(Option<LegKind>, usize, usize)> = Vec::new();
    for (i, &c) in class.iter().enumerate() {
        match runs.last_mut() {
            Some((k, _, end)) if *k == c => *end = i + 1,
            _ => runs.push((c, i, i + 1)),
        }
    }
    let mut merged: Vec<(Option<LegKind>, usize, usize)> = Vec::new();
    for run in runs {
        let short = run.2 - run.1 < MIN_LEG_S;
        match merged.last_mut() {
            Some(last) if short || last.0 == run.0 => last.2 = run.2,
            _ => merged.push(run),
        }
    }
    merged
        .into_iter()
        .filter_map(|(kind, start, end)| {
            let kind = kind?;
            let made = made_good_m(wind, start..end);
            let sign = if kind == LegKind::Upwind { 1.0 } else { -1.0 };
            let seconds = (end - start) as f64;
            Some(Leg {
                kind,
                start_ms: track.t[start],
                end_ms: track.t[end - 1],
                vmg: sign * made / seconds / crate::KNOT_MS,
                made_good_m: sign * made,
            })
        })
        .collect()
}
