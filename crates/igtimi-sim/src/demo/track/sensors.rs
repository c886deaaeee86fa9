//! What a YachtBot's instruments report of the true state: each channel with its own small,
//! seeded error and the resolution a real instrument would give.
//!
//! The wind instruments measure the apparent wind; true wind direction and speed are then
//! derived from it with the reported heading and speed through the water, as a real system
//! does, so the channels are consistent with one another to the last rounding.

use super::geo::{
    apparent_wind, bearing_of, norm180, norm360, to_lon_lat, true_wind, unit_vector, KNOT,
};
use super::noise::{derive, smooth};
use super::wind::pressure_at;
use super::Truth;
use crate::world::{Device, TypeKey};
use std::f64::consts::TAU;

/// Distance from the primary GPS antenna back to the stern one (data-source id 100), m.
pub const STERN_OFFSET_M: f64 = 2.0;
/// Local magnetic declination at Kiel, degrees east.
pub const DECLINATION: f64 = 4.0;

/// Everything the device's instruments report at one second.
#[derive(Clone, Debug, Default)]
pub struct Reading {
    position: [f64; 2],
    stern_position: [f64; 2],
    quality: f64,
    satellites: f64,
    hdop: f64,
    altitude: f64,
    cog: f64,
    sog: f64,
    stern_cog: f64,
    stern_sog: f64,
    heading: f64,
    heading_magnetic: f64,
    stw: f64,
    awa: f64,
    aws: f64,
    twd: f64,
    tws: f64,
    heart: [f64; 3],
    battery: f64,
    pressure: f64,
}

fn round_to(value: f64, step: f64) -> f64 {
    (value / step).round() * step
}

/// Error of one GPS antenna (metres east, north): slow wander plus a little jitter.
fn gps_error(seed: u64, sec: f64) -> (f64, f64) {
    let axis = |label: u64| {
        0.5 * smooth(derive(seed, label), sec / 25.0)
            + 0.15 * smooth(derive(seed, label + 1), sec / 6.0)
    };
    (axis(1), axis(3))
}

/// Course and speed over the ground (degrees, knots) of a displacement over one second, as
/// a GPS reports them: COG wanders when nearly stopped.
fn course_and_speed(seed: u64, sec: f64, east: f64, north: f64) -> (f64, f64) {
    let knots = east.hypot(north) / KNOT;
    let sog = (knots + 0.03 * smooth(derive(seed, 5), sec / 3.0)).max(0.0);
    let jitter = if knots < 0.2 { 25.0 } else { 0.6 };
    let cog = bearing_of(east, north) + jitter * smooth(derive(seed, 6), sec / 4.0);
    (norm360(round_to(cog, 0.1)), round_to(sog, 0.01))
}

impl Reading {
    /// The values of one channel, field by field (only the first `field_count` are used).
    /// A code the model does not know reads as zeros.
    pub fn fields(&self, key: TypeKey) -> [f64; 3] {
        let second_source = key.dsi != 0;
        let one = |v: f64| [v, 0.0, 0.0];
        match key.code {
            1 if second_source => [self.stern_position[0], self.stern_position[1], 0.0],
            1 => [self.position[0], self.position[1], 0.0],
            2 => one(self.quality),
            3 => one(self.satellites),
            4 => one(self.hdop),
            5 => one(self.altitude),
            6 if second_source => one(self.stern_cog),
            6 => one(self.cog),
            7 => one(self.heading_magnetic),
            8 => one(self.heading),
            9 if second_source => one(self.stern_sog),
            9 => one(self.sog),
            10 => one(self.stw),
            11 => one(self.awa),
            12 => one(self.aws),
            13 => self.heart,
            15 => one(self.battery),
            22 => one(self.twd),
            23 => one(self.tws),
            24 => one(self.pressure),
            _ => [0.0; 3],
        }
    }
}

/// Reads the instruments at `now`; `next` is the true state one second later, for the
/// ground speed of the stern antenna.
pub fn read(device: &Device, now: &Truth, next: &Truth) -> Reading {
    let sec = now.t_ms as f64 / 1000.0;
    let seed = |label: u64| derive(device.seed, label);

    // Primary GPS.
    let (ne, nn) = gps_error(seed(0x1000), sec);
    let (lon, lat) = to_lon_lat(now.east + ne, now.north + nn);
    let (cog, sog) = course_and_speed(seed(0x1000), sec, now.v_east, now.v_north);
    let satellites = (11.0 + 3.4 * smooth(seed(0x3000), sec / 600.0))
        .round()
        .clamp(8.0, 14.0);
    let differential = smooth(seed(0x2000), sec / 900.0) > -0.55;
    let hdop = 0.72
        + 0.09 * (14.0 - satellites)
        + 0.04 * (1.0 + smooth(seed(0x4000), sec / 30.0))
        + if differential { 0.0 } else { 0.15 };
    let swell = 0.25 * (TAU * sec / 4.3).sin() + 0.15 * (TAU * sec / 6.1 + 1.1).sin();
    let altitude = 1.2 + swell + 1.5 * smooth(seed(0x5000), sec / 90.0);

    // Stern GPS: two metres aft along the heading, with its own error.
    let aft = |t: &Truth| {
        let (ue, un) = unit_vector(t.heading);
        (t.east - STERN_OFFSET_M * ue, t.north - STERN_OFFSET_M * un)
    };
    let (se, sn) = aft(now);
    let (xe, xn) = aft(next);
    let (ee, en) = gps_error(seed(0x1100), sec);
    let (stern_lon, stern_lat) = to_lon_lat(se + ee, sn + en);
    let (stern_cog, stern_sog) = course_and_speed(seed(0x1100), sec, xe - se, xn - sn);

    // Compass, log and wind instruments.
    let heading = norm360(round_to(
        now.heading + 0.6 * smooth(seed(0x8000), sec / 3.0),
        0.1,
    ));
    let stw = if device.anchored {
        0.0
    } else {
        round_to(
            (now.stw + 0.05 * smooth(seed(0xA000), sec / 2.0)).max(0.0),
            0.01,
        )
    };
    let (awa_true, aws_true) = apparent_wind(now.wind.twd, now.wind.tws, now.heading, now.stw);
    let awa = norm180(round_to(
        awa_true + 1.2 * smooth(seed(0xB000), sec / 4.0),
        0.1,
    ));
    let aws = round_to(
        (aws_true * (1.0 + 0.01 * smooth(seed(0xC000), sec / 5.0))
            + 0.12 * smooth(seed(0xC001), sec / 2.0))
        .max(0.0),
        0.01,
    );
    let (twd, tws) = true_wind(awa, aws, heading, stw);

    let heart = if now.heart.bpm > 0.0 {
        [
            now.heart.last_beat_ms as f64,
            now.heart.beats as f64,
            now.heart.bpm.round(),
        ]
    } else {
        [0.0; 3]
    };

    Reading {
        position: [lon, lat],
        stern_position: [stern_lon, stern_lat],
        quality: if differential { 2.0 } else { 1.0 },
        satellites,
        hdop: round_to(hdop, 0.01).clamp(0.7, 1.6),
        altitude: round_to(altitude, 0.1),
        cog,
        sog,
        stern_cog,
        stern_sog,
        heading,
        heading_magnetic: norm360(round_to(heading - DECLINATION, 0.1)),
        stw,
        awa,
        aws,
        twd: norm360(round_to(twd, 0.1)),
        tws: round_to(tws, 0.01),
        heart,
        battery: now.battery.floor().max(0.0),
        pressure: round_to(
            pressure_at(now.t_ms) + 0.05 * smooth(seed(0xD000), sec / 20.0),
            0.1,
        )
        .clamp(1008.0, 1020.0),
    }
}
