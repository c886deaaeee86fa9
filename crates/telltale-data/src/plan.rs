//! Planning a long fetch: inclusive windows no longer than the server allows, and only those
//! where some resource (a block of recorded data) lies.

/// Inclusive windows `(start, end)` covering `[from, to]`: the first starts at `from`, each
/// next one at the previous end + 1, each has `end - start <= max_span_ms` (a negative span
/// counts as 0), and the last ends at `to`. Empty when `to < from`.
pub fn windows(from: i64, to: i64, max_span_ms: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    if to < from {
        return out;
    }
    let span = max_span_ms.max(0);
    let mut start = from;
    loop {
        let end = start.saturating_add(span).min(to);
        out.push((start, end));
        if end >= to {
            return out;
        }
        start = end + 1;
    }
}

/// The windows that overlap at least one busy interval (inclusive bounds on both sides), in
/// their order; windows over nights without any resource are left out.
pub fn covered(windows: &[(i64, i64)], busy: &[(i64, i64)]) -> Vec<(i64, i64)> {
    windows
        .iter()
        .copied()
        .filter(|&(start, end)| busy.iter().any(|&(from, to)| from <= end && to >= start))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEK: i64 = 7 * 86_400_000;

    #[test]
    fn windows_chain_at_end_plus_one_and_respect_the_span() {
        let from = 1_750_464_000_000;
        let to = from + 3 * WEEK + 12_345;
        let w = windows(from, to, WEEK);
        assert_eq!(w.len(), 4);
        assert_eq!(w[0], (from, from + WEEK));
        assert_eq!(w.first().map(|w| w.0), Some(from));
        assert_eq!(w.last().map(|w| w.1), Some(to));
        for pair in w.windows(2) {
            assert_eq!(pair[1].0, pair[0].1 + 1);
        }
        assert!(w.iter().all(|&(s, e)| s <= e && e - s <= WEEK));
    }

    #[test]
    fn small_and_odd_ranges() {
        assert_eq!(windows(5, 5, WEEK), vec![(5, 5)]);
        assert_eq!(windows(0, 10, 4), vec![(0, 4), (5, 9), (10, 10)]);
        assert_eq!(windows(0, 2, 0), vec![(0, 0), (1, 1), (2, 2)]);
        assert_eq!(windows(0, 1, -3), vec![(0, 0), (1, 1)]);
        assert!(windows(10, 9, WEEK).is_empty());
        assert_eq!(
            windows(i64::MAX - 5, i64::MAX, 10),
            vec![(i64::MAX - 5, i64::MAX)]
        );
    }

    #[test]
    fn covered_keeps_only_windows_touching_a_resource() {
        let w = windows(0, 99, 9); // (0,9) (10,19) .. (90,99)
        let busy = [(12, 15), (29, 30), (55, 71), (200, 300)];
        assert_eq!(
            covered(&w, &busy),
            vec![(10, 19), (20, 29), (30, 39), (50, 59), (60, 69), (70, 79)]
        );
        assert!(covered(&w, &[]).is_empty());
        // Touching at a single millisecond counts (inclusive bounds).
        assert_eq!(covered(&w, &[(9, 9)]), vec![(0, 9)]);
    }
}
