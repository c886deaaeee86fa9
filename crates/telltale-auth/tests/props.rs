//! Property tests of the readers of untrusted input: the callback readers (code flow,
//! Iternio, implicit fragment) and the token answers of the three dialects. Arbitrary text
//! and bytes never panic; well-formed answers with random values are read back exactly, and
//! broken ones give a clear error. Case counts stay small so the suite runs in seconds (the
//! long runs are `scripts/fuzz.sh`).

use proptest::prelude::*;
use std::time::{Duration, SystemTime};
use telltale_auth::testing::{
    read_implicit_redirect, read_iternio_answer, read_standard_answer, read_token_api_answer,
    CannedAnswer, REDIRECT_URI,
};
use telltale_auth::{iternio, parse_callback, AuthError, Callback, CallbackError};
use url::Url;

fn redirect() -> Url {
    Url::parse(REDIRECT_URI).expect("the test redirect URI")
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A value as a server could send it: visible ASCII, as RFC 6749 allows.
fn vschar_value() -> impl Strategy<Value = String> {
    "[!-~]{1,64}"
}

/// `text` percent-encoded byte by byte (every byte escaped, the strictest spelling).
fn escape_all(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// A token: what `AccessToken` accepts (visible ASCII, no quotes).
fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._~+/=-]{1,128}"
}

/// Whether an error message leaks `secret`.
fn leaks(err: &AuthError, secret: &str) -> bool {
    secret.len() >= 8 && err.to_string().contains(secret)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_is_read_by_every_callback_reader_without_panic(raw in any::<String>()) {
        let _ = parse_callback(&raw, &redirect());
        let _ = iternio::parse_callback(&raw, &redirect());
        let _ = read_implicit_redirect(&raw);
    }

    #[test]
    fn url_like_text_is_read_without_panic(
        raw in "(io\\.telltale\\.app|http|https):(//[a-z0-9.:@]{0,20})?/oauth/callback[?#][a-z_=&%0-9A-F+#]{0,200}"
    ) {
        let _ = parse_callback(&raw, &redirect());
        let _ = iternio::parse_callback(&raw, &redirect());
        let _ = read_implicit_redirect(&raw);
    }

    #[test]
    fn a_code_redirect_round_trips_in_any_spelling(
        code in vschar_value(),
        state in vschar_value(),
        escaped in any::<bool>(),
        extra in proptest::option::of("[a-z]{1,8}"),
    ) {
        let spell = |value: &str| if escaped {
            escape_all(value)
        } else {
            url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
        };
        let mut raw = format!("{REDIRECT_URI}?code={}&state={}", spell(&code), spell(&state));
        if let Some(name) = extra.filter(|n| !["code", "state", "error", "error_description", "error_uri"].contains(&n.as_str())) {
            raw.push_str(&format!("&{name}=1"));
        }
        match parse_callback(&raw, &redirect()) {
            Ok(Callback::Code { code: got, state: got_state }) => {
                prop_assert_eq!(got.secret(), &code);
                prop_assert_eq!(got_state, state);
            }
            other => prop_assert!(false, "{raw} gave {other:?}"),
        }
        let iternio_raw = raw.replacen("?code=", "?auth_code=", 1);
        let iternio_code = matches!(
            iternio::parse_callback(&iternio_raw, &redirect()),
            Ok(Callback::Code { .. })
        );
        prop_assert!(iternio_code, "{}", iternio_raw);
    }

    #[test]
    fn a_broken_code_redirect_is_refused_with_its_reason(
        state in "[A-Za-z0-9]{8,32}",
        breakage in 0usize..7,
    ) {
        let base = REDIRECT_URI;
        let (raw, expected) = match breakage {
            0 => (format!("{base}?code=c&state={state}&state={state}"), CallbackError::Duplicate("state".into())),
            1 => (format!("{base}?code=c&error=e&state={state}"), CallbackError::CodeAndError),
            2 => (format!("{base}?state={state}"), CallbackError::NoCodeNorError),
            3 => (format!("{base}?code=c"), CallbackError::MissingState),
            4 => (format!("{base}?code=%ZZ&state={state}"), CallbackError::BadEncoding),
            5 => (format!("{base}#code=c&state={state}"), CallbackError::Fragment),
            _ => (format!("{base}?code=c&state={state}&pad={}", "x".repeat(9000)), CallbackError::TooLong),
        };
        prop_assert_eq!(parse_callback(&raw, &redirect()).err(), Some(expected));
    }

    #[test]
    fn an_implicit_fragment_round_trips(
        access in token(),
        state in "[A-Za-z0-9_-]{8,43}",
        expires_in in proptest::option::of(0u64..100_000_000),
        scope in proptest::option::of("[a-z]{1,8}( [a-z]{1,8}){0,3}"),
    ) {
        let mut raw = format!(
            "{REDIRECT_URI}#access_token={}&token_type=Bearer&state={state}",
            escape_all(&access)
        );
        if let Some(seconds) = expires_in {
            raw.push_str(&format!("&expires_in={seconds}"));
        }
        if let Some(scope) = &scope {
            raw.push_str(&format!("&scope={}", scope.replace(' ', "+")));
        }
        let tokens = read_implicit_redirect(&raw).map_err(|e| TestCaseError::fail(format!("{raw}: {e}")))?;
        prop_assert_eq!(tokens.access_token.expose_secret(), access.as_str());
        prop_assert_eq!(
            tokens.expires_at,
            expires_in.map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s))
        );
        let expected_scope: Vec<String> = scope
            .map(|s| s.split(' ').map(str::to_owned).collect())
            .unwrap_or_default();
        prop_assert_eq!(tokens.scope, expected_scope);
        // Moved to the query, the same answer is refused, without quoting the token.
        let in_query = raw.replacen('#', "?", 1);
        let err = read_implicit_redirect(&in_query).expect_err("a token in the query");
        prop_assert!(!leaks(&err, &access), "{err}");
    }

    #[test]
    fn any_bytes_as_a_token_answer_never_panic(
        status in prop::sample::select(vec![200u16, 201, 302, 400, 401, 403, 404, 418]),
        json in any::<bool>(),
        body in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let answer = CannedAnswer {
            status,
            content_type: json.then_some("application/json"),
            body: &body,
        };
        let _ = read_standard_answer(answer);
        let _ = read_token_api_answer(status, &body);
        let _ = read_iternio_answer(|_| (status, json.then(|| "application/json".into()), body.clone()));
    }

    #[test]
    fn a_standard_answer_round_trips(
        access in token(),
        refresh in proptest::option::of("[A-Za-z0-9._~-]{1,64}"),
        expires_in in proptest::option::of(1u64..10_000_000),
        kind in prop::sample::select(vec!["Bearer", "bearer", "BEARER"]),
    ) {
        let mut body = serde_json::json!({"access_token": access, "token_type": kind, "scope": "read"});
        if let Some(refresh) = &refresh {
            body["refresh_token"] = refresh.clone().into();
        }
        if let Some(seconds) = expires_in {
            body["expires_in"] = seconds.into();
        }
        let bytes = body.to_string().into_bytes();
        let before = SystemTime::now();
        let tokens = read_standard_answer(CannedAnswer {
            status: 200,
            content_type: Some("application/json"),
            body: &bytes,
        }).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(tokens.access_token.expose_secret(), access.as_str());
        prop_assert_eq!(tokens.refresh_token.as_ref().map(|t| t.expose_secret()), refresh.as_deref());
        prop_assert_eq!(tokens.expires_at.is_some(), expires_in.is_some());
        if let (Some(at), Some(seconds)) = (tokens.expires_at, expires_in) {
            prop_assert!(at >= before + Duration::from_secs(seconds));
        }
        prop_assert_eq!(tokens.scope, vec!["read".to_owned()]);
        // Cut anywhere, the same answer is a clear error that quotes no token.
        let cut = &bytes[..bytes.len() / 2];
        let err = read_standard_answer(CannedAnswer { status: 200, content_type: Some("application/json"), body: cut })
            .expect_err("a cut answer");
        prop_assert!(matches!(err, AuthError::InvalidResponse { .. }), "{err:?}");
        prop_assert!(!leaks(&err, &access), "{err}");
    }

    #[test]
    fn an_oauth_error_answer_is_a_rejection(
        error in "[a-z_]{1,30}",
        description in proptest::option::of("[ -~]{0,300}"),
        status in prop::sample::select(vec![400u16, 401]),
    ) {
        let mut body = serde_json::json!({"error": error});
        if let Some(text) = &description {
            body["error_description"] = text.clone().into();
        }
        let bytes = body.to_string().into_bytes();
        match read_standard_answer(CannedAnswer { status, content_type: Some("application/json"), body: &bytes }) {
            Err(AuthError::Rejected { error: got, description: got_description }) => {
                prop_assert_eq!(got, error);
                if let Some(text) = got_description {
                    prop_assert!(text.chars().count() <= telltale_auth::MAX_DESCRIPTION_CHARS + 1);
                }
            }
            other => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn an_iternio_answer_round_trips_only_with_its_state(
        access in token(),
        echo in any::<bool>(),
        other_state in "[A-Za-z0-9]{1,43}",
    ) {
        let result = read_iternio_answer(|state| {
            let echoed = if echo { state.to_owned() } else { format!("x{other_state}") };
            let body = serde_json::json!({"user_token": access, "token_type": "Bearer", "state": echoed});
            (200, Some("application/json".into()), body.to_string().into_bytes())
        });
        if echo {
            let tokens = result.map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(tokens.access_token.expose_secret(), access.as_str());
            prop_assert_eq!(tokens.expires_at, None);
            prop_assert_eq!(tokens.refresh_token, None);
        } else {
            let err = result.expect_err("another sign-in's state");
            prop_assert!(err.to_string().contains("state differs"), "{err}");
            prop_assert!(!leaks(&err, &access), "{err}");
        }
    }

    #[test]
    fn a_token_api_answer_round_trips(
        access in token(),
        expiry in 0i64..4_102_444_800,
        code in prop::sample::select(vec![400u16, 401, 403, 429]),
        message in "[ -~]{0,80}",
    ) {
        let body = serde_json::json!({"success": true, "data": {"access_token": access, "expiry": expiry}});
        let tokens = read_token_api_answer(200, body.to_string().as_bytes())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(tokens.access_token.expose_secret(), access.as_str());
        prop_assert_eq!(
            tokens.expires_at,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(expiry as u64))
        );
        let refusal = serde_json::json!({"success": false, "errors": {"code": code, "message": message}});
        let err = read_token_api_answer(code, refusal.to_string().as_bytes()).expect_err("a refusal");
        if code == 401 {
            prop_assert_eq!(err, AuthError::BadCredentials);
        } else {
            prop_assert!(matches!(&err, AuthError::Rejected { error, .. } if *error == code.to_string()), "{err:?}");
        }
        let negative = serde_json::json!({"success": true, "data": {"access_token": access, "expiry": -1 - expiry}});
        let err = read_token_api_answer(200, negative.to_string().as_bytes()).expect_err("a negative expiry");
        prop_assert!(err.to_string().contains("expiry"), "{err}");
    }
}

/// The bindings `finish_redirect` checks before any token call (`read_bound_redirect`):
/// arbitrary text never panics and is taken only when it carries a waiting state; a
/// well-formed answer is taken on its own channel and return address only; another profile's
/// address or another issuer is a mix-up.
mod bindings {
    use super::*;
    use telltale_auth::testing::read_bound_redirect;
    use telltale_auth::{Channel, FlowKind};

    const CHANNELS: [Channel; 3] = [Channel::Window, Channel::DeepLink, Channel::Loopback];

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_text_never_panics(
            raw in "(io\\.telltale\\.app:/oauth/(callback|iternio)/[pq]?[?#]?)?[ -~]{0,80}(\\{code\\}|\\{implicit\\}|\\{iternio\\})?[ -~]{0,40}",
            channel in 0usize..3,
        ) {
            if read_bound_redirect(&raw, CHANNELS[channel]).is_ok() {
                prop_assert!(raw.contains('{'), "taken without a waiting state: {raw}");
                prop_assert_eq!(channel, 0, "taken through another channel: {}", raw);
            }
        }

        #[test]
        fn a_well_formed_answer_is_taken_only_where_and_how_it_was_asked_for(
            code in "[A-Za-z0-9_-]{1,40}",
            profile in "[a-z][a-z0-9_-]{0,12}",
            issuer in "https://[a-z]{1,12}\\.example",
            channel in 1usize..3,
        ) {
            let own = format!("{REDIRECT_URI}/p?code={code}&state={{code}}");
            prop_assert_eq!(read_bound_redirect(&own, Channel::Window), Ok(FlowKind::CodeWithPkce));
            let refused = read_bound_redirect(&own, CHANNELS[channel]);
            prop_assert!(matches!(refused, Err(AuthError::InvalidCallback { .. })), "{:?}", refused);
            let implicit = format!("{REDIRECT_URI}/p#access_token={code}&token_type=Bearer&state={{implicit}}");
            prop_assert_eq!(read_bound_redirect(&implicit, Channel::Window), Ok(FlowKind::Implicit));
            let iternio = format!("io.telltale.app:/oauth/iternio/p?auth_code={code}&state={{iternio}}");
            prop_assert_eq!(read_bound_redirect(&iternio, Channel::Window), Ok(FlowKind::Iternio));
            if profile != "p" {
                let sibling = format!("{REDIRECT_URI}/{profile}?code={code}&state={{code}}");
                let mixed = read_bound_redirect(&sibling, Channel::Window);
                prop_assert!(matches!(mixed, Err(AuthError::MixUp { .. })), "{:?}", mixed);
            }
            let foreign = format!("{own}&iss={}", escape_all(&issuer));
            let mixed = read_bound_redirect(&foreign, Channel::Window);
            prop_assert!(matches!(mixed, Err(AuthError::MixUp { .. })), "{:?}", mixed);
            let same = format!("{own}&iss={}", escape_all("http://127.0.0.1:9/"));
            prop_assert_eq!(read_bound_redirect(&same, Channel::Window), Ok(FlowKind::CodeWithPkce));
        }
    }
}
