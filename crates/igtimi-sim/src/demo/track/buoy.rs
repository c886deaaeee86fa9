//! The wind buoy: moored on the race area, lying downwind of its anchor on a rode that
//! stretches with the breeze, sheering gently from side to side and weathervaning into the
//! wind. Its state is a closed-form function of time, so it needs no simulation.

use super::geo::{norm360, unit_vector};
use super::noise::{between, derive, smooth};
use super::wind::{steady_wind_at, wind_at, Wind};
use super::{Heart, Truth, DAY_MS};
use crate::world::Device;
use std::f64::consts::TAU;

/// Period of the buoy's sheer, seconds.
const SHEER_PERIOD_S: f64 = 83.0;
/// The battery is swapped every four weeks, at midnight UTC ...
const SERVICE_INTERVAL_DAYS: i64 = 28;
/// ... counting from 19 June 2025, two days before Kiel Week opens.
const SERVICE_EPOCH_DAY: i64 = 20_258;
/// Percent the buoy's battery loses per day.
const DRAIN_PER_DAY: f64 = 2.5;

/// Where the buoy is anchored, metres east and north of the course centre: off the course
/// to the north-west, a little different for each seed.
pub fn anchor(device: &Device) -> (f64, f64) {
    let s = derive(device.seed, 0xB0E);
    (between(s, 0, -480.0, -360.0), between(s, 1, 250.0, 370.0))
}

/// Where the buoy is and how it lies at one moment.
struct Pose {
    east: f64,
    north: f64,
    heading: f64,
    wind: Wind,
}

/// Position (metres from the course centre), heading and wind at `t_ms`.
fn pose(device: &Device, t_ms: i64) -> Pose {
    let sec = t_ms as f64 / 1000.0;
    let wind = wind_at(t_ms);
    // The buoy lies to the steady wind; gusts are too brief to move it on its chain.
    let lie = steady_wind_at(t_ms);
    let s = derive(device.seed, 0x5EE);
    let phase = TAU * sec / SHEER_PERIOD_S + between(s, 0, 0.0, TAU);
    let rode = 13.0 + 0.6 * lie.tws;
    let sheer = 1.2 * phase.sin() + 0.6 * smooth(s, sec / 30.0);
    let (de, dn) = unit_vector(lie.twd + 180.0);
    let (se, sn) = unit_vector(lie.twd + 270.0);
    let (ae, an) = anchor(device);
    let east = ae + rode * de + sheer * se;
    let north = an + rode * dn + sheer * sn;
    // The bow leads the sheer, yawing a few degrees either side of the wind.
    let yaw = 5.0 * phase.cos() + 1.5 * smooth(derive(s, 1), sec / 12.0);
    Pose {
        east,
        north,
        heading: norm360(wind.twd + yaw),
        wind,
    }
}

/// Battery charge (percent) at `t_ms`: slowly falling, fresh after each service.
fn battery(device: &Device, t_ms: i64) -> f64 {
    let since = t_ms.saturating_sub(SERVICE_EPOCH_DAY * DAY_MS);
    let into_cycle = since.rem_euclid(SERVICE_INTERVAL_DAYS * DAY_MS) as f64 / DAY_MS as f64;
    let fresh = 100.0 - between(derive(device.seed, 0xBA7), 0, 0.0, 2.0);
    fresh - DRAIN_PER_DAY * into_cycle
}

/// The true state of the buoy each second of `lo..=hi` (Unix ms, whole seconds).
pub fn truths(device: &Device, lo: i64, hi: i64) -> Vec<Truth> {
    let mut out = Vec::with_capacity(usize::try_from((hi - lo) / 1000 + 1).unwrap_or(0));
    let mut t = lo;
    let mut now = pose(device, t);
    while t <= hi {
        let next = pose(device, t.saturating_add(1000));
        out.push(Truth {
            t_ms: t,
            east: now.east,
            north: now.north,
            v_east: next.east - now.east,
            v_north: next.north - now.north,
            heading: now.heading,
            stw: 0.0,
            wind: now.wind,
            heart: Heart::default(),
            battery: battery(device, t),
        });
        now = next;
        t += 1000;
    }
    out
}
