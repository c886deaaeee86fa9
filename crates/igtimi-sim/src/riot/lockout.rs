//! The lockout of clients that guess bearer tokens, as the real service has one: after
//! [`MAX_BAD_TOKENS`] unknown bearer tokens from one IP address within [`WINDOW_MS`], every
//! Riot call from that address answers 401 (plain text, `Retry-After`) for [`LOCKOUT_MS`].
//!
//! Time is the simulator's [`crate::clock::Clock`], so tests end a lockout by moving it
//! (`POST /__admin/clock/advance`). Good credentials do not lift an active lockout, calls
//! refused while locked out do not extend it, and the count starts again afterwards.

use super::error::RiotError;
use crate::server::{ConnInfo, Shared};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::Extensions;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};

/// Unknown bearer tokens from one address that start a lockout.
pub const MAX_BAD_TOKENS: usize = 10;
/// The span those tokens must fall in.
pub const WINDOW_MS: i64 = 60_000;
/// How long a lockout lasts.
pub const LOCKOUT_MS: i64 = 60_000;
/// Addresses remembered at once; beyond that, those with nothing pending are forgotten.
const MAX_ADDRESSES: usize = 10_000;

#[derive(Debug, Default)]
struct Entry {
    /// Times (ms) of the recent unknown tokens, oldest first.
    failures: VecDeque<i64>,
    locked_until: Option<i64>,
}

impl Entry {
    fn pending(&self, now: i64) -> bool {
        self.locked_until.is_some_and(|until| until > now)
            || self.failures.back().is_some_and(|&t| t > now - WINDOW_MS)
    }
}

/// Unknown-token counts and lockouts per client address.
#[derive(Debug, Default)]
pub struct Lockout {
    by_ip: Mutex<HashMap<IpAddr, Entry>>,
}

impl Lockout {
    fn lock(&self) -> MutexGuard<'_, HashMap<IpAddr, Entry>> {
        // Each update leaves an entry whole; a poisoned lock is taken over.
        self.by_ip.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Milliseconds left of the address's lockout, if it is locked out at `now`.
    pub fn remaining_ms(&self, ip: IpAddr, now: i64) -> Option<i64> {
        let until = self.lock().get(&ip)?.locked_until?;
        (until > now).then_some(until - now)
    }

    /// Counts an unknown bearer token from `ip`; the tenth within the window locks it out.
    pub fn note_bad_token(&self, ip: IpAddr, now: i64) {
        let mut map = self.lock();
        if map.len() >= MAX_ADDRESSES && !map.contains_key(&ip) {
            map.retain(|_, entry| entry.pending(now));
        }
        let entry = map.entry(ip).or_default();
        if entry.locked_until.is_some_and(|until| until > now) {
            return;
        }
        entry.locked_until = None;
        entry.failures.retain(|&t| t > now - WINDOW_MS);
        entry.failures.push_back(now);
        if entry.failures.len() >= MAX_BAD_TOKENS {
            entry.failures.clear();
            entry.locked_until = Some(now + LOCKOUT_MS);
        }
    }
}

/// The client's address, when the server recorded one (it always does over TCP).
pub fn peer_ip(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<ConnInfo>>()
        .map(|c| c.0.peer.ip())
}

/// Refuses every call from a locked-out address before its handler runs.
pub async fn middleware(State(state): State<Shared>, req: Request, next: Next) -> Response {
    if let Some(ip) = peer_ip(req.extensions()) {
        if let Some(ms) = state.riot.lockout.remaining_ms(ip, state.clock.now_ms()) {
            let retry_after_secs = (ms + 999) / 1000;
            return RiotError::LockedOut { retry_after_secs }.into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_bad_tokens_in_a_minute_lock_out_for_a_minute() {
        let lockout = Lockout::default();
        let ip: IpAddr = [127, 0, 0, 1].into();
        for i in 0..MAX_BAD_TOKENS as i64 - 1 {
            lockout.note_bad_token(ip, i * 1000);
        }
        assert_eq!(lockout.remaining_ms(ip, 9_000), None);
        lockout.note_bad_token(ip, 9_500);
        assert_eq!(lockout.remaining_ms(ip, 10_000), Some(59_500));
        // More bad tokens while locked out do not extend it.
        lockout.note_bad_token(ip, 30_000);
        assert_eq!(lockout.remaining_ms(ip, 69_499), Some(1));
        assert_eq!(lockout.remaining_ms(ip, 69_500), None);
        let other: IpAddr = [127, 0, 0, 2].into();
        assert_eq!(lockout.remaining_ms(other, 10_000), None);
    }

    #[test]
    fn old_failures_fall_out_of_the_window() {
        let lockout = Lockout::default();
        let ip: IpAddr = [10, 0, 0, 1].into();
        for i in 0..MAX_BAD_TOKENS as i64 - 1 {
            lockout.note_bad_token(ip, i);
        }
        lockout.note_bad_token(ip, WINDOW_MS + 100);
        assert_eq!(lockout.remaining_ms(ip, WINDOW_MS + 100), None);
    }
}
