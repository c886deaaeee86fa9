//! Choosing which positions to draw a track with.

/// Indices into `(t, lon, lat)` (`t` ascending) to draw the track over `[from, to]` with at
/// most `max_points` points, skipping positions whose longitude or latitude is not finite:
/// spread evenly by sample among the usable positions in range (not by time, so a range
/// that is mostly night still gets `max_points` points where the data is), always the
/// first and last usable position. All usable indices when there are no more than
/// `max_points`.
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
    let (lon, lat) = (&lon[lo..hi], &lat[lo..hi]);
    let usable = |(x, y): &(&f64, &f64)| x.is_finite() && y.is_finite();
    // Indices of the usable positions, in order.
    let indices = || {
        (lo..hi)
            .zip(lon.iter().zip(lat))
            .filter(|(_, position)| usable(position))
            .map(|(index, _)| index)
    };
    let count = lon.iter().zip(lat).filter(usable).count();
    if count <= max_points {
        return indices().collect();
    }
    if max_points < 2 {
        return indices().take(max_points).collect();
    }
    // Pick `k` (0..max_points) is the usable position of rank `k * (count - 1) / slots`:
    // rank 0 and rank `count - 1` included, strictly increasing as `count > max_points`.
    let (last_rank, slots) = ((count - 1) as u128, (max_points - 1) as u128);
    let rank_of_pick = |k: u128| (k * last_rank / slots) as usize;
    if count == hi - lo {
        // Every position in range is usable: the rank is the offset.
        return (0..=slots).map(|k| lo + rank_of_pick(k)).collect();
    }
    let mut picks = Vec::with_capacity(max_points);
    let mut next = 0;
    for (rank, index) in indices().enumerate() {
        if rank == rank_of_pick(next) {
            picks.push(index);
            next += 1;
            if next > slots {
                break;
            }
        }
    }
    picks
}
