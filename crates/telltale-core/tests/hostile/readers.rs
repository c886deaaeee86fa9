//! The same hostile redirects against `telltale_auth`'s readers directly, each with the
//! exact refusal it must get, and the attempt-keeping rule of `finish_sign_in`.

use crate::Tally;
use telltale_auth::{
    finish_sign_in, iternio, parse_callback, AuthError, AuthHttp, CallbackError, PendingSignIns,
    Provider, SignIn,
};
use url::Url;

const APP: &str = "io.telltale.app:/oauth/callback";

#[test]
fn each_malformed_redirect_gets_its_own_refusal() {
    use CallbackError::*;
    let redirect = Url::parse(APP).expect("redirect");
    let long = "x".repeat(telltale_auth::MAX_CALLBACK_LEN);
    let cases: Vec<(&str, String, CallbackError)> = vec![
        ("no state", format!("{APP}?code=c"), MissingState),
        (
            "no code nor error",
            format!("{APP}?state=s"),
            NoCodeNorError,
        ),
        (
            "both code and error",
            format!("{APP}?code=c&error=e&state=s"),
            CodeAndError,
        ),
        (
            "an empty code",
            format!("{APP}?code=&state=s"),
            Empty("code".into()),
        ),
        (
            "a query over the limit",
            format!("{APP}?code=c&state=s&p={long}"),
            TooLong,
        ),
        (
            "%00 in the code",
            format!("{APP}?code=a%00&state=s"),
            BadValue("code".into()),
        ),
        (
            "%00 in the state",
            format!("{APP}?code=a&state=s%00"),
            BadValue("state".into()),
        ),
        (
            "an overlong UTF-8 escape",
            format!("{APP}?code=%C0%AF&state=s"),
            NotUtf8,
        ),
        ("a lone %FF", format!("{APP}?code=a&state=%FF"), NotUtf8),
        ("a stray %", format!("{APP}?code=a%&state=s"), BadEncoding),
        ("bad hex", format!("{APP}?code=%G1&state=s"), BadEncoding),
        (
            "the state twice",
            format!("{APP}?code=a&state=s&state=s"),
            Duplicate("state".into()),
        ),
        (
            "a piece without =",
            format!("{APP}?code=a&state=s&x"),
            MalformedQuery,
        ),
        (
            "an empty piece",
            format!("{APP}?code=a&&state=s"),
            MalformedQuery,
        ),
        (
            "another scheme",
            "evil:/oauth/callback?code=a&state=s".to_string(),
            WrongTarget,
        ),
        (
            "a host in the custom scheme",
            "io.telltale.app://oauth/callback?code=a&state=s".to_string(),
            WrongTarget,
        ),
        (
            "another path",
            "io.telltale.app:/oauth/callbacks?code=a&state=s".to_string(),
            WrongTarget,
        ),
        (
            "a web address",
            "https://example.com/oauth/callback?code=a&state=s".to_string(),
            WrongTarget,
        ),
        ("a fragment", format!("{APP}#code=a&state=s"), Fragment),
        ("a space", format!("{APP}?code=a b&state=s"), BadCharacters),
        ("a tab", format!("{APP}?code=a\t&state=s"), BadCharacters),
        ("non-ASCII", format!("{APP}?code=ä&state=s"), BadCharacters),
        ("not a URL", "::::".into(), NotAUrl),
        (
            "a quote in the error code",
            format!("{APP}?error=a%22b&state=s"),
            BadValue("error".into()),
        ),
    ];
    let mut tally = Tally::new("callback readers");
    for (what, raw, expected) in &cases {
        let got = parse_callback(raw, &redirect).err();
        tally.record(got.as_ref() == Some(expected), || {
            format!("{what}: must be {expected:?}, got {got:?}")
        });
    }
    // `+` and `%20` both mean a space; in a state or code that is allowed and decoded alike.
    let plus = parse_callback(&format!("{APP}?code=a+b&state=s+t"), &redirect);
    let percent = parse_callback(&format!("{APP}?code=a%20b&state=s%20t"), &redirect);
    tally.record(
        matches!((&plus, &percent), (Ok(p), Ok(q)) if p.state() == "s t" && q.state() == "s t"),
        || format!("+ and %20 must both decode to a space: {plus:?} {percent:?}"),
    );
    // A double-encoded escape is decoded once: the code is the text `%00`, not a NUL.
    let double = parse_callback(&format!("{APP}?code=%2500&state=s"), &redirect);
    tally.record(
        matches!(&double, Ok(telltale_auth::Callback::Code { code, .. }) if code.secret() == "%00"),
        || format!("a double-encoded escape must decode once: {double:?}"),
    );
    // Iternio's reader refuses the same shapes the same way.
    let iternio_redirect = Url::parse("io.telltale.app:/oauth/iternio").expect("redirect");
    for (raw, expected) in [
        (
            "io.telltale.app:/oauth/iternio?code=a&state=s",
            NoCodeNorError,
        ),
        (
            "io.telltale.app:/oauth/iternio?auth_code=a&auth_code=b&state=s",
            Duplicate("auth_code".into()),
        ),
        (
            "io.telltale.app:/oauth/iternio#auth_code=a&state=s",
            Fragment,
        ),
    ] {
        let got = iternio::parse_callback(raw, &iternio_redirect).err();
        tally.record(got.as_ref() == Some(&expected), || {
            format!("{raw}: {got:?}")
        });
    }
    tally.finish();
}

/// A redirect to a loopback address for an attempt started with the app's scheme is refused,
/// and the attempt keeps waiting for its own redirect (regression: it used to be taken).
#[tokio::test]
async fn a_redirect_to_the_wrong_kind_of_address_does_not_end_the_attempt() {
    let base = Url::parse("http://127.0.0.1:9/").expect("base");
    let provider = Provider::igtimi(&base, "client", None, Url::parse(APP).expect("redirect"))
        .expect("provider");
    let registry = PendingSignIns::new();
    let (_, pending) = SignIn::start(&provider);
    let state = pending.state_secret().to_owned();
    registry.insert(pending);
    let http = AuthHttp::new();
    let forged = format!("http://127.0.0.1:45678/oauth/callback?code=c&state={state}");
    let outcome = finish_sign_in(&registry, &forged, &provider, &http).await;
    assert!(
        matches!(&outcome, Err(AuthError::InvalidCallback { reason }) if reason.contains("return address")),
        "{outcome:?}"
    );
    assert!(registry.contains(&state), "the attempt still waits");
}
