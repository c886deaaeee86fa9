//! The sailing analysis of the loaded data over a range: per boat, where its true wind
//! comes from, its tacks and gybes with what they cost, its legs and its polar (against the
//! target polar the user loaded, if any). No network; the rules are in `telltale-analysis`.

use super::catalog::check_range;
use super::{worker_failed, DataBrowser};
use crate::AppError;
use serde::Serialize;
use telltale_analysis::wind::{fleet_winds, WindSource};
use telltale_analysis::{
    find_legs, find_maneuvers, polar_points, BoatTrack, Leg, Maneuver, PolarBin, TargetPolar,
};
use telltale_data::Dataset;

/// One boat's analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BoatAnalysis {
    pub serial: String,
    pub name: String,
    /// Where its true wind comes from: `measured`, `derived` (from its apparent wind),
    /// `fleet` (the other boats') or `none`.
    pub wind: WindSource,
    pub maneuvers: Vec<Maneuver>,
    pub legs: Vec<Leg>,
    /// Boat speed by true wind angle and wind band, with the target's speed when one is set.
    pub polar: Vec<PolarBin>,
}

/// The analysis of every boat in the range.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AnalysisView {
    pub from: i64,
    pub to: i64,
    pub boats: Vec<BoatAnalysis>,
    /// The target polar in use, for drawing its curves; `None` when none is loaded.
    pub target: Option<TargetPolar>,
}

impl DataBrowser {
    /// Analyses the loaded data over `[from, to]`. [`AppError::NothingLoaded`] before a load.
    pub async fn analysis(&self, from: i64, to: i64) -> Result<AnalysisView, AppError> {
        check_range(from, to)?;
        let loaded = self.loaded()?;
        let target = self.target_polar();
        tokio::task::spawn_blocking(move || {
            let name_of = |serial: &str| loaded.name(serial);
            analyse(&loaded.dataset, &name_of, target.as_deref(), from, to)
        })
        .await
        .map_err(worker_failed)
    }
}

/// The analysis of `dataset` over `[from, to]`, devices named by `name_of`, polars against
/// `target` when there is one. Devices that
/// logged no speed or position there (a wind buoy logs both, and is analysed like a boat
/// that never turned) are left out.
pub fn analyse(
    dataset: &Dataset,
    name_of: &dyn Fn(&str) -> String,
    target: Option<&TargetPolar>,
    from: i64,
    to: i64,
) -> AnalysisView {
    let tracks: Vec<(&str, BoatTrack)> = dataset
        .devices
        .iter()
        .filter_map(|(serial, data)| {
            Some((serial.as_str(), BoatTrack::from_device(data, from, to)?))
        })
        .collect();
    let winds = fleet_winds(&tracks.iter().map(|(_, t)| t).collect::<Vec<_>>());
    let boats = tracks
        .iter()
        .zip(winds)
        .map(|((serial, track), wind)| {
            let mut polar = polar_points(track, &wind, 0..track.len());
            if let Some(target) = target {
                target.apply(&mut polar);
            }
            BoatAnalysis {
                serial: serial.to_string(),
                name: name_of(serial),
                wind: wind.source,
                maneuvers: find_maneuvers(track, &wind),
                legs: find_legs(track, &wind),
                polar,
            }
        })
        .collect();
    AnalysisView {
        from,
        to,
        boats,
        target: target.cloned(),
    }
}
