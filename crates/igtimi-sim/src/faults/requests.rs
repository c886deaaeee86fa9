//! How many requests each path received (admin paths excepted), so tests can count a
//! client's attempts, retries included.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// Most distinct paths remembered; later new paths are counted under [`OTHER_PATHS`] so a
/// flood of odd URLs cannot grow the map without bound.
pub const MAX_COUNTED_PATHS: usize = 10_000;
/// The key that counts requests for paths beyond [`MAX_COUNTED_PATHS`].
pub const OTHER_PATHS: &str = "(other paths)";

/// Requests received per path, since the start or the last [`RequestCounts::reset`].
#[derive(Debug, Default)]
pub struct RequestCounts {
    by_path: Mutex<BTreeMap<String, u64>>,
}

impl RequestCounts {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, u64>> {
        // Counting cannot leave the map half-changed; a poisoned lock is taken over.
        self.by_path.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts one request for `path`.
    pub fn count(&self, path: &str) {
        let mut map = self.lock();
        if let Some(n) = map.get_mut(path) {
            *n += 1;
            return;
        }
        let key = if map.len() < MAX_COUNTED_PATHS {
            path
        } else {
            OTHER_PATHS
        };
        *map.entry(key.to_string()).or_insert(0) += 1;
    }

    /// Requests for paths starting with `prefix` (`"/"` counts them all).
    pub fn with_prefix(&self, prefix: &str) -> u64 {
        self.lock()
            .iter()
            .filter(|(path, _)| path.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// Every counted path with its count.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.lock().clone()
    }

    /// Forgets all counts; returns how many requests had been counted.
    pub fn reset(&self) -> u64 {
        let mut map = self.lock();
        let total = map.values().sum();
        map.clear();
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_path_and_by_prefix() {
        let counts = RequestCounts::default();
        counts.count("/api/v1/account");
        counts.count("/api/v1/account");
        counts.count("/oauth/token");
        assert_eq!(counts.with_prefix("/api/"), 2);
        assert_eq!(counts.with_prefix("/"), 3);
        assert_eq!(counts.snapshot().get("/oauth/token"), Some(&1));
        assert_eq!(counts.reset(), 3);
        assert_eq!(counts.with_prefix("/"), 0);
    }

    #[test]
    fn paths_beyond_the_limit_share_one_entry() {
        let counts = RequestCounts::default();
        for i in 0..MAX_COUNTED_PATHS + 5 {
            counts.count(&format!("/p/{i}"));
        }
        counts.count("/p/0");
        let snapshot = counts.snapshot();
        assert_eq!(snapshot.len(), MAX_COUNTED_PATHS + 1);
        assert_eq!(snapshot.get(OTHER_PATHS), Some(&5));
        assert_eq!(snapshot.get("/p/0"), Some(&2));
    }
}
