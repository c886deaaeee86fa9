//! Joining the windows a long fetch is split into.
//!
//! Windows are requested as `[start, end]`, the next one from `end + 1`, but a server may
//! still repeat the sample at an edge or send overlapping data; appending keeps only samples
//! later than what is already held, so the result stays strictly ascending.

use crate::model::{Block, Dataset};
use std::collections::btree_map::Entry;

/// Appends `later` (the next window in time) to `into`: per block, samples at or before
/// the last time already held are dropped, the rest appended. Devices, channels and value
/// columns that are new are added (earlier samples of a new column read NaN).
pub fn append(into: &mut Dataset, later: Dataset) {
    for (serial, device) in later.devices {
        let target = into.devices.entry(serial).or_default();
        for (key, block) in device.channels {
            match target.channels.entry(key) {
                Entry::Vacant(entry) => {
                    entry.insert(block);
                }
                Entry::Occupied(mut entry) => append_block(entry.get_mut(), block),
            }
        }
    }
}

/// Sorts chunks by their window start and appends them in that order.
pub fn assemble(mut chunks: Vec<(i64, Dataset)>) -> Dataset {
    chunks.sort_by_key(|(start, _)| *start);
    let mut chunks = chunks.into_iter();
    let Some((_, mut dataset)) = chunks.next() else {
        return Dataset::default();
    };
    for (_, chunk) in chunks {
        append(&mut dataset, chunk);
    }
    dataset
}

fn append_block(into: &mut Block, later: Block) {
    let skip = match into.t.last() {
        Some(&last) => later.t.partition_point(|&t| t <= last),
        None => 0,
    };
    if skip >= later.t.len() {
        return;
    }
    let held = into.t.len();
    let width = into.fields.len().max(later.fields.len());
    into.fields.resize_with(width, || vec![f64::NAN; held]);
    into.t.extend_from_slice(&later.t[skip..]);
    let total = into.t.len();
    let mut later_fields = later.fields.into_iter();
    for column in &mut into.fields {
        column.truncate(held);
        if let Some(more) = later_fields.next() {
            column.extend_from_slice(more.get(skip..).unwrap_or_default());
        }
        column.resize(total, f64::NAN);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeviceData, TypeKey};

    fn dataset(serial: &str, key: u16, t: &[i64], fields: &[&[f64]]) -> Dataset {
        let block = Block {
            t: t.to_vec(),
            fields: fields.iter().map(|f| f.to_vec()).collect(),
        };
        let mut device = DeviceData::default();
        device.channels.insert(TypeKey::new(key), block);
        let mut data = Dataset::default();
        data.devices.insert(serial.to_string(), device);
        data
    }

    fn block<'d>(data: &'d Dataset, serial: &str, key: u16) -> &'d Block {
        &data.devices[serial].channels[&TypeKey::new(key)]
    }

    #[test]
    fn edge_duplicates_and_overlap_are_dropped() {
        // Window 1 is [0, 1000]; window 2 starts at 1001 but the server repeats 1000 and
        // sends an overlapping 900.
        let mut data = dataset("S", 9, &[0, 500, 1000], &[&[1.0, 2.0, 3.0]]);
        append(
            &mut data,
            dataset("S", 9, &[900, 1000, 1001, 1500], &[&[9.0, 9.0, 4.0, 5.0]]),
        );
        let b = block(&data, "S", 9);
        assert_eq!(b.t, vec![0, 500, 1000, 1001, 1500]);
        assert_eq!(b.fields, vec![vec![1.0, 2.0, 3.0, 4.0, 5.0]]);
    }

    #[test]
    fn new_devices_channels_and_columns_are_added() {
        let mut data = dataset("S", 9, &[0], &[&[1.0]]);
        append(&mut data, dataset("S", 9, &[10], &[&[2.0], &[20.0]]));
        append(&mut data, dataset("S", 6, &[10], &[&[90.0]]));
        append(&mut data, dataset("T", 9, &[10], &[&[3.0]]));
        let b = block(&data, "S", 9);
        assert_eq!(b.fields[0], vec![1.0, 2.0]);
        assert!(b.fields[1][0].is_nan() && b.fields[1][1] == 20.0);
        assert_eq!(block(&data, "S", 6).t, vec![10]);
        assert_eq!(block(&data, "T", 9).fields[0], vec![3.0]);
    }

    #[test]
    fn a_later_chunk_with_fewer_columns_pads_with_nan() {
        let mut data = dataset("S", 13, &[0], &[&[1.0], &[2.0]]);
        append(&mut data, dataset("S", 13, &[5], &[&[3.0]]));
        let b = block(&data, "S", 13);
        assert_eq!(b.fields[0], vec![1.0, 3.0]);
        assert_eq!(b.fields[1].len(), 2);
        assert!(b.fields[1][1].is_nan());
    }

    #[test]
    fn assemble_orders_chunks_by_window_start() {
        let w = 1000;
        let chunks = vec![
            (2 * w, dataset("S", 9, &[2 * w, 2 * w + 1], &[&[3.0, 4.0]])),
            (0, dataset("S", 9, &[0, w], &[&[1.0, 2.0]])),
            (w + 1, dataset("S", 9, &[w, w + 1], &[&[9.0, 2.5]])),
        ];
        let data = assemble(chunks);
        let b = block(&data, "S", 9);
        assert_eq!(b.t, vec![0, w, w + 1, 2 * w, 2 * w + 1]);
        assert_eq!(b.fields[0], vec![1.0, 2.0, 2.5, 3.0, 4.0]);
        assert_eq!(assemble(Vec::new()), Dataset::default());
    }
}
