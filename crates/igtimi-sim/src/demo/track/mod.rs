//! The sailing model behind the demo data.
//!
//! Every boat sails windward-leeward laps off Kiel-Schilksee in one shared wind field; the
//! wind buoy swings on its mooring. Each UTC day is simulated at 1 Hz from a fixed start
//! (the boats power on at 09:00; the buoy needs no memory at all), so the sample at a time
//! depends only on the device and that time, never on the span asked for. Instruments add
//! their own small, seeded noise to the true state (see [`sensors`]).

mod boat;
mod buoy;
mod geo;
mod noise;
mod plan;
mod polar;
mod sensors;
mod wind;

#[cfg(test)]
mod tests;

use crate::world::{Device, TypeKey};
use std::collections::BTreeMap;
use wind::Wind;

const DAY_MS: i64 = 86_400_000;

pub use boat::{PlannedTurn, TurnKind};

/// The tacks and gybes the model's boat `device` begins within `start_ms..=end_ms`, in
/// order: the ground truth a maneuver detector is tested against. The wind buoy makes
/// none.
#[cfg(feature = "testing")]
pub fn planned_turns(device: &Device, start_ms: i64, end_ms: i64) -> Vec<PlannedTurn> {
    if device.anchored || end_ms < start_ms {
        return Vec::new();
    }
    let mut turns = Vec::new();
    let mut day = start_ms.div_euclid(DAY_MS);
    while day.saturating_mul(DAY_MS) <= end_ms {
        let day_end = day * DAY_MS + DAY_MS - 1000;
        turns.extend(boat::planned_turns(
            device,
            day,
            start_ms.max(day * DAY_MS),
            end_ms.min(day_end),
        ));
        day += 1;
    }
    turns
}

/// Every channel of one device over a span, at 1 Hz: `channels[key][field][i]` belongs to
/// `t[i]`.
#[derive(Clone, Debug, Default)]
pub struct Chunk {
    /// Sample times, Unix milliseconds on whole seconds.
    pub t: Vec<f64>,
    /// Per channel, one column of values per field.
    pub channels: BTreeMap<TypeKey, Vec<Vec<f64>>>,
}

/// Number of value fields a type code carries.
pub fn field_count(code: u16) -> usize {
    match code {
        1 => 2,
        13 => 3,
        _ => 1,
    }
}

/// The true state of a device at one second, before any instrument error.
#[derive(Clone, Copy, Debug)]
struct Truth {
    t_ms: i64,
    /// Primary GPS antenna, metres east and north of the course centre.
    east: f64,
    north: f64,
    /// Velocity over the ground during the following second, m/s east and north.
    v_east: f64,
    v_north: f64,
    /// True heading, degrees 0..360.
    heading: f64,
    /// Speed through the water, knots.
    stw: f64,
    /// True wind at the device.
    wind: Wind,
    /// The crew's heart, for the ANT+ strap.
    heart: Heart,
    /// Battery charge, percent (before the gauge rounds it).
    battery: f64,
}

/// The helm's heart as an ANT+ strap reports it.
#[derive(Clone, Copy, Debug, Default)]
struct Heart {
    /// Beats per minute.
    bpm: f64,
    /// Beats counted since power-on.
    beats: u64,
    /// Time of the last counted beat, Unix milliseconds.
    last_beat_ms: i64,
}

/// The first whole second at or after `ms`.
fn ceil_to_second(ms: i64) -> Option<i64> {
    Some(ms.checked_add(999)?.div_euclid(1000) * 1000)
}

/// Generates every channel the device records at 1 Hz for `start_ms..=end_ms`. The sample
/// at a time depends only on the device and that time, never on the span asked for.
/// Channels the model does not know are filled with zeros.
pub fn generate(device: &Device, start_ms: i64, end_ms: i64) -> Chunk {
    let mut chunk = Chunk {
        t: Vec::new(),
        channels: device
            .sensors
            .iter()
            .map(|key| (*key, vec![Vec::new(); field_count(key.code)]))
            .collect(),
    };
    let Some(first) = ceil_to_second(start_ms) else {
        return chunk;
    };
    let last = end_ms.div_euclid(1000) * 1000;
    if first > last {
        return chunk;
    }
    let samples = usize::try_from((last - first) / 1000 + 1).unwrap_or(0);
    chunk.t.reserve(samples);
    for columns in chunk.channels.values_mut() {
        for column in columns {
            column.reserve(samples);
        }
    }

    let mut day = first.div_euclid(DAY_MS);
    let mut from = first;
    loop {
        let day_end = day.saturating_mul(DAY_MS).saturating_add(DAY_MS - 1000);
        let to = last.min(day_end);
        // One sample beyond `to`, from the same day's run, for rates over the last second.
        let beyond = to.saturating_add(1000);
        let truths = if device.anchored {
            buoy::truths(device, from, beyond)
        } else {
            boat::truths(device, day, from, beyond)
        };
        for pair in truths.windows(2) {
            let reading = sensors::read(device, &pair[0], &pair[1]);
            chunk.t.push(pair[0].t_ms as f64);
            for (key, columns) in chunk.channels.iter_mut() {
                let values = reading.fields(*key);
                for (column, value) in columns.iter_mut().zip(values) {
                    column.push(value);
                }
            }
        }
        if to >= last {
            break;
        }
        day += 1;
        from = to + 1000;
    }
    chunk
}
