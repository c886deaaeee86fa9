//! Deterministic noise keyed by a seed: hashed values for single draws and smooth value
//! noise for quantities that wander over time. Nothing here keeps state, so a value depends
//! only on its seed and its position, which is what makes samples independent of the span.

/// Mixes a seed and a key into 64 well-spread bits (the SplitMix64 finaliser).
pub fn mix(seed: u64, key: u64) -> u64 {
    let mut z = seed
        .rotate_left(23)
        .wrapping_add(key.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x632B_E59B_D9B4_E019);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A seed for one purpose derived from a parent seed, so independent quantities of the same
/// device never share their noise.
pub fn derive(seed: u64, label: u64) -> u64 {
    mix(seed ^ 0xA076_1D64_78BD_642F, label)
}

/// A uniform value in `[0, 1)` for `(seed, key)`.
pub fn unit(seed: u64, key: i64) -> f64 {
    (mix(seed, key as u64) >> 11) as f64 / (1u64 << 53) as f64
}

/// A uniform value in `[-1, 1)` for `(seed, key)`.
pub fn signed(seed: u64, key: i64) -> f64 {
    unit(seed, key) * 2.0 - 1.0
}

/// A uniform value in `[lo, hi)` for `(seed, key)`.
pub fn between(seed: u64, key: i64, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * unit(seed, key)
}

/// Smooth value noise in `[-1, 1]`: random values at the integers of `x`, joined by a
/// smoothstep, so the curve is continuous with a continuous slope. One unit of `x` is the
/// time scale over which it changes.
pub fn smooth(seed: u64, x: f64) -> f64 {
    let k = x.floor();
    let f = x - k;
    let s = f * f * (3.0 - 2.0 * f);
    let k = k as i64;
    let a = signed(seed, k);
    let b = signed(seed, k.wrapping_add(1));
    a + (b - a) * s
}

/// A stream of uniform draws for a stateful simulation: the n-th draw depends only on the
/// seed and n.
#[derive(Clone, Debug)]
pub struct Draws {
    seed: u64,
    count: i64,
}

impl Draws {
    /// A fresh stream.
    pub fn new(seed: u64) -> Self {
        Draws { seed, count: 0 }
    }

    /// The next draw, uniform in `[lo, hi)`.
    pub fn between(&mut self, lo: f64, hi: f64) -> f64 {
        self.count += 1;
        between(self.seed, self.count, lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smooth_noise_is_bounded_continuous_and_seed_dependent() {
        let mut previous = smooth(7, 0.0);
        let mut differs = false;
        for i in 1..20_000 {
            let x = i as f64 * 0.001;
            let v = smooth(7, x);
            assert!((-1.0..=1.0).contains(&v));
            assert!((v - previous).abs() < 0.01, "jump at {x}");
            differs |= (v - smooth(8, x)).abs() > 1e-6;
            previous = v;
        }
        assert!(differs);
    }

    #[test]
    fn uniform_draws_cover_their_range() {
        let values: Vec<f64> = (0..10_000).map(|k| unit(3, k)).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let low = values.iter().filter(|&&v| v < 0.5).count();
        assert!((4_500..5_500).contains(&low), "{low}");
    }
}
