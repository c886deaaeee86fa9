//! Douglas-Peucker simplification of a position track, for `types[1]=<max error>`.
//!
//! Points are (longitude, latitude) in degrees and the tolerance is a distance in that same
//! degree plane: every dropped point lies within `tolerance` of the segment between the two
//! kept points around it.

/// Indices (ascending) of the points to keep so that no dropped point is farther than
/// `tolerance` from the kept polyline. The first and last points are always kept. Iterative,
/// so a week of 1 Hz positions cannot overflow the stack.
pub fn douglas_peucker(xs: &[f64], ys: &[f64], tolerance: f64) -> Vec<usize> {
    let n = xs.len().min(ys.len());
    if n <= 2 || tolerance.is_nan() || tolerance <= 0.0 {
        return (0..n).collect();
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0usize, n - 1)];
    while let Some((first, last)) = stack.pop() {
        if last <= first + 1 {
            continue;
        }
        let (a, b) = ((xs[first], ys[first]), (xs[last], ys[last]));
        let mut worst = (first, -1.0f64);
        for i in first + 1..last {
            let d = segment_distance((xs[i], ys[i]), a, b);
            // A NaN distance (bad input) counts as far, so such points are kept.
            if d.is_nan() || d > worst.1 {
                worst = (i, if d.is_nan() { f64::INFINITY } else { d });
            }
        }
        if worst.1 > tolerance {
            keep[worst.0] = true;
            stack.push((first, worst.0));
            stack.push((worst.0, last));
        }
    }
    keep.iter()
        .enumerate()
        .filter_map(|(i, &k)| k.then_some(i))
        .collect()
}

/// Distance from `p` to the segment `a`-`b` (to `a` when they coincide).
pub fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let s = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (cx, cy) = (a.0 + s * dx, a.1 + s * dy);
    ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_line_collapses_to_its_ends() {
        let xs: Vec<f64> = (0..100).map(f64::from).collect();
        let ys: Vec<f64> = xs.iter().map(|x| 2.0 * x).collect();
        assert_eq!(douglas_peucker(&xs, &ys, 1e-9), vec![0, 99]);
    }

    #[test]
    fn keeps_a_corner_and_bounds_the_error() {
        let xs = [0.0, 1.0, 2.0, 3.0, 4.0];
        let ys = [0.0, 1.01, 2.0, 0.99, 0.0];
        let kept = douglas_peucker(&xs, &ys, 0.1);
        assert_eq!(kept, vec![0, 2, 4]);
        assert_eq!(douglas_peucker(&xs, &ys, 0.0).len(), 5);
        for pair in kept.windows(2) {
            for i in pair[0]..pair[1] {
                let d = segment_distance(
                    (xs[i], ys[i]),
                    (xs[pair[0]], ys[pair[0]]),
                    (xs[pair[1]], ys[pair[1]]),
                );
                assert!(d <= 0.1);
            }
        }
    }
}
