//! `pick_track`: evenly by sample among usable positions, both ends, small limits.

use super::super::pick_track;

#[test]
fn track_picks_spread_evenly_by_sample_with_both_ends() {
    let n = 10_000;
    let t: Vec<i64> = (0..n).map(|i| i as i64 * 1000).collect();
    let mut lon: Vec<f64> = (0..n).map(|i| 10.0 + i as f64 * 1e-5).collect();
    let lat = vec![54.0; n];
    lon[0] = f64::NAN;
    lon[n - 1] = f64::NAN;
    lon[5_000] = f64::INFINITY;
    let picks = pick_track(&t, &lon, &lat, 0, t[n - 1], 100);
    assert_eq!(picks.len(), 100);
    assert_eq!(picks.first(), Some(&1));
    assert_eq!(picks.last(), Some(&(n - 2)));
    assert!(picks.windows(2).all(|w| w[0] < w[1]));
    assert!(picks.iter().all(|&i| lon[i].is_finite()));
    // Evenly by sample: 9,997 usable positions in 99 steps of 100 or 101 samples (one more
    // where the step passes the unusable one).
    assert!(
        picks
            .windows(2)
            .all(|w| (100..=102).contains(&(w[1] - w[0]))),
        "{picks:?}"
    );
}

#[test]
fn a_range_that_is_mostly_night_gets_all_its_points_where_the_data_is() {
    // 18 h range, data only 06:00-06:45 and 23:15-24:00 at 1 Hz (5,400 positions).
    let hour = 3_600_000;
    let mut t: Vec<i64> = (0..2700).map(|i| 6 * hour + i * 1000).collect();
    t.extend((0..2700).map(|i| 23 * hour + hour / 4 + i * 1000));
    let lon: Vec<f64> = (0..t.len()).map(|i| 10.0 + i as f64 * 1e-5).collect();
    let lat = vec![54.0; t.len()];
    let picks = pick_track(&t, &lon, &lat, 6 * hour, 24 * hour, 4000);
    assert_eq!(picks.len(), 4000);
    assert_eq!((picks[0], picks[3999]), (0, t.len() - 1));
    // Both sessions get their share (half each, give or take one).
    let morning = picks.iter().filter(|&&i| i < 2700).count();
    assert!((1999..=2001).contains(&morning), "{morning}");
    // The range cuts the data: only positions inside count.
    let picks = pick_track(&t, &lon, &lat, 23 * hour, 24 * hour, 1000);
    assert_eq!(picks.len(), 1000);
    assert_eq!((picks[0], picks[999]), (2700, t.len() - 1));
}

#[test]
fn track_keeps_everything_when_small_and_handles_tiny_limits() {
    let t = [0, 1000, 2000, 3000];
    let lon = [1.0, f64::NAN, 3.0, 4.0];
    let lat = [1.0, 2.0, 3.0, f64::INFINITY];
    assert_eq!(pick_track(&t, &lon, &lat, 0, 3000, 10), vec![0, 2]);
    assert_eq!(pick_track(&t, &lon, &lat, 1000, 3000, 10), vec![2]);
    let lat = [1.0; 4];
    assert_eq!(pick_track(&t, &lon, &lat, 0, 3000, 1), vec![0]);
    assert!(pick_track(&t, &lon, &lat, 0, 3000, 0).is_empty());
    assert_eq!(pick_track(&t, &lon, &lat, 0, 3000, 2), vec![0, 3]);
    assert!(pick_track(&t, &lon[..2], &lat, 0, 3000, 2).len() == 1);
}
