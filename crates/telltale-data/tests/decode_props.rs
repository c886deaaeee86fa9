//! Property tests of the `resources/data` decoder: arbitrary bytes never panic (and every
//! decoded block has columns as long as its times); bodies written by the simulator's own
//! encoder from random series decode to exactly those samples; a body cut anywhere or with a
//! byte changed is a clear error or a well-formed dataset, never a panic. Small case counts;
//! the long runs are `scripts/fuzz.sh`.

use igtimi_sim::api::encode::encode;
use igtimi_sim::demo::data::Series;
use igtimi_sim::world::TypeKey as SimKey;
use proptest::prelude::*;
use telltale_data::{decode, Dataset, DecodeError, TypeKey};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every block's columns are as long as its times, and its times strictly increase.
fn well_formed(dataset: &Dataset) -> Result<(), TestCaseError> {
    for (serial, key, block) in dataset.blocks() {
        for column in &block.fields {
            prop_assert_eq!(column.len(), block.t.len(), "{} {:?}", serial, key);
        }
        prop_assert!(
            block.t.windows(2).all(|w| w[0] < w[1]),
            "{} {:?}",
            serial,
            key
        );
    }
    Ok(())
}

/// A sorted, repeat-free series of whole-millisecond times with `fields` columns of finite
/// values or gaps (NaN).
fn series() -> impl Strategy<Value = Series> {
    (
        1usize..4,
        proptest::collection::btree_set(0i64..4_102_444_800_000, 0..40),
    )
        .prop_flat_map(|(fields, times)| {
            let len = times.len();
            let value = prop_oneof![
                8 => -1.0e9f64..1.0e9,
                1 => Just(f64::NAN),
            ];
            proptest::collection::vec(proptest::collection::vec(value, len), fields).prop_map(
                move |columns| Series {
                    t: times.iter().map(|&t| t as f64).collect(),
                    fields: columns,
                },
            )
        })
}

type Devices = Vec<(String, Vec<(SimKey, Series)>)>;

fn devices() -> impl Strategy<Value = Devices> {
    proptest::collection::btree_map(
        "[A-Z]{2}-[0-9]{1,6}",
        proptest::collection::btree_map((1u16..60, 0u32..4), series(), 0..4),
        0..3,
    )
    .prop_map(|devices| {
        devices
            .into_iter()
            .map(|(serial, channels)| {
                let channels = channels
                    .into_iter()
                    .map(|((code, dsi), series)| (SimKey { code, dsi }, series))
                    .collect();
                (serial, channels)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_decode_or_fail_without_panic(body in proptest::collection::vec(any::<u8>(), 0..1024)) {
        if let Ok(dataset) = decode(&body) {
            well_formed(&dataset)?;
        }
    }

    #[test]
    fn json_like_text_decodes_or_fails_without_panic(
        body in "[{}\\[\\]\":,0-9a-z.eE+ \\\\-]{0,300}"
    ) {
        match decode(body.as_bytes()) {
            Ok(dataset) => well_formed(&dataset)?,
            Err(DecodeError::Malformed { offset, detail }) => {
                prop_assert!(offset <= body.len());
                prop_assert!(!detail.is_empty());
            }
            Err(DecodeError::Server { .. }) => {}
        }
    }

    #[test]
    fn simulator_bodies_round_trip(devices in devices()) {
        let body = encode(&devices);
        let dataset = decode(&body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(dataset.devices.len(), devices.len());
        for (serial, channels) in &devices {
            for (key, series) in channels {
                let block = dataset
                    .block(serial, TypeKey::with_dsi(key.code, key.dsi))
                    .ok_or_else(|| TestCaseError::fail(format!("{serial} {key:?} is missing")))?;
                let times: Vec<i64> = series.t.iter().map(|&t| t as i64).collect();
                prop_assert_eq!(&block.t, &times);
                prop_assert_eq!(block.fields.len(), series.fields.len());
                for (got, sent) in block.fields.iter().zip(&series.fields) {
                    for (g, s) in got.iter().zip(sent) {
                        prop_assert!(g == s || (g.is_nan() && s.is_nan()), "{} vs {}", g, s);
                    }
                }
            }
        }
    }

    #[test]
    fn damaged_simulator_bodies_fail_clearly(
        devices in devices(),
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let body = encode(&devices);
        let at = cut.index(body.len());
        match decode(&body[..at]) {
            Ok(dataset) => well_formed(&dataset)?,
            Err(DecodeError::Malformed { offset, .. }) => prop_assert!(offset <= at),
            Err(other) => prop_assert!(false, "{other:?}"),
        }
        let mut changed = body.clone();
        let at = flip.index(changed.len());
        changed[at] = byte;
        if let Ok(dataset) = decode(&changed) {
            well_formed(&dataset)?;
        }
    }
}

#[test]
fn deep_nesting_in_a_skipped_value_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let body = format!(
        "{{\"DA-1\":{{\"1\":{{\"t\":[1],\"x\":{}{}}}}}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let err = decode(body.as_bytes()).expect_err("nesting this deep is refused");
    assert!(err.to_string().contains("nested too deeply"), "{err}");
}
