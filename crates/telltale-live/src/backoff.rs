//! How long to wait before the next reconnect: exponential from `backoff_min` to
//! `backoff_max`, with "equal jitter" (half the step fixed, half random) so that many
//! clients cut off by one server restart do not all come back in the same instant.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Duration;

/// A connection that stayed live this long was healthy: the next failure starts the
/// backoff from the beginning again.
pub const STABLE_AFTER: Duration = Duration::from_secs(30);

/// The reconnect delays of one feed.
#[derive(Debug)]
pub struct Backoff {
    min: Duration,
    max: Duration,
    /// Failures since the last healthy connection.
    failures: u32,
    rng: StdRng,
}

impl Backoff {
    /// Delays between `min` and `max` (a `max` below `min` is taken as `min`), random from
    /// the system's entropy.
    pub fn new(min: Duration, max: Duration) -> Self {
        Self::with_rng(min, max, StdRng::from_entropy())
    }

    /// The same with a seeded generator (tests).
    #[cfg(test)]
    pub fn seeded(min: Duration, max: Duration, seed: u64) -> Self {
        Self::with_rng(min, max, StdRng::seed_from_u64(seed))
    }

    fn with_rng(min: Duration, max: Duration, rng: StdRng) -> Self {
        Backoff {
            min,
            max: max.max(min),
            failures: 0,
            rng,
        }
    }

    /// The step of the `n`-th failure (from 0): `min * 2^n`, at most `max`.
    pub fn step(&self, n: u32) -> Duration {
        let factor = 1u32.checked_shl(n.min(31)).unwrap_or(u32::MAX);
        self.min.saturating_mul(factor).min(self.max)
    }

    /// The delay before the next attempt: uniform in `[step/2, step]`, never below `min`.
    pub fn next_delay(&mut self) -> Duration {
        let step = self.step(self.failures);
        self.failures = self.failures.saturating_add(1);
        let low = (step / 2).max(self.min);
        if low >= step {
            return step;
        }
        let span = u64::try_from((step - low).as_micros()).unwrap_or(u64::MAX);
        low + Duration::from_micros(self.rng.gen_range(0..=span))
    }

    /// Starts again from `min` (after a healthy connection).
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// Failures counted since the last reset.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn steps_double_up_to_the_cap() {
        let b = Backoff::seeded(S, 30 * S, 1);
        let steps: Vec<u64> = (0..8).map(|n| b.step(n).as_secs()).collect();
        assert_eq!(steps, vec![1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(b.step(u32::MAX), 30 * S, "no overflow");
    }

    #[test]
    fn delays_stay_within_half_step_and_step_and_never_below_min() {
        for seed in 0..200 {
            let mut b = Backoff::seeded(S, 30 * S, seed);
            for n in 0..12 {
                let step = b.step(n);
                let d = b.next_delay();
                assert!(d >= S && d <= 30 * S, "seed {seed} n {n}: {d:?}");
                assert!(
                    d >= step / 2 && d <= step,
                    "seed {seed} n {n}: {d:?} vs {step:?}"
                );
            }
        }
    }

    #[test]
    fn jitter_spreads_the_delays() {
        let delays: std::collections::BTreeSet<u128> = (0..50)
            .map(|seed| {
                let mut b = Backoff::seeded(S, 30 * S, seed);
                for _ in 0..5 {
                    b.next_delay();
                }
                b.next_delay().as_millis()
            })
            .collect();
        assert!(delays.len() > 40, "only {} distinct delays", delays.len());
        assert!(delays.iter().all(|&d| (15_000..=30_000).contains(&d)));
    }

    #[test]
    fn reset_starts_from_min_again_and_odd_bounds_are_safe() {
        let mut b = Backoff::seeded(S, 30 * S, 3);
        for _ in 0..10 {
            b.next_delay();
        }
        assert_eq!(b.failures(), 10);
        b.reset();
        assert_eq!(b.next_delay(), S, "the first delay is min");
        let mut odd = Backoff::seeded(5 * S, S, 3);
        assert_eq!(odd.next_delay(), 5 * S, "max below min is min");
        let mut zero = Backoff::seeded(Duration::ZERO, Duration::ZERO, 3);
        assert_eq!(zero.next_delay(), Duration::ZERO);
        let mut tiny = Backoff::seeded(Duration::from_millis(10), Duration::from_millis(80), 3);
        for _ in 0..20 {
            let d = tiny.next_delay();
            assert!(d >= Duration::from_millis(10) && d <= Duration::from_millis(80));
        }
    }
}
