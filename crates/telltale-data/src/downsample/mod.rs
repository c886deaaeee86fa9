//! Reducing full-resolution samples to what a chart or a track canvas can show.
//!
//! [`min_max`] keeps, per pixel-wide time bucket, the first, lowest, highest and last sample
//! (M4), so the drawn line has the same envelope as the full data; gaps become NaN markers
//! so a chart breaks the line instead of joining across a night. [`pick_track`] chooses
//! positions evenly in time for a track drawing.

mod track;

pub use track::pick_track;

/// How many recent steps are sampled to estimate the typical step between samples.
const STEP_SAMPLES: usize = 1024;

/// Downsamples `(t, v)` over `[from, to]` (`t` ascending) into at most `4 * buckets` points
/// (`buckets` counts as at least 1): per bucket of equal time width, the first, minimum,
/// maximum and last samples, in time order, NaN values ignored. When the range holds at most
/// `4 * buckets` samples they are returned as they are. A stretch without samples longer
/// than `max(3 bucket widths, 10 × the median step)` is marked by one NaN value at the
/// middle of the gap.
pub fn min_max(t: &[i64], v: &[f64], from: i64, to: i64, buckets: usize) -> (Vec<i64>, Vec<f64>) {
    let len = t.len().min(v.len());
    let (t, v) = (&t[..len], &v[..len]);
    let lo = t.partition_point(|&x| x < from);
    let hi = t.partition_point(|&x| x <= to).max(lo);
    let buckets = buckets.max(1);
    if hi - lo <= buckets.saturating_mul(4) {
        return (t[lo..hi].to_vec(), v[lo..hi].to_vec());
    }
    let (t, v) = (&t[lo..hi], &v[lo..hi]);
    let span = i128::from(to) - i128::from(from) + 1;
    let bucket_of = |x: i64| {
        let offset = i128::from(x) - i128::from(from);
        (offset * buckets as i128 / span).clamp(0, buckets as i128 - 1) as usize
    };
    let bucket_width = span as f64 / buckets as f64;
    let gap = (3.0 * bucket_width).max(10.0 * median_step(t));

    let mut out_t = Vec::with_capacity(4 * buckets);
    let mut out_v = Vec::with_capacity(4 * buckets);
    let mut i = 0;
    while i < t.len() {
        let bucket = bucket_of(t[i]);
        let mut end = i;
        let (mut first, mut last, mut low, mut high) = (None::<usize>, 0, 0, 0);
        while end < t.len() && bucket_of(t[end]) == bucket {
            let x = v[end];
            if !x.is_nan() {
                match first {
                    None => {
                        first = Some(end);
                        (low, high) = (end, end);
                    }
                    Some(_) => {
                        if x < v[low] {
                            low = end;
                        }
                        if x > v[high] {
                            high = end;
                        }
                    }
                }
                last = end;
            }
            end += 1;
        }
        if let Some(first) = first {
            let mut picks = [first, low, high, last];
            picks.sort_unstable();
            let mut previous = None;
            for &p in &picks {
                if previous == Some(p) {
                    continue;
                }
                previous = Some(p);
                if let Some(&before) = out_t.last() {
                    if (t[p] - before) as f64 > gap {
                        out_t.push(before + (t[p] - before) / 2);
                        out_v.push(f64::NAN);
                    }
                }
                out_t.push(t[p]);
                out_v.push(v[p]);
            }
        }
        i = end;
    }
    (out_t, out_v)
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
        .map(|i| t[i + 1] - t[i])
        .collect();
    let middle = sample.len() / 2;
    let (_, median, _) = sample.select_nth_unstable(middle);
    *median as f64
}

#[cfg(test)]
mod tests;
