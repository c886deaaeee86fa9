//! Directions (COG, heading, wind angles) wrap around: 359° and 1° are 2° apart, but a line
//! drawn between them crosses the whole chart. [`break_wraps`] puts a gap where a series
//! jumps by more than half a turn, so the chart shows the wrap as a break, not a wall.

/// Type codes whose single value is a direction in degrees: COG (6), magnetic and true
/// heading (7, 8), apparent wind angle (11), true wind direction (22).
pub fn is_direction(code: u16) -> bool {
    matches!(code, 6 | 7 | 8 | 11 | 22)
}

/// Inserts a NaN gap marker (at the middle time) between consecutive finite values more than
/// 180° apart. Existing gaps are kept; `t` and `v` stay the same length and in time order.
pub fn break_wraps(t: &[i64], v: &[f64]) -> (Vec<i64>, Vec<f64>) {
    let len = t.len().min(v.len());
    let mut times = Vec::with_capacity(len + len / 16);
    let mut values = Vec::with_capacity(len + len / 16);
    let mut previous: Option<f64> = None;
    for i in 0..len {
        let value = v[i];
        if let Some(before) = previous {
            if value.is_finite() && (value - before).abs() > 180.0 {
                times.push(t[i - 1] + (t[i] - t[i - 1]) / 2);
                values.push(f64::NAN);
            }
        }
        previous = value.is_finite().then_some(value);
        times.push(t[i]);
        values.push(value);
    }
    (times, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrap_becomes_a_gap_and_small_steps_do_not() {
        let t = [0, 10, 20, 30, 40];
        let v = [350.0, 358.0, 3.0, 10.0, 12.0];
        let (times, values) = break_wraps(&t, &v);
        assert_eq!(times, vec![0, 10, 15, 20, 30, 40]);
        assert_eq!(values[..2], [350.0, 358.0]);
        assert!(values[2].is_nan());
        assert_eq!(values[3..], [3.0, 10.0, 12.0]);
    }

    #[test]
    fn signed_angles_wrap_at_180_too() {
        let (times, values) = break_wraps(&[0, 2, 4], &[170.0, -175.0, -170.0]);
        assert_eq!(times, vec![0, 1, 2, 4]);
        assert!(values[1].is_nan());
    }

    #[test]
    fn existing_gaps_stay_and_reset_the_comparison() {
        // After a gap, the next value is not compared with the one before the gap.
        let (times, values) = break_wraps(&[0, 5, 10], &[350.0, f64::NAN, 5.0]);
        assert_eq!(times, vec![0, 5, 10]);
        assert!(values[1].is_nan());
        assert_eq!(values[2], 5.0);
        assert_eq!(break_wraps(&[], &[]), (vec![], vec![]));
    }

    #[test]
    fn only_directions_are_directions() {
        assert!([6, 7, 8, 11, 22].into_iter().all(is_direction));
        assert!(![9, 12, 23, 1, 15].into_iter().any(is_direction));
    }
}
