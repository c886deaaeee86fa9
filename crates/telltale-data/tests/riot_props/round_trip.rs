//! Family "riot round trip": valid messages decode to exactly their samples.

use crate::expect::{expected, holds, same_dataset};
use crate::generate::{b64, body, data_msg, messages, PointSpec};
use crate::{family, BYSTANDER, VICTIM};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use prost::Message;
use telltale_data::riot::{decode_answer, decode_msg_into};
use telltale_data::Dataset;

#[test]
fn valid_messages_decode_to_their_samples() {
    let devices = prop::collection::btree_map(
        prop::sample::select(&[VICTIM, BYSTANDER, "AB-01", "AB-02"][..]),
        (messages(), any::<bool>()),
        0..4,
    );
    family("riot round trip", 300, devices, |devices| {
        let answer: Vec<(&str, Vec<String>)> = devices
            .iter()
            .map(|(serial, (messages, named))| {
                let texts = messages
                    .iter()
                    .map(|points| b64(&data_msg(named.then_some(*serial), points).encode_to_vec()))
                    .collect();
                (*serial, texts)
            })
            .collect();
        let got = decode_answer(&body(&answer)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(got.problems.is_empty(), "{:?}", got.problems);
        prop_assert_eq!(got.skipped.total(), 0);
        prop_assert_eq!(got.dataset.devices.len(), devices.len());
        let mut one_by_one = Dataset::default();
        for (serial, (messages, named)) in &devices {
            let refs: Vec<&[PointSpec]> = messages.iter().map(Vec::as_slice).collect();
            holds(&got.dataset, serial, &expected(&refs))?;
            for points in messages {
                let bytes = data_msg(named.then_some(*serial), points).encode_to_vec();
                decode_msg_into(&mut one_by_one, serial, &bytes)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
        }
        same_dataset(&one_by_one, &got.dataset)?;
        Ok(())
    });
}
