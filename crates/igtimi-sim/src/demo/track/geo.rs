//! Angles, units and the flat-earth mapping between metres on the race area and degrees.

/// One knot in metres per second.
pub const KNOT: f64 = 1852.0 / 3600.0;
/// Centre of the Kiel Week race area off Kiel-Schilksee: latitude, degrees.
pub const CENTRE_LAT: f64 = 54.465;
/// Centre of the race area: longitude, degrees.
pub const CENTRE_LON: f64 = 10.235;
/// Metres per degree of latitude.
pub const METRES_PER_DEG_LAT: f64 = 111_320.0;

/// Metres per degree of longitude at the race area.
pub fn metres_per_deg_lon() -> f64 {
    METRES_PER_DEG_LAT * CENTRE_LAT.to_radians().cos()
}

/// `(lon, lat)` of a point `east`/`north` metres from the course centre.
pub fn to_lon_lat(east: f64, north: f64) -> (f64, f64) {
    (
        CENTRE_LON + east / metres_per_deg_lon(),
        CENTRE_LAT + north / METRES_PER_DEG_LAT,
    )
}

/// Metres `(east, north)` of a point from the course centre.
#[cfg(test)]
pub fn from_lon_lat(lon: f64, lat: f64) -> (f64, f64) {
    (
        (lon - CENTRE_LON) * metres_per_deg_lon(),
        (lat - CENTRE_LAT) * METRES_PER_DEG_LAT,
    )
}

/// An angle in degrees brought into `[0, 360)`.
pub fn norm360(deg: f64) -> f64 {
    let a = deg.rem_euclid(360.0);
    if a >= 360.0 {
        0.0
    } else {
        a
    }
}

/// An angle in degrees brought into `(-180, 180]`.
pub fn norm180(deg: f64) -> f64 {
    let a = norm360(deg);
    if a > 180.0 {
        a - 360.0
    } else {
        a
    }
}

/// The unit vector `(east, north)` pointing along a compass bearing (degrees).
pub fn unit_vector(bearing: f64) -> (f64, f64) {
    let r = bearing.to_radians();
    (r.sin(), r.cos())
}

/// The compass bearing (degrees, 0..360) of a vector `(east, north)`.
pub fn bearing_of(east: f64, north: f64) -> f64 {
    norm360(east.atan2(north).to_degrees())
}

/// The apparent wind at a sensor moving at `speed` knots along `heading`, in a true wind of
/// `tws` knots from `twd`: `(awa, aws)`, the angle relative to the heading in `(-180, 180]`
/// (positive: wind on the starboard side) and the speed in knots.
pub fn apparent_wind(twd: f64, tws: f64, heading: f64, speed: f64) -> (f64, f64) {
    // Air velocity over the ground, then relative to the moving sensor.
    let (we, wn) = unit_vector(twd);
    let (be, bn) = unit_vector(heading);
    let (ae, an) = (-tws * we - speed * be, -tws * wn - speed * bn);
    let aws = ae.hypot(an);
    let from = bearing_of(-ae, -an);
    (norm180(from - heading), aws)
}

/// The inverse of [`apparent_wind`]: the true wind `(twd, tws)` from the apparent angle and
/// speed measured on a sensor moving at `speed` knots along `heading`.
pub fn true_wind(awa: f64, aws: f64, heading: f64, speed: f64) -> (f64, f64) {
    let (ue, un) = unit_vector(heading + awa);
    let (be, bn) = unit_vector(heading);
    // Apparent air velocity plus the sensor's own velocity gives the air over the ground.
    let (te, tn) = (-aws * ue + speed * be, -aws * un + speed * bn);
    (bearing_of(-te, -tn), te.hypot(tn))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angles_normalise() {
        assert_eq!(norm360(-10.0), 350.0);
        assert_eq!(norm360(720.5), 0.5);
        assert_eq!(norm180(190.0), -170.0);
        assert_eq!(norm180(-180.0), 180.0);
        assert!((bearing_of(1.0, 0.0) - 90.0).abs() < 1e-9);
    }

    #[test]
    fn lon_lat_round_trip_and_scale() {
        let (lon, lat) = to_lon_lat(1000.0, -500.0);
        let (e, n) = from_lon_lat(lon, lat);
        assert!((e - 1000.0).abs() < 1e-6 && (n + 500.0).abs() < 1e-6);
        assert!(lon > CENTRE_LON && lat < CENTRE_LAT);
    }

    #[test]
    fn apparent_wind_of_a_close_hauled_boat() {
        // Wind from the north at 12 kn, boat heading 042 at 6 kn: starboard tack, the
        // apparent wind comes further forward and is stronger.
        let (awa, aws) = apparent_wind(0.0, 12.0, 42.0, 6.0);
        assert!(
            awa < 0.0,
            "wind from the north is on the port bow of a boat heading 042"
        );
        let (awa2, _) = apparent_wind(0.0, 12.0, 318.0, 6.0);
        assert!(awa2 > 0.0 && awa2 < 42.0, "{awa2}");
        assert!(aws > 12.0 && aws < 18.0);
        let (twd, tws) = true_wind(awa, aws, 42.0, 6.0);
        assert!(norm180(twd).abs() < 1e-9 && (tws - 12.0).abs() < 1e-9);
        // Standing still, apparent equals true.
        let (awa, aws) = apparent_wind(250.0, 10.0, 250.0, 0.0);
        assert!(awa.abs() < 1e-9 && (aws - 10.0).abs() < 1e-9);
    }
}
