//! The standard token answer (RFC 6749 §5.1/§5.2) as a code exchange reads it, under
//! statuses 200, 400 and 401, with and without a JSON content type.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telltale_auth::testing::{read_standard_answer, CannedAnswer};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let status = [200, 400, 401, 403][usize::from(selector & 3)];
    let content_type = (selector & 4 == 0).then_some("application/json");
    let _ = read_standard_answer(CannedAnswer {
        status,
        content_type,
        body,
    });
});
