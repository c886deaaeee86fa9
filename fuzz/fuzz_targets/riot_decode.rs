//! The Riot reader on arbitrary bytes, three ways: as a whole `resources/data` body, as one
//! raw `Msg` (a live WebSocket frame), and as one device's base64 message inside a valid
//! body (so the protobuf decoder is reached through the JSON path too). Never a panic;
//! every decoded block has as many values in each column as times, in strictly ascending
//! time; a refused message leaves a dataset unchanged.
#![no_main]

use base64::Engine;
use libfuzzer_sys::fuzz_target;
use telltale_data::riot::{decode_answer, decode_msg_into};
use telltale_data::Dataset;

fn check(dataset: &Dataset) {
    for (_, _, block) in dataset.blocks() {
        for column in &block.fields {
            assert_eq!(column.len(), block.t.len());
        }
        assert!(block.t.windows(2).all(|w| w[0] < w[1]));
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(answer) = decode_answer(data) {
        check(&answer.dataset);
    }

    let mut dataset = Dataset::default();
    match decode_msg_into(&mut dataset, "AA-BT-0417", data) {
        Ok(_) => check(&dataset),
        Err(_) => assert_eq!(dataset, Dataset::default()),
    }

    let text = base64::engine::general_purpose::STANDARD.encode(data);
    let body = format!("{{\"AA-BT-0417\":[\"{text}\"],\"AA-BT-0731\":[]}}");
    let answer = decode_answer(body.as_bytes()).expect("a body of the right shape decodes");
    check(&answer.dataset);
    assert!(answer.problems.len() <= 1);
    assert_eq!(answer.dataset.devices.len(), 2);
});
