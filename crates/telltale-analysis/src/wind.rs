//! True wind and VMG. A device with wind instruments logs the apparent wind (AWA, AWS),
//! and usually the true wind its own system derived (TWD, TWS). Where it logged no true
//! wind, it is derived here from the apparent wind, heading and speed through the water
//! (over the ground where there is no log), as an instrument system does. A boat with no
//! wind instruments at all takes the fleet's wind: the mean of the other boats' at each
//! second. Which of the three a boat's wind is, is said beside it ([`WindSource`]).

use crate::angle::{self, bearing, norm180, unit};
use crate::track::BoatTrack;
use crate::KNOT_MS;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a boat's true wind comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WindSource {
    /// Logged by the device (TWD, TWS).
    Measured,
    /// Derived here from the device's apparent wind.
    Derived,
    /// The other boats' wind at the same second.
    Fleet,
    /// None to be had.
    None,
}

/// A boat's true wind on its track's grid, and its VMG.
#[derive(Clone, Debug, PartialEq)]
pub struct TrueWind {
    pub source: WindSource,
    /// Direction the wind blows from, degrees.
    pub twd: Vec<f64>,
    pub tws: Vec<f64>,
    /// True wind angle off the heading, positive with the wind over starboard.
    pub twa: Vec<f64>,
    /// Velocity made good towards the wind over the ground, knots (negative downwind).
    pub vmg: Vec<f64>,
}

/// The true wind `(twd, tws)` from the apparent angle and speed measured on a boat moving
/// at `speed` knots along `heading`.
pub fn from_apparent(awa: f64, aws: f64, heading: f64, speed: f64) -> (f64, f64) {
    let (ue, un) = unit(heading + awa);
    let (be, bn) = unit(heading);
    // The apparent air velocity plus the boat's own is the air's over the water.
    let (te, tn) = (-aws * ue + speed * be, -aws * un + speed * bn);
    (bearing(-te, -tn), te.hypot(tn))
}

/// The true wind of `track`: measured, else derived, else the fleet's (`fleet`).
pub fn true_wind(track: &BoatTrack, fleet: Option<&FleetWind>) -> TrueWind {
    let n = track.len();
    let measured = track.twd.iter().any(|v| v.is_finite());
    let apparent = (0..n).any(|i| track.awa[i].is_finite() && track.aws[i].is_finite());
    let (source, twd, tws) = if measured {
        (WindSource::Measured, track.twd.clone(), track.tws.clone())
    } else if apparent {
        let (mut twd, mut tws) = (vec![f64::NAN; n], vec![f64::NAN; n]);
        for i in 0..n {
            let speed = if track.stw[i].is_finite() {
                track.stw[i]
            } else {
                track.sog[i]
            };
            let (d, s) = from_apparent(track.awa[i], track.aws[i], track.hdg[i], speed);
            if d.is_finite() && s.is_finite() {
                (twd[i], tws[i]) = (d, s);
            }
        }
        (WindSource::Derived, twd, tws)
    } else if let Some(fleet) = fleet.filter(|f| !f.is_empty()) {
        let (twd, tws) = track.t.iter().map(|&t| fleet.at(t)).unzip();
        (WindSource::Fleet, twd, tws)
    } else {
        (WindSource::None, vec![f64::NAN; n], vec![f64::NAN; n])
    };
    let twa = (0..n).map(|i| norm180(twd[i] - track.hdg[i])).collect();
    let vmg = (0..n)
        .map(|i| track.sog[i] * (twd[i] - track.cog[i]).to_radians().cos())
        .collect();
    TrueWind {
        source,
        twd,
        tws,
        twa,
        vmg,
    }
}

/// The true wind of each of a fleet's boats, in order: its own (measured or derived) where
/// it has one, else the mean of the others' at each second.
pub fn fleet_winds(tracks: &[&BoatTrack]) -> Vec<TrueWind> {
    let own: Vec<TrueWind> = tracks.iter().map(|t| true_wind(t, None)).collect();
    let fleet = FleetWind::from_boats(tracks.iter().copied().zip(&own));
    tracks
        .iter()
        .zip(own)
        .map(|(track, wind)| match wind.source {
            WindSource::None => true_wind(track, Some(&fleet)),
            _ => wind,
        })
        .collect()
}

/// Metres made good towards the wind over `range` of the grid (one second per step).
pub fn made_good_m(wind: &TrueWind, range: std::ops::Range<usize>) -> f64 {
    wind.vmg
        .get(range)
        .unwrap_or_default()
        .iter()
        .filter(|v| v.is_finite())
        .map(|v| v * KNOT_MS)
        .sum()
}

/// The fleet's wind each second: the mean over the boats that have one.
#[derive(Clone, Debug, Default)]
pub struct FleetWind {
    /// Per second: sums of the direction's sine and cosine, of the speed, and the count.
    seconds: BTreeMap<i64, (f64, f64, f64, u32)>,
}

/// How far from a second the fleet's wind is looked for when that second has none.
const FLEET_REACH_MS: i64 = 60_000;

impl FleetWind {
    /// The fleet's wind from boats' tracks and their (measured or derived) wind.
    pub fn from_boats<'a>(boats: impl IntoIterator<Item = (&'a BoatTrack, &'a TrueWind)>) -> Self {
        let mut seconds: BTreeMap<i64, (f64, f64, f64, u32)> = BTreeMap::new();
        for (track, wind) in boats {
            if !matches!(wind.source, WindSource::Measured | WindSource::Derived) {
                continue;
            }
            for (i, &t) in track.t.iter().enumerate() {
                let (d, s) = (wind.twd[i], wind.tws[i]);
                if d.is_finite() && s.is_finite() {
                    let e = seconds.entry(t).or_default();
                    let r = d.to_radians();
                    e.0 += r.sin();
                    e.1 += r.cos();
                    e.2 += s;
                    e.3 += 1;
                }
            }
        }
        FleetWind { seconds }
    }

    /// Whether no boat gave a wind.
    pub fn is_empty(&self) -> bool {
        self.seconds.is_empty()
    }

    /// `(twd, tws)` at `t` (the nearest second within a minute that has one), else NaN.
    pub fn at(&self, t: i64) -> (f64, f64) {
        let before = self.seconds.range(..=t).next_back();
        let after = self.seconds.range(t..).next();
        let nearest = match (before, after) {
            (Some(b), Some(a)) => Some(if t - b.0 <= a.0 - t { b } else { a }),
            (b, a) => b.or(a),
        };
        match nearest {
            Some((&at, &(s, c, speed, n))) if (at - t).abs() <= FLEET_REACH_MS => (
                angle::norm360(s.atan2(c).to_degrees()),
                speed / f64::from(n),
            ),
            _ => (f64::NAN, f64::NAN),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The apparent wind on a boat sailing `heading` at `speed` in the true wind.
    fn apparent(twd: f64, tws: f64, heading: f64, speed: f64) -> (f64, f64) {
        let (we, wn) = unit(twd);
        let (be, bn) = unit(heading);
        let (ae, an) = (-tws * we - speed * be, -tws * wn - speed * bn);
        (norm180(bearing(-ae, -an) - heading), ae.hypot(an))
    }

    #[test]
    fn true_wind_comes_back_from_the_apparent() {
        for (twd, tws, heading, speed) in [
            (0.0, 12.0, 42.0, 6.0),
            (270.0, 8.0, 130.0, 7.5),
            (15.0, 20.0, 200.0, 12.0),
            (100.0, 5.0, 100.0, 0.0),
        ] {
            let (awa, aws) = apparent(twd, tws, heading, speed);
            let (d, s) = from_apparent(awa, aws, heading, speed);
            assert!(angle::diff(twd, d).abs() < 1e-9, "{twd} -> {d}");
            assert!((s - tws).abs() < 1e-9);
        }
        // Close-hauled, the apparent wind is further forward and stronger than the true.
        let (awa, aws) = apparent(0.0, 12.0, 318.0, 6.0);
        assert!(awa > 0.0 && awa < 42.0 && aws > 12.0, "{awa} {aws}");
    }

    fn track(n: usize) -> BoatTrack {
        let nan = vec![f64::NAN; n];
        BoatTrack {
            t: (0..n as i64).map(|i| i * 1000).collect(),
            lon: nan.clone(),
            lat: nan.clone(),
            cog: vec![42.0; n],
            hdg: vec![42.0; n],
            sog: vec![6.0; n],
            stw: nan.clone(),
            awa: nan.clone(),
            aws: nan.clone(),
            twd: nan.clone(),
            tws: nan,
        }
    }

    #[test]
    fn measured_then_derived_then_the_fleets() {
        let mut derived = track(3);
        let (awa, aws) = apparent(0.0, 12.0, 42.0, 6.0);
        derived.awa = vec![awa; 3];
        derived.aws = vec![aws; 3];
        let wind = true_wind(&derived, None);
        assert_eq!(wind.source, WindSource::Derived);
        assert!(
            (wind.twa[0] + 42.0).abs() < 1e-9,
            "port tack: {}",
            wind.twa[0]
        );
        let vmg = 6.0 * 42f64.to_radians().cos();
        assert!((wind.vmg[1] - vmg).abs() < 1e-9);
        assert!((made_good_m(&wind, 0..3) - 3.0 * vmg * KNOT_MS).abs() < 1e-9);

        let mut measured = derived.clone();
        measured.twd = vec![10.0; 3];
        measured.tws = vec![11.0; 3];
        assert_eq!(true_wind(&measured, None).source, WindSource::Measured);
        assert_eq!(true_wind(&measured, None).twd[0], 10.0);

        let fleet = FleetWind::from_boats([(&derived, &wind)]);
        let bare = track(3);
        assert_eq!(true_wind(&bare, None).source, WindSource::None);
        let from_fleet = true_wind(&bare, Some(&fleet));
        assert_eq!(from_fleet.source, WindSource::Fleet);
        assert!(angle::diff(0.0, from_fleet.twd[2]).abs() < 1e-9);
        assert!(fleet.at(500_000).0.is_nan(), "too far from any second");
    }
}
