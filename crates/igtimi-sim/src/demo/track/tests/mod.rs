//! Tests of the sailing model over whole generated days of the demo world's devices.

mod buoy;
mod physics;
mod sailing;

use super::geo::norm180;
use super::{field_count, generate, Chunk, DAY_MS};
use crate::config::DEFAULT_WEEK_START_MS;
use crate::world::{Device, TypeKey};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

const HOUR_MS: i64 = 3_600_000;
const TERN: u64 = 2001;
const PETREL: u64 = 2002;
const SKUA: u64 = 2003;
const BUOY: u64 = 2004;

fn device(id: u64) -> Device {
    crate::demo::world(2025, DEFAULT_WEEK_START_MS)
        .devices
        .into_iter()
        .find(|d| d.id == id)
        .expect("the demo world has this device")
}

fn midnight(day: i64) -> i64 {
    DEFAULT_WEEK_START_MS + day * DAY_MS
}

/// The resource-sized chunk of a device on a day of the week (boats 09:00-16:30, the buoy
/// 24 h), generated once per test process.
fn day_chunk(id: u64, day: i64) -> Arc<Chunk> {
    type Days = HashMap<(u64, i64), Arc<Chunk>>;
    static CACHE: OnceLock<Mutex<Days>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(chunk) = cache.lock().expect("cache lock").get(&(id, day)) {
        return chunk.clone();
    }
    let dev = device(id);
    let (start, end) = if dev.anchored {
        (midnight(day), midnight(day) + DAY_MS - 1000)
    } else {
        (
            midnight(day) + 9 * HOUR_MS,
            midnight(day) + 16 * HOUR_MS + 30 * 60_000,
        )
    };
    let chunk = Arc::new(generate(&dev, start, end));
    cache
        .lock()
        .expect("cache lock")
        .insert((id, day), chunk.clone());
    chunk
}

/// One field of one channel.
fn column(chunk: &Chunk, code: u16, dsi: u32, field: usize) -> &[f64] {
    &chunk.channels[&TypeKey::with_dsi(code, dsi)][field]
}

/// True wind angle from the reported TWD and heading, signed (positive: starboard tack).
fn twa_series(chunk: &Chunk) -> Vec<f64> {
    let twd = column(chunk, 22, 0, 0);
    let hdg = column(chunk, 8, 0, 0);
    twd.iter().zip(hdg).map(|(w, h)| norm180(w - h)).collect()
}

/// Samples where the boat is under way and not turning: speed over 2.5 kn and no heading
/// rate above 2.5°/s within 15 s either side.
fn steady(chunk: &Chunk) -> Vec<bool> {
    let hdg = column(chunk, 8, 0, 0);
    let sog = column(chunk, 9, 0, 0);
    let n = hdg.len();
    let turning: Vec<bool> = (0..n)
        .map(|i| i + 1 < n && norm180(hdg[i + 1] - hdg[i]).abs() > 2.5)
        .collect();
    (0..n)
        .map(|i| {
            let lo = i.saturating_sub(15);
            let hi = (i + 15).min(n - 1);
            sog[i] > 2.5 && !turning[lo..=hi].iter().any(|&t| t)
        })
        .collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    assert!(!values.is_empty(), "median of nothing");
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn assert_same_samples(whole: &Chunk, part: &Chunk) {
    assert!(!part.t.is_empty());
    let offset = whole
        .t
        .iter()
        .position(|&t| t == part.t[0])
        .expect("the part starts inside the whole");
    for (key, columns) in &part.channels {
        for (field, values) in columns.iter().enumerate() {
            let reference = &whole.channels[key][field][offset..offset + values.len()];
            assert_eq!(values.as_slice(), reference, "{key} field {field}");
        }
    }
    assert_eq!(part.t, whole.t[offset..offset + part.t.len()]);
}

#[test]
fn generation_is_deterministic() {
    for id in [TERN, BUOY] {
        let dev = device(id);
        let start = midnight(3) + 10 * HOUR_MS;
        let a = generate(&dev, start, start + 600_000);
        let b = generate(&dev, start, start + 600_000);
        assert_eq!(a.t, b.t);
        assert_eq!(a.channels, b.channels);
        assert_eq!(a.t.len(), 601);
    }
    // Two boats are different boats.
    let tern = day_chunk(TERN, 0);
    let skua = day_chunk(SKUA, 0);
    assert_ne!(column(&tern, 1, 0, 0), column(&skua, 1, 0, 0));
}

#[test]
fn a_sample_does_not_depend_on_the_span_asked_for() {
    let tern = device(TERN);
    let whole = day_chunk(TERN, 1);
    let noon = midnight(1) + 12 * HOUR_MS;
    // Not on a whole second: starts at the next one.
    let part = generate(&tern, noon + 300, noon + 300_000);
    assert_eq!(part.t[0], (noon + 1000) as f64);
    assert_same_samples(&whole, &part);
    let late = generate(
        &tern,
        midnight(1) + 16 * HOUR_MS,
        midnight(1) + 16 * HOUR_MS + 1_800_000,
    );
    assert_same_samples(&whole, &late);
    // A span across midnight matches both days' own runs.
    let across = generate(&tern, midnight(2) - HOUR_MS, midnight(2) + 10 * HOUR_MS);
    let evening = generate(&tern, midnight(2) - HOUR_MS, midnight(2) - 1000);
    assert_same_samples(&across, &evening);
    let morning = generate(&tern, midnight(2) + 9 * HOUR_MS, midnight(2) + 10 * HOUR_MS);
    assert_same_samples(&across, &morning);
    assert_same_samples(&day_chunk(TERN, 2), &morning);

    let buoy = device(BUOY);
    let night = generate(&buoy, midnight(4) - 600_000, midnight(4) + 600_000);
    let evening = generate(&buoy, midnight(4) - 600_000, midnight(4) - 1000);
    assert_same_samples(&night, &evening);
    assert_same_samples(&day_chunk(BUOY, 3), &evening);
    let after = generate(&buoy, midnight(4), midnight(4) + 600_000);
    assert_same_samples(&night, &after);
    assert_same_samples(&day_chunk(BUOY, 4), &after);
}

#[test]
fn unknown_codes_read_as_zeros_and_spans_can_be_empty() {
    let mut dev = device(PETREL);
    dev.sensors
        .extend([TypeKey::new(14), TypeKey::new(99), TypeKey::with_dsi(57, 3)]);
    let start = midnight(0) + 11 * HOUR_MS;
    let chunk = generate(&dev, start, start + 59_000);
    assert_eq!(chunk.t.len(), 60);
    for code in [14, 99] {
        assert!(column(&chunk, code, 0, 0).iter().all(|&v| v == 0.0));
    }
    assert!(column(&chunk, 57, 3, 0).iter().all(|&v| v == 0.0));
    for (key, columns) in &chunk.channels {
        assert_eq!(columns.len(), field_count(key.code));
        assert!(columns.iter().all(|c| c.len() == 60), "{key}");
    }

    let backwards = generate(&dev, start, start - 1000);
    assert!(backwards.t.is_empty());
    assert!(backwards.channels.values().flatten().all(Vec::is_empty));
    assert!(generate(&dev, start + 1, start + 999).t.is_empty());
    assert_eq!(generate(&dev, start, start).t, vec![start as f64]);
    assert!(generate(&dev, i64::MAX - 10, i64::MAX).t.is_empty());
}

#[test]
#[ignore = "prints how long generation takes; run with --release -- --ignored --nocapture"]
fn timing_of_one_day() {
    for (id, label) in [
        (TERN, "boat-day, 18 channels"),
        (BUOY, "buoy-day, 12 channels"),
    ] {
        let dev = device(id);
        let (start, end) = if dev.anchored {
            (midnight(2), midnight(3) - 1000)
        } else {
            (
                midnight(2) + 9 * HOUR_MS,
                midnight(2) + 16 * HOUR_MS + 1_800_000,
            )
        };
        let began = std::time::Instant::now();
        let chunk = generate(&dev, start, end);
        println!(
            "{label}: {} samples in {:?}",
            chunk.t.len(),
            began.elapsed()
        );
    }
}
