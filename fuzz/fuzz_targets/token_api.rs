//! The token API's `{"success":..}` answer under any status from 100 to 599.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telltale_auth::testing::read_token_api_answer;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let status = [200, 201, 302, 400, 401, 403, 404, 500][usize::from(selector & 7)];
    let _ = read_token_api_answer(status, body);
});
