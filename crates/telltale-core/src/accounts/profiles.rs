//! Provider profiles: where an account signs in, as data. Telltale ships four built-in
//! profiles (an Igtimi-compatible server of the old API, [`IGTIMI_PROFILE_ID`]; the Sailing
//! Analytics Riot service, [`SAILING_ANALYTICS_PROFILE_ID`]; and the embedded simulator in
//! both dialects, [`SIMULATOR_PROFILE_ID`] and [`SIMULATOR_RIOT_PROFILE_ID`]); the settings
//! file adds more as `[[providers]]` tables (parsed in [`crate::config`]).

use super::methods::{ProviderKind, SignInMethod};
use crate::config::ConfigError;
use std::fmt;
use telltale_auth::Provider;
use url::Url;

/// The id of the built-in Igtimi profile (the default when it has a client id).
pub const IGTIMI_PROFILE_ID: &str = "igtimi";
/// The id of the built-in profile of the simulator embedded in the app (the offline demo).
pub const SIMULATOR_PROFILE_ID: &str = "simulator";
/// The id of the built-in profile of the Sailing Analytics Riot service.
pub const SAILING_ANALYTICS_PROFILE_ID: &str = "sapsailing";
/// The Sailing Analytics Riot service's address (riot-api.md).
pub const SAILING_ANALYTICS_URL: &str = "https://wind.sapsailing.com";
/// The id of the built-in profile of the embedded simulator's Riot dialect.
pub const SIMULATOR_RIOT_PROFILE_ID: &str = "simulator-riot";
/// The ids of the built-in profiles, which `[[providers]]` tables cannot reuse.
pub const BUILT_IN_PROFILE_IDS: [&str; 4] = [
    IGTIMI_PROFILE_ID,
    SAILING_ANALYTICS_PROFILE_ID,
    SIMULATOR_PROFILE_ID,
    SIMULATOR_RIOT_PROFILE_ID,
];
/// The redirect scheme a profile uses unless it names its own.
pub const DEFAULT_REDIRECT_SCHEME: &str = "io.telltale.app";
/// The longest profile id accepted.
pub const MAX_PROFILE_ID_CHARS: usize = 40;

/// One provider an account can belong to. `Debug` hides the client secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderProfile {
    /// Stable id, used in account keys (`<profile id>/<user id>`): lowercase letters,
    /// digits, `-` and `_`.
    pub id: String,
    /// The name shown to the user.
    pub name: String,
    /// The dialect the server speaks.
    pub kind: ProviderKind,
    /// The sign-in server's base address; `None` only for the embedded simulator, whose
    /// address is known once it runs (see [`ProviderProfile::at_started_simulator`]).
    pub base_url: Option<Url>,
    /// The Igtimi REST API's base address when it differs from [`base_url`](Self::base_url).
    pub api_url: Option<Url>,
    /// The app's OAuth client id; `None` when the profile cannot sign in with OAuth yet
    /// (the built-in Igtimi profile without a configured id, or the simulator before it runs).
    pub client_id: Option<String>,
    /// The app's client secret, if the server issued one. It ships with the app, so it is
    /// public; still, `Debug` does not show it.
    pub client_secret: Option<String>,
    /// The OAuth scopes to request; empty means the server's default.
    pub scopes: Vec<String>,
    /// The private-use URI scheme the server redirects to (reverse DNS, e.g. `io.telltale.app`).
    pub redirect_scheme: String,
    /// The sign-in methods offered for this profile, recommended first.
    pub methods: Vec<SignInMethod>,
}

impl fmt::Debug for ProviderProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderProfile")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("base_url", &self.base_url.as_ref().map(Url::as_str))
            .field("api_url", &self.api_url.as_ref().map(Url::as_str))
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("scopes", &self.scopes)
            .field("redirect_scheme", &self.redirect_scheme)
            .field("methods", &self.methods)
            .finish()
    }
}

impl ProviderProfile {
    /// The built-in profile of the simulator embedded in the app: every method, with the
    /// address and client filled in once it runs.
    pub fn simulator() -> ProviderProfile {
        ProviderProfile {
            id: SIMULATOR_PROFILE_ID.to_string(),
            name: "Demo (simulator inside Telltale)".to_string(),
            kind: ProviderKind::Igtimi,
            base_url: None,
            api_url: None,
            client_id: None,
            client_secret: None,
            scopes: Vec::new(),
            redirect_scheme: DEFAULT_REDIRECT_SCHEME.to_string(),
            methods: SignInMethod::IGTIMI.to_vec(),
        }
    }

    /// The built-in profile of the embedded simulator's Riot dialect (same server, same
    /// world, the other API), with the address filled in once it runs.
    pub fn simulator_riot() -> ProviderProfile {
        ProviderProfile {
            id: SIMULATOR_RIOT_PROFILE_ID.to_string(),
            name: "Demo Riot server (simulator inside Telltale)".to_string(),
            kind: ProviderKind::Riot,
            methods: ProviderKind::Riot.default_methods(),
            ..ProviderProfile::simulator()
        }
    }

    /// The built-in profile of the Sailing Analytics Riot service, where YachtBots report
    /// since Igtimi's cloud closed in January 2025.
    pub fn sailing_analytics() -> ProviderProfile {
        ProviderProfile {
            id: SAILING_ANALYTICS_PROFILE_ID.to_string(),
            name: "Sailing Analytics wind service".to_string(),
            kind: ProviderKind::Riot,
            base_url: Url::parse(SAILING_ANALYTICS_URL).ok(),
            methods: ProviderKind::Riot.default_methods(),
            ..ProviderProfile::simulator()
        }
    }

    /// Whether this is the embedded simulator's profile (no fixed address).
    pub fn is_embedded(&self) -> bool {
        self.base_url.is_none()
    }

    /// This embedded profile once its simulator runs at `base_url` and registered the app
    /// as `client_id` / `client_secret`.
    pub fn at_started_simulator(
        &self,
        base_url: Url,
        client_id: String,
        client_secret: Option<String>,
    ) -> ProviderProfile {
        if self.kind == ProviderKind::Riot {
            // Riot has no OAuth client: the registration belongs to the old dialect.
            return ProviderProfile {
                base_url: Some(base_url),
                ..self.clone()
            };
        }
        ProviderProfile {
            base_url: Some(base_url),
            client_id: Some(client_id),
            client_secret,
            ..self.clone()
        }
    }

    /// The Igtimi REST API's base address: [`api_url`](Self::api_url), else
    /// [`base_url`](Self::base_url).
    pub fn api_base(&self) -> Option<&Url> {
        self.api_url.as_ref().or(self.base_url.as_ref())
    }

    /// Where the server sends the browser back: `<redirect_scheme>:<kind's redirect
    /// path>/<profile id>`, e.g. `io.telltale.app:/oauth/callback/simulator`. Each profile has
    /// its own, so a redirect names the profile its attempt was started for and a provider
    /// that bounces the browser to another cannot mix them up (RFC 9700 §4.4.2).
    pub fn redirect_uri(&self) -> Result<Url, ConfigError> {
        let text = format!(
            "{}:{}/{}",
            self.redirect_scheme,
            self.kind.redirect_path(),
            self.id
        );
        Url::parse(&text).map_err(|_| self.unusable("its redirect scheme is not a valid scheme"))
    }

    /// The path of this profile's loopback redirect (`/oauth/callback/<profile id>`, on
    /// `http://127.0.0.1:<port>`).
    pub fn loopback_path(&self) -> String {
        format!("{}/{}", ProviderKind::Igtimi.redirect_path(), self.id)
    }

    /// Whether `method` is offered for this profile.
    pub fn offers(&self, method: SignInMethod) -> bool {
        self.methods.contains(&method)
    }

    /// Checks that a sign-in with `method` can start: the method is offered, the address is
    /// known and safe, and a client id is there when the method needs one. The error says
    /// what to configure.
    pub fn check_usable(&self, method: SignInMethod) -> Result<(), ConfigError> {
        if !self.offers(method) {
            return Err(self.unusable(&format!(
                "it does not offer the `{}` sign-in method",
                method.name()
            )));
        }
        let base = self.base_url.as_ref().ok_or_else(|| {
            self.unusable("the simulator inside Telltale has not been started yet")
        })?;
        for url in [Some(base), self.api_url.as_ref()].into_iter().flatten() {
            check_endpoint(url).map_err(|message| self.unusable(&message))?;
        }
        check_redirect_scheme(&self.redirect_scheme).map_err(|message| self.unusable(&message))?;
        if method.needs_client_id() && self.client_id.is_none() {
            let how = if self.id == IGTIMI_PROFILE_ID {
                "set `client_id` in the settings file or the TELLTALE_CLIENT_ID environment \
                 variable to the id Igtimi issued to Telltale"
            } else {
                "add `client_id` to its [[providers]] table in the settings file"
            };
            return Err(self.unusable(&format!("it has no OAuth client id; {how}")));
        }
        Ok(())
    }

    /// The OAuth endpoints and registration for a sign-in with `method` (not
    /// [`SignInMethod::TokenApi`], which has no OAuth client).
    pub fn oauth_provider(&self, method: SignInMethod) -> Result<Provider, ConfigError> {
        if !method.needs_client_id() {
            return Err(self.unusable("the token API form signs in without OAuth"));
        }
        self.check_usable(method)?;
        let (Some(base), Some(client_id)) = (&self.base_url, &self.client_id) else {
            return Err(self.unusable("it has no address or no client id"));
        };
        let mut provider = Provider::igtimi(
            base,
            client_id.clone(),
            self.client_secret.clone(),
            self.redirect_uri()?,
        )
        .map_err(|error| self.unusable(&error.to_string()))?;
        if self.kind == ProviderKind::Iternio {
            provider.revoke_url = None;
        }
        provider.scopes = self.scopes.clone();
        Ok(provider)
    }

    fn unusable(&self, why: &str) -> ConfigError {
        ConfigError::Unusable {
            message: format!(
                "the provider \"{}\" ({}) cannot be used: {why}",
                self.name, self.id
            ),
        }
    }
}

/// Checks a profile id: 1 to [`MAX_PROFILE_ID_CHARS`] lowercase ASCII letters, digits, `-`
/// or `_`, starting with a letter.
pub fn check_profile_id(id: &str) -> Result<(), String> {
    let starts_with_letter = id.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let allowed = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !starts_with_letter || !allowed || id.chars().count() > MAX_PROFILE_ID_CHARS {
        return Err(format!(
            "the id `{id}` must start with a lowercase letter and hold only lowercase letters, \
             digits, `-` and `_` (at most {MAX_PROFILE_ID_CHARS})"
        ));
    }
    Ok(())
}

/// Checks a server address codes and tokens travel to: `https`, or plain `http` only to
/// this computer (127.0.0.0/8, `[::1]`, `localhost`).
pub fn check_endpoint(url: &Url) -> Result<(), String> {
    let local = igtimi_client::is_loopback(url);
    match url.scheme() {
        "https" => Ok(()),
        "http" if local => Ok(()),
        "http" => Err(format!(
            "`{url}` uses plain http to another computer, which would send passwords and \
             tokens unencrypted; use https (plain http is only allowed to this computer)"
        )),
        other => Err(format!("`{url}` must use https, not {other}")),
    }
}

/// Checks a redirect scheme: reverse DNS of a name the app owns (RFC 8252 §7.1), e.g.
/// `io.telltale.app`: at least two dot-separated labels of lowercase letters, digits and
/// `-`, the first starting with a letter.
pub fn check_redirect_scheme(scheme: &str) -> Result<(), String> {
    let labels: Vec<&str> = scheme.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let first_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase());
    if labels.len() < 2 || !labels.iter().all(label_ok) || !first_ok {
        return Err(format!(
            "the redirect scheme `{scheme}` must be a reverse domain name the app owns, such as \
             `{DEFAULT_REDIRECT_SCHEME}` (lowercase labels separated by dots)"
        ));
    }
    Ok(())
}
