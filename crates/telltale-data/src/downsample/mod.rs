//! Reducing full-resolution samples to what a chart or a track canvas can show.
//!
//! [`min_max`] keeps, per pixel-wide time bucket, the first, lowest, highest and last sample
//! (M4), so the drawn line has the same envelope as the full data; gaps become NaN markers
//! so a chart breaks the line instead of joining across a night. [`pick_track`] chooses
//! positions for a track drawing, evenly by sample among the usable ones.

mod track;
mod wrap;

pub use track::pick_track;
pub use wrap::{break_wraps, is_direction};

/// How many recent steps are sampled to estimate the typical step between samples.
const STEP_SAMPLES: usize = 1024;

/// Downsamples `(t, v)` over `[from, to]` (`t` ascending) into at most `4 * buckets` points
/// (`buckets` counts as at least 1): per bucket of equal time width, the first, minimum,
/// maximum and last samples, in time order, NaN values ignored. A stretch without samples
/// longer than `max(3 bucket widths, 10 × the median step)` is marked by one NaN value at the
/// middle of the gap. When the range holds few enough samples that they fit in `4 * buckets`
/// points together with their gap markers, they are returned as they are (NaN values
/// included) with the gap markers between them.
pub fn min_max(t: &[i64], v: &[f64], from: i64, to: i64, buckets: usize) -> (Vec<i64>, Vec<f64>) {
    let len = t.len().min(v.len());
    let (t, v) = (&t[..len], &v[..len]);
    let lo = t.partition_point(|&x| x < from);
    let hi = t.partition_point(|&x| x <= to).max(lo);
    let buckets = buckets.max(1);
    let limit = buckets.saturating_mul(4);
    let (t, v) = (&t[lo..hi], &v[lo..hi]);
    let grid = Grid::new(from, to, buckets);
    let gap = (3.0 * grid.bucket_width()).max(10.0 * median_step(t));
    if t.len() <= limit {
        let markers = t.windows(2).filter(|w| is_gap(w[0], w[1], gap)).count();
        if t.len() + markers <= limit {
            let mut out = Marked::with_capacity(t.len() + markers, gap);
            for (&time, &value) in t.iter().zip(v) {
                out.push(time, value);
            }
            return (out.t, out.v);
        }
    }

    let mut out = Marked::with_capacity(limit, gap);
    let mut start = 0;
    while let Some(&first_time) = t.get(start) {
        // One division per non-empty bucket for its last time, then a forward scan of the
        // times against it for the end of its samples, then one pass over their values.
        let last_time = grid.last_time_of_bucket(first_time);
        // (At least one sample: `last_time >= first_time`; the `max` only rules out a
        // stuck loop.)
        let end = start + end_of_run(&t[start..], last_time).max(1);
        if let Some(picks) = m4(&v[start..end]) {
            let mut previous = None;
            for p in picks {
                if previous != Some(p) {
                    previous = Some(p);
                    out.push(t[start + p], v[start + p]);
                }
            }
        }
        start = end;
    }
    (out.t, out.v)
}

/// Times compared per step of [`end_of_run`].
const RUN_CHUNK: usize = 16;

/// The number of leading times in `t` (ascending) that are `<= limit`. A forward scan in
/// fixed chunks (each chunk's comparisons compile to vector instructions): the samples of a
/// bucket are read in order, as the prefetcher likes, where a binary search over the rest of
/// a long array would wait on a cache miss per step.
fn end_of_run(t: &[i64], limit: i64) -> usize {
    let mut end = 0;
    for chunk in t.chunks(RUN_CHUNK) {
        // Ascending, so the times within the limit are the chunk's first `within`.
        let within = chunk.iter().filter(|&&x| x <= limit).count();
        end += within;
        if within < chunk.len() {
            break;
        }
    }
    end
}

/// `buckets` buckets of equal width over the inclusive time range `[from, to]`: the time
/// `x` falls in bucket `floor((x - from) * buckets / span)`, `span = to - from + 1`.
struct Grid {
    from: i128,
    span: i128,
    buckets: i128,
}

impl Grid {
    fn new(from: i64, to: i64, buckets: usize) -> Grid {
        Grid {
            from: i128::from(from),
            span: i128::from(to) - i128::from(from) + 1,
            buckets: buckets as i128,
        }
    }

    /// Width of one bucket in ms.
    fn bucket_width(&self) -> f64 {
        self.span as f64 / self.buckets as f64
    }

    /// The last time (inclusive) of the bucket holding `x`, for `from <= x <= to`: bucket
    /// `b` starts at offset `ceil(b * span / buckets)`, so it ends one before the start of
    /// bucket `b + 1` (which is `to + 1` for the last bucket).
    fn last_time_of_bucket(&self, x: i64) -> i64 {
        let bucket = (i128::from(x) - self.from) * self.buckets / self.span;
        let next_start = ((bucket + 1) * self.span + self.buckets - 1) / self.buckets;
        // Between `x` and `to`, so it fits an i64; saturate rather than wrap if it did not.
        i64::try_from(self.from + next_start - 1).unwrap_or(i64::MAX)
    }
}

/// Indices of the first, lowest, highest and last non-NaN values in `v`, sorted (equal
/// values keep their first occurrence); `None` when every value is NaN.
fn m4(v: &[f64]) -> Option<[usize; 4]> {
    let first = v.iter().position(|x| !x.is_nan())?;
    let last = v.iter().rposition(|x| !x.is_nan())?;
    let (mut low, mut high) = (first, first);
    let (mut low_value, mut high_value) = (v[first], v[first]);
    // A comparison with NaN is false, so NaN values in between never win. (Measured: this
    // plain scan runs under 1 ns per value; the per-sample bucket division was the cost.)
    for (offset, &x) in v[first + 1..=last].iter().enumerate() {
        if x < low_value {
            (low, low_value) = (first + 1 + offset, x);
        }
        if x > high_value {
            (high, high_value) = (first + 1 + offset, x);
        }
    }
    let mut picks = [first, low, high, last];
    picks.sort_unstable();
    Some(picks)
}

/// Output points in time order, with a NaN marker at mid-gap wherever two consecutive
/// points are more than `gap` ms apart.
struct Marked {
    t: Vec<i64>,
    v: Vec<f64>,
    gap: f64,
}

impl Marked {
    fn with_capacity(capacity: usize, gap: f64) -> Marked {
        Marked {
            t: Vec::with_capacity(capacity),
            v: Vec::with_capacity(capacity),
            gap,
        }
    }

    /// Appends `(t, v)` (`t` after every point so far), preceded by a gap marker if due.
    fn push(&mut self, t: i64, v: f64) {
        if let Some(&before) = self.t.last() {
            if is_gap(before, t, self.gap) {
                let middle = i128::from(before) + (i128::from(t) - i128::from(before)) / 2;
                self.t
                    .push(i64::try_from(middle).expect("between two i64 times"));
                self.v.push(f64::NAN);
            }
        }
        self.t.push(t);
        self.v.push(v);
    }
}

/// Whether the stretch from `before` to `after` (ascending times) is longer than `gap` ms.
fn is_gap(before: i64, after: i64, gap: f64) -> bool {
    (i128::from(after) - i128::from(before)) as f64 > gap
}

/// The median step between consecutive times, estimated from at most [`STEP_SAMPLES`]
/// steps spread evenly over `t`; 0 for fewer than two samples.
fn median_step(t: &[i64]) -> f64 {
    let steps = t.len().saturating_sub(1);
    if steps == 0 {
        return 0.0;
    }
    let stride = steps.div_ceil(STEP_SAMPLES).max(1);
    let mut sample: Vec<i64> = (0..steps)
        .step_by(stride)
        .map(|i| t[i + 1].saturating_sub(t[i]))
        .collect();
    let middle = sample.len() / 2;
    let (_, median, _) = sample.select_nth_unstable(middle);
    *median as f64
}

#[cfg(test)]
mod tests;
