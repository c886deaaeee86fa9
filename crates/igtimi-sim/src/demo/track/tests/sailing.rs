//! The boats sail like boats: they tack upwind and gybe downwind at believable angles and
//! speeds, their crews' hearts race in manoeuvres, and their batteries run down.

use super::super::wind::wind_at;
use super::*;

/// Indices where the signed TWA changes side between one sample and the next, under way,
/// split into tacks (through the wind) and gybes (through dead downwind).
fn manoeuvres(twa: &[f64], sog: &[f64]) -> (Vec<usize>, Vec<usize>) {
    let mut tacks = Vec::new();
    let mut gybes = Vec::new();
    for i in 0..twa.len() - 1 {
        if twa[i].signum() == twa[i + 1].signum() || sog[i] < 1.0 {
            continue;
        }
        if twa[i].abs() < 90.0 && twa[i + 1].abs() < 90.0 {
            tacks.push(i);
        } else if twa[i].abs() > 90.0 && twa[i + 1].abs() > 90.0 {
            gybes.push(i);
        }
    }
    (tacks, gybes)
}

#[test]
fn upwind_legs_tack_and_downwind_legs_gybe() {
    for (id, day) in [(TERN, 0), (SKUA, 2), (TERN, 5), (SKUA, 6)] {
        let chunk = day_chunk(id, day);
        let twa = twa_series(&chunk);
        let sog = column(&chunk, 9, 0, 0);
        let stw = column(&chunk, 10, 0, 0);
        let still = steady(&chunk);
        let (tacks, gybes) = manoeuvres(&twa, sog);
        assert!(tacks.len() >= 30, "{id} day {day}: {} tacks", tacks.len());
        assert!(gybes.len() >= 15, "{id} day {day}: {} gybes", gybes.len());

        // Between manoeuvres: close-hauled at 40-44°, running at 140-155°.
        let upwind: Vec<f64> = (0..twa.len())
            .filter(|&i| still[i] && twa[i].abs() < 90.0)
            .map(|i| twa[i].abs())
            .collect();
        let downwind: Vec<f64> = (0..twa.len())
            .filter(|&i| still[i] && twa[i].abs() > 90.0)
            .map(|i| twa[i].abs())
            .collect();
        let close = upwind.iter().filter(|a| (37.0..=47.0).contains(*a)).count();
        assert!(close as f64 > 0.95 * upwind.len() as f64);
        assert!((40.0..=44.0).contains(&median(upwind)), "{id} day {day}");
        assert!((140.0..=155.0).contains(&median(downwind.clone())));
        // Both tacks are sailed.
        assert!(twa.iter().any(|&a| a > 30.0) && twa.iter().any(|&a| a < -30.0));

        for &i in &tacks {
            // A tack takes about 10-15 s, of which |TWA| < 35° for most.
            let mut lo = i;
            while lo > 0 && twa[lo - 1].abs() < 35.0 {
                lo -= 1;
            }
            let mut hi = i + 1;
            while hi + 1 < twa.len() && twa[hi + 1].abs() < 35.0 {
                hi += 1;
            }
            assert!(
                (3..=13).contains(&(hi - lo)),
                "{id}: tack at {i} took {}",
                hi - lo
            );
            // And costs speed.
            let before = stw[lo.saturating_sub(5)];
            let slowest = stw[lo..(hi + 10).min(stw.len())]
                .iter()
                .fold(f64::MAX, |a, &b| a.min(b));
            assert!(before - slowest > 0.5, "{id}: tack at {i} lost too little");
        }
        // Tacks come every few minutes, not every few seconds.
        let gaps: Vec<f64> = tacks.windows(2).map(|p| (p[1] - p[0]) as f64).collect();
        assert!(gaps.iter().all(|&g| g >= 25.0));
        let typical = median(gaps);
        assert!((90.0..=400.0).contains(&typical), "{id}: {typical} s");
    }
}

#[test]
fn speeds_follow_the_polar_and_the_wind_stays_in_range() {
    for (id, day) in [(TERN, 3), (SKUA, 4)] {
        let chunk = day_chunk(id, day);
        let twa = twa_series(&chunk);
        let stw = column(&chunk, 10, 0, 0);
        let sog = column(&chunk, 9, 0, 0);
        let tws = column(&chunk, 23, 0, 0);
        let twd = column(&chunk, 22, 0, 0);
        let still = steady(&chunk);
        assert!(stw.iter().all(|s| (0.0..=12.0).contains(s)));
        assert!(sog.iter().all(|s| (0.0..=12.5).contains(s)));
        assert!(tws.iter().all(|s| (7.5..=16.5).contains(s)));
        assert!(twd.iter().all(|d| (215.0..=285.0).contains(d)));
        let upwind: Vec<f64> = (0..stw.len())
            .filter(|&i| still[i] && twa[i].abs() < 90.0)
            .map(|i| stw[i])
            .collect();
        let downwind: Vec<f64> = (0..stw.len())
            .filter(|&i| still[i] && twa[i].abs() > 90.0)
            .map(|i| stw[i])
            .collect();
        assert!((5.0..=6.8).contains(&median(upwind)), "{id}");
        assert!((6.3..=10.0).contains(&median(downwind)), "{id}");
        // SOG is STW plus a small current.
        for i in (0..stw.len()).filter(|&i| still[i]) {
            assert!((sog[i] - stw[i]).abs() < 0.4, "{id} at {i}");
        }
    }
}

#[test]
fn heart_rate_races_in_manoeuvres_and_beats_add_up() {
    let chunk = day_chunk(PETREL, 1);
    let event = column(&chunk, 13, 0, 0);
    let beats = column(&chunk, 13, 0, 1);
    let bpm = column(&chunk, 13, 0, 2);
    assert!(bpm.iter().all(|b| (85.0..=180.0).contains(b)));
    assert!(bpm.windows(2).all(|p| (p[1] - p[0]).abs() <= 8.0), "smooth");
    for i in 0..chunk.t.len() {
        assert!(event[i] <= chunk.t[i] && event[i] > chunk.t[i] - 1000.0);
        if i > 0 {
            assert!(beats[i] >= beats[i - 1] && event[i] >= event[i - 1]);
        }
    }
    for i in (0..chunk.t.len() - 600).step_by(600) {
        let counted = beats[i + 600] - beats[i];
        let expected: f64 = bpm[i..i + 600].iter().sum::<f64>() / 60.0;
        assert!((counted - expected).abs() < 12.0, "{counted} vs {expected}");
    }
    // Resting while waiting for the start, racing in every tack.
    assert!(bpm[..120].iter().all(|b| (88.0..=112.0).contains(b)));
    let hdg = column(&chunk, 8, 0, 0);
    let twa: Vec<f64> = chunk
        .t
        .iter()
        .zip(hdg)
        .map(|(&t, &h)| norm180(wind_at(t as i64).twd - h))
        .collect();
    let (tacks, gybes) = manoeuvres(&twa, column(&chunk, 9, 0, 0));
    assert!(tacks.len() > 10 && gybes.len() > 5);
    for i in tacks.into_iter().chain(gybes) {
        let peak = bpm[i..(i + 25).min(bpm.len())]
            .iter()
            .fold(0.0, |a: f64, &b| a.max(b));
        assert!((140.0..=175.0).contains(&peak), "peak {peak} at {i}");
    }
}

#[test]
fn batteries_drain_through_the_day() {
    for id in [TERN, PETREL, SKUA] {
        for day in 0..7 {
            let chunk = day_chunk(id, day);
            let level = column(&chunk, 15, 0, 0);
            assert!(level.windows(2).all(|p| p[1] <= p[0]), "{id} day {day}");
            assert!(level.iter().all(|b| b.fract() == 0.0));
            assert!((94.0..=100.0).contains(&level[0]), "{}", level[0]);
            let last = level[level.len() - 1];
            assert!((40.0..=70.0).contains(&last), "{id} day {day}: {last}");
        }
    }
}

#[test]
fn gps_and_motion_channels_are_plausible() {
    let chunk = day_chunk(SKUA, 1);
    let quality = column(&chunk, 2, 0, 0);
    let sats = column(&chunk, 3, 0, 0);
    let hdop = column(&chunk, 4, 0, 0);
    let altitude = column(&chunk, 5, 0, 0);
    assert!(quality.iter().all(|&q| q == 1.0 || q == 2.0));
    assert!(quality.iter().filter(|&&q| q == 2.0).count() > quality.len() / 2);
    assert!(sats
        .iter()
        .all(|&s| (8.0..=14.0).contains(&s) && s.fract() == 0.0));
    let changes = sats.windows(2).filter(|p| p[0] != p[1]).count();
    assert!(
        (5..=400).contains(&changes),
        "{changes} satellite count changes"
    );
    assert!(hdop.iter().all(|h| (0.7..=1.6).contains(h)));
    assert!(altitude.iter().all(|a| a.abs() < 4.0));
    assert!(altitude.windows(2).any(|p| p[0] != p[1]));
}
