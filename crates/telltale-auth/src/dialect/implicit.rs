//! Igtimi's implicit grant (RFC 6749 §4.2), kept for servers that only offer it: the
//! authorize URL asks for `response_type=token`, and the access token comes back in the
//! **fragment** of the redirect, with no code exchange and no refresh token.
//!
//! [`start`] registers the attempt like [`crate::SignIn::start`]; [`finish`] reads the
//! redirect, takes the attempt by `state` (once, in constant time) and builds the
//! [`TokenSet`]. Prefer the authorization-code flow wherever the server offers it.

use crate::callback::{checked_address, provider_error, query, CallbackError, Params};
use crate::signin::{wrong_flow, Flow};
use crate::{
    AccessToken, AuthError, Callback, PendingSignIn, PendingSignIns, Provider, TokenSet,
    STATE_BYTES,
};
use oauth2::basic::BasicClient;
use oauth2::{AuthUrl, ClientId, CsrfToken, RedirectUrl, Scope};
use std::time::{Duration, SystemTime};
use url::Url;

/// The parameters an implicit-grant redirect may carry; none of them may be empty.
const KNOWN: [&str; 8] = [
    "access_token",
    "token_type",
    "expires_in",
    "scope",
    "state",
    "error",
    "error_description",
    "error_uri",
];

/// Longest `expires_in` accepted, in decimal digits (more is not a lifetime but junk).
const MAX_EXPIRES_IN_DIGITS: usize = 12;

/// Prepares one implicit-grant attempt: the URL to open in the login webview
/// (`response_type=token`, `client_id`, `redirect_uri`, a fresh `state` and, if set,
/// `scope`) and the attempt, which goes into a [`PendingSignIns`] until the redirect arrives.
pub fn start(provider: &Provider) -> (Url, PendingSignIn) {
    let client = BasicClient::new(ClientId::new(provider.client_id.clone()))
        .set_auth_uri(AuthUrl::from_url(provider.authorize_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(provider.redirect_uri.clone()));
    let (url, state) = client
        .authorize_url(|| CsrfToken::new_random_len(STATE_BYTES))
        .add_scopes(provider.scopes.iter().cloned().map(Scope::new))
        .use_implicit_flow()
        .url();
    (url, PendingSignIn::new(state, Flow::Implicit, provider))
}

/// Finishes an implicit-grant attempt from the redirect `raw_callback`: checks it against
/// `provider.redirect_uri`, reads `access_token`, `token_type`, `expires_in`, `scope` and
/// `state` (or `error` and `error_description`) from its fragment, takes the matching
/// attempt from `registry` (so the redirect cannot be used again) and returns the tokens.
///
/// A malformed redirect (token in the query, no token, a token type other than bearer, both
/// a token and an error) is refused before any attempt is taken. A denial gives
/// [`AuthError::Cancelled`], another error from the server [`AuthError::Rejected`].
pub fn finish(
    registry: &PendingSignIns,
    raw_callback: &str,
    provider: &Provider,
) -> Result<TokenSet, AuthError> {
    let answer = parse(raw_callback, &provider.redirect_uri)?;
    let pending = registry.take(answer.state())?;
    if !matches!(pending.flow, Flow::Implicit) {
        return Err(wrong_flow());
    }
    match answer {
        Answer::Token(token) => token.into_token_set(&pending.provider.scopes, SystemTime::now()),
        Answer::Other(Callback::Denied { .. }) => Err(AuthError::Cancelled),
        Answer::Other(Callback::ProviderError {
            error, description, ..
        }) => Err(AuthError::Rejected { error, description }),
        // `parse` never gives a code for the implicit grant.
        Answer::Other(Callback::Code { .. }) => Err(wrong_flow()),
    }
}

/// Reads an implicit-grant redirect on its own, without an attempt to take: its tokens
/// (scopes as the server stated them), or the denial or error as an [`AuthError`]. The entry
/// point of the fuzz and property tests; [`finish`] runs the same checks.
pub(crate) fn read_redirect(
    raw_callback: &str,
    redirect_uri: &Url,
    now: SystemTime,
) -> Result<TokenSet, AuthError> {
    match parse(raw_callback, redirect_uri)? {
        Answer::Token(token) => token.into_token_set(&[], now),
        Answer::Other(Callback::Denied { .. }) => Err(AuthError::Cancelled),
        Answer::Other(Callback::ProviderError {
            error, description, ..
        }) => Err(AuthError::Rejected { error, description }),
        Answer::Other(Callback::Code { .. }) => Err(wrong_flow()),
    }
}

/// What an implicit-grant redirect says.
pub(crate) enum Answer {
    Token(FragmentToken),
    /// A denial or another error, in the shape of the code flow's callback.
    Other(Callback),
}

impl Answer {
    fn state(&self) -> &str {
        match self {
            Answer::Token(token) => &token.state,
            Answer::Other(callback) => callback.state(),
        }
    }
}

/// The token fields of the fragment, checked for syntax only.
pub(crate) struct FragmentToken {
    access_token: String,
    expires_in: Option<u64>,
    scope: Option<String>,
    state: String,
}

impl FragmentToken {
    pub(crate) fn into_token_set(
        self,
        requested: &[String],
        now: SystemTime,
    ) -> Result<TokenSet, AuthError> {
        let access_token = AccessToken::new(self.access_token).map_err(|_| {
            invalid("the access token is empty, too long or contains unusable characters")
        })?;
        let expires_at = match self.expires_in {
            Some(seconds) => Some(
                now.checked_add(Duration::from_secs(seconds))
                    .ok_or_else(|| invalid("the token lifetime is out of range"))?,
            ),
            None => None,
        };
        let scope = match self.scope {
            Some(scope) => scope
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            None => requested.to_vec(),
        };
        Ok(TokenSet {
            access_token,
            refresh_token: None,
            expires_at,
            scope,
        })
    }
}

fn invalid(reason: &str) -> AuthError {
    AuthError::InvalidCallback {
        reason: reason.to_owned(),
    }
}

/// Reads an implicit-grant redirect. No value appears in any error.
pub(crate) fn parse(raw: &str, redirect_uri: &Url) -> Result<Answer, AuthError> {
    let url = checked_address(raw, redirect_uri)?;
    if let Some(query) = url.query().filter(|q| !q.is_empty()) {
        let in_query = query::parse_pairs(query)?;
        if in_query
            .iter()
            .any(|pair| KNOWN.contains(&pair.name.as_str()))
        {
            return Err(invalid(
                "the sign-in answer is in the address's query instead of its #fragment, \
                 which is not how this kind of sign-in works",
            ));
        }
    }
    let fragment = url
        .fragment()
        .filter(|f| !f.is_empty())
        .ok_or_else(|| invalid("the address carries no #fragment with the sign-in answer"))?;
    let params = Params::collect(fragment, &KNOWN)?;
    let state = params.state()?;
    match (params.get("access_token"), params.get("error")) {
        (Some(_), Some(_)) => Err(invalid("the address carries both a token and an error")),
        (None, None) => Err(invalid("the address carries neither a token nor an error")),
        (None, Some(error)) => Ok(Answer::Other(provider_error(state, error, &params)?)),
        (Some(access_token), None) => {
            match params.get("token_type") {
                Some(kind) if kind.eq_ignore_ascii_case("bearer") => {}
                Some(_) => return Err(invalid("the token is not a bearer token")),
                None => return Err(invalid("the address does not say the token's type")),
            }
            let expires_in = params.get("expires_in").map(|v| lifetime(&v)).transpose()?;
            let scope = params.get("scope");
            if let Some(scope) = &scope {
                if !scope.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
                    return Err(CallbackError::BadValue("scope".into()).into());
                }
            }
            Ok(Answer::Token(FragmentToken {
                access_token,
                expires_in,
                scope,
                state,
            }))
        }
    }
}

/// `expires_in`: decimal seconds.
fn lifetime(text: &str) -> Result<u64, AuthError> {
    let well_formed = !text.is_empty()
        && text.len() <= MAX_EXPIRES_IN_DIGITS
        && text.bytes().all(|b| b.is_ascii_digit());
    let seconds = well_formed.then(|| text.parse::<u64>().ok()).flatten();
    seconds.ok_or_else(|| invalid("the token lifetime (expires_in) is not a number of seconds"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect() -> Url {
        Url::parse("io.telltale.app:/oauth/callback").expect("redirect")
    }

    fn reason(raw: &str) -> String {
        match parse(raw, &redirect()) {
            Err(AuthError::InvalidCallback { reason }) => reason,
            Err(other) => panic!("unexpected error {other:?}"),
            Ok(_) => panic!("accepted {raw}"),
        }
    }

    #[test]
    fn lifetimes_are_plain_decimal_seconds() {
        assert_eq!(lifetime("7200").ok(), Some(7200));
        for bad in ["", "-1", "1e3", " 5", "9999999999999", "0x10"] {
            assert!(lifetime(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn malformed_fragments_are_explained_without_values() {
        let base = "io.telltale.app:/oauth/callback";
        assert!(reason(&format!(
            "{base}#state=s&token_type=Bearer&expires_in=soon&access_token=SECRET"
        ))
        .contains("expires_in"));
        assert!(reason(&format!(
            "{base}#state=s&token_type=Bearer&access_token=a&access_token=b"
        ))
        .contains("more than once"));
        assert!(reason(&format!("{base}#access_token=SECRET&token_type=Bearer")).contains("state"));
        assert!(reason(&format!("{base}?state=s#access_token=SECRET")).contains("query"));
        let text = reason(&format!("{base}#state=s&access_token=SECRET"));
        assert!(text.contains("type") && !text.contains("SECRET"), "{text}");
    }

    #[test]
    fn a_fragment_token_becomes_a_token_set() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let token = FragmentToken {
            access_token: "abc".into(),
            expires_in: Some(60),
            scope: Some("read  write".into()),
            state: "s".into(),
        };
        let tokens = token.into_token_set(&[], now).expect("valid");
        assert_eq!(tokens.expires_at, Some(now + Duration::from_secs(60)));
        assert_eq!(tokens.scope, vec!["read".to_owned(), "write".to_owned()]);
        let unusable = FragmentToken {
            access_token: "a\u{7f}b".into(),
            expires_in: None,
            scope: None,
            state: "s".into(),
        };
        assert!(matches!(
            unusable.into_token_set(&["read".into()], now),
            Err(AuthError::InvalidCallback { .. })
        ));
    }
}
