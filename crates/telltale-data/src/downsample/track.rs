//! Choosing which positions to draw a track with.

/// Indices into `(t, lon, lat)` (`t` ascending) to draw the track over `[from, to]` with at
/// most `max_points` points: spread evenly in time, always the first and last usable
/// position, skipping positions whose longitude or latitude is not finite. All usable
/// indices when there are no more than `max_points`.
pub fn pick_track(
    t: &[i64],
    lon: &[f64],
    lat: &[f64],
    from: i64,
    to: i64,
    max_points: usize,
) -> Vec<usize> {
    let len = t.len().min(lon.len()).min(lat.len());
    let t = &t[..len];
    let lo = t.partition_point(|&x| x < from);
    let hi = t.partition_point(|&x| x <= to).max(lo);
    let usable: Vec<usize> = (lo..hi)
        .filter(|&i| lon[i].is_finite() && lat[i].is_finite())
        .collect();
    if usable.len() <= max_points {
        return usable;
    }
    let (Some(&first), Some(&last)) = (usable.first(), usable.last()) else {
        return usable;
    };
    if max_points < 2 {
        return if max_points == 1 {
            vec![first]
        } else {
            Vec::new()
        };
    }
    let (start, end) = (i128::from(t[first]), i128::from(t[last]));
    let slots = (max_points - 1) as i128;
    let mut picks = Vec::with_capacity(max_points);
    let mut cursor = 0;
    for k in 0..max_points - 1 {
        let target = start + (end - start) * k as i128 / slots;
        while cursor < usable.len() && i128::from(t[usable[cursor]]) < target {
            cursor += 1;
        }
        let fresh = usable
            .get(cursor)
            .filter(|&&index| picks.last() != Some(&index) && index != last);
        if let Some(&index) = fresh {
            picks.push(index);
        }
    }
    picks.push(last);
    picks
}
