//! Which dialect a provider speaks ([`ProviderKind`]) and how a person signs in to it
//! ([`SignInMethod`]): the old Igtimi API's OAuth2 grants and token API, Iternio's OAuth2,
//! a Riot server's password or pasted token; which kinds offer which methods, and the
//! legacy ones.

use serde::{Deserialize, Serialize};

/// Which dialect a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// Igtimi's OAuth2 server (`oauth/authorize`, `oauth/token`, `oauth/revoke`) and its
    /// user name and password token API (`v1/oauth/`).
    Igtimi,
    /// Iternio's OAuth2 dialect (`oauth/authorize`, `oauth/token`, no revocation), with a
    /// numeric client id and an API key as the client secret.
    Iternio,
    /// Only the user name and password token API (`v1/oauth/`); no OAuth client.
    TokenApi,
    /// A Riot server (the Igtimi service since 2025): the Sailing Analytics security
    /// service's bearer token, the API under `igtimi/api/v1/`, data as protobuf.
    Riot,
}

/// How a person signs in to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SignInMethod {
    /// OAuth2 authorization code with PKCE in the provider's own page (recommended).
    Code,
    /// Legacy OAuth2 implicit grant: the token comes back in the redirect's fragment.
    Implicit,
    /// Legacy OAuth2 password grant: the app sends the user's password to the token endpoint.
    Password,
    /// The user name and password form of the token API (`POST v1/oauth/`).
    TokenApi,
    /// A Riot server's user name and password in Telltale's own form, traded once for the
    /// user's token (`access_token`).
    RiotPassword,
    /// A Riot token copied from the server's web pages and pasted into Telltale's form.
    PastedToken,
}

impl SignInMethod {
    /// Every method, recommended first.
    pub const ALL: [SignInMethod; 6] = [
        SignInMethod::Code,
        SignInMethod::Implicit,
        SignInMethod::Password,
        SignInMethod::TokenApi,
        SignInMethod::RiotPassword,
        SignInMethod::PastedToken,
    ];

    /// The methods of the old Igtimi API, recommended first.
    pub const IGTIMI: [SignInMethod; 4] = [
        SignInMethod::Code,
        SignInMethod::Implicit,
        SignInMethod::Password,
        SignInMethod::TokenApi,
    ];

    /// Whether the method is kept only for old servers (the old API's grants other than
    /// [`Code`]): the UI should offer it below the recommended one and say why.
    ///
    /// [`Code`]: SignInMethod::Code
    pub fn is_legacy(self) -> bool {
        matches!(
            self,
            SignInMethod::Implicit | SignInMethod::Password | SignInMethod::TokenApi
        )
    }

    /// Whether the method needs an OAuth client id.
    pub fn needs_client_id(self) -> bool {
        matches!(
            self,
            SignInMethod::Code | SignInMethod::Implicit | SignInMethod::Password
        )
    }

    /// Whether the method signs in to a Riot server.
    pub fn is_riot(self) -> bool {
        matches!(self, SignInMethod::RiotPassword | SignInMethod::PastedToken)
    }

    /// The name used in the settings file and `accounts.json`.
    pub fn name(self) -> &'static str {
        match self {
            SignInMethod::Code => "code",
            SignInMethod::Implicit => "implicit",
            SignInMethod::Password => "password",
            SignInMethod::TokenApi => "token_api",
            SignInMethod::RiotPassword => "riot_password",
            SignInMethod::PastedToken => "pasted_token",
        }
    }
}

impl ProviderKind {
    /// The name used in the settings file.
    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::Igtimi => "igtimi",
            ProviderKind::Iternio => "iternio",
            ProviderKind::TokenApi => "token_api",
            ProviderKind::Riot => "riot",
        }
    }

    /// The path after the scheme in the redirect URI: `/oauth/callback`, or
    /// `/oauth/iternio` for Iternio (as Telltale's Iternio client is registered).
    pub fn redirect_path(self) -> &'static str {
        match self {
            ProviderKind::Iternio => "/oauth/iternio",
            ProviderKind::Igtimi | ProviderKind::TokenApi | ProviderKind::Riot => "/oauth/callback",
        }
    }

    /// The sign-in methods a server of this kind offers, recommended first.
    pub fn supported_methods(self) -> &'static [SignInMethod] {
        match self {
            ProviderKind::Igtimi => &SignInMethod::IGTIMI,
            ProviderKind::Iternio => &[SignInMethod::Code],
            ProviderKind::TokenApi => &[SignInMethod::TokenApi],
            ProviderKind::Riot => &[SignInMethod::RiotPassword, SignInMethod::PastedToken],
        }
    }

    /// Whether a server of this kind can sign a person in with `method`.
    pub fn supports(self, method: SignInMethod) -> bool {
        self.supported_methods().contains(&method)
    }

    /// The methods a profile of this kind uses when it lists none: the non-legacy ones, or
    /// the only one there is.
    pub fn default_methods(self) -> Vec<SignInMethod> {
        let supported = self.supported_methods();
        let modern: Vec<SignInMethod> = supported
            .iter()
            .copied()
            .filter(|method| !method.is_legacy())
            .collect();
        if modern.is_empty() {
            supported.to_vec()
        } else {
            modern
        }
    }
}
