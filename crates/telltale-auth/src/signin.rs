//! Starting a sign-in: a fresh PKCE S256 verifier and a fresh random `state` per attempt.

use crate::{AuthError, Provider};
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, ClientId, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenUrl,
};
use std::fmt;
use std::time::Instant;
use url::Url;

/// Random bytes in each `state` (43 base64url characters).
pub const STATE_BYTES: u32 = 32;
/// Random bytes in each PKCE verifier (43 base64url characters, within RFC 7636's 43..=128).
pub const VERIFIER_BYTES: u32 = 32;

/// Entry point of the authorization-code flow.
pub struct SignIn;

impl SignIn {
    /// Prepares one sign-in attempt: returns the URL to open in the login webview and the
    /// attempt's secrets, which go into a [`crate::PendingSignIns`] until the callback arrives.
    ///
    /// The URL carries `response_type=code`, `client_id`, `redirect_uri`, `state`,
    /// `code_challenge`, `code_challenge_method=S256` and, if any scopes are set, `scope`.
    pub fn start(provider: &Provider) -> (Url, PendingSignIn) {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256_len(VERIFIER_BYTES);
        let client = BasicClient::new(ClientId::new(provider.client_id.clone()))
            .set_auth_uri(AuthUrl::from_url(provider.authorize_url.clone()))
            .set_token_uri(TokenUrl::from_url(provider.token_url.clone()))
            .set_redirect_uri(RedirectUrl::from_url(provider.redirect_uri.clone()));
        let (url, state) = client
            .authorize_url(|| CsrfToken::new_random_len(STATE_BYTES))
            .add_scopes(provider.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge)
            .url();
        (
            url,
            PendingSignIn::new(state, Flow::CodeWithPkce(verifier), provider),
        )
    }
}

/// The error for a callback that answers an attempt of another flow (say, an implicit-grant
/// redirect carrying the state of an authorization-code attempt).
pub(crate) fn wrong_flow() -> AuthError {
    AuthError::InvalidCallback {
        reason: "the answer does not fit the kind of sign-in that was started".into(),
    }
}

/// How the provider's redirect reaches the app. An attempt is finished only by a redirect
/// that arrives the way the attempt was started (a deep link cannot end a sign-in-window
/// attempt, nor the other way round).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// The app's sign-in window caught it as a navigation; it never left the process.
    Window,
    /// The OS handed it over as a deep link (system-browser sign-in).
    DeepLink,
    /// The app's loopback listener received it (RFC 8252 §7.3).
    Loopback,
}

impl Channel {
    /// A short name for logs and messages.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Window => "sign-in window",
            Channel::DeepLink => "link from the system browser",
            Channel::Loopback => "loopback listener",
        }
    }
}

/// Which kind of grant an attempt uses, without its secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowKind {
    /// The authorization code with PKCE S256.
    CodeWithPkce,
    /// The implicit grant.
    Implicit,
    /// Iternio's authorization code (no PKCE).
    Iternio,
}

/// Which sign-in flow an attempt belongs to, so that a callback is only ever finished the
/// way its attempt was started.
pub(crate) enum Flow {
    /// Igtimi's authorization code with PKCE; holds the verifier.
    CodeWithPkce(PkceCodeVerifier),
    /// Igtimi's implicit grant: the token arrives in the redirect's fragment.
    Implicit,
    /// Iternio's authorization code (no PKCE; the server echoes `state` with the token).
    Iternio,
}

/// One sign-in attempt waiting for its callback. `Debug` shows no secret.
pub struct PendingSignIn {
    pub(crate) state: CsrfToken,
    pub(crate) flow: Flow,
    pub(crate) provider: Provider,
    pub(crate) started_at: Instant,
    pub(crate) profile: String,
    pub(crate) channel: Channel,
}

impl PendingSignIn {
    /// An attempt starting now, in the sign-in window, for no named profile until
    /// [`Self::bind`] says which.
    pub(crate) fn new(state: CsrfToken, flow: Flow, provider: &Provider) -> Self {
        Self {
            state,
            flow,
            provider: provider.clone(),
            started_at: Instant::now(),
            profile: String::new(),
            channel: Channel::Window,
        }
    }

    /// Binds the attempt to the provider profile it signs in to and the channel its redirect
    /// must come back on ([`crate::finish_redirect`] checks both).
    pub fn bind(mut self, profile: impl Into<String>, channel: Channel) -> Self {
        self.profile = profile.into();
        self.channel = channel;
        self
    }

    /// The provider profile the attempt belongs to.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// The channel its redirect must come back on.
    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// The kind of grant.
    pub fn flow(&self) -> FlowKind {
        match self.flow {
            Flow::CodeWithPkce(_) => FlowKind::CodeWithPkce,
            Flow::Implicit => FlowKind::Implicit,
            Flow::Iternio => FlowKind::Iternio,
        }
    }

    /// The provider this attempt signs in to.
    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// When the attempt started.
    pub fn started_at(&self) -> Instant {
        self.started_at
    }

    /// The PKCE verifier of an authorization-code attempt; `None` for the implicit grant and
    /// Iternio's dialect, which use none. Only for tests and the token exchange; never log it.
    pub fn verifier_secret(&self) -> Option<&str> {
        match &self.flow {
            Flow::CodeWithPkce(verifier) => Some(verifier.secret()),
            Flow::Implicit | Flow::Iternio => None,
        }
    }

    /// The `state` sent in the authorize URL. Never log it.
    pub fn state_secret(&self) -> &str {
        self.state.secret()
    }
}

impl PendingSignIn {
    fn flow_name(&self) -> &'static str {
        match self.flow {
            Flow::CodeWithPkce(_) => "authorization code with PKCE",
            Flow::Implicit => "implicit",
            Flow::Iternio => "Iternio authorization code",
        }
    }
}

impl fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("profile", &self.profile)
            .field("channel", &self.channel)
            .field("client_id", &self.provider.client_id)
            .field("flow", &self.flow_name())
            .field("started_at", &self.started_at)
            .field("state", &"<redacted>")
            .field("verifier", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    pub(crate) fn provider() -> Provider {
        Provider::igtimi(
            &Url::parse("http://127.0.0.1:9/").expect("base"),
            "telltale-client",
            None,
            Url::parse("io.telltale.app:/oauth/callback").expect("redirect"),
        )
        .expect("provider")
    }

    fn query(url: &Url) -> HashMap<String, String> {
        url.query_pairs().into_owned().collect()
    }

    #[test]
    fn the_authorize_url_carries_every_parameter() {
        let mut provider = provider();
        provider.scopes = vec!["read".into(), "write".into()];
        let (url, pending) = SignIn::start(&provider);
        assert_eq!(url.path(), "/oauth/authorize");
        let params = query(&url);
        assert_eq!(
            params.get("response_type").map(String::as_str),
            Some("code")
        );
        assert_eq!(
            params.get("client_id").map(String::as_str),
            Some("telltale-client")
        );
        assert_eq!(
            params.get("redirect_uri").map(String::as_str),
            Some("io.telltale.app:/oauth/callback")
        );
        assert_eq!(
            params.get("state").map(String::as_str),
            Some(pending.state_secret())
        );
        assert_eq!(
            params.get("code_challenge_method").map(String::as_str),
            Some("S256")
        );
        assert!(params.contains_key("code_challenge"));
        assert_eq!(params.get("scope").map(String::as_str), Some("read write"));
        assert!(
            !url.as_str()
                .contains(pending.verifier_secret().expect("a verifier")),
            "verifier must stay local"
        );
    }

    #[test]
    fn no_scope_parameter_when_no_scopes_are_set() {
        let (url, _) = SignIn::start(&provider());
        assert!(!query(&url).contains_key("scope"));
    }

    #[test]
    fn state_and_verifier_are_fresh_for_every_attempt() {
        let mut states = HashSet::new();
        let mut verifiers = HashSet::new();
        for _ in 0..200 {
            let (_, pending) = SignIn::start(&provider());
            assert!(states.insert(pending.state_secret().to_owned()));
            assert!(verifiers.insert(pending.verifier_secret().map(str::to_owned)));
        }
    }

    #[test]
    fn state_is_long_and_url_safe() {
        let (_, pending) = SignIn::start(&provider());
        let state = pending.state_secret();
        assert_eq!(state.len(), 43);
        assert!(state
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    #[test]
    fn the_verifier_follows_rfc_7636_and_the_challenge_is_its_sha256() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine;
        use sha2::{Digest, Sha256};
        let (url, pending) = SignIn::start(&provider());
        let verifier = pending.verifier_secret().expect("a verifier");
        assert!(
            (43..=128).contains(&verifier.len()),
            "length {}",
            verifier.len()
        );
        assert!(verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)));
        let expected = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        assert_eq!(query(&url).get("code_challenge"), Some(&expected));
    }

    #[test]
    fn debug_shows_no_secret() {
        let (_, pending) = SignIn::start(&provider());
        let shown = format!("{pending:?}");
        assert!(!shown.contains(pending.state_secret()));
        assert!(!shown.contains(pending.verifier_secret().expect("a verifier")));
    }
}
