//! The simulator's device-port frame reader on arbitrary bytes: never a panic; a refusal
//! carries the code the server disconnects with (413 for an announced length over 1 MiB,
//! 400 otherwise); whatever it reads encodes back to frames that read back to the same
//! bytes (bytes, not messages: a double may be NaN).
#![no_main]

use igtimi_sim::riot::device::framing::{encode_frame, read_frames, FrameError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match read_frames(data) {
        Ok(msgs) => {
            let again: Vec<u8> = msgs.iter().flat_map(encode_frame).collect();
            let reread = read_frames(&again).expect("re-encoded frames read");
            let twice: Vec<u8> = reread.iter().flat_map(encode_frame).collect();
            assert_eq!(again, twice);
        }
        Err(e @ FrameError::TooLarge { .. }) => assert_eq!(e.code(), 413),
        Err(e) => assert_eq!(e.code(), 400),
    }
});
