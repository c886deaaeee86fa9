//! The live feed's frame readers on arbitrary bytes: Riot's binary frame (one `Msg`) and
//! the old JSON API's text frame (the bytes as text when they are UTF-8, and lossily
//! otherwise). Never a panic; what is read is well-formed: every column as long as its
//! times, times strictly ascending, and a Riot frame's samples only of its own device.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telltale_data::Dataset;
use telltale_live::frame::{read_json_frame, read_riot_frame, JsonFrame, RiotFrame};

fn check(dataset: &Dataset) {
    for (_, _, block) in dataset.blocks() {
        for column in &block.fields {
            assert_eq!(column.len(), block.t.len());
        }
        assert!(block.t.windows(2).all(|w| w[0] < w[1]));
    }
}

fuzz_target!(|data: &[u8]| {
    match read_riot_frame(data) {
        Ok(RiotFrame::Data { serial, data }) => {
            assert!(!serial.is_empty());
            assert!(data.devices.keys().all(|s| *s == serial));
            check(&data);
        }
        Ok(_) => {}
        Err(e) => assert!(!e.to_string().is_empty()),
    }

    let text = String::from_utf8_lossy(data);
    match read_json_frame(&text) {
        Ok(JsonFrame::Samples(data)) => check(&data),
        Ok(_) => {}
        Err(e) => assert!(e.to_string().len() < 400),
    }
});
