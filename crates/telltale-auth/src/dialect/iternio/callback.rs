//! Reading Iternio's redirect: `auth_code` and `state`, or `error` (with
//! `error_description`) and `state`, in the query of the registered redirect URI.

use crate::callback::{parse_code_callback, CallbackError};
use crate::Callback;
use url::Url;

/// The parameters an Iternio redirect may carry; none of them may be empty.
const KNOWN: [&str; 5] = [
    "auth_code",
    "state",
    "error",
    "error_description",
    "error_uri",
];

/// Checks an Iternio redirect against `redirect_uri` (the same checks as
/// [`crate::parse_callback`]) and says what it carries. The code arrives as `auth_code`; it
/// is returned as [`Callback::Code`].
pub fn parse_callback(raw: &str, redirect_uri: &Url) -> Result<Callback, CallbackError> {
    parse_code_callback(raw, redirect_uri, "auth_code", &KNOWN)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "io.telltale.app:/oauth/iternio";

    fn parse(raw: &str) -> Result<Callback, CallbackError> {
        parse_callback(raw, &Url::parse(BASE).expect("redirect"))
    }

    #[test]
    fn an_auth_code_is_a_code() {
        match parse(&format!("{BASE}?auth_code=abc&state=xyz")) {
            Ok(Callback::Code { code, state }) => {
                assert_eq!(code.secret(), "abc");
                assert_eq!(state, "xyz");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_and_denials() {
        assert!(matches!(
            parse(&format!("{BASE}?error=access_denied&state=s")),
            Ok(Callback::Denied { .. })
        ));
        match parse(&format!(
            "{BASE}?error=server_error&error_description=Down%0Anow&state=s"
        )) {
            Ok(Callback::ProviderError {
                error, description, ..
            }) => {
                assert_eq!(error, "server_error");
                assert_eq!(description.as_deref(), Some("Downnow"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_redirects_are_refused() {
        let cases = [
            (
                format!("{BASE}?code=abc&state=s"),
                CallbackError::NoCodeNorError,
            ),
            (format!("{BASE}?auth_code=abc"), CallbackError::MissingState),
            (
                format!("{BASE}?auth_code=&state=s"),
                CallbackError::Empty("auth_code".into()),
            ),
            (
                format!("{BASE}?auth_code=a&error=e&state=s"),
                CallbackError::CodeAndError,
            ),
            (
                format!("{BASE}?auth_code=a&auth_code=b&state=s"),
                CallbackError::Duplicate("auth_code".into()),
            ),
            (
                format!("{BASE}#auth_code=a&state=s"),
                CallbackError::Fragment,
            ),
            (
                "io.telltale.app:/oauth/callback?auth_code=a&state=s".to_owned(),
                CallbackError::WrongTarget,
            ),
            (
                format!("{BASE}?auth_code=%01&state=s"),
                CallbackError::BadValue("auth_code".into()),
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse(&raw).err(), Some(expected), "{raw}");
        }
    }
}
