//! The page buffer: samples delivered but not yet acknowledged by the page, each stamped
//! with the change number it arrived under. [`crate::Feed::next`] with `after` returns the
//! samples stamped later and forgets the rest (the page has them). The buffer is bounded
//! per channel: a page that falls behind loses the oldest pending samples (latest wins),
//! counted, so the socket reader never waits for it.

use crate::update::LiveSamples;
use std::collections::{BTreeMap, VecDeque};
use telltale_data::{Block, TypeKey};

/// Most samples pending per channel (over half an hour at 10 Hz).
pub const PAGE_LIMIT: usize = 20_000;

/// One channel's pending samples, in columns.
#[derive(Debug, Default)]
struct Pending {
    stamp: VecDeque<u64>,
    t: VecDeque<i64>,
    fields: Vec<VecDeque<f64>>,
}

impl Pending {
    fn len(&self) -> usize {
        self.t.len()
    }

    fn drop_front(&mut self, n: usize) {
        let n = n.min(self.len());
        self.stamp.drain(..n);
        self.t.drain(..n);
        for column in &mut self.fields {
            column.drain(..n.min(column.len()));
        }
    }
}

/// Pending samples by (serial, channel).
#[derive(Debug)]
pub struct Page {
    channels: BTreeMap<(String, TypeKey), Pending>,
    limit: usize,
}

impl Default for Page {
    fn default() -> Self {
        Page::with_limit(PAGE_LIMIT)
    }
}

impl Page {
    pub fn with_limit(limit: usize) -> Self {
        Page {
            channels: BTreeMap::new(),
            limit: limit.max(1),
        }
    }

    /// Adds `block` (later than anything pending for the channel) under `stamp`; returns
    /// how many pending samples were dropped to stay within the limit.
    pub fn push(&mut self, serial: &str, key: TypeKey, stamp: u64, block: &Block) -> usize {
        if block.is_empty() {
            return 0;
        }
        let pending = self.channels.entry((serial.to_owned(), key)).or_default();
        // Only the newest `limit` of the block can stay; skip the rest without copying.
        let skip_in_block = block.len().saturating_sub(self.limit);
        let held = pending.len();
        let width = pending.fields.len().max(block.fields.len());
        pending
            .fields
            .resize_with(width, || std::iter::repeat_n(f64::NAN, held).collect());
        pending
            .stamp
            .extend(std::iter::repeat_n(stamp, block.len() - skip_in_block));
        pending.t.extend(&block.t[skip_in_block..]);
        let total = pending.len();
        for (i, column) in pending.fields.iter_mut().enumerate() {
            if let Some(values) = block.fields.get(i) {
                column.extend(values.iter().skip(skip_in_block));
            }
            column.resize(total, f64::NAN);
        }
        let over = total.saturating_sub(self.limit);
        pending.drop_front(over);
        skip_in_block + over
    }

    /// Forgets what is stamped `after` or earlier (the page has it) and returns copies of
    /// the rest, channel by channel.
    pub fn since(&mut self, after: u64) -> Vec<LiveSamples> {
        let mut out = Vec::new();
        self.channels.retain(|(serial, key), pending| {
            let seen = pending.stamp.partition_point(|&s| s <= after);
            pending.drop_front(seen);
            if pending.len() == 0 {
                return false;
            }
            out.push(LiveSamples {
                serial: serial.clone(),
                code: key.code,
                dsi: key.dsi,
                t: pending.t.iter().copied().collect(),
                fields: pending
                    .fields
                    .iter()
                    .map(|c| c.iter().copied().collect())
                    .collect(),
            });
            true
        });
        out
    }

    /// Samples pending over all channels.
    #[cfg(test)]
    pub fn pending(&self) -> usize {
        self.channels.values().map(Pending::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOG: TypeKey = TypeKey::new(9);

    fn block(t: std::ops::Range<i64>) -> Block {
        Block {
            fields: vec![t.clone().map(|t| t as f64).collect()],
            t: t.collect(),
        }
    }

    #[test]
    fn since_returns_what_is_newer_and_forgets_what_the_page_has() {
        let mut page = Page::default();
        page.push("A", SOG, 1, &block(0..3));
        page.push("A", SOG, 2, &block(3..5));
        page.push("B", SOG, 2, &block(0..1));
        let all = page.since(0);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].t, vec![0, 1, 2, 3, 4]);
        assert_eq!(all[0].fields, vec![vec![0.0, 1.0, 2.0, 3.0, 4.0]]);
        let again = page.since(0);
        assert_eq!(
            again, all,
            "not acknowledged yet: asked again, answered again"
        );
        let newer = page.since(1);
        assert_eq!(newer[0].t, vec![3, 4]);
        assert_eq!(page.pending(), 3);
        assert!(page.since(2).is_empty());
        assert_eq!(page.pending(), 0);
    }

    #[test]
    fn a_page_that_falls_behind_loses_the_oldest() {
        let mut page = Page::with_limit(10);
        assert_eq!(page.push("A", SOG, 1, &block(0..6)), 0);
        assert_eq!(page.push("A", SOG, 2, &block(6..12)), 2);
        assert_eq!(page.push("A", SOG, 3, &block(12..40)), 18 + 10);
        let got = page.since(0);
        assert_eq!(got[0].t, (30..40).collect::<Vec<_>>());
        assert_eq!(got[0].fields[0].len(), 10);
        assert_eq!(page.pending(), 10);
    }

    #[test]
    fn columns_that_appear_later_are_padded() {
        let mut page = Page::default();
        page.push("A", SOG, 1, &block(0..2));
        let wide = Block {
            t: vec![2],
            fields: vec![vec![7.0], vec![8.0]],
        };
        page.push("A", SOG, 2, &wide);
        page.push("A", SOG, 3, &block(3..4));
        let got = page.since(0);
        assert_eq!(got[0].fields[0], vec![0.0, 1.0, 7.0, 3.0]);
        let second = &got[0].fields[1];
        assert!(second[0].is_nan() && second[1].is_nan() && second[2] == 8.0 && second[3].is_nan());
    }
}
