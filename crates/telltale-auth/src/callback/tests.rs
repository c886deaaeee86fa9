//! Callback parsing: accepted shapes, forged targets, malformed queries.

use super::*;

const APP: &str = "io.telltale.app:/oauth/callback";
const LOOPBACK: &str = "http://127.0.0.1:53682/oauth/callback";

fn redirect(text: &str) -> Url {
    Url::parse(text).expect("test redirect URI")
}

fn parse(raw: &str) -> Result<Callback, CallbackError> {
    parse_callback(raw, &redirect(APP))
}

fn code_and_state(result: Result<Callback, CallbackError>) -> (String, String) {
    match result {
        Ok(Callback::Code { code, state }) => (code.secret().clone(), state),
        other => panic!("expected a code, got {other:?}"),
    }
}

// --- accepted ---

#[test]
fn app_scheme_with_code_and_state() {
    let (code, state) = code_and_state(parse(
        "io.telltale.app:/oauth/callback?code=abc123&state=s-1_x",
    ));
    assert_eq!((code.as_str(), state.as_str()), ("abc123", "s-1_x"));
}

#[test]
fn app_scheme_with_empty_authority() {
    let (code, state) =
        code_and_state(parse("io.telltale.app:///oauth/callback?code=abc&state=st"));
    assert_eq!((code.as_str(), state.as_str()), ("abc", "st"));
}

#[test]
fn parameters_in_any_order_with_extras_ignored() {
    let (code, state) = code_and_state(parse(
        "io.telltale.app:/oauth/callback?iss=x&state=st&code=c0",
    ));
    assert_eq!((code.as_str(), state.as_str()), ("c0", "st"));
}

#[test]
fn percent_escapes_are_decoded() {
    let (code, _) = code_and_state(parse(
        "io.telltale.app:/oauth/callback?code=a%2Bb%3D&state=st",
    ));
    assert_eq!(code, "a+b=");
}

#[test]
fn surrounding_whitespace_from_a_command_line_is_trimmed() {
    assert!(parse("  io.telltale.app:/oauth/callback?code=c&state=s\n").is_ok());
}

#[test]
fn loopback_redirect_with_the_right_port() {
    let result = parse_callback(
        "http://127.0.0.1:53682/oauth/callback?code=c&state=s",
        &redirect(LOOPBACK),
    );
    assert!(matches!(result, Ok(Callback::Code { .. })), "{result:?}");
}

#[test]
fn access_denied_is_a_denial() {
    let result = parse("io.telltale.app:/oauth/callback?error=access_denied&state=st");
    assert!(
        matches!(&result, Ok(Callback::Denied { state }) if state == "st"),
        "{result:?}"
    );
}

#[test]
fn other_errors_keep_a_cleaned_description() {
    let long = "x".repeat(1000);
    let raw = format!(
        "io.telltale.app:/oauth/callback?error=invalid_scope&error_description=Bad%0Ascope%07+{long}&state=st"
    );
    match parse(&raw) {
        Ok(Callback::ProviderError {
            error,
            description: Some(text),
            state,
        }) => {
            assert_eq!(error, "invalid_scope");
            assert_eq!(state, "st");
            assert!(text.starts_with("Badscope xxx"), "{text}");
            assert_eq!(text.chars().count(), MAX_DESCRIPTION_CHARS + 1);
            assert!(text.ends_with('…'));
            assert!(!text.chars().any(char::is_control));
        }
        other => panic!("expected a provider error, got {other:?}"),
    }
}

#[test]
fn an_error_without_description() {
    let result = parse("io.telltale.app:/oauth/callback?error=server_error&state=st");
    assert!(matches!(
        result,
        Ok(Callback::ProviderError {
            description: None,
            ..
        })
    ));
}

// --- forged or wrong target ---

#[test]
fn authority_shape_is_refused() {
    assert_eq!(
        parse("io.telltale.app://oauth/callback?code=c&state=s").err(),
        Some(CallbackError::WrongTarget)
    );
}

#[test]
fn other_scheme_is_refused() {
    assert_eq!(
        parse("evil.app:/oauth/callback?code=c&state=s").err(),
        Some(CallbackError::WrongTarget)
    );
    assert_eq!(
        parse("https://evil.example/oauth/callback?code=c&state=s").err(),
        Some(CallbackError::WrongTarget)
    );
}

#[test]
fn other_path_is_refused() {
    for raw in [
        "io.telltale.app:/oauth/callback/extra?code=c&state=s",
        "io.telltale.app:/oauth/Callback?code=c&state=s",
        "io.telltale.app:/oauth%2Fcallback?code=c&state=s",
        "io.telltale.app:/?code=c&state=s",
    ] {
        assert_eq!(parse(raw).err(), Some(CallbackError::WrongTarget), "{raw}");
    }
}

#[test]
fn loopback_with_other_host_port_or_user_info_is_refused() {
    let expected = redirect(LOOPBACK);
    for raw in [
        "http://127.0.0.1:1/oauth/callback?code=c&state=s",
        "http://127.0.0.2:53682/oauth/callback?code=c&state=s",
        "http://evil.example:53682/oauth/callback?code=c&state=s",
        "https://127.0.0.1:53682/oauth/callback?code=c&state=s",
        "http://user@127.0.0.1:53682/oauth/callback?code=c&state=s",
    ] {
        assert_eq!(
            parse_callback(raw, &expected).err(),
            Some(CallbackError::WrongTarget),
            "{raw}"
        );
    }
}

#[test]
fn a_fragment_is_refused() {
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?state=s#access_token=t").err(),
        Some(CallbackError::Fragment)
    );
}

#[test]
fn over_8_kib_is_refused() {
    let raw = format!(
        "io.telltale.app:/oauth/callback?state=s&code={}",
        "c".repeat(MAX_CALLBACK_LEN)
    );
    assert_eq!(parse(&raw).err(), Some(CallbackError::TooLong));
}

#[test]
fn not_a_url_is_refused() {
    assert_eq!(
        parse("oauth/callback?code=c&state=s").err(),
        Some(CallbackError::NotAUrl)
    );
    assert_eq!(parse("").err(), Some(CallbackError::NotAUrl));
}

#[test]
fn inner_spaces_controls_and_non_ascii_are_refused() {
    for raw in [
        "io.telltale.app:/oauth/callback?code=a b&state=s",
        "io.telltale.app:/oauth/callback?code=a\tb&state=s",
        "io.telltale.app:/oauth/callback?code=é&state=s",
        "io.telltale.app:/oauth/callback?code=a\u{0}&state=s",
    ] {
        assert_eq!(
            parse(raw).err(),
            Some(CallbackError::BadCharacters),
            "{raw:?}"
        );
    }
}

// --- malformed parameters ---

#[test]
fn missing_state_is_refused() {
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code=c").err(),
        Some(CallbackError::MissingState)
    );
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?error=access_denied").err(),
        Some(CallbackError::MissingState)
    );
}

#[test]
fn both_code_and_error_are_refused() {
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code=c&error=access_denied&state=s").err(),
        Some(CallbackError::CodeAndError)
    );
}

#[test]
fn neither_code_nor_error_is_refused() {
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?state=s").err(),
        Some(CallbackError::NoCodeNorError)
    );
    assert_eq!(
        parse("io.telltale.app:/oauth/callback").err(),
        Some(CallbackError::MissingState)
    );
}

#[test]
fn duplicated_parameters_are_refused() {
    for (raw, name) in [
        (
            "io.telltale.app:/oauth/callback?code=a&code=b&state=s",
            "code",
        ),
        (
            "io.telltale.app:/oauth/callback?code=a&state=s&state=s",
            "state",
        ),
        (
            "io.telltale.app:/oauth/callback?code=a&st%61te=s&state=s",
            "state",
        ),
        (
            "io.telltale.app:/oauth/callback?code=a&state=s&iss=x&iss=y",
            "iss",
        ),
    ] {
        assert_eq!(
            parse(raw).err(),
            Some(CallbackError::Duplicate(name.into())),
            "{raw}"
        );
    }
}

#[test]
fn empty_values_are_refused() {
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code=&state=s").err(),
        Some(CallbackError::Empty("code".into()))
    );
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code=c&state=").err(),
        Some(CallbackError::Empty("state".into()))
    );
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?error=access_denied&error_description=&state=s")
            .err(),
        Some(CallbackError::Empty("error_description".into()))
    );
}

#[test]
fn odd_encodings_are_refused() {
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code=c%2&state=s").err(),
        Some(CallbackError::BadEncoding)
    );
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code=c%G1&state=s").err(),
        Some(CallbackError::BadEncoding)
    );
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code=%C0%AF&state=s").err(),
        Some(CallbackError::NotUtf8)
    );
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code=c&state=%FF%FE").err(),
        Some(CallbackError::NotUtf8)
    );
}

#[test]
fn escaped_control_or_non_ascii_values_are_refused() {
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code=a%0Ab&state=s").err(),
        Some(CallbackError::BadValue("code".into()))
    );
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code=c&state=%C3%A9").err(),
        Some(CallbackError::BadValue("state".into()))
    );
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?error=bad%22quote&state=s").err(),
        Some(CallbackError::BadValue("error".into()))
    );
}

#[test]
fn malformed_pairs_are_refused() {
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code&state=s").err(),
        Some(CallbackError::MalformedQuery)
    );
    assert_eq!(
        parse("io.telltale.app:/oauth/callback?code=c&&state=s").err(),
        Some(CallbackError::MalformedQuery)
    );
}

// --- secrets stay out of output ---

#[test]
fn debug_and_errors_do_not_show_code_or_state() {
    let callback =
        parse("io.telltale.app:/oauth/callback?code=SECRETCODE&state=SECRETSTATE").expect("valid");
    let shown = format!("{callback:?}");
    assert!(
        !shown.contains("SECRETCODE") && !shown.contains("SECRETSTATE"),
        "{shown}"
    );
    let err =
        parse("io.telltale.app:/oauth/callback?code=SECRETCODE&code=SECRETCODE&state=SECRETSTATE")
            .expect_err("duplicate");
    let shown = format!("{err} {err:?} {}", AuthError::from(err.clone()));
    assert!(!shown.contains("SECRET"), "{shown}");
}
