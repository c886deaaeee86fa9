//! The kept window: per channel, the newest `keep` of samples, strictly ascending in time.
//! Every sample the feed delivers passes through [`Window::take`], which is also the one
//! place duplicates are decided: a sample is new only when it is later than the newest one
//! its channel holds, so delivered samples never repeat and never go back in time.

use std::time::Duration;
use telltale_data::{Block, Dataset, TypeKey};

/// Most samples kept per channel whatever `keep` says (10 minutes at 100 Hz), so a server
/// sending many distinct times cannot fill memory.
pub const MAX_KEPT_PER_CHANNEL: usize = 60_000;

/// Most channels kept per device (type codes × data sources); more are not kept.
pub const MAX_CHANNELS_PER_DEVICE: usize = 256;

/// What [`Window::take`] did with a block.
#[derive(Debug, Default, PartialEq)]
pub struct Taken {
    /// The samples that were new, now kept (and to be delivered).
    pub fresh: Block,
    /// Samples at or before the channel's newest time: dropped.
    pub older: usize,
    /// Samples that left the window to make room (older than `keep`, or over the cap).
    pub trimmed: usize,
    /// The block was not kept: its device has [`MAX_CHANNELS_PER_DEVICE`] channels already.
    pub refused: bool,
}

/// The kept samples, by device and channel.
#[derive(Debug, Clone)]
pub struct Window {
    data: Dataset,
    keep_ms: i64,
}

impl Window {
    pub fn new(keep: Duration) -> Self {
        Window {
            data: Dataset::default(),
            keep_ms: i64::try_from(keep.as_millis()).unwrap_or(i64::MAX),
        }
    }

    /// How much is kept, in ms.
    pub fn keep_ms(&self) -> i64 {
        self.keep_ms
    }

    /// The kept samples.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// The newest time held for `serial`'s channel `key`.
    #[cfg(test)]
    pub fn last(&self, serial: &str, key: TypeKey) -> Option<i64> {
        self.data.block(serial, key)?.t.last().copied()
    }

    /// The channels held for `serial` with their newest times.
    pub fn lasts(&self, serial: &str) -> Vec<(TypeKey, i64)> {
        self.data
            .devices
            .get(serial)
            .map(|device| {
                device
                    .channels
                    .iter()
                    .filter_map(|(key, block)| Some((*key, *block.t.last()?)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Keeps the samples of `block` that are later than everything `serial`'s channel
    /// `key` holds (the block may be in any order; a sample not later than the newest seen
    /// so far is dropped), then trims the channel to `keep` before its newest sample.
    pub fn take(&mut self, serial: &str, key: TypeKey, block: &Block) -> Taken {
        let device = self.data.devices.entry(serial.to_owned()).or_default();
        if !device.channels.contains_key(&key) && device.channels.len() >= MAX_CHANNELS_PER_DEVICE {
            return Taken {
                older: block.len(),
                refused: true,
                ..Taken::default()
            };
        }
        let held = device.channels.entry(key).or_default();
        let mut newest = held.t.last().copied();
        let width = block.fields.len();
        let mut taken = Taken {
            fresh: Block {
                t: Vec::new(),
                fields: vec![Vec::new(); width],
            },
            ..Taken::default()
        };
        for (i, &t) in block.t.iter().enumerate() {
            if newest.is_some_and(|n| t <= n) {
                taken.older += 1;
                continue;
            }
            newest = Some(t);
            taken.fresh.t.push(t);
            for (column, source) in taken.fresh.fields.iter_mut().zip(&block.fields) {
                column.push(source.get(i).copied().unwrap_or(f64::NAN));
            }
        }
        append(held, &taken.fresh);
        taken.trimmed = trim(held, self.keep_ms);
        if held.is_empty() {
            device.channels.remove(&key);
        }
        taken
    }
}

/// Appends `later` to `into` as it is, NaN-padding columns that either side lacks (the
/// window appends only later samples; the gap-fill's hold appends as frames came).
pub fn append(into: &mut Block, later: &Block) {
    if later.is_empty() {
        return;
    }
    let held = into.t.len();
    let width = into.fields.len().max(later.fields.len());
    into.fields.resize_with(width, || vec![f64::NAN; held]);
    into.t.extend_from_slice(&later.t);
    let total = into.t.len();
    for (i, column) in into.fields.iter_mut().enumerate() {
        column.truncate(held);
        if let Some(more) = later.fields.get(i) {
            column.extend_from_slice(more);
        }
        column.resize(total, f64::NAN);
    }
}

/// Drops the samples older than `keep_ms` before the newest and those over
/// [`MAX_KEPT_PER_CHANNEL`]; returns how many.
fn trim(block: &mut Block, keep_ms: i64) -> usize {
    let Some(&newest) = block.t.last() else {
        return 0;
    };
    let cutoff = newest.saturating_sub(keep_ms);
    let expired = block.t.partition_point(|&t| t < cutoff);
    let over = block.t.len().saturating_sub(MAX_KEPT_PER_CHANNEL);
    let drop = expired.max(over);
    if drop > 0 {
        block.t.drain(..drop);
        for column in &mut block.fields {
            column.drain(..drop.min(column.len()));
        }
    }
    drop
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(t: &[i64]) -> Block {
        Block {
            t: t.to_vec(),
            fields: vec![t.iter().map(|&t| t as f64 / 10.0).collect()],
        }
    }

    const SOG: TypeKey = TypeKey::new(9);

    #[test]
    fn only_later_samples_are_taken_and_repeats_are_counted() {
        let mut w = Window::new(Duration::from_secs(600));
        let a = w.take("A", SOG, &block(&[1000, 2000, 3000]));
        assert_eq!((a.fresh.t.clone(), a.older), (vec![1000, 2000, 3000], 0));
        let b = w.take("A", SOG, &block(&[2000, 3000, 4000, 3500, 5000]));
        assert_eq!(b.fresh.t, vec![4000, 5000]);
        assert_eq!(b.fresh.fields, vec![vec![400.0, 500.0]]);
        assert_eq!(b.older, 3);
        let held = w.data().block("A", SOG).unwrap();
        assert_eq!(held.t, vec![1000, 2000, 3000, 4000, 5000]);
        assert!(held.t.windows(2).all(|p| p[0] < p[1]));
        assert_eq!(w.last("A", SOG), Some(5000));
        assert_eq!(w.lasts("A"), vec![(SOG, 5000)]);
        assert_eq!(w.last("B", SOG), None);
    }

    #[test]
    fn the_window_keeps_only_keep_before_the_newest() {
        let mut w = Window::new(Duration::from_secs(10));
        w.take("A", SOG, &block(&[0, 5_000, 9_000]));
        let t = w.take("A", SOG, &block(&[12_000, 16_000]));
        assert_eq!(t.trimmed, 2, "0 and 5000 are more than 10 s before 16000");
        assert_eq!(
            w.data().block("A", SOG).unwrap().t,
            vec![9_000, 12_000, 16_000]
        );
        assert_eq!(
            w.data().block("A", SOG).unwrap().fields[0],
            vec![900.0, 1200.0, 1600.0]
        );
    }

    #[test]
    fn a_channel_is_capped_in_samples_and_a_device_in_channels() {
        let mut w = Window::new(Duration::from_secs(3600));
        let many: Vec<i64> = (0..MAX_KEPT_PER_CHANNEL as i64 + 10).collect();
        let t = w.take("A", SOG, &block(&many));
        assert_eq!(t.trimmed, 10);
        assert_eq!(
            w.data().block("A", SOG).unwrap().len(),
            MAX_KEPT_PER_CHANNEL
        );
        for code in 0..MAX_CHANNELS_PER_DEVICE as u16 {
            w.take("B", TypeKey::new(code), &block(&[1]));
        }
        let refused = w.take("B", TypeKey::new(999), &block(&[1, 2]));
        assert!(refused.refused && refused.fresh.is_empty());
        assert_eq!(refused.older, 2);
        assert!(!w.take("B", TypeKey::new(3), &block(&[2])).refused);
    }

    #[test]
    fn columns_of_different_widths_are_padded_with_nan() {
        let mut w = Window::new(Duration::from_secs(60));
        w.take("A", SOG, &block(&[1]));
        let wide = Block {
            t: vec![2],
            fields: vec![vec![1.0], vec![2.0]],
        };
        w.take("A", SOG, &wide);
        let narrow = Block {
            t: vec![3, 4],
            fields: vec![vec![5.0, 6.0]],
        };
        w.take("A", SOG, &narrow);
        let held = w.data().block("A", SOG).unwrap();
        assert_eq!(held.fields[0], vec![0.1, 1.0, 5.0, 6.0]);
        assert!(held.fields[1][0].is_nan() && held.fields[1][1] == 2.0);
        assert!(held.fields[1][2].is_nan() && held.fields[1][3].is_nan());
        let short = Block {
            t: vec![5, 6],
            fields: vec![vec![7.0]],
        };
        let t = w.take("A", SOG, &short);
        assert!(t.fresh.fields[0][1].is_nan(), "a short column reads NaN");
    }
}
