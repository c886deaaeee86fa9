//! The first `min_max` (an i128 division per sample to find its bucket), kept as the
//! reference the faster walk must match point for point.

use super::super::median_step;

/// `min_max` as it was before the bucket walk computed each bucket's end once.
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
