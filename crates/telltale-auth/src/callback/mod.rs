//! Checking the redirect that ends a sign-in, whether it arrives from the login webview's
//! navigation handler or as an OS deep link.
//!
//! Accepted shapes: the configured redirect URI exactly (scheme, host, port, path), plus,
//! for a host-less custom scheme such as `io.telltale.app:/oauth/callback`, the
//! empty-authority spelling `io.telltale.app:///oauth/callback`, which RFC 3986 treats as the
//! same path. `io.telltale.app://oauth/callback` is refused: there `oauth` is a host and the
//! path is `/callback`, a different URI.

pub(crate) mod query;

use crate::error::clean_server_text;
use crate::AuthError;
use oauth2::AuthorizationCode;
use std::fmt;
use url::Url;

/// Longest callback URL accepted.
pub const MAX_CALLBACK_LEN: usize = 8 * 1024;
/// Longest `error_description` kept (characters, after removing control characters); a
/// longer one is cut and ends with `…`.
pub const MAX_DESCRIPTION_CHARS: usize = crate::error::MAX_SERVER_TEXT;
/// Longest `error` code accepted.
const MAX_ERROR_CODE_LEN: usize = 100;

/// What a valid callback says.
#[derive(Clone)]
pub enum Callback {
    /// The user approved: exchange `code` for tokens, with the attempt found by `state`.
    Code {
        /// The one-time authorization code.
        code: AuthorizationCode,
        /// The `state` echoed by the server.
        state: String,
    },
    /// The user declined (`error=access_denied`).
    Denied {
        /// The `state` echoed by the server.
        state: String,
    },
    /// The server reported another error (RFC 6749 §4.1.2.1).
    ProviderError {
        /// The `state` echoed by the server.
        state: String,
        /// The error code, such as `invalid_scope` or `server_error`.
        error: String,
        /// The server's explanation, without control characters, cut to
        /// [`MAX_DESCRIPTION_CHARS`].
        description: Option<String>,
    },
}

impl Callback {
    /// The `state` every callback carries.
    pub fn state(&self) -> &str {
        match self {
            Callback::Code { state, .. }
            | Callback::Denied { state }
            | Callback::ProviderError { state, .. } => state,
        }
    }
}

impl fmt::Debug for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Callback::Code { .. } => {
                f.write_str("Callback::Code { code: <redacted>, state: <redacted> }")
            }
            Callback::Denied { .. } => f.write_str("Callback::Denied { state: <redacted> }"),
            Callback::ProviderError {
                error, description, ..
            } => f
                .debug_struct("Callback::ProviderError")
                .field("state", &"<redacted>")
                .field("error", error)
                .field("description", description)
                .finish(),
        }
    }
}

/// Why a callback was refused. Messages name the problem, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    /// Longer than [`MAX_CALLBACK_LEN`].
    #[error("the address is longer than {MAX_CALLBACK_LEN} bytes")]
    TooLong,
    /// Spaces, control characters or non-ASCII characters inside the address.
    #[error("the address contains characters that do not belong in a URL")]
    BadCharacters,
    /// Not parseable as a URL.
    #[error("the address is not a valid URL")]
    NotAUrl,
    /// Scheme, user info, host, port or path differ from the redirect URI.
    #[error("the address is not this app's sign-in return address")]
    WrongTarget,
    /// A `#fragment` (the implicit grant's carrier, not used here).
    #[error("the address has an unexpected #fragment")]
    Fragment,
    /// A query piece without `=` or with an empty name.
    #[error("the address has a malformed parameter")]
    MalformedQuery,
    /// A `%` not followed by two hex digits.
    #[error("the address has a malformed %-escape")]
    BadEncoding,
    /// Escapes that decode to invalid UTF-8.
    #[error("the address decodes to text that is not UTF-8")]
    NotUtf8,
    /// A parameter given twice.
    #[error("the parameter `{0}` appears more than once")]
    Duplicate(String),
    /// A parameter with an empty value.
    #[error("the parameter `{0}` is empty")]
    Empty(String),
    /// A parameter value with characters OAuth does not allow in it.
    #[error("the parameter `{0}` contains characters that are not allowed")]
    BadValue(String),
    /// No `state`.
    #[error("the `state` parameter is missing")]
    MissingState,
    /// Both `code` and `error`.
    #[error("the address carries both a code and an error")]
    CodeAndError,
    /// Neither `code` nor `error`.
    #[error("the address carries neither a code nor an error")]
    NoCodeNorError,
}

impl From<CallbackError> for AuthError {
    fn from(err: CallbackError) -> Self {
        AuthError::InvalidCallback {
            reason: err.to_string(),
        }
    }
}

/// The OAuth parameters a callback may carry; others (like `iss`) are ignored.
const KNOWN: [&str; 5] = ["code", "state", "error", "error_description", "error_uri"];

/// Checks `raw` against `redirect_uri` and extracts what it says.
pub fn parse_callback(raw: &str, redirect_uri: &Url) -> Result<Callback, CallbackError> {
    parse_code_callback(raw, redirect_uri, "code", &KNOWN)
}

/// A code redirect in the query of `redirect_uri`, with the code in `code_param` (`code`,
/// or Iternio's `auth_code`) and only the `known` parameters read.
pub(crate) fn parse_code_callback(
    raw: &str,
    redirect_uri: &Url,
    code_param: &str,
    known: &[&str],
) -> Result<Callback, CallbackError> {
    let url = checked_address(raw, redirect_uri)?;
    if url.fragment().is_some_and(|fragment| !fragment.is_empty()) {
        return Err(CallbackError::Fragment);
    }
    let params = Params::collect(url.query().unwrap_or(""), known)?;
    let state = params.state()?;
    match (params.get(code_param), params.get("error")) {
        (Some(_), Some(_)) => Err(CallbackError::CodeAndError),
        (None, None) => Err(CallbackError::NoCodeNorError),
        (Some(code), None) => {
            require_chars(&code, code_param, is_vschar)?;
            Ok(Callback::Code {
                code: AuthorizationCode::new(code),
                state,
            })
        }
        (None, Some(error)) => provider_error(state, error, &params),
    }
}

/// The checks every redirect passes, whatever the flow: length, characters, URL syntax and
/// target (scheme, host, port and path of `redirect_uri`).
pub(crate) fn checked_address(raw: &str, redirect_uri: &Url) -> Result<Url, CallbackError> {
    if raw.len() > MAX_CALLBACK_LEN {
        return Err(CallbackError::TooLong);
    }
    let raw = raw.trim_matches(|c: char| c.is_ascii_whitespace());
    if !raw.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(CallbackError::BadCharacters);
    }
    let url = Url::parse(raw).map_err(|_| CallbackError::NotAUrl)?;
    if !same_target(&url, redirect_uri) {
        return Err(CallbackError::WrongTarget);
    }
    Ok(url)
}

/// A redirect's `error` (RFC 6749 §4.1.2.1, §4.2.2.1): `access_denied` is a denial, any
/// other code a provider error with its cleaned `error_description`.
pub(crate) fn provider_error(
    state: String,
    error: String,
    params: &Params,
) -> Result<Callback, CallbackError> {
    require_chars(&error, "error", is_nqschar)?;
    if error.len() > MAX_ERROR_CODE_LEN {
        return Err(CallbackError::BadValue("error".into()));
    }
    if error == "access_denied" {
        return Ok(Callback::Denied { state });
    }
    let description = params
        .get("error_description")
        .map(|text| clean_server_text(&text, &[]));
    Ok(Callback::ProviderError {
        state,
        error,
        description,
    })
}

/// Decoded parameters, with duplicates and empty known values refused.
pub(crate) struct Params(Vec<query::Pair>);

impl Params {
    /// Decodes `query` (or a fragment in the same syntax); `known` names may not be empty.
    pub(crate) fn collect(query: &str, known: &[&str]) -> Result<Self, CallbackError> {
        let pairs = query::parse_pairs(query)?;
        let mut seen = std::collections::HashSet::new();
        for pair in &pairs {
            if !seen.insert(pair.name.as_str()) {
                return Err(CallbackError::Duplicate(printable_name(&pair.name)));
            }
            if pair.value.is_empty() && known.contains(&pair.name.as_str()) {
                return Err(CallbackError::Empty(pair.name.clone()));
            }
        }
        Ok(Self(pairs))
    }

    /// The decoded value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|pair| pair.name == name)
            .map(|pair| pair.value.clone())
    }

    /// The required `state`, checked to be printable ASCII.
    pub(crate) fn state(&self) -> Result<String, CallbackError> {
        let state = self.get("state").ok_or(CallbackError::MissingState)?;
        require_chars(&state, "state", is_vschar)?;
        Ok(state)
    }
}

/// A parameter name safe to quote in a message (names are not secret, but may be junk).
fn printable_name(name: &str) -> String {
    clean_server_text(name, &[]).chars().take(40).collect()
}

pub(crate) fn require_chars(
    value: &str,
    name: &str,
    allowed: fn(char) -> bool,
) -> Result<(), CallbackError> {
    if value.chars().all(allowed) {
        Ok(())
    } else {
        Err(CallbackError::BadValue(name.into()))
    }
}

/// RFC 6749 Appendix A `VSCHAR`: printable ASCII including space.
pub(crate) fn is_vschar(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7e}')
}

/// RFC 6749 Appendix A `NQSCHAR`: printable ASCII except `"` and `\`.
pub(crate) fn is_nqschar(c: char) -> bool {
    is_vschar(c) && c != '"' && c != '\\'
}

/// Same scheme, no user info, same host (an empty authority counts as no host), same port
/// and same path.
pub(crate) fn same_target(got: &Url, expected: &Url) -> bool {
    let host = |url: &Url| {
        url.host_str()
            .filter(|h| !h.is_empty())
            .map(str::to_ascii_lowercase)
    };
    got.scheme() == expected.scheme()
        && got.username().is_empty()
        && got.password().is_none()
        && host(got) == host(expected)
        && got.port_or_known_default() == expected.port_or_known_default()
        && got.path() == expected.path()
}

#[cfg(test)]
mod tests;
