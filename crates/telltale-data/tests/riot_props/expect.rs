//! What generated messages must decode to, and the checks of a decoded dataset against it.

use crate::generate::{PointSpec, Spec};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use riot_proto::units::by_field;
use std::collections::BTreeMap;
use telltale_data::{Dataset, TypeKey};

/// The samples a point must give: (code, dsi, t, values in the app's units), written from
/// the units table and the field list, not from the reader.
fn expected_samples(p: &PointSpec) -> Vec<(u16, u32, i64, Vec<f64>)> {
    let at = |field: u32, values: Vec<f64>| {
        let kind = by_field(field).expect("a numeric kind");
        (
            kind.app_code,
            p.dsi,
            p.t as i64,
            values.into_iter().map(|v| v * kind.to_app).collect(),
        )
    };
    match p.spec {
        Spec::Double(field, v) => vec![at(field, vec![v])],
        Spec::Pos {
            lat,
            lon,
            alt,
            fields,
        } => {
            let (has_lat, has_lon, has_alt) = if fields == 0 {
                (true, true, false)
            } else {
                (fields & 1 != 0, fields & 2 != 0, fields & 4 != 0)
            };
            let or_nan = |yes: bool, v: f64| if yes { v } else { f64::NAN };
            let mut out = Vec::new();
            if has_lat || has_lon {
                out.push((
                    1,
                    p.dsi,
                    p.t as i64,
                    vec![or_nan(has_lon, lon), or_nan(has_lat, lat)],
                ));
            }
            if has_alt {
                out.push((5, p.dsi, p.t as i64, vec![alt]));
            }
            out
        }
        Spec::Hr {
            event_time,
            count,
            rate,
        } => {
            vec![at(13, vec![event_time as f64, count.into(), rate.into()])]
        }
        Spec::Ori([w, x, y, z]) => vec![at(17, vec![w, x, y, z])],
        Spec::Acc([x, y, z]) => vec![at(18, vec![x, y, z])],
        Spec::Bool(b) => vec![at(53, vec![if b { 1.0 } else { 0.0 }])],
        Spec::Int(v) => vec![at(51, vec![v as f64])],
        Spec::Satc(v) => vec![at(3, vec![v.into()])],
    }
}

pub type Expected = BTreeMap<TypeKey, BTreeMap<i64, Vec<f64>>>;

/// What a device's messages must decode to: per key, per time, the first sample sent.
pub fn expected(messages: &[&[PointSpec]]) -> Expected {
    let mut out = Expected::new();
    for point in messages.iter().flat_map(|m| m.iter()) {
        for (code, dsi, t, values) in expected_samples(point) {
            out.entry(TypeKey::with_dsi(code, dsi))
                .or_default()
                .entry(t)
                .or_insert(values);
        }
    }
    out
}

fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

/// Whether two datasets hold the same samples (NaN equal to NaN).
pub fn same_dataset(a: &Dataset, b: &Dataset) -> Result<(), TestCaseError> {
    let shape = |d: &Dataset| -> Vec<(String, TypeKey, Vec<i64>, usize)> {
        d.blocks()
            .map(|(s, k, b)| (s.to_string(), k, b.t.clone(), b.fields.len()))
            .collect()
    };
    prop_assert_eq!(shape(a), shape(b));
    prop_assert_eq!(
        a.devices.keys().collect::<Vec<_>>(),
        b.devices.keys().collect::<Vec<_>>()
    );
    for ((_, key, x), (_, _, y)) in a.blocks().zip(b.blocks()) {
        for (cx, cy) in x.fields.iter().zip(&y.fields) {
            prop_assert!(
                cx.iter()
                    .zip(cy)
                    .all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan())),
                "{}",
                key
            );
        }
    }
    Ok(())
}

/// Whether `dataset` holds exactly `expected` for `serial`.
pub fn holds(dataset: &Dataset, serial: &str, expected: &Expected) -> Result<(), TestCaseError> {
    let device = dataset
        .devices
        .get(serial)
        .ok_or_else(|| TestCaseError::fail(format!("{serial} is missing")))?;
    let keys: Vec<_> = device.channels.keys().collect();
    prop_assert_eq!(keys, expected.keys().collect::<Vec<_>>(), "{}", serial);
    for (key, samples) in expected {
        let block = &device.channels[key];
        prop_assert_eq!(
            &block.t,
            &samples.keys().copied().collect::<Vec<_>>(),
            "{} {}",
            serial,
            key
        );
        for (i, values) in samples.values().enumerate() {
            prop_assert_eq!(block.fields.len(), values.len(), "{} {}", serial, key);
            for (column, &v) in block.fields.iter().zip(values) {
                prop_assert!(
                    same(column[i], v),
                    "{} {} #{}: {} vs {}",
                    serial,
                    key,
                    i,
                    column[i],
                    v
                );
            }
        }
    }
    Ok(())
}
