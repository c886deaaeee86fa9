use super::*;

mod equivalence;
mod reference;
mod track;

/// `n` samples one second apart from `start`, values from `f`.
fn series(start: i64, n: usize, f: impl Fn(usize) -> f64) -> (Vec<i64>, Vec<f64>) {
    (
        (0..n).map(|i| start + i as i64 * 1000).collect(),
        (0..n).map(f).collect(),
    )
}

#[test]
fn small_input_is_returned_as_is() {
    let (t, v) = series(0, 10, |i| i as f64);
    let mut v = v;
    v[3] = f64::NAN;
    let (ot, ov) = min_max(&t, &v, 0, 100_000, 3);
    assert_eq!(ot, t);
    assert!(ov[3].is_nan() && ov[4] == 4.0 && ov.len() == 10);
    // Only the range counts.
    let (ot, _) = min_max(&t, &v, 2000, 4000, 1);
    assert_eq!(ot, vec![2000, 3000, 4000]);
}

#[test]
fn sparse_series_get_gap_markers_at_night_without_downsampling() {
    // A battery level every 10 min from 08:00 to 20:00, a week long: 511 samples, fewer
    // than 4 × 1200, so every sample comes back, plus one marker per night.
    let (hour, step) = (3_600_000, 600_000);
    let mut t = Vec::new();
    for day in 0..7 {
        let morning = day * 24 * hour + 8 * hour;
        t.extend((0..=72).map(|i| morning + i * step));
    }
    let v: Vec<f64> = (0..t.len()).map(|i| 100.0 - i as f64 * 0.1).collect();
    let (ot, ov) = min_max(&t, &v, 0, 7 * 24 * hour - 1, 1200);
    assert_eq!(ot.len(), t.len() + 6);
    let markers: Vec<usize> = (0..ov.len()).filter(|&i| ov[i].is_nan()).collect();
    assert_eq!(markers.len(), 6, "one marker per night");
    for (night, &m) in markers.iter().enumerate() {
        let (before, after) = (ot[m - 1], ot[m + 1]);
        assert_eq!(before, night as i64 * 24 * hour + 20 * hour);
        assert_eq!(after, before + 12 * hour);
        assert_eq!(ot[m], before + 6 * hour);
    }
    // Without the markers, the samples as they were.
    let kept: Vec<(i64, f64)> = ot
        .iter()
        .zip(&ov)
        .filter(|(_, y)| !y.is_nan())
        .map(|(x, y)| (*x, *y))
        .collect();
    let input: Vec<(i64, f64)> = t.iter().copied().zip(v.iter().copied()).collect();
    assert_eq!(kept, input);
    // The same rule as when downsampling: regular 10-minute steps are not gaps.
    let day: Vec<i64> = t[..73].to_vec();
    let (_, ov) = min_max(&day, &v[..73], 0, 24 * hour - 1, 1200);
    assert!(ov.iter().all(|x| !x.is_nan()));
}

#[test]
fn small_input_whose_markers_would_overflow_the_bound_is_downsampled() {
    // 20 samples (4 × 5 buckets): ten in the first second-steps, ten at the end, 981 s
    // apart in a 1000 s range (gap rule: more than 600 s). Twenty samples plus a marker do
    // not fit 20 points, so they are reduced to first/min/max/last per bucket.
    let mut t: Vec<i64> = (0..10).map(|i| i * 1000).collect();
    t.extend((990..1000).map(|i| i * 1000));
    let v: Vec<f64> = (0..20).map(|i| ((i * 7) % 11) as f64).collect();
    let (ot, ov) = min_max(&t, &v, 0, 999_999, 5);
    assert!(ot.len() <= 20, "{}", ot.len());
    assert_eq!(ov.iter().filter(|x| x.is_nan()).count(), 1);
    assert!(ot.windows(2).all(|w| w[0] < w[1]));
    assert_eq!((ot[0], ot[ot.len() - 1]), (0, 999_000));
    // With one more bucket (limit 24) they come back whole, marker included.
    let (ot, ov) = min_max(&t, &v, 0, 999_999, 6);
    assert_eq!(ot.len(), 21);
    assert!(ov[10].is_nan() && ot[10] == 9_000 + (990_000 - 9_000) / 2);
}

#[test]
fn end_of_run_matches_a_full_binary_search() {
    for len in 0..40 {
        let t: Vec<i64> = (0..len).map(|i| i * 10).collect();
        for limit in -5..len * 10 + 5 {
            let expected = t.partition_point(|&x| x <= limit);
            assert_eq!(end_of_run(&t, limit), expected, "len {len} limit {limit}");
        }
    }
}

#[test]
fn a_day_at_one_hertz_fits_the_bucket_bound_and_keeps_every_extreme() {
    let n = 86_400;
    let wave = |i: usize| ((i as f64) / 600.0).sin() * 5.0 + ((i * 7919) % 13) as f64 * 0.1;
    let (t, v) = series(0, n, wave);
    let (from, to) = (0, t[n - 1]);
    for buckets in [1, 7, 300, 1000, 4000] {
        let (ot, ov) = min_max(&t, &v, from, to, buckets);
        assert!(ot.len() <= 4 * buckets, "{buckets}: {}", ot.len());
        assert!(ot.windows(2).all(|w| w[0] < w[1]), "sorted");
        assert!(ov.iter().all(|x| !x.is_nan()), "no gaps in continuous data");
        // Every output point is a real sample.
        for (x, y) in ot.iter().zip(&ov) {
            assert_eq!(v[(*x / 1000) as usize], *y);
        }
        // Per bucket, the minimum and maximum of the full data are among the output.
        let span = (to - from + 1) as i128;
        let bucket = |x: i64| (i128::from(x - from) * buckets as i128 / span) as usize;
        let mut lows = vec![f64::INFINITY; buckets];
        let mut highs = vec![f64::NEG_INFINITY; buckets];
        for (x, y) in t.iter().zip(&v) {
            lows[bucket(*x)] = lows[bucket(*x)].min(*y);
            highs[bucket(*x)] = highs[bucket(*x)].max(*y);
        }
        for b in 0..buckets {
            let kept: Vec<f64> = ot
                .iter()
                .zip(&ov)
                .filter(|(x, _)| bucket(**x) == b)
                .map(|(_, y)| *y)
                .collect();
            assert!(
                kept.contains(&lows[b]) && kept.contains(&highs[b]),
                "bucket {b}"
            );
        }
        assert_eq!(ot.first(), Some(&0));
        assert_eq!(ot.last(), Some(&to));
    }
}

#[test]
fn nights_become_one_nan_marker_in_the_middle() {
    // Two days of 09:00-17:00 at 1 Hz.
    let hour = 3_600_000;
    let mut t = Vec::new();
    for day in 0..2 {
        let start = day * 24 * hour + 9 * hour;
        t.extend((0..8 * 3600).map(|i| start + i * 1000));
    }
    let v: Vec<f64> = (0..t.len()).map(|i| (i % 100) as f64).collect();
    let (ot, ov) = min_max(&t, &v, 0, 48 * hour, 800);
    let markers: Vec<usize> = (0..ov.len()).filter(|&i| ov[i].is_nan()).collect();
    assert_eq!(markers.len(), 1, "one night, one marker");
    let m = markers[0];
    let (before, after) = (ot[m - 1], ot[m + 1]);
    assert_eq!(before, 17 * hour - 1000);
    assert_eq!(after, 24 * hour + 9 * hour);
    assert_eq!(ot[m], before + (after - before) / 2);
    assert!(ot.len() <= 4 * 800);
}

#[test]
fn nan_values_are_ignored_and_long_nan_runs_are_gaps() {
    let n = 20_000;
    let (t, mut v) = series(0, n, |i| i as f64);
    for x in &mut v[5_000..15_000] {
        *x = f64::NAN;
    }
    let (ot, ov) = min_max(&t, &v, 0, t[n - 1], 100);
    assert_eq!(ov.iter().filter(|x| x.is_nan()).count(), 1);
    assert!(ot
        .iter()
        .zip(&ov)
        .all(|(x, y)| y.is_nan() || v[(*x / 1000) as usize] == *y));
}

#[test]
fn sparse_steps_are_not_gaps() {
    // A sample every 10 min over a week, drawn at 100 buckets: regular spacing is never
    // taken for a gap.
    let step = 600_000;
    let t: Vec<i64> = (0..1008).map(|i| i * step).collect();
    let v: Vec<f64> = (0..1008).map(|i| (i % 50) as f64).collect();
    let (_, ov) = min_max(&t, &v, 0, t[1007], 100);
    assert!(ov.iter().all(|x| !x.is_nan()));
}

#[test]
fn degenerate_inputs_do_not_panic() {
    assert_eq!(min_max(&[], &[], 0, 10, 5), (vec![], vec![]));
    let (t, v) = series(0, 100, |i| i as f64);
    assert_eq!(min_max(&t, &v, 50, 10, 5).0.len(), 0);
    assert!(min_max(&t, &v, 0, 99_000, 0).0.len() <= 4);
    assert!(min_max(&t, &v[..50], i64::MIN, i64::MAX, 2).0.len() <= 8);
}
