//! The boat model behind the demo data. PLACEHOLDER: replaced by the sailing model.

use crate::world::{Device, TypeKey};
use std::collections::BTreeMap;

/// Every channel of one device over a span, at 1 Hz: `channels[key][field][i]` belongs to
/// `t[i]`.
#[derive(Clone, Debug, Default)]
pub struct Chunk {
    pub t: Vec<f64>,
    pub channels: BTreeMap<TypeKey, Vec<Vec<f64>>>,
}

/// Number of value fields a type code carries.
pub fn field_count(code: u16) -> usize {
    match code {
        1 => 2,
        13 => 3,
        _ => 1,
    }
}

/// Generates every channel the device records at 1 Hz for `start_ms..=end_ms`. The sample
/// at a time depends only on the device and that time, never on the span asked for.
pub fn generate(device: &Device, start_ms: i64, end_ms: i64) -> Chunk {
    let first = start_ms.div_euclid(1000) * 1000
        + if start_ms.rem_euclid(1000) == 0 {
            0
        } else {
            1000
        };
    let mut chunk = Chunk::default();
    let mut t = first;
    while t <= end_ms {
        chunk.t.push(t as f64);
        t += 1000;
    }
    for key in &device.sensors {
        let n = field_count(key.code);
        let cols: Vec<Vec<f64>> = (0..n)
            .map(|f| {
                chunk
                    .t
                    .iter()
                    .map(|&t| match (key.code, f) {
                        (1, 0) => 10.235 + 0.01 * (t / 600_000.0).sin(),
                        (1, _) => 54.465 + 0.01 * (t / 600_000.0).cos(),
                        _ => ((t / 60_000.0).sin() + 1.0) * 5.0,
                    })
                    .collect()
            })
            .collect();
        chunk.channels.insert(*key, cols);
    }
    chunk
}
