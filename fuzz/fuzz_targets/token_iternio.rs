//! Iternio's token answer (`user_token`, `token_type`, `state`) as its sign-in reads it. A
//! `$STATE` in the input is replaced by the attempt's state, so the fuzzer reaches the
//! state check's success side too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telltale_auth::testing::read_iternio_answer;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let status = [200, 400, 401, 403][usize::from(selector & 3)];
    let content_type = (selector & 4 == 0).then(|| "application/json".to_owned());
    let _ = read_iternio_answer(|state| {
        let body = String::from_utf8_lossy(body).replace("$STATE", state);
        (status, content_type, body.into_bytes())
    });
});
