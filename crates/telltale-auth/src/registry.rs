//! [`PendingSignIns`]: the sign-in attempts in progress, each usable once, found by `state`
//! compared in constant time, and forgotten after a while.

use crate::{AuthError, PendingSignIn};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use subtle::{ConditionallySelectable, ConstantTimeEq};

/// How long an attempt may wait for its callback.
pub const DEFAULT_TTL: Duration = Duration::from_secs(10 * 60);
/// How many attempts may be in progress at once; starting more drops the oldest.
pub const DEFAULT_CAPACITY: usize = 8;

/// Thread-safe registry of sign-in attempts in progress.
#[derive(Debug)]
pub struct PendingSignIns {
    attempts: Mutex<Vec<PendingSignIn>>,
    ttl: Duration,
    capacity: usize,
}

impl Default for PendingSignIns {
    fn default() -> Self {
        Self::new()
    }
}

impl PendingSignIns {
    /// A registry with a 10-minute expiry and room for 8 attempts.
    pub fn new() -> Self {
        Self::with_limits(DEFAULT_TTL, DEFAULT_CAPACITY)
    }

    /// A registry with the given expiry and capacity (at least 1).
    pub fn with_limits(ttl: Duration, capacity: usize) -> Self {
        Self {
            attempts: Mutex::new(Vec::new()),
            ttl,
            capacity: capacity.max(1),
        }
    }

    /// Holds an attempt until its callback arrives, dropping expired attempts and, when full,
    /// the oldest one.
    pub fn insert(&self, pending: PendingSignIn) {
        self.insert_at(pending, Instant::now());
    }

    /// [`Self::insert`] with an explicit current time.
    pub fn insert_at(&self, pending: PendingSignIn, now: Instant) {
        let mut attempts = self.lock();
        self.drop_expired(&mut attempts, now);
        while attempts.len() >= self.capacity {
            attempts.remove(0);
        }
        attempts.push(pending);
    }

    /// Finds and removes the attempt whose `state` equals `state`. Unknown, already taken
    /// and expired states all give [`AuthError::InvalidState`].
    pub fn take(&self, state: &str) -> Result<PendingSignIn, AuthError> {
        self.take_at(state, Instant::now())
    }

    /// [`Self::take`] with an explicit current time.
    pub fn take_at(&self, state: &str, now: Instant) -> Result<PendingSignIn, AuthError> {
        let mut attempts = self.lock();
        self.drop_expired(&mut attempts, now);
        match find(&attempts, state) {
            Some(index) => Ok(attempts.remove(index)),
            None => Err(AuthError::InvalidState),
        }
    }

    /// Finds the attempt with `state` (compared like [`Self::take`]) and lets `check` read the
    /// redirect against it: `Ok` takes the attempt; [`Refusal::Keep`] leaves it waiting for
    /// its real redirect; [`Refusal::End`] removes it (its secrets reached the wrong place).
    pub(crate) fn claim<T>(
        &self,
        state: &str,
        check: impl FnOnce(&PendingSignIn) -> Result<T, Refusal>,
    ) -> Result<(PendingSignIn, T), AuthError> {
        let mut attempts = self.lock();
        let now = Instant::now();
        self.drop_expired(&mut attempts, now);
        let index = find(&attempts, state).ok_or(AuthError::InvalidState)?;
        match check(&attempts[index]) {
            Ok(answer) => Ok((attempts.remove(index), answer)),
            Err(Refusal::Keep(error)) => Err(error),
            Err(Refusal::End(error)) => {
                attempts.remove(index);
                Err(error)
            }
        }
    }

    /// The provider profile of the waiting attempt with `state` (compared like
    /// [`Self::take`]); takes nothing.
    pub fn profile_of(&self, state: &str) -> Option<String> {
        let mut attempts = self.lock();
        self.drop_expired(&mut attempts, Instant::now());
        find(&attempts, state).map(|index| attempts[index].profile.clone())
    }

    /// Forgets every attempt (one finished or was cancelled: the others must not switch the
    /// account later). Returns how many there were.
    pub fn clear(&self) -> usize {
        let mut attempts = self.lock();
        let count = attempts.len();
        attempts.clear();
        count
    }

    /// Whether an unexpired attempt with `state` is waiting, compared like [`Self::take`]
    /// (every stored state, each in constant time). Takes nothing.
    pub fn contains(&self, state: &str) -> bool {
        let attempts = self.lock();
        let now = Instant::now();
        let mut found = subtle::Choice::from(0);
        for attempt in attempts.iter() {
            let live = u8::from(now.saturating_duration_since(attempt.started_at) < self.ttl);
            found |= states_equal(attempt.state.secret(), state) & subtle::Choice::from(live);
        }
        bool::from(found)
    }

    /// How many attempts are waiting (expired ones included until the next insert or take).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no attempt is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn drop_expired(&self, attempts: &mut Vec<PendingSignIn>, now: Instant) {
        attempts.retain(|attempt| now.saturating_duration_since(attempt.started_at) < self.ttl);
    }

    fn lock(&self) -> MutexGuard<'_, Vec<PendingSignIn>> {
        // A panic elsewhere while holding the lock leaves the list itself intact.
        self.attempts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Why [`PendingSignIns::claim`] refused a redirect, and what becomes of its attempt.
pub(crate) enum Refusal {
    /// Malformed or sent the wrong way: the attempt waits on for its real redirect.
    Keep(AuthError),
    /// A mix-up: the attempt's state reached another provider's return address or issuer,
    /// so the attempt is over.
    End(AuthError),
}

/// The index of the attempt with `state`. Every stored state is compared, each in constant
/// time, and the match is selected without branching, so timing reveals neither which
/// attempt matched nor how much of a guessed state was right.
fn find(attempts: &[PendingSignIn], state: &str) -> Option<usize> {
    let mut found = u64::MAX;
    for (index, attempt) in attempts.iter().enumerate() {
        let index = u64::try_from(index).unwrap_or(u64::MAX);
        found.conditional_assign(&index, states_equal(attempt.state.secret(), state));
    }
    usize::try_from(found).ok().filter(|&i| i < attempts.len())
}

/// Constant-time equality of two states. Only a length difference returns early, and state
/// lengths are fixed and public.
pub(crate) fn states_equal(stored: &str, received: &str) -> subtle::Choice {
    stored.as_bytes().ct_eq(received.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SignIn;
    use url::Url;

    fn attempt() -> PendingSignIn {
        let provider = crate::Provider::igtimi(
            &Url::parse("http://127.0.0.1:9/").expect("base"),
            "telltale",
            None,
            Url::parse("io.telltale.app:/oauth/callback").expect("redirect"),
        )
        .expect("provider");
        SignIn::start(&provider).1
    }

    #[test]
    fn a_state_is_usable_once() {
        let registry = PendingSignIns::new();
        let pending = attempt();
        let state = pending.state_secret().to_owned();
        let verifier = pending.verifier_secret().map(str::to_owned);
        registry.insert(pending);
        let taken = registry.take(&state).expect("first use");
        assert_eq!(taken.verifier_secret().map(str::to_owned), verifier);
        assert_eq!(registry.take(&state).err(), Some(AuthError::InvalidState));
    }

    #[test]
    fn the_matching_attempt_is_found_among_several() {
        let registry = PendingSignIns::new();
        let attempts: Vec<PendingSignIn> = (0..5).map(|_| attempt()).collect();
        let states: Vec<String> = attempts
            .iter()
            .map(|a| a.state_secret().to_owned())
            .collect();
        attempts.into_iter().for_each(|a| registry.insert(a));
        let taken = registry.take(&states[2]).expect("middle attempt");
        assert_eq!(taken.state_secret(), states[2]);
        assert_eq!(registry.len(), 4);
    }

    #[test]
    fn wrong_near_miss_and_empty_states_are_refused() {
        let registry = PendingSignIns::new();
        let pending = attempt();
        let state = pending.state_secret().to_owned();
        registry.insert(pending);
        let mut last_changed = state.clone();
        let last = if state.ends_with('A') { "B" } else { "A" };
        last_changed.replace_range(state.len() - 1.., last);
        for wrong in [
            "",
            "nonsense",
            &state[..state.len() - 1],
            &format!("{state}x"),
            &last_changed,
            &state.to_uppercase(),
        ] {
            if wrong != state {
                assert_eq!(
                    registry.take(wrong).err(),
                    Some(AuthError::InvalidState),
                    "{wrong}"
                );
            }
        }
        assert!(
            registry.take(&state).is_ok(),
            "the right state still works after misses"
        );
    }

    #[test]
    fn attempts_expire() {
        let registry = PendingSignIns::with_limits(Duration::from_secs(600), 8);
        let pending = attempt();
        let state = pending.state_secret().to_owned();
        let started = pending.started_at();
        registry.insert_at(pending, started);
        let late = started + Duration::from_secs(600);
        assert_eq!(
            registry.take_at(&state, late).err(),
            Some(AuthError::InvalidState)
        );
        assert!(registry.is_empty());

        let pending = attempt();
        let state = pending.state_secret().to_owned();
        let started = pending.started_at();
        registry.insert_at(pending, started);
        assert!(registry
            .take_at(&state, started + Duration::from_secs(599))
            .is_ok());
    }

    #[test]
    fn a_full_registry_drops_the_oldest_attempt() {
        let registry = PendingSignIns::with_limits(DEFAULT_TTL, 2);
        let first = attempt();
        let first_state = first.state_secret().to_owned();
        registry.insert(first);
        registry.insert(attempt());
        let third = attempt();
        let third_state = third.state_secret().to_owned();
        registry.insert(third);
        assert_eq!(registry.len(), 2);
        assert_eq!(
            registry.take(&first_state).err(),
            Some(AuthError::InvalidState)
        );
        assert!(registry.take(&third_state).is_ok());
    }

    #[test]
    fn constant_time_comparison_is_exact() {
        assert!(bool::from(states_equal("abc", "abc")));
        assert!(!bool::from(states_equal("abc", "abd")));
        assert!(!bool::from(states_equal("abc", "ab")));
        assert!(!bool::from(states_equal("abc", "")));
        assert!(!bool::from(states_equal("abc", "ABC")));
    }

    #[test]
    fn the_registry_is_shared_across_threads() {
        let registry = std::sync::Arc::new(PendingSignIns::new());
        let pending = attempt();
        let state = pending.state_secret().to_owned();
        registry.insert(pending);
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let registry = registry.clone();
                let state = state.clone();
                std::thread::spawn(move || registry.take(&state).is_ok())
            })
            .collect();
        let wins = handles
            .into_iter()
            .filter_map(|h| h.join().ok())
            .filter(|won| *won)
            .count();
        assert_eq!(wins, 1, "exactly one thread may use a state");
    }
}
