//! The redirect readers: the code flow's `parse_callback`, Iternio's and the implicit
//! grant's fragment reader, each on the same text, and the bindings check of
//! `finish_redirect` (`{code}`, `{implicit}`, `{iternio}` stand for waiting states). None may
//! panic; an accepted redirect is addressed to the redirect URI.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telltale_auth::testing::{read_bound_redirect, read_implicit_redirect, REDIRECT_URI};
use telltale_auth::{iternio, parse_callback, Channel};
use url::Url;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(redirect) = Url::parse(REDIRECT_URI) else {
        return;
    };
    if let Ok(callback) = parse_callback(raw, &redirect) {
        assert!(raw.len() <= telltale_auth::MAX_CALLBACK_LEN);
        assert!(!callback.state().is_empty());
    }
    let _ = iternio::parse_callback(raw, &redirect);
    let _ = read_implicit_redirect(raw);
    for channel in [Channel::Window, Channel::DeepLink] {
        if read_bound_redirect(raw, channel).is_ok() {
            assert_eq!(channel, Channel::Window, "taken through another channel");
        }
    }
});
