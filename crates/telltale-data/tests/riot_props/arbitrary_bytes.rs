//! Family "riot arbitrary bytes": arbitrary bytes as a body and as one message never panic.

use crate::generate::{b64, body, data_msg, PointSpec, Spec};
use crate::{family, VICTIM};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use prost::Message;
use telltale_data::riot::{decode_answer, decode_msg_into};
use telltale_data::{Dataset, TypeKey};

/// Every block's columns are as long as its times, and its times strictly increase.
fn well_formed(dataset: &Dataset) -> Result<(), TestCaseError> {
    for (serial, key, block) in dataset.blocks() {
        for column in &block.fields {
            prop_assert_eq!(column.len(), block.t.len(), "{} {}", serial, key);
        }
        prop_assert!(
            block.t.windows(2).all(|w| w[0] < w[1]),
            "{} {}",
            serial,
            key
        );
    }
    Ok(())
}

#[test]
fn arbitrary_bytes_never_panic() {
    let input = (
        prop::collection::vec(any::<u8>(), 0..512),
        "[{}\\[\\]\":, A-Za-z0-9+/=\\\\-]{0,200}",
    );
    family("riot arbitrary bytes", 600, input, |(bytes, text)| {
        let mut dataset = Dataset::default();
        let _ = decode_msg_into(&mut dataset, VICTIM, &bytes);
        well_formed(&dataset)?;
        for body in [bytes.as_slice(), text.as_bytes()] {
            if let Ok(got) = decode_answer(body) {
                well_formed(&got.dataset)?;
            }
        }
        // The bytes as one device's message, among good ones.
        let good = b64(&data_msg(
            Some(VICTIM),
            &[PointSpec {
                t: 5,
                dsi: 0,
                spec: Spec::Bool(true),
            }],
        )
        .encode_to_vec());
        let answer = body(&[(VICTIM, vec![good.clone(), b64(&bytes), good])]);
        let got = decode_answer(&answer).map_err(|e| TestCaseError::fail(e.to_string()))?;
        well_formed(&got.dataset)?;
        prop_assert!(got.problems.len() <= 1);
        prop_assert!(got.dataset.block(VICTIM, TypeKey::new(153)).is_some());
        Ok(())
    });
}
