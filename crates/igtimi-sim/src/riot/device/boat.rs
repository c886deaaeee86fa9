//! The boat an emulated device sails: a day of the demo model
//! ([`crate::demo::track::generate`]) replayed from 09:12 UTC on (racing after a few
//! minutes) whatever the time of day, generated ten minutes at a time. Points are stamped
//! with the wall-clock time they are sent; between the model's seconds positions and
//! speeds are interpolated and other values repeated.

use crate::demo::track::{generate, Chunk};
use crate::riot::points::{kind_of, point};
use crate::world::{Device, TypeKey};
use riot_proto::DataPoint;
use std::sync::Arc;

const DAY_MS: i64 = 86_400_000;
/// Where in a model day the replay starts: 09:12 UTC, after power-on at 09:00.
const REPLAY_FROM_MS: i64 = (9 * 60 + 12) * 60_000;
/// Model time generated at a time.
const CHUNK_MS: i64 = 600_000;
/// App type codes interpolated between seconds: position, altitude, speeds.
const SMOOTH: [u16; 6] = [1, 5, 9, 10, 12, 23];

/// A demo device to sail, by its name or serial (any case: "tern", "AA-BT-0731"); `seed`
/// makes it a different boat of the same kind. `None` for a name the demo does not have.
pub fn demo_boat(name: &str, seed: Option<u64>) -> Option<Device> {
    let world = crate::demo::world(
        crate::SimConfig::default().seed,
        crate::config::DEFAULT_WEEK_START_MS,
    );
    let name = name.trim();
    let mut boat = world.devices.into_iter().find(|d| {
        d.name.eq_ignore_ascii_case(name)
            || d.serial_number.eq_ignore_ascii_case(name)
            || d.name
                .split_whitespace()
                .any(|w| w.eq_ignore_ascii_case(name))
    })?;
    if let Some(seed) = seed {
        boat.seed = seed;
    }
    Some(boat)
}

/// The boat's day, generated a chunk at a time.
pub(super) struct Model {
    boat: Device,
    /// Model time minus wall time, fixed at the first sample.
    offset: Option<i64>,
    chunk: Arc<Chunk>,
}

impl Model {
    pub(super) fn new(boat: Device) -> Self {
        Model {
            boat,
            offset: None,
            chunk: Arc::new(Chunk::default()),
        }
    }

    /// The boat's points at wall time `now` (ms), stamped `now`.
    pub(super) async fn points(&mut self, now: i64) -> Vec<DataPoint> {
        let offset = *self.offset.get_or_insert_with(|| {
            let day = now.div_euclid(DAY_MS) * DAY_MS;
            day + REPLAY_FROM_MS - now
        });
        let t = now + offset;
        let second = t.div_euclid(1000) * 1000;
        let covered = |c: &Chunk| {
            c.t.first().is_some_and(|&f| f <= second as f64)
                && c.t.last().is_some_and(|&l| l >= (second + 1000) as f64)
        };
        if !covered(&self.chunk) {
            let boat = self.boat.clone();
            let from = second - 1000;
            let generated =
                tokio::task::spawn_blocking(move || generate(&boat, from, from + CHUNK_MS))
                    .await
                    .unwrap_or_default();
            self.chunk = Arc::new(generated);
        }
        sample_at(&self.chunk, t, now.max(0) as u64)
    }
}

/// Every channel of `chunk` at model time `t`, as points stamped `stamp`.
fn sample_at(chunk: &Chunk, t: i64, stamp: u64) -> Vec<DataPoint> {
    let i = chunk
        .t
        .partition_point(|&s| s <= t as f64)
        .saturating_sub(1);
    let Some(&at) = chunk.t.get(i) else {
        return Vec::new();
    };
    let f = ((t as f64 - at) / 1000.0).clamp(0.0, 1.0);
    let value = |key: TypeKey, column: &Vec<f64>| {
        let a = column.get(i).copied().unwrap_or(f64::NAN);
        match column.get(i + 1) {
            Some(&b) if SMOOTH.contains(&key.code) => a + (b - a) * f,
            _ => a,
        }
    };
    chunk
        .channels
        .iter()
        .filter_map(|(key, columns)| {
            let kind = kind_of(key.code)?;
            let values: Vec<f64> = columns.iter().map(|c| value(*key, c)).collect();
            let altitude = (key.code == 1)
                .then(|| chunk.channels.get(&TypeKey::with_dsi(5, key.dsi)))
                .flatten()
                .and_then(|columns| columns.first())
                .map(|c| value(TypeKey::with_dsi(5, key.dsi), c));
            point(kind, key.dsi, stamp, &values, altitude)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_boats_by_name_serial_or_word() {
        assert_eq!(demo_boat("tern", None).map(|b| b.name), Some("Tern".into()));
        assert_eq!(
            demo_boat("aa-bt-0731", None).map(|b| b.name),
            Some("Wind buoy Charlie".into())
        );
        assert!(demo_boat("buoy", None).is_some_and(|b| b.anchored));
        assert_eq!(demo_boat("Skua", Some(9)).map(|b| b.seed), Some(9));
        assert!(demo_boat("Titanic", None).is_none());
    }

    #[test]
    fn samples_between_seconds_interpolate_positions_and_repeat_angles() {
        let mut chunk = Chunk {
            t: vec![1000.0, 2000.0],
            ..Chunk::default()
        };
        chunk
            .channels
            .insert(TypeKey::new(1), vec![vec![10.0, 11.0], vec![54.0, 55.0]]);
        chunk
            .channels
            .insert(TypeKey::new(6), vec![vec![350.0, 10.0]]);
        chunk.channels.insert(TypeKey::new(5), vec![vec![2.0, 4.0]]);
        let points = sample_at(&chunk, 1500, 77);
        assert_eq!(points.len(), 2, "altitude rides in pos");
        let summary: Vec<String> = points.iter().map(|p| format!("{:?}", p.point)).collect();
        assert!(summary[0].contains("latitude: 54.5") && summary[0].contains("longitude: 10.5"));
        assert!(summary[0].contains("altitude: 3.0") && summary[0].contains("timestamp: 77"));
        assert!(summary[1].contains("value: 350.0"), "{}", summary[1]);
    }
}
