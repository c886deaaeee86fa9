//! The wind buoy: moored, weathervaning, logging wind and pressure around the clock.

use super::super::buoy::anchor;
use super::super::geo::{from_lon_lat, norm180};
use super::super::wind::wind_at;
use super::*;

#[test]
fn buoy_swings_close_to_its_anchor() {
    let dev = device(BUOY);
    let (ae, an) = anchor(&dev);
    for day in 0..7 {
        let chunk = day_chunk(BUOY, day);
        assert_eq!(chunk.t.len(), 86_400);
        let lon = column(&chunk, 1, 0, 0);
        let lat = column(&chunk, 1, 0, 1);
        let mut farthest: f64 = 0.0;
        for (&x, &y) in lon.iter().zip(lat) {
            let (e, n) = from_lon_lat(x, y);
            farthest = farthest.max((e - ae).hypot(n - an));
        }
        assert!(
            (10.0..40.0).contains(&farthest),
            "day {day}: {farthest:.1} m"
        );
        let sog = column(&chunk, 9, 0, 0);
        assert!(sog.iter().all(|&s| (0.0..=0.35).contains(&s)));
        assert!(sog.iter().any(|&s| s > 0.05));
    }
}

#[test]
fn buoy_points_into_the_wind() {
    let chunk = day_chunk(BUOY, 2);
    let hdg = column(&chunk, 8, 0, 0);
    let twd = column(&chunk, 22, 0, 0);
    let tws = column(&chunk, 23, 0, 0);
    let awa = column(&chunk, 11, 0, 0);
    let aws = column(&chunk, 12, 0, 0);
    for i in 0..chunk.t.len() {
        assert!(norm180(hdg[i] - twd[i]).abs() < 15.0);
        assert!(awa[i].abs() < 15.0, "{}", awa[i]);
        assert!((aws[i] - tws[i]).abs() < 0.3);
        // What it reports is the shared wind field, within its sensor error.
        let truth = wind_at(chunk.t[i] as i64);
        assert!(norm180(twd[i] - truth.twd).abs() < 4.0);
        assert!((tws[i] - truth.tws).abs() < 0.6);
    }
    let mean_awa = awa.iter().sum::<f64>() / awa.len() as f64;
    assert!(mean_awa.abs() < 1.5, "{mean_awa}");
}

#[test]
fn buoy_pressure_and_battery_drift_slowly() {
    let mut battery = Vec::new();
    let mut pressures = Vec::new();
    for day in 0..7 {
        let chunk = day_chunk(BUOY, day);
        battery.extend_from_slice(column(&chunk, 15, 0, 0));
        pressures.extend_from_slice(column(&chunk, 24, 0, 0));
    }
    assert!(battery.windows(2).all(|p| p[1] <= p[0]));
    assert!(battery.iter().all(|b| b.fract() == 0.0 && *b >= 20.0));
    let (first, last) = (battery[0], battery[battery.len() - 1]);
    assert!(first <= 100.0 && first - last >= 10.0, "{first} -> {last}");
    assert!(pressures.iter().all(|p| (1008.0..=1020.0).contains(p)));
    assert!(pressures.windows(60).all(|w| (w[59] - w[0]).abs() < 0.4));
    let (lo, hi) = pressures
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    assert!(hi - lo > 1.0, "pressure never moved: {lo}..{hi}");
}
