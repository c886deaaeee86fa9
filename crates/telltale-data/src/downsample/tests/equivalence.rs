//! The bucket walk of `min_max` against the reference (one division per sample) on
//! random-ish inputs: several sizes and bucket counts, NaN runs, gaps, ranges cutting the
//! data or reaching past it.

use super::super::min_max;
use super::reference;

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` samples at ascending unique times from `start`: steps of 1 ms to 2 s, now and then a
/// gap of up to 10 h; values a noisy wave with repeated values and runs of NaN.
fn random_series(random: &mut Random, start: i64, n: usize) -> (Vec<i64>, Vec<f64>) {
    let mut t = Vec::with_capacity(n);
    let mut v = Vec::with_capacity(n);
    let mut now = start;
    let mut nan_left = 0;
    for i in 0..n {
        now += 1 + random.below(2000) as i64;
        if random.below(500) == 0 {
            now += random.below(36_000_000) as i64;
        }
        t.push(now);
        if nan_left == 0 && random.below(300) == 0 {
            nan_left = random.below(2000);
        }
        let value = if nan_left > 0 {
            nan_left -= 1;
            f64::NAN
        } else if random.below(10) == 0 {
            // Repeated values (and both zeros): ties for the minimum and maximum.
            [0.0, -0.0, 1.0, 2.0][random.below(4) as usize]
        } else {
            (i as f64 / 300.0).sin() * 10.0 + random.below(1000) as f64 / 100.0
        };
        v.push(value);
    }
    (t, v)
}

/// Same points, NaN compared bit for bit.
fn same(a: &(Vec<i64>, Vec<f64>), b: &(Vec<i64>, Vec<f64>)) -> bool {
    a.0 == b.0
        && a.1.len() == b.1.len()
        && a.1
            .iter()
            .zip(&b.1)
            .all(|(x, y)| x.to_bits() == y.to_bits())
}

#[test]
fn bucket_walk_matches_the_reference_on_random_inputs() {
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut downsampled = 0;
    for &n in &[0, 1, 7, 400, 401, 1_000, 4_801, 20_000, 100_003] {
        for round in 0..4 {
            let start = random.below(4_000_000_000) as i64 - 2_000_000_000;
            let (t, v) = random_series(&mut random, start, n);
            let (first, last) = (
                t.first().copied().unwrap_or(0),
                t.last().copied().unwrap_or(0),
            );
            let ranges = [
                (first, last),
                (first - 5_000, last + 5_000),
                (first + (last - first) / 3, last - (last - first) / 5),
                (
                    start + random.below(1 + (last - start).max(0) as u64) as i64,
                    last,
                ),
            ];
            for &(from, to) in &ranges {
                for &buckets in &[1, 3, 100, 1200] {
                    // Small inputs now carry gap markers the reference never added
                    // (see the small-input tests); the downsampling path must not change.
                    let in_range = t.iter().filter(|&&x| from <= x && x <= to).count();
                    if in_range <= 4 * buckets {
                        continue;
                    }
                    downsampled += 1;
                    let expected = reference::min_max(&t, &v, from, to, buckets);
                    let actual = min_max(&t, &v, from, to, buckets);
                    assert!(
                        same(&actual, &expected),
                        "n {n} round {round} range {from}..={to} buckets {buckets}"
                    );
                }
            }
        }
    }
    // The comparison ran often.
    assert!(downsampled >= 60, "{downsampled}");
}

#[test]
fn bucket_edges_match_the_division_at_odd_spans() {
    // Spans that do not divide evenly, times at every bucket edge and one either side.
    for &(from, to, buckets) in &[
        (0_i64, 9_999_i64, 7_usize),
        (-1_234_567, 8_765_431, 1200),
        (1_750_000_000_123, 1_750_604_800_456, 1199),
        (5, 5 + 4 * 13, 13),
    ] {
        let t: Vec<i64> = (from..=to).step_by(1).take(200_000).collect();
        let v: Vec<f64> = t.iter().map(|&x| (x % 97) as f64).collect();
        let to = *t.last().expect("non-empty");
        let expected = reference::min_max(&t, &v, from, to, buckets);
        assert!(same(&min_max(&t, &v, from, to, buckets), &expected));
    }
}
