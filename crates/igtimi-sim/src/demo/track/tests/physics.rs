//! The channels agree with one another: positions with speeds, apparent with true wind,
//! course with heading, the stern antenna with the primary one.

use super::super::geo::{apparent_wind, from_lon_lat, norm180, unit_vector, KNOT};
use super::*;

fn positions(chunk: &Chunk, dsi: u32) -> Vec<(f64, f64)> {
    column(chunk, 1, dsi, 0)
        .iter()
        .zip(column(chunk, 1, dsi, 1))
        .map(|(&lon, &lat)| from_lon_lat(lon, lat))
        .collect()
}

fn assert_positions_follow_sog(chunk: &Chunk, dsi: u32) {
    let pos = positions(chunk, dsi);
    let sog = column(chunk, 9, dsi, 0);
    let mut worst: f64 = 0.0;
    for i in 0..pos.len() - 1 {
        let moved = (pos[i + 1].0 - pos[i].0).hypot(pos[i + 1].1 - pos[i].1);
        let error = (moved - sog[i] * KNOT).abs();
        worst = worst.max(error);
        assert!(
            error < 0.35,
            "dsi {dsi} at {}: moved {moved:.2} m, SOG {} kn",
            chunk.t[i],
            sog[i]
        );
    }
    assert!(worst > 0.0);
}

#[test]
fn consecutive_positions_are_sog_apart() {
    for day in [0, 4] {
        for id in [TERN, PETREL, SKUA, BUOY] {
            assert_positions_follow_sog(&day_chunk(id, day), 0);
        }
        assert_positions_follow_sog(&day_chunk(TERN, day), 100);
    }
}

#[test]
fn apparent_wind_matches_true_wind_heading_and_speed() {
    for (id, day) in [(TERN, 0), (SKUA, 3), (BUOY, 5)] {
        let chunk = day_chunk(id, day);
        let twd = column(&chunk, 22, 0, 0);
        let tws = column(&chunk, 23, 0, 0);
        let hdg = column(&chunk, 8, 0, 0);
        let awa = column(&chunk, 11, 0, 0);
        let aws = column(&chunk, 12, 0, 0);
        let stw = chunk
            .channels
            .get(&TypeKey::new(10))
            .map(|c| c[0].clone())
            .unwrap_or_else(|| vec![0.0; chunk.t.len()]);
        for i in 0..chunk.t.len() {
            let (a, s) = apparent_wind(twd[i], tws[i], hdg[i], stw[i]);
            assert!(
                norm180(a - awa[i]).abs() < 0.35,
                "{id} at {i}: {a} vs {}",
                awa[i]
            );
            assert!((s - aws[i]).abs() < 0.05, "{id} at {i}: {s} vs {}", aws[i]);
            assert!((-180.0..=180.0).contains(&awa[i]));
            // The true wind derived on board is the shared wind field, within sensor error.
            let truth = super::super::wind::wind_at(chunk.t[i] as i64);
            assert!(norm180(twd[i] - truth.twd).abs() < 4.0, "{id} at {i}");
            assert!((tws[i] - truth.tws).abs() < 0.8, "{id} at {i}");
        }
        // The apparent wind is forward of the true wind when sailing.
        if id != BUOY {
            let ahead = (0..chunk.t.len())
                .filter(|&i| stw[i] > 3.0)
                .filter(|&i| awa[i].abs() < norm180(twd[i] - hdg[i]).abs())
                .count();
            let sailing = stw.iter().filter(|&&s| s > 3.0).count();
            assert!(ahead as f64 > 0.95 * sailing as f64);
        }
    }
}

#[test]
fn course_over_ground_follows_heading_with_leeway() {
    for (id, day) in [(TERN, 1), (PETREL, 2), (SKUA, 6)] {
        let chunk = day_chunk(id, day);
        let hdg = column(&chunk, 8, 0, 0);
        let cog = column(&chunk, 6, 0, 0);
        let hdgm = chunk
            .channels
            .get(&TypeKey::new(7))
            .map(|c| c[0].as_slice());
        let still = steady(&chunk);
        let wind: Vec<f64> = chunk
            .t
            .iter()
            .map(|&t| super::super::wind::wind_at(t as i64).twd)
            .collect();
        let mut leeward_offsets = Vec::new();
        for i in 0..chunk.t.len() {
            if let Some(hdgm) = hdgm {
                let expected = (hdg[i] - 4.0).rem_euclid(360.0);
                assert!(norm180(hdgm[i] - expected).abs() < 0.06);
                assert!((0.0..360.0).contains(&hdgm[i]));
            }
            assert!((0.0..360.0).contains(&hdg[i]) && (0.0..360.0).contains(&cog[i]));
            if !still[i] {
                continue;
            }
            let drift = norm180(cog[i] - hdg[i]);
            assert!(drift.abs() < 7.0, "{id} day {day} at {i}: COG-HDG {drift}");
            let twa = norm180(wind[i] - hdg[i]);
            if twa.abs() < 60.0 {
                // Positive TWA (starboard tack): leeway sets the boat to port, COG < HDG.
                leeward_offsets.push(-drift * twa.signum());
            }
        }
        let leeway = median(leeward_offsets);
        assert!(
            (1.5..=4.5).contains(&leeway),
            "{id}: median leeway {leeway}"
        );
    }
}

#[test]
fn stern_antenna_is_two_metres_aft() {
    let chunk = day_chunk(TERN, 5);
    let bow = positions(&chunk, 0);
    let stern = positions(&chunk, 100);
    let hdg = column(&chunk, 8, 0, 0);
    let mut along_sum = 0.0;
    for i in 0..bow.len() {
        let (de, dn) = (bow[i].0 - stern[i].0, bow[i].1 - stern[i].1);
        let (ue, un) = unit_vector(hdg[i]);
        let along = de * ue + dn * un;
        let across = de * un - dn * ue;
        assert!((0.5..=3.5).contains(&along), "at {i}: {along}");
        assert!(across.abs() < 1.6, "at {i}: {across}");
        along_sum += along;
    }
    let mean = along_sum / bow.len() as f64;
    assert!((1.8..=2.2).contains(&mean), "{mean}");
    // Independent errors: the two antennas do not report the same offsets.
    let cog = column(&chunk, 6, 0, 0);
    let stern_cog = column(&chunk, 6, 100, 0);
    assert!(cog.iter().zip(stern_cog).filter(|(a, b)| a != b).count() > bow.len() / 2);
}

#[test]
fn boats_stay_within_three_km_of_the_course_centre() {
    for day in 0..7 {
        for id in [TERN, PETREL, SKUA] {
            let chunk = day_chunk(id, day);
            let farthest = positions(&chunk, 0)
                .iter()
                .map(|(e, n)| e.hypot(*n))
                .fold(0.0, f64::max);
            assert!(farthest < 3_000.0, "{id} day {day}: {farthest:.0} m");
            // And they really sail the course, reaching both ends of it.
            assert!(farthest > 700.0, "{id} day {day}: {farthest:.0} m");
        }
    }
}
