//! What stays fixed while a boat sails: the character of boat and crew (from the device
//! seed) and each day's plan (course, start, battery).

use super::geo::unit_vector;
use super::noise::{between, derive};
use super::wind::day_axis;
use super::DAY_MS;

const HOUR_MS: i64 = 3_600_000;
/// Boats power on at 09:00 UTC; the day's run starts there.
const POWER_ON_MS: i64 = 9 * HOUR_MS;
/// Half the distance between the marks: the windward mark is 1 nm upwind of the leeward.
const HALF_LEG_M: f64 = 926.0;

/// The fixed character of one boat and crew, from the device seed.
#[derive(Clone, Debug)]
pub struct Character {
    /// How this boat's speed compares with the polar.
    pub speed_factor: f64,
    /// True wind angle sailed close-hauled, degrees.
    pub upwind_twa: f64,
    /// True wind angle sailed downwind, degrees.
    pub downwind_twa: f64,
    /// Typical duration of a tack, seconds.
    pub tack_s: f64,
    /// Typical duration of a gybe, seconds.
    pub gybe_s: f64,
    /// Shortest and longest time on one tack or gybe before turning by choice, seconds.
    pub turn_after: (f64, f64),
    /// Scale of the leeway, degrees.
    pub leeway_max: f64,
    /// The helm's resting heart rate, bpm.
    pub hr_rest: f64,
    /// The helm's heart rate in a manoeuvre, bpm.
    pub hr_peak: f64,
    /// The device seed, for noise of this boat's own.
    pub seed: u64,
}

impl Character {
    /// The character of the boat with this device seed.
    pub fn of(seed: u64) -> Self {
        let s = derive(seed, 0xC4A2);
        let base = between(s, 5, 120.0, 220.0);
        Character {
            speed_factor: between(s, 0, 0.97, 1.03),
            upwind_twa: between(s, 1, 41.0, 43.0),
            downwind_twa: between(s, 2, 145.0, 152.0),
            tack_s: between(s, 3, 10.5, 13.5),
            gybe_s: between(s, 4, 9.0, 12.0),
            turn_after: (base, base + 130.0),
            leeway_max: between(s, 6, 4.8, 6.2),
            hr_rest: between(s, 7, 92.0, 104.0),
            hr_peak: between(s, 8, 152.0, 168.0),
            seed,
        }
    }

    /// Leeway (degrees, positive towards port) at a signed true wind angle and speed: most
    /// close-hauled, none from a beam reach downwind, none when stopped.
    pub fn leeway(&self, twa: f64, stw: f64) -> f64 {
        let r = twa.to_radians();
        self.leeway_max * r.sin() * r.cos().max(0.0).sqrt() * (stw / 4.0).clamp(0.0, 1.0)
    }
}

/// One day's plan: the course as laid that morning, where and when the boat starts, and
/// its battery.
#[derive(Clone, Debug)]
pub struct DayPlan {
    /// When the unit powers on (09:00 UTC), Unix ms.
    pub power_on_ms: i64,
    /// When the boat leaves the start area, Unix ms.
    pub start_ms: i64,
    /// Marks, metres east and north of the course centre.
    pub windward: (f64, f64),
    pub leeward: (f64, f64),
    /// Course axis: the direction of the windward mark from the leeward one, degrees.
    pub axis: f64,
    /// Where the boat waits before its start, metres from the course centre.
    pub spot: (f64, f64),
    /// The tack of the first beat: +1 starboard, -1 port.
    pub first_side: f64,
    /// Charge at power-on, percent.
    pub battery_full: f64,
    /// Drain, percent per hour.
    pub battery_per_hour: f64,
}

impl DayPlan {
    /// The plan of UTC day `day` (days since the Unix epoch) for this device seed.
    pub fn of(seed: u64, day: i64) -> Self {
        let s = derive(seed, 0xDA1 ^ day as u64);
        let axis = day_axis(day);
        let (ue, un) = unit_vector(axis);
        let (ce, cn) = unit_vector(axis + 90.0);
        let leeward = (-HALF_LEG_M * ue, -HALF_LEG_M * un);
        let up = between(s, 0, 60.0, 160.0);
        let across = between(s, 1, -150.0, 150.0);
        let power_on_ms = day.saturating_mul(DAY_MS).saturating_add(POWER_ON_MS);
        let full = between(s, 4, 95.0, 100.0);
        let at_1630 = between(s, 5, 42.0, 68.0);
        DayPlan {
            power_on_ms,
            start_ms: power_on_ms + (between(s, 2, 180.0, 720.0) as i64) * 1000,
            windward: (HALF_LEG_M * ue, HALF_LEG_M * un),
            leeward,
            axis,
            spot: (
                leeward.0 + up * ue + across * ce,
                leeward.1 + up * un + across * cn,
            ),
            first_side: if between(s, 3, 0.0, 1.0) < 0.5 {
                1.0
            } else {
                -1.0
            },
            battery_full: full,
            battery_per_hour: (full - at_1630) / 7.5,
        }
    }

    /// Battery charge at a time: full at power-on, draining steadily.
    pub fn battery(&self, t_ms: i64) -> f64 {
        let hours = (t_ms - self.power_on_ms).max(0) as f64 / HOUR_MS as f64;
        (self.battery_full - self.battery_per_hour * hours).max(5.0)
    }
}
