//! Trying an idempotent GET again when its failure may pass: the policy (how many times,
//! how long to pause) and which failures qualify.
//!
//! Only the reading calls of [`crate::IgtimiClient`] are retried: account, devices, groups,
//! sessions, users, resources, data types, latest values, data access windows. Retried are
//! failures that say nothing about the request itself: no connection, a reset, a timeout, a
//! body cut off mid-way, and 502/503/504 (a proxy or a restarting server). Never retried:
//! other statuses (a 4xx is the request's fault and stays one; a 500 is a server bug that a
//! second try rarely fixes), answers that are not the JSON the API promises, and answers over
//! the size cap. `resources/data` is not retried here: the app's chunk loader retries whole
//! chunks, decoding included, and a second layer would multiply the attempts.
//!
//! OAuth calls (code exchange, password grant, refresh) are not made by this client and are
//! never retried anywhere: a code is single-use, and a refresh token rotates, so a retry after
//! a lost answer would present a token the server already replaced.

use crate::ApiError;
use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

/// How often, and after which pauses, a failed idempotent GET is tried again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries after the first one (0: none).
    pub retries: u32,
    /// Pause before the first retry; each later pause doubles, up to `max_pause`.
    pub first_pause: Duration,
    /// Longest pause before a retry (jitter excluded).
    pub max_pause: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, after about 0.5 s and 1 s (each plus up to a quarter at random).
    fn default() -> Self {
        RetryPolicy {
            retries: 2,
            first_pause: Duration::from_millis(500),
            max_pause: Duration::from_secs(4),
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is tried once.
    pub fn never() -> Self {
        RetryPolicy {
            retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The pause before retry number `retry` (0 for the first): `first_pause` doubled
    /// `retry` times, capped at `max_pause`, plus up to a quarter of that at random so that
    /// many clients hit by the same outage do not come back in step.
    pub fn pause(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        let base = self
            .first_pause
            .checked_mul(factor)
            .unwrap_or(self.max_pause)
            .min(self.max_pause);
        let quarter_nanos = u64::try_from((base / 4).as_nanos()).unwrap_or(u64::MAX);
        let random = RandomState::new().hash_one(retry);
        base + Duration::from_nanos(random % quarter_nanos.max(1))
    }

    /// The longest all pauses of one call can add up to (jitter included).
    pub fn total_pause_bound(&self) -> Duration {
        (0..self.retries)
            .map(|retry| {
                let pause = self
                    .first_pause
                    .checked_mul(1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX))
                    .unwrap_or(self.max_pause)
                    .min(self.max_pause);
                pause + pause / 4
            })
            .sum()
    }
}

/// A failed attempt, and whether trying again may succeed.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: ApiError,
    pub transient: bool,
}

impl Failure {
    /// A failure that another try will not change.
    pub fn lasting(error: ApiError) -> Self {
        Failure {
            error,
            transient: false,
        }
    }

    /// A failure that may pass (transport trouble, a cut-off body).
    pub fn passing(error: ApiError) -> Self {
        Failure {
            error,
            transient: true,
        }
    }
}

impl From<ApiError> for Failure {
    /// Classifies an error by its kind: no connection, timeouts and 502/503/504 may pass.
    fn from(error: ApiError) -> Self {
        let transient = match &error {
            ApiError::Unreachable { .. } | ApiError::Timeout => true,
            ApiError::Server { status } => matches!(status, 502..=504),
            _ => false,
        };
        Failure { error, transient }
    }
}

/// Runs `attempt` until it succeeds, fails for good, or `policy`'s retries are spent,
/// pausing between tries. Returns the last error.
pub(crate) async fn with_retries<T, F, Fut>(
    policy: &RetryPolicy,
    mut attempt: F,
) -> Result<T, ApiError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, Failure>>,
{
    let mut retry = 0;
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(failure) if failure.transient && retry < policy.retries => {
                tokio::time::sleep(policy.pause(retry)).await;
                retry += 1;
            }
            Err(failure) => return Err(failure.error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_cap_with_bounded_jitter() {
        let policy = RetryPolicy {
            retries: 5,
            first_pause: Duration::from_millis(100),
            max_pause: Duration::from_millis(350),
        };
        for (retry, base) in [(0, 100), (1, 200), (2, 350), (3, 350), (40, 350)] {
            for _ in 0..20 {
                let pause = policy.pause(retry).as_millis() as u64;
                assert!(
                    (base..=base + base / 4).contains(&pause),
                    "{retry}: {pause}"
                );
            }
        }
        assert_eq!(
            policy.total_pause_bound(),
            Duration::from_millis(125 + 250 + 3 * 437) + Duration::from_micros(1500)
        );
    }

    #[test]
    fn only_failures_that_may_pass_are_transient() {
        let transient = |e: ApiError| Failure::from(e).transient;
        assert!(transient(ApiError::Timeout));
        assert!(transient(ApiError::Unreachable {
            server: "h:1".into()
        }));
        for status in [502, 503, 504] {
            assert!(transient(ApiError::Server { status }), "{status}");
        }
        assert!(!transient(ApiError::Server { status: 500 }));
        assert!(!transient(ApiError::Unauthorized));
        assert!(!transient(ApiError::TooLarge { limit_bytes: 1 }));
        assert!(!transient(ApiError::InvalidResponse { detail: "x".into() }));
        assert!(!transient(ApiError::Refused {
            status: 429,
            reason: "slow down".into()
        }));
    }
}
