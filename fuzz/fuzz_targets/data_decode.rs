//! The `resources/data` decoder on arbitrary bytes: never a panic, and every decoded block
//! has as many values in each column as times.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(dataset) = telltale_data::decode(data) {
        for device in dataset.devices.values() {
            for block in device.channels.values() {
                for column in &block.fields {
                    assert_eq!(column.len(), block.t.len());
                }
            }
        }
    }
});
