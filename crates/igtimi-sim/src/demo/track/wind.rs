//! The weather over the race area: true wind, surface current and air pressure, each a
//! smooth function of time alone (the same for every device), continuous across midnight.

use super::geo::{norm360, unit_vector, KNOT};
use super::noise::{derive, signed, smooth};
use std::f64::consts::TAU;

/// Seed of the weather; fixed so every world sees the same sky.
const WEATHER_SEED: u64 = 0x4B49_454C_5745_4B00;
const DAY_S: f64 = 86_400.0;
/// The westerly the week blows around, degrees.
const MEAN_TWD: f64 = 250.0;
/// How far a day's mean direction strays from [`MEAN_TWD`].
const DAY_TWD_SPREAD: f64 = 8.0;
/// Periods (s) of the oscillating shifts: about 6.6, 11.4 and 17.2 minutes.
const SHIFT_PERIODS: [f64; 3] = [397.0, 683.0, 1031.0];
const SHIFT_PHASES: [f64; 3] = [0.7, 2.9, 4.4];
const TWS_MIN: f64 = 8.0;
const TWS_MAX: f64 = 16.0;

fn seed(label: u64) -> u64 {
    derive(WEATHER_SEED, label)
}

/// The true wind at one moment: direction it blows from (degrees true, 0..360) and speed
/// (knots).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wind {
    pub twd: f64,
    pub tws: f64,
}

/// Position in days measured so that day `d`'s noon falls on the integer `d`.
fn day_position(sec: f64) -> f64 {
    (sec - DAY_S / 2.0) / DAY_S
}

/// The mean wind direction of UTC day `day` (days since the Unix epoch): what the race
/// committee lays the course to.
pub fn day_axis(day: i64) -> f64 {
    norm360(MEAN_TWD + DAY_TWD_SPREAD * signed(seed(1), day))
}

/// The oscillating part of the direction (degrees), with amplitudes that wander slowly.
fn oscillation(sec: f64) -> f64 {
    let amplitudes = [
        1.0 + 0.5 * smooth(seed(3), sec / 5_400.0),
        4.0 + 1.0 * smooth(seed(4), sec / 7_200.0),
        2.75 + 0.75 * smooth(seed(5), sec / 6_300.0),
    ];
    SHIFT_PERIODS
        .iter()
        .zip(SHIFT_PHASES)
        .zip(amplitudes)
        .map(|((period, phase), amplitude)| amplitude * (TAU * sec / period + phase).sin())
        .sum()
}

/// The true wind at `t_ms` (Unix milliseconds).
pub fn wind_at(t_ms: i64) -> Wind {
    wind_parts(t_ms, true)
}

/// The wind at `t_ms` without its gusts and flickers: what something heavy, such as a
/// moored buoy on its chain, lines up with.
pub fn steady_wind_at(t_ms: i64) -> Wind {
    wind_parts(t_ms, false)
}

fn wind_parts(t_ms: i64, gusty: bool) -> Wind {
    let sec = t_ms as f64 / 1000.0;
    let days = day_position(sec);
    let gustiness = if gusty { 1.0 } else { 0.0 };
    // The daily mean, joined smoothly from one noon to the next, then a drift over hours.
    let day_mean = MEAN_TWD + DAY_TWD_SPREAD * smooth(seed(1), days);
    let drift = 6.0 * smooth(seed(2), sec / 10_800.0);
    let shift = oscillation(sec);
    let flicker = gustiness * 1.5 * smooth(seed(6), sec / 45.0);
    let twd = norm360(day_mean + drift + shift + flicker);

    let time_of_day = sec.rem_euclid(DAY_S) / DAY_S;
    // Stronger in the afternoon (peak 15:00 UTC), with gusts and lulls on top; the right
    // shifts come with a little more pressure.
    let base = 11.0 + 2.0 * smooth(seed(7), days);
    let diurnal = 1.0 * (TAU * (time_of_day - 0.375)).sin();
    let slow = 1.0 * smooth(seed(8), sec / 7_200.0);
    let gusts =
        gustiness * (1.6 * smooth(seed(9), sec / 40.0) + 0.6 * smooth(seed(10), sec / 11.0));
    let tws = (base + diurnal + slow + gusts + 0.08 * shift).clamp(TWS_MIN, TWS_MAX);
    Wind { twd, tws }
}

/// The surface current at `t_ms` as a ground velocity `(east, north)` in m/s: 0.1-0.2 kn
/// setting roughly north-east, turning slowly.
pub fn current_at(t_ms: i64) -> (f64, f64) {
    let sec = t_ms as f64 / 1000.0;
    let speed = (0.15 + 0.045 * smooth(seed(11), sec / 10_800.0)) * KNOT;
    let toward = 35.0 + 25.0 * smooth(seed(12), sec / 21_600.0);
    let (e, n) = unit_vector(toward);
    (speed * e, speed * n)
}

/// Air pressure at sea level (hPa) at `t_ms`: 1008-1020, drifting over days with a small
/// twice-daily tide.
pub fn pressure_at(t_ms: i64) -> f64 {
    let sec = t_ms as f64 / 1000.0;
    let synoptic = 4.0 * smooth(seed(13), sec / 129_600.0);
    let local = 1.2 * smooth(seed(14), sec / 21_600.0);
    let tide = 0.5 * (TAU * sec / 43_200.0 + 1.3).cos();
    (1014.0 + synoptic + local + tide).clamp(1008.0, 1020.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::track::geo::norm180;

    const DAY_MS: i64 = 86_400_000;
    const WEEK_START: i64 = crate::config::DEFAULT_WEEK_START_MS;

    #[test]
    fn wind_is_a_westerly_of_8_to_16_knots_with_shifts() {
        for day in 0..7 {
            let start = WEEK_START + day * DAY_MS;
            let winds: Vec<Wind> = (0..86_400).map(|s| wind_at(start + s * 1000)).collect();
            assert!(winds.iter().all(|w| (8.0..=16.0).contains(&w.tws)));
            assert!(
                winds.iter().all(|w| (220.0..=280.0).contains(&w.twd)),
                "day {day}"
            );
            // Shifts: within any 20 minutes the direction swings by several degrees.
            let window = &winds[36_000..37_200];
            let (lo, hi) = window.iter().fold((f64::MAX, f64::MIN), |(lo, hi), w| {
                (lo.min(w.twd), hi.max(w.twd))
            });
            assert!(hi - lo > 5.0, "day {day}: only {:.1}° of shift", hi - lo);
            // Continuous second to second.
            for pair in winds.windows(2) {
                assert!(norm180(pair[1].twd - pair[0].twd).abs() < 1.0);
                assert!((pair[1].tws - pair[0].tws).abs() < 0.5);
            }
        }
    }

    #[test]
    fn days_differ_and_midnight_is_continuous() {
        let axes: Vec<f64> = (0..7).map(|d| day_axis(WEEK_START / DAY_MS + d)).collect();
        assert!(axes.iter().all(|a| (242.0..=258.0).contains(a)));
        assert!(axes.windows(2).any(|p| (p[0] - p[1]).abs() > 1.0));
        let midnight = WEEK_START + DAY_MS;
        let (a, b) = (wind_at(midnight - 1000), wind_at(midnight));
        assert!(norm180(a.twd - b.twd).abs() < 1.0 && (a.tws - b.tws).abs() < 0.5);
    }

    #[test]
    fn current_and_pressure_stay_in_range() {
        for s in (0..7 * 86_400).step_by(97) {
            let t = WEEK_START + s * 1000;
            let (e, n) = current_at(t);
            let knots = e.hypot(n) / KNOT;
            assert!((0.1..=0.2).contains(&knots), "{knots}");
            assert!((1008.0..=1020.0).contains(&pressure_at(t)));
        }
    }
}
