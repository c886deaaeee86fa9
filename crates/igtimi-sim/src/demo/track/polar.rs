//! A speed polar for a J/70-sized keelboat: target speed through the water for a true wind
//! speed and angle, interpolated from a small table.

/// True wind speeds (knots) of the table's columns.
const TWS: [f64; 7] = [6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 20.0];
/// True wind angles (degrees off the bow) of the table's rows.
const TWA: [f64; 14] = [
    0.0, 30.0, 40.0, 45.0, 52.0, 60.0, 75.0, 90.0, 110.0, 120.0, 135.0, 150.0, 165.0, 180.0,
];
/// Boat speed (knots) per row (angle) and column (wind speed).
const SPEED: [[f64; 7]; 14] = [
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [2.6, 3.0, 3.3, 3.5, 3.6, 3.7, 3.8],
    [4.5, 5.3, 5.7, 5.95, 6.1, 6.2, 6.3],
    [4.8, 5.6, 6.0, 6.2, 6.35, 6.45, 6.55],
    [5.1, 5.9, 6.3, 6.5, 6.65, 6.75, 6.9],
    [5.3, 6.1, 6.5, 6.75, 6.9, 7.0, 7.2],
    [5.5, 6.3, 6.8, 7.1, 7.3, 7.5, 7.8],
    [5.6, 6.4, 6.9, 7.3, 7.6, 7.9, 8.4],
    [5.5, 6.5, 7.1, 7.6, 8.2, 9.0, 10.5],
    [5.4, 6.6, 7.3, 7.9, 8.8, 9.8, 11.6],
    [5.1, 6.4, 7.3, 8.0, 9.1, 10.2, 12.3],
    [4.6, 5.9, 6.9, 7.7, 8.7, 9.8, 11.8],
    [3.9, 5.1, 6.1, 6.9, 7.7, 8.7, 10.4],
    [3.5, 4.6, 5.4, 6.2, 6.9, 7.8, 9.5],
];

/// Where `x` falls in an ascending table axis: the lower index and the fraction towards the
/// next one, clamped to the ends.
fn locate(axis: &[f64], x: f64) -> (usize, f64) {
    let last = axis.len() - 1;
    if x <= axis[0] {
        return (0, 0.0);
    }
    if x >= axis[last] {
        return (last - 1, 1.0);
    }
    let upper = axis.partition_point(|&a| a <= x).min(last);
    let lower = upper - 1;
    (lower, (x - axis[lower]) / (axis[upper] - axis[lower]))
}

/// Target speed through the water (knots) in `tws` knots of true wind at `twa` degrees off
/// the bow (either side). Below the table's lightest wind the speed falls off in proportion.
pub fn target_speed(tws: f64, twa: f64) -> f64 {
    if !tws.is_finite() || !twa.is_finite() || tws <= 0.0 {
        return 0.0;
    }
    let angle = twa.abs().min(180.0);
    let (row, fr) = locate(&TWA, angle);
    let (col, fc) = locate(&TWS, tws);
    let at = |r: usize, c: usize| SPEED[r][c];
    let low = at(row, col) + (at(row + 1, col) - at(row, col)) * fr;
    let high = at(row, col + 1) + (at(row + 1, col + 1) - at(row, col + 1)) * fr;
    let speed = low + (high - low) * fc;
    if tws < TWS[0] {
        speed * tws / TWS[0]
    } else {
        speed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polar_matches_a_j70() {
        let upwind = target_speed(12.0, 42.0);
        assert!((5.8..=6.3).contains(&upwind), "{upwind}");
        for tws in [10.0, 12.0, 14.0, 16.0] {
            let down = target_speed(tws, 148.0);
            assert!((6.9..=10.0).contains(&down), "{tws}: {down}");
        }
        assert_eq!(target_speed(12.0, 0.0), 0.0);
        assert!(target_speed(12.0, -42.0) == upwind);
        assert!(target_speed(3.0, 90.0) < target_speed(6.0, 90.0));
        assert_eq!(target_speed(f64::NAN, 40.0), 0.0);
    }

    #[test]
    fn polar_grows_with_wind_and_is_continuous() {
        for a in 0..=180 {
            let angle = a as f64;
            let mut previous = target_speed(6.0, angle);
            for s in 61..=200 {
                let v = target_speed(s as f64 / 10.0, angle);
                assert!(v >= previous - 1e-9);
                assert!(v - previous < 0.2);
                previous = v;
            }
        }
    }
}
