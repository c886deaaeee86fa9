//! Angles in degrees: normalising, differences and means that respect the wrap at 360.

/// `a` in `[0, 360)`.
pub fn norm360(a: f64) -> f64 {
    let r = a.rem_euclid(360.0);
    if r >= 360.0 {
        0.0
    } else {
        r
    }
}

/// `a` in `(-180, 180]`.
pub fn norm180(a: f64) -> f64 {
    let r = norm360(a);
    if r > 180.0 {
        r - 360.0
    } else {
        r
    }
}

/// The signed turn from `from` to `to`, the short way round, in `(-180, 180]`.
pub fn diff(from: f64, to: f64) -> f64 {
    norm180(to - from)
}

/// The mean direction of `angles` (NaN skipped); NaN when none is left or they cancel out.
pub fn mean(angles: impl IntoIterator<Item = f64>) -> f64 {
    let (mut s, mut c, mut n) = (0.0, 0.0, 0usize);
    for a in angles.into_iter().filter(|a| a.is_finite()) {
        let r = a.to_radians();
        s += r.sin();
        c += r.cos();
        n += 1;
    }
    if n == 0 || s.hypot(c) < 1e-9 * n as f64 {
        return f64::NAN;
    }
    norm360(s.atan2(c).to_degrees())
}

/// East and north components of a unit vector pointing along `bearing`.
pub fn unit(bearing: f64) -> (f64, f64) {
    let r = bearing.to_radians();
    (r.sin(), r.cos())
}

/// The bearing of the vector `(east, north)`, in `[0, 360)`.
pub fn bearing(east: f64, north: f64) -> f64 {
    norm360(east.atan2(north).to_degrees())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wraps_and_means() {
        assert_eq!(norm360(-10.0), 350.0);
        assert_eq!(norm180(190.0), -170.0);
        assert_eq!(norm180(-180.0), 180.0);
        assert_eq!(diff(350.0, 10.0), 20.0);
        assert!(
            (mean([350.0, 10.0]) - 0.0).abs() < 1e-9 || (mean([350.0, 10.0]) - 360.0).abs() < 1e-9
        );
        assert!(mean([0.0, 180.0]).is_nan(), "opposites cancel");
        assert!(mean([f64::NAN]).is_nan());
        assert!((bearing(1.0, 0.0) - 90.0).abs() < 1e-12);
    }

    proptest! {
        #[test]
        fn normalised_angles_stay_in_range(a in -1e9f64..1e9) {
            let n = norm360(a);
            prop_assert!((0.0..360.0).contains(&n));
            let h = norm180(a);
            prop_assert!(h > -180.0 && h <= 180.0);
            prop_assert!(diff(a, a).abs() < 1e-6);
        }
    }
}
