//! One device's samples as they arrive, message by message, in columns; put in time order
//! once at the end (Riot sends messages in no guaranteed order).

use super::convert::{Reading, Sink};
use crate::decode::tidy;
use crate::model::{Block, DeviceData, TypeKey};
use std::collections::btree_map::Entry;

/// Blocks of one device under construction, in order of first appearance.
#[derive(Debug, Default)]
pub(super) struct Columns {
    keys: Vec<TypeKey>,
    blocks: Vec<Block>,
    /// The block the previous sample went to.
    last: usize,
    /// Lengths at [`Columns::mark`]: the block count, then each block's sample count.
    marks: Vec<usize>,
}

impl Sink for Columns {
    /// Appends one sample to its block (unsorted for now). A message's points come in
    /// the same order of kinds message after message, so the block after the previous
    /// one is tried first, then the previous one, then all (a handful per device).
    #[inline]
    fn put(&mut self, reading: Reading) {
        let key = TypeKey::with_dsi(reading.code, reading.dsi);
        let next = self.last + 1;
        let at = if self.keys.get(next) == Some(&key) {
            next
        } else if self.keys.get(self.last) == Some(&key) {
            self.last
        } else {
            self.find_or_add(key, reading.width)
        };
        self.last = at;
        let block = &mut self.blocks[at];
        // Every reading of one type code has that type's width (convert.rs), so the columns
        // stay as long as `t`.
        debug_assert_eq!(block.fields.len(), usize::from(reading.width));
        block.t.push(reading.t);
        for (column, &value) in block.fields.iter_mut().zip(&reading.values) {
            column.push(value);
        }
    }
}

impl Columns {
    /// Whether no sample was put.
    pub fn is_empty(&self) -> bool {
        self.blocks.iter().all(Block::is_empty)
    }

    #[cold]
    fn find_or_add(&mut self, key: TypeKey, width: u8) -> usize {
        match self.keys.iter().position(|k| *k == key) {
            Some(at) => at,
            None => {
                self.keys.push(key);
                self.blocks.push(Block {
                    t: Vec::new(),
                    fields: vec![Vec::new(); usize::from(width)],
                });
                self.blocks.len() - 1
            }
        }
    }

    /// Remembers the current lengths, for [`Columns::rollback`].
    #[inline]
    pub fn mark(&mut self) {
        self.marks.clear();
        self.marks.push(self.blocks.len());
        self.marks.extend(self.blocks.iter().map(Block::len));
    }

    /// Drops every sample put since the last [`Columns::mark`] (a refused message's).
    pub fn rollback(&mut self) {
        let Some((&count, lengths)) = self.marks.split_first() else {
            return;
        };
        self.keys.truncate(count);
        self.blocks.truncate(count);
        for (block, &len) in self.blocks.iter_mut().zip(lengths) {
            block.t.truncate(len);
            for column in &mut block.fields {
                column.truncate(len);
            }
        }
        self.last = 0;
    }

    /// Appends `later`'s samples after this one's (a later part of the same device's list).
    pub fn append(&mut self, later: Columns) {
        for (key, block) in later.keys.into_iter().zip(later.blocks) {
            let at = self.find_or_add(key, block.fields.len() as u8);
            let into = &mut self.blocks[at];
            into.t.extend_from_slice(&block.t);
            for (column, more) in into.fields.iter_mut().zip(&block.fields) {
                column.extend_from_slice(more);
            }
        }
    }

    /// Puts every block in time order (repeated times dropped, the first kept), on up to
    /// `threads` threads, and adds it to `device`, merging with a block already held there.
    pub fn finish_into(self, device: &mut DeviceData, threads: usize) {
        let mut blocks: Vec<(TypeKey, Block)> = self
            .keys
            .into_iter()
            .zip(self.blocks)
            .filter(|(_, block)| !block.is_empty())
            .collect();
        let samples: usize = blocks.iter().map(|(_, b)| b.len()).sum();
        let threads = threads.min(blocks.len());
        if threads > 1 && samples >= super::PARALLEL_SAMPLES {
            let per_thread = blocks.len().div_ceil(threads);
            std::thread::scope(|scope| {
                for part in blocks.chunks_mut(per_thread) {
                    scope.spawn(move || part.iter_mut().for_each(|(_, b)| tidy::order(b)));
                }
            });
        } else {
            blocks.iter_mut().for_each(|(_, b)| tidy::order(b));
        }
        for (key, block) in blocks {
            match device.channels.entry(key) {
                Entry::Vacant(entry) => {
                    entry.insert(block);
                }
                Entry::Occupied(mut entry) => {
                    let held = entry.get_mut();
                    match (held.t.last(), block.t.first()) {
                        // Later than all held (a live message): appended, nothing to sort.
                        (Some(last), Some(first))
                            if first > last && held.fields.len() == block.fields.len() =>
                        {
                            held.t.extend_from_slice(&block.t);
                            for (column, more) in held.fields.iter_mut().zip(&block.fields) {
                                column.extend_from_slice(more);
                            }
                        }
                        _ => tidy::absorb(held, block),
                    }
                }
            }
        }
    }
}
