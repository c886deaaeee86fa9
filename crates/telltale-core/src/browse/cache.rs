//! Decoded chunks by what was asked for, so zooming and re-opening never fetch twice. Bounded
//! by the bytes of samples held; the least recently used chunks go first.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use telltale_data::Dataset;

/// What identifies a fetched chunk: who asked, which devices, which window, which types.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ChunkKey {
    /// Read through Riot (types are then field numbers): one server may speak both.
    pub riot: bool,
    /// The server, as shown to the user.
    pub server: String,
    /// The account the data was read as (`None` when not yet known).
    pub account: Option<u64>,
    /// Serials, sorted.
    pub serials: Vec<String>,
    /// Window start, ms.
    pub start: i64,
    /// Window end, ms.
    pub end: i64,
    /// Type codes, sorted.
    pub types: Vec<u16>,
}

/// The chunk cache.
#[derive(Debug)]
pub(crate) struct ChunkCache {
    cap_bytes: usize,
    held_bytes: usize,
    chunks: HashMap<ChunkKey, Arc<Dataset>>,
    /// Least recently used first.
    order: VecDeque<ChunkKey>,
}

impl ChunkCache {
    /// An empty cache holding at most `cap_bytes` of samples.
    pub fn new(cap_bytes: usize) -> Self {
        ChunkCache {
            cap_bytes,
            held_bytes: 0,
            chunks: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// The chunk for `key`, marked as just used.
    pub fn get(&mut self, key: &ChunkKey) -> Option<Arc<Dataset>> {
        let chunk = self.chunks.get(key)?.clone();
        self.touch(key);
        Some(chunk)
    }

    /// Keeps `chunk` under `key`, evicting the least recently used chunks over the cap. A
    /// chunk larger than the whole cap is not kept.
    pub fn insert(&mut self, key: ChunkKey, chunk: Arc<Dataset>) {
        let size = chunk.heap_bytes();
        if size > self.cap_bytes {
            return;
        }
        if let Some(old) = self.chunks.insert(key.clone(), chunk) {
            self.held_bytes -= old.heap_bytes();
        }
        self.held_bytes += size;
        self.touch(&key);
        while self.held_bytes > self.cap_bytes {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.chunks.remove(&oldest) {
                self.held_bytes -= gone.heap_bytes();
            }
        }
    }

    /// Drops everything.
    pub fn clear(&mut self) {
        self.chunks.clear();
        self.order.clear();
        self.held_bytes = 0;
    }

    /// Number of chunks held.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.chunks.len()
    }

    fn touch(&mut self, key: &ChunkKey) {
        if let Some(position) = self.order.iter().position(|k| k == key) {
            self.order.remove(position);
        }
        self.order.push_back(key.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use telltale_data::{Block, TypeKey};

    fn key(start: i64) -> ChunkKey {
        ChunkKey {
            riot: false,
            server: "s".into(),
            account: Some(1),
            serials: vec!["A".into()],
            start,
            end: start + 9,
            types: vec![9],
        }
    }

    fn chunk(samples: usize) -> Arc<Dataset> {
        let mut dataset = Dataset::default();
        dataset
            .devices
            .entry("A".into())
            .or_default()
            .channels
            .insert(
                TypeKey::new(9),
                Block {
                    t: (0..samples as i64).collect(),
                    fields: vec![vec![1.0; samples]],
                },
            );
        Arc::new(dataset)
    }

    #[test]
    fn least_recently_used_chunks_leave_first() {
        // Each chunk of 10 samples holds 160 bytes; room for two.
        let mut cache = ChunkCache::new(350);
        cache.insert(key(0), chunk(10));
        cache.insert(key(10), chunk(10));
        assert!(cache.get(&key(0)).is_some());
        cache.insert(key(20), chunk(10));
        assert_eq!(cache.len(), 2);
        assert!(
            cache.get(&key(10)).is_none(),
            "the least recently used went"
        );
        assert!(cache.get(&key(0)).is_some() && cache.get(&key(20)).is_some());
        cache.insert(key(30), chunk(1000));
        assert!(cache.get(&key(30)).is_none(), "too large to keep");
        cache.clear();
        assert_eq!(cache.len(), 0);
    }
}
