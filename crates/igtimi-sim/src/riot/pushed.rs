//! Samples devices pushed over the device port ([`super::device`]), in the app's units and
//! type codes (as [`crate::live::LivePoints`] carries them), kept in memory per serial and
//! channel for `resources/data` and `resources/data/latest`, which merge them with the
//! demo's generated samples.
//!
//! Bounded, as a test server on a network must be: per channel the newest
//! [`MAX_SAMPLES`] samples within [`MAX_AGE_MS`] of the newest one (older ones go first),
//! and at most [`MAX_DEVICES`] serials. Gone when the simulator stops.

use crate::demo::data::Series;
use crate::world::TypeKey;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

/// Samples kept per channel: about 28 hours at 1 Hz, under 3 hours at 10 Hz.
pub const MAX_SAMPLES: usize = 100_000;
/// Samples older than this behind a channel's newest one are dropped (7 days).
pub const MAX_AGE_MS: i64 = 7 * 24 * 3600 * 1000;
/// Serials with pushed data at most.
pub const MAX_DEVICES: usize = 1000;
/// Trimming waits for this many extra samples (or this much extra age), so it runs once
/// in a while rather than at every insert.
const SLACK_SAMPLES: usize = MAX_SAMPLES / 16;
const SLACK_AGE_MS: i64 = 3600 * 1000;

/// Why a batch was not stored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    #[error("This server keeps data of at most {MAX_DEVICES} devices")]
    TooManyDevices,
}

/// Every pushed sample, by serial and channel; each channel in strictly ascending time.
#[derive(Default)]
pub struct PushedStore {
    inner: Mutex<HashMap<String, BTreeMap<TypeKey, Series>>>,
}

impl PushedStore {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, BTreeMap<TypeKey, Series>>> {
        // Every operation leaves the map whole; a poisoned lock is taken over.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores a batch (each series in time order); a sample at a time already stored
    /// replaces it (a device resending after a reconnect). Returns the samples stored.
    pub fn insert(&self, serial: &str, channels: &[(TypeKey, Series)]) -> Result<usize, PushError> {
        let mut inner = self.lock();
        if !inner.contains_key(serial) && inner.len() >= MAX_DEVICES {
            return Err(PushError::TooManyDevices);
        }
        let device = inner.entry(serial.to_string()).or_default();
        let mut stored = 0;
        for (key, batch) in channels {
            let series = device.entry(*key).or_default();
            stored += merge_into(series, batch);
            trim(series);
        }
        Ok(stored)
    }

    /// The channels pushed for `serial`.
    pub fn keys(&self, serial: &str) -> Vec<TypeKey> {
        self.lock()
            .get(serial)
            .map(|d| d.keys().copied().collect())
            .unwrap_or_default()
    }

    /// The samples of one channel within sorted, disjoint `[start, end]` intervals (ms).
    pub fn series(&self, serial: &str, key: TypeKey, intervals: &[(i64, i64)]) -> Series {
        let inner = self.lock();
        let Some(series) = inner.get(serial).and_then(|d| d.get(&key)) else {
            return Series::default();
        };
        let mut out = Series {
            t: Vec::new(),
            fields: vec![Vec::new(); series.fields.len()],
        };
        for &(from, to) in intervals {
            let (lo, hi) = range(series, from, to);
            out.t.extend_from_slice(&series.t[lo..hi]);
            for (column, all) in out.fields.iter_mut().zip(&series.fields) {
                column.extend_from_slice(&all[lo..hi]);
            }
        }
        out
    }

    /// The last sample of a channel with `from <= t <= to`.
    pub fn latest(
        &self,
        serial: &str,
        key: TypeKey,
        from: i64,
        to: i64,
    ) -> Option<(f64, Vec<f64>)> {
        let inner = self.lock();
        let series = inner.get(serial)?.get(&key)?;
        let (lo, hi) = range(series, from, to);
        let last = hi.checked_sub(1).filter(|&i| i >= lo)?;
        Some((
            series.t[last],
            series.fields.iter().map(|c| c[last]).collect(),
        ))
    }

    /// Samples stored for `serial`, over all channels.
    pub fn count(&self, serial: &str) -> usize {
        self.lock()
            .get(serial)
            .map(|d| d.values().map(Series::len).sum())
            .unwrap_or(0)
    }
}

/// The index range of samples with `from <= t <= to`.
fn range(series: &Series, from: i64, to: i64) -> (usize, usize) {
    let lo = series.t.partition_point(|&t| t < from as f64);
    let hi = series.t.partition_point(|&t| t <= to as f64).max(lo);
    (lo, hi)
}

/// Merges a batch in time order into `series`; returns how many samples it held.
fn merge_into(series: &mut Series, batch: &Series) -> usize {
    if series.fields.len() < batch.fields.len() {
        series
            .fields
            .resize(batch.fields.len(), vec![f64::NAN; series.t.len()]);
    }
    let value = |column: usize, i: usize| {
        batch
            .fields
            .get(column)
            .and_then(|c| c.get(i))
            .copied()
            .unwrap_or(f64::NAN)
    };
    for (i, &t) in batch.t.iter().enumerate() {
        // Nearly always at the end: devices send in time order.
        let at = match series.t.last() {
            Some(&last) if last < t => series.t.len(),
            None => 0,
            _ => series.t.partition_point(|&s| s < t),
        };
        if series.t.get(at) == Some(&t) {
            for (column, values) in series.fields.iter_mut().enumerate() {
                values[at] = value(column, i);
            }
        } else {
            series.t.insert(at, t);
            for (column, values) in series.fields.iter_mut().enumerate() {
                values.insert(at, value(column, i));
            }
        }
    }
    batch.t.len()
}

/// Drops the oldest samples once a channel is over its bounds by the slack.
fn trim(series: &mut Series) {
    let Some(&newest) = series.t.last() else {
        return;
    };
    let oldest_kept = newest - MAX_AGE_MS as f64;
    let too_old = series
        .t
        .first()
        .is_some_and(|&t| t < oldest_kept - SLACK_AGE_MS as f64);
    let too_many = series.t.len() > MAX_SAMPLES + SLACK_SAMPLES;
    if !too_old && !too_many {
        return;
    }
    let by_age = series.t.partition_point(|&t| t < oldest_kept);
    let by_count = series.t.len().saturating_sub(MAX_SAMPLES);
    let drop = by_age.max(by_count);
    series.t.drain(..drop);
    for column in &mut series.fields {
        column.drain(..drop.min(column.len()));
    }
}

/// Two series of one channel in time order, merged; at the same time `b`'s sample wins.
pub fn merge_series(a: Series, b: Series) -> Series {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let columns = a.fields.len().max(b.fields.len());
    let mut out = Series {
        t: Vec::with_capacity(a.len() + b.len()),
        fields: vec![Vec::with_capacity(a.len() + b.len()); columns],
    };
    let push = |out: &mut Series, s: &Series, i: usize| {
        out.t.push(s.t[i]);
        for (c, column) in out.fields.iter_mut().enumerate() {
            column.push(
                s.fields
                    .get(c)
                    .and_then(|v| v.get(i))
                    .copied()
                    .unwrap_or(f64::NAN),
            );
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.t.get(i), b.t.get(j)) {
            (Some(x), Some(y)) if x < y => {
                push(&mut out, &a, i);
                i += 1;
            }
            (Some(x), Some(y)) if x == y => {
                push(&mut out, &b, j);
                i += 1;
                j += 1;
            }
            (Some(_), None) => {
                push(&mut out, &a, i);
                i += 1;
            }
            _ => {
                push(&mut out, &b, j);
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(t: &[f64], v: &[f64]) -> Series {
        Series {
            t: t.to_vec(),
            fields: vec![v.to_vec()],
        }
    }

    const SOG: TypeKey = TypeKey::new(9);

    #[test]
    fn batches_merge_in_time_order_and_replace_equal_times() {
        let store = PushedStore::default();
        store
            .insert("S", &[(SOG, series(&[10.0, 20.0], &[1.0, 2.0]))])
            .unwrap();
        store
            .insert("S", &[(SOG, series(&[5.0, 20.0, 30.0], &[0.5, 2.5, 3.0]))])
            .unwrap();
        assert_eq!(
            store.series("S", SOG, &[(0, 100)]),
            series(&[5.0, 10.0, 20.0, 30.0], &[0.5, 1.0, 2.5, 3.0])
        );
        assert_eq!(store.series("S", SOG, &[(6, 10), (25, 40)]).t, [10.0, 30.0]);
        assert_eq!(store.latest("S", SOG, 0, 25), Some((20.0, vec![2.5])));
        assert_eq!(store.latest("S", SOG, 21, 29), None);
        assert_eq!(store.keys("S"), [SOG]);
        assert!(store.keys("other").is_empty());
        assert_eq!(store.count("S"), 4);
    }

    #[test]
    fn channels_and_devices_are_bounded() {
        let store = PushedStore::default();
        let n = MAX_SAMPLES + SLACK_SAMPLES + 1;
        let t: Vec<f64> = (0..n).map(|i| i as f64).collect();
        store.insert("S", &[(SOG, series(&t, &t))]).unwrap();
        assert_eq!(store.count("S"), MAX_SAMPLES);
        assert_eq!(
            store.series("S", SOG, &[(0, i64::MAX)]).t[0],
            (n - MAX_SAMPLES) as f64
        );
        let late = MAX_AGE_MS as f64 + SLACK_AGE_MS as f64 + n as f64;
        store
            .insert("S", &[(SOG, series(&[late], &[1.0]))])
            .unwrap();
        assert_eq!(store.count("S"), 1, "a week behind the newest is dropped");

        for i in 1..MAX_DEVICES {
            store.insert(&format!("D{i}"), &[]).unwrap();
        }
        assert_eq!(
            store.insert("one too many", &[]),
            Err(PushError::TooManyDevices)
        );
        assert!(store.insert("S", &[]).is_ok(), "known serials still push");
    }

    #[test]
    fn merging_prefers_the_second_series() {
        let a = series(&[1.0, 2.0, 4.0], &[1.0, 2.0, 4.0]);
        let b = series(&[2.0, 3.0, 5.0], &[20.0, 30.0, 50.0]);
        assert_eq!(
            merge_series(a.clone(), b),
            series(&[1.0, 2.0, 3.0, 4.0, 5.0], &[1.0, 20.0, 30.0, 4.0, 50.0])
        );
        assert_eq!(merge_series(a.clone(), Series::default()), a);
    }
}
