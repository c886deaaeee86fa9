//! Noticing a sleeping laptop: the monotonic clock (and so every timer of a connection, the
//! silence included) stops while the computer is suspended, the wall clock does not.

use std::time::{Duration, Instant, SystemTime};

/// A wall clock ahead of the monotonic one by this much means the computer slept.
const SLEEP_THRESHOLD: Duration = Duration::from_secs(10);

/// Compares the two clocks between checks. A connection from before a sleep is most likely
/// dead; without this the view would wait out the rest of the 45 s silence after waking
/// before it reconnected and filled the gap.
pub struct SleepWatch {
    mono: Instant,
    wall: SystemTime,
}

impl SleepWatch {
    pub fn new() -> Self {
        SleepWatch {
            mono: Instant::now(),
            wall: SystemTime::now(),
        }
    }

    /// How long the computer slept since the last check, if it did.
    pub fn check(&mut self) -> Option<Duration> {
        let (mono, wall) = (Instant::now(), SystemTime::now());
        let mono_passed = mono.saturating_duration_since(self.mono);
        let wall_passed = wall.duration_since(self.wall).unwrap_or_default();
        (self.mono, self.wall) = (mono, wall);
        slept(mono_passed, wall_passed)
    }
}

/// The sleep between two checks, from how far each clock moved: the wall clock's lead when
/// it is at least [`SLEEP_THRESHOLD`] (a small lead is a clock adjustment).
pub fn slept(monotonic: Duration, wall: Duration) -> Option<Duration> {
    let lead = wall.saturating_sub(monotonic);
    (lead >= SLEEP_THRESHOLD).then_some(lead)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::socket::words;

    #[test]
    fn a_sleep_is_the_wall_clock_s_lead_over_the_monotonic_one() {
        let s = Duration::from_secs;
        // A tick a second apart on both clocks, or a small adjustment: no sleep.
        assert_eq!(slept(s(1), s(1)), None);
        assert_eq!(slept(s(1), s(9)), None);
        // The wall clock went back (an adjustment): no sleep.
        assert_eq!(slept(s(1), Duration::ZERO), None);
        // Ten minutes with the lid closed: the monotonic clock stood still.
        assert_eq!(slept(s(1), s(601)), Some(s(600)));
        assert_eq!(words(s(600)), "600 s");
    }
}
