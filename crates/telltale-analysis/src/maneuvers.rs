//! Tacks and gybes, found from the heading against the true wind, and what each cost.
//!
//! A boat is *settled* on a side while its true wind angle (smoothed over 5 s) is between
//! 25 and 165 degrees on that side. A maneuver is a change of settled side that holds,
//! within a minute: a tack when the boat turned through the wind (the angles between stay
//! forward of the beam), a gybe when it turned through dead downwind. Its time is when the
//! true wind angle changes sign; its start and end are where the turn rate first rises
//! above and finally falls below 2 degrees a second. Mark roundings (bearing away and
//! heading up on the same side) change no side and are no maneuvers.

use crate::angle::{diff, mean, norm180};
use crate::track::BoatTrack;
use crate::wind::{made_good_m, TrueWind};
use crate::KNOT_MS;
use serde::Serialize;

/// The side is settled between these true wind angles, degrees.
const SETTLED: (f64, f64) = (25.0, 165.0);
/// Half the width of the smoothing of the true wind angle, seconds.
const SMOOTH_HALF_S: usize = 2;
/// A change of side takes at most this long from the last settled second to the first.
const MAX_CHANGE_S: usize = 60;
/// The new side must stay settled for this many of the next seconds (a wave, a gust or a
/// noisy heading does not make a maneuver).
const HOLD_S: usize = 10;
/// The turn rate, degrees a second, that starts and ends a maneuver.
const TURN_RATE: f64 = 2.0;
/// The stretch before a maneuver whose speed and VMG are its baseline: from 30 s to 5 s
/// before its start.
const BEFORE_S: (usize, usize) = (30, 5);
/// After the turn the boat is still building speed: losses are counted this long after it.
const RECOVERY_S: usize = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ManeuverKind {
    Tack,
    Gybe,
}

/// One tack or gybe and what it cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Maneuver {
    pub kind: ManeuverKind,
    /// When the true wind angle changed sign, Unix ms.
    pub at_ms: i64,
    pub start_ms: i64,
    pub end_ms: i64,
    /// The heading's turn from start to end, degrees (positive to starboard).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub heading_change: f64,
    /// Speed over ground before it, knots.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub entry_speed: f64,
    /// Entry speed less the lowest speed during the turn and its recovery, knots.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub speed_lost: f64,
    /// Metres towards (upwind) or away from (downwind) the wind the boat would have made
    /// at its VMG before the maneuver, less what it made, from start to the end of the
    /// recovery. NaN when there is no wind or speed to tell.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub distance_lost_m: f64,
    /// The side it ended on: +1 starboard, -1 port.
    pub to_side: i8,
}

/// The tacks and gybes of `track` with its true wind, in time order.
pub fn find_maneuvers(track: &BoatTrack, wind: &TrueWind) -> Vec<Maneuver> {
    let twa = smooth(&wind.twa);
    let sides: Vec<i8> = twa.iter().map(|&a| settled_side(a)).collect();
    let mut found = Vec::new();
    let mut last: Option<(i8, usize)> = None;
    for (j, &side) in sides.iter().enumerate() {
        if side == 0 {
            continue;
        }
        match last {
            // A side that does not hold is a swing, not a change: the old side stays.
            Some((s, _)) if s != side && !holds(&sides, j, side) => {}
            Some((s, i)) if s != side => {
                // After a long unsettled stretch (a gap, a rounding in a lull) the new side
                // is taken without a maneuver.
                if j - i <= MAX_CHANGE_S {
                    if let Some(m) = measure(track, wind, &twa, i, j, side) {
                        found.push(m);
                    }
                }
                last = Some((side, j));
            }
            _ => last = Some((side, j)),
        }
    }
    found
}

/// +1 or -1 when `twa` is settled on starboard or port, else 0.
fn settled_side(twa: f64) -> i8 {
    let a = twa.abs();
    if !(SETTLED.0..=SETTLED.1).contains(&a) {
        0
    } else if twa > 0.0 {
        1
    } else {
        -1
    }
}

/// Whether `side` stays settled for most of the [`HOLD_S`] seconds from `j`.
fn holds(sides: &[i8], j: usize, side: i8) -> bool {
    let next = &sides[j..sides.len().min(j + HOLD_S)];
    let on = next.iter().filter(|&&s| s == side).count();
    let off = next.iter().filter(|&&s| s == -side).count();
    on >= next.len().min(HOLD_S) * 7 / 10 && off == 0
}

/// The circular mean of each second's neighbourhood.
fn smooth(a: &[f64]) -> Vec<f64> {
    (0..a.len())
        .map(|i| {
            let lo = i.saturating_sub(SMOOTH_HALF_S);
            let hi = a.len().min(i + SMOOTH_HALF_S + 1);
            norm180(mean(a[lo..hi].iter().copied()))
        })
        .collect()
}

/// The maneuver from the last second settled on the old side (`i`) to the first on the
/// new one (`j`).
fn measure(
    track: &BoatTrack,
    wind: &TrueWind,
    twa: &[f64],
    i: usize,
    j: usize,
    side: i8,
) -> Option<Maneuver> {
    // Through the wind or through dead downwind: the angles in between say which.
    let between: Vec<f64> = twa[i..=j]
        .iter()
        .map(|a| a.abs())
        .filter(|a| a.is_finite())
        .collect();
    let mid_abs = between.iter().sum::<f64>() / between.len().max(1) as f64;
    let kind = if mid_abs < 90.0 {
        ManeuverKind::Tack
    } else {
        ManeuverKind::Gybe
    };
    // The sign change: the first second on the new side's sign, interpolated.
    let k = (i + 1..=j).find(|&k| twa[k].is_finite() && twa[k].signum() as i8 == side)?;
    let at_ms = crossing_ms(track, twa, k, kind);
    let rate = |n: usize| -> f64 {
        if n == 0 || n >= track.len() {
            return 0.0;
        }
        diff(track.hdg[n - 1], track.hdg[n]).abs()
    };
    let mut start = k;
    while start > i.saturating_sub(MAX_CHANGE_S / 2) && rate(start) >= TURN_RATE {
        start -= 1;
    }
    let mut end = k;
    while end + 1 < track.len() && end < j + MAX_CHANGE_S / 2 && rate(end + 1) >= TURN_RATE {
        end += 1;
    }
    let heading_change: f64 = (start + 1..=end)
        .map(|n| diff(track.hdg[n - 1], track.hdg[n]))
        .filter(|d| d.is_finite())
        .sum();
    let before = start.saturating_sub(BEFORE_S.0)..start.saturating_sub(BEFORE_S.1);
    let after_end = track.len().min(end + RECOVERY_S + 1);
    let entry_speed = finite_mean(&track.sog[before.clone()]);
    let lowest = track.sog[start..after_end]
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    let vmg_before = finite_mean(&wind.vmg[before]);
    let seconds = (after_end - start) as f64;
    let made = made_good_m(wind, start..after_end);
    let distance_lost_m =
        vmg_before * KNOT_MS * seconds * vmg_before.signum() - made * vmg_before.signum();
    Some(Maneuver {
        kind,
        at_ms,
        start_ms: track.t[start],
        end_ms: track.t[end],
        heading_change,
        entry_speed,
        speed_lost: entry_speed - lowest,
        distance_lost_m,
        to_side: side,
    })
}

/// When the smoothed true wind angle passed 0 (tack) or 180 (gybe) between seconds
/// `k - 1` and `k`, by linear interpolation.
fn crossing_ms(track: &BoatTrack, twa: &[f64], k: usize, kind: ManeuverKind) -> i64 {
    let (a, b) = (twa[k - 1], twa[k]);
    let offset = |x: f64| match kind {
        ManeuverKind::Tack => x,
        // Distance past 180, signed the same way.
        ManeuverKind::Gybe => norm180(x + 180.0),
    };
    let (oa, ob) = (offset(a), offset(b));
    let f = if oa.is_finite() && ob.is_finite() && (ob - oa).abs() > 1e-9 {
        (-oa / (ob - oa)).clamp(0.0, 1.0)
    } else {
        1.0
    };
    track.t[k - 1] + (f * 1000.0).round() as i64
}

fn finite_mean(v: &[f64]) -> f64 {
    let finite: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if finite.is_empty() {
        f64::NAN
    } else {
        finite.iter().sum::<f64>() / finite.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wind::{true_wind, WindSource};

    /// A boat in a north wind sailing these true wind angles, one a second, at a speed
    /// that dips by `dip` in every second the angle is changing.
    fn sail(twas: &[f64], dip: f64) -> (BoatTrack, TrueWind) {
        let n = twas.len();
        let hdg: Vec<f64> = twas.iter().map(|a| crate::angle::norm360(-a)).collect();
        let sog: Vec<f64> = (0..n)
            .map(|i| {
                let turning = i > 0 && (twas[i] - twas[i - 1]).abs() > 1.0;
                if turning {
                    6.0 - dip
                } else {
                    6.0
                }
            })
            .collect();
        let nan = vec![f64::NAN; n];
        let track = BoatTrack {
            t: (0..n as i64).map(|i| 1_000_000 + i * 1000).collect(),
            lon: nan.clone(),
            lat: nan.clone(),
            cog: hdg.clone(),
            hdg,
            sog,
            stw: nan.clone(),
            awa: nan,
            aws: vec![f64::NAN; n],
            twd: vec![0.0; n],
            tws: vec![12.0; n],
        };
        let wind = true_wind(&track, None);
        assert_eq!(wind.source, WindSource::Measured);
        (track, wind)
    }

    /// `s` seconds at `a`, then a turn to `b` over `turn` seconds, then `s` seconds at `b`.
    fn legs(a: f64, b: f64, turn: usize, s: usize) -> Vec<f64> {
        let mut v = vec![a; s];
        v.extend((1..=turn).map(|i| a + (b - a) * i as f64 / (turn + 1) as f64));
        v.extend(vec![b; s]);
        v
    }

    #[test]
    fn a_tack_is_found_at_the_wind_with_its_cost() {
        // Port tack (-42) through the wind to starboard (+42) in 10 s.
        let (track, wind) = sail(&legs(-42.0, 42.0, 10, 60), 2.0);
        let found = find_maneuvers(&track, &wind);
        assert_eq!(found.len(), 1, "{found:?}");
        let m = &found[0];
        assert_eq!(m.kind, ManeuverKind::Tack);
        assert_eq!(m.to_side, 1);
        // The angle passes 0 halfway: 60 s + 5.5 s in.
        assert!(
            (m.at_ms - (1_000_000 + 65_500)).abs() <= 1000,
            "{}",
            m.at_ms
        );
        assert!(
            (m.heading_change + 84.0).abs() < 10.0,
            "turned to port: {}",
            m.heading_change
        );
        assert!((m.entry_speed - 6.0).abs() < 1e-9 && (m.speed_lost - 2.0).abs() < 1e-9);
        assert!(m.distance_lost_m > 0.0, "{}", m.distance_lost_m);
    }

    #[test]
    fn a_gybe_goes_through_dead_downwind() {
        // Starboard (+150) through 180 to port (-150): angles 150..210 unwrapped.
        // (A gybe that kept its speed would gain: dead downwind is the best VMG; this one
        // slows to 4 kn.)
        let (track, wind) = sail(&legs(150.0, 210.0, 8, 60), 2.0);
        let found = find_maneuvers(&track, &wind);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, ManeuverKind::Gybe);
        assert_eq!(found[0].to_side, -1);
        assert!(
            found[0].distance_lost_m > 0.0,
            "downwind loss counts away from the wind"
        );
    }

    #[test]
    fn roundings_wobbles_and_short_swings_are_no_maneuvers() {
        // Bearing away round the windward mark on starboard, heading up at the leeward.
        let mut twas = legs(42.0, 150.0, 15, 60);
        twas.extend(legs(150.0, 42.0, 15, 60));
        // A wobble of the heading that never leaves the side.
        twas.extend((0..60).map(|i| 42.0 + 10.0 * (i as f64 / 3.0).sin()));
        let (track, wind) = sail(&twas, 1.0);
        assert!(find_maneuvers(&track, &wind).is_empty());
        // A swing to the other side and back within seconds is no pair of tacks: the other
        // side must hold for most of 10 s.
        for seconds in [3, 6] {
            let mut swing = vec![42.0; 60];
            swing.extend(vec![-42.0; seconds]);
            swing.extend(vec![42.0; 60]);
            let (track, wind) = sail(&swing, 0.0);
            let found = find_maneuvers(&track, &wind);
            assert!(found.is_empty(), "{seconds} s: {found:?}");
        }
    }

    #[test]
    fn no_wind_no_maneuvers_and_no_panic_on_an_empty_track() {
        let (mut track, _) = sail(&legs(-42.0, 42.0, 10, 60), 2.0);
        track.twd = vec![f64::NAN; track.len()];
        track.tws = track.twd.clone();
        let wind = true_wind(&track, None);
        assert_eq!(wind.source, WindSource::None);
        assert!(find_maneuvers(&track, &wind).is_empty());
        let empty = BoatTrack::default();
        assert!(find_maneuvers(&empty, &true_wind(&empty, None)).is_empty());
    }
}
