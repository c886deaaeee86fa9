//! What part of a device's data a user may read: the readable intervals of
//! [`World::readable_intervals`], merged and clipped to a requested span.

use crate::world::World;

/// Sorted, non-overlapping intervals `[start, end]` (ms) of `serial`'s data that `user_id`
/// may read within `[from, to]`. Empty when there is no access in that span.
pub fn readable_within(
    world: &World,
    user_id: u64,
    serial: &str,
    from: i64,
    to: i64,
) -> Vec<(i64, i64)> {
    let clipped = world
        .readable_intervals(user_id, serial)
        .into_iter()
        .map(|(s, e)| (s.max(from), e.min(to)))
        .filter(|(s, e)| s <= e)
        .collect();
    merge(clipped)
}

/// Merges overlapping or touching intervals into a sorted disjoint list.
pub fn merge(mut intervals: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    intervals.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(intervals.len());
    for (start, end) in intervals {
        match merged.last_mut() {
            Some(last) if start <= last.1.saturating_add(1) => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// True when `user_id` may modify `serial`'s data somewhere in `[from, to]`: the owner
/// always, others through a window with modify rights overlapping it.
pub fn can_modify(world: &World, user_id: u64, serial: &str, from: i64, to: i64) -> bool {
    let Some(device) = world.device_by_serial(serial) else {
        return false;
    };
    device.owner_id == user_id
        || world.windows.iter().any(|w| {
            w.device_serial_number == serial
                && w.modify
                && w.start_ms <= to
                && w.end_ms >= from
                && world.window_grants_to(w, user_id)
        })
}

#[cfg(test)]
mod tests {
    use super::merge;

    #[test]
    fn merges_overlapping_and_touching() {
        assert_eq!(
            merge(vec![(10, 20), (0, 5), (6, 8), (15, 30), (40, 50)]),
            vec![(0, 8), (10, 30), (40, 50)]
        );
        assert_eq!(
            merge(vec![(i64::MIN, i64::MAX), (0, 1)]),
            vec![(i64::MIN, i64::MAX)]
        );
    }
}
