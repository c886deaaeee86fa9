//! What [`super::Accounts`] shows the UI: plain data, no tokens, serialised in camelCase.

use crate::accounts::{AccountRecord, ProviderKind, ProviderProfile, SignInMethod};
use crate::tokens::{AccountView, DemoUser, RevocationOutcome};
use crate::AppError;
use serde::Serialize;

/// Less than this many seconds left on a token with a known expiry: the UI asks the user
/// to sign in again (3 days).
pub const EXPIRES_SOON_SECS: u64 = 3 * 24 * 3600;

/// The whole state at a glance, for the first paint and after every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AccountsOverview {
    /// `demo` (the embedded simulator is running) or `igtimi`.
    #[cfg_attr(feature = "ts", ts(type = "\"demo\" | \"igtimi\""))]
    pub mode: &'static str,
    /// The server of the active account's provider, else of the default profile.
    pub server: String,
    /// Who can sign in to the embedded simulator (empty unless demo).
    pub demo_users: Vec<DemoUser>,
    /// Every provider an account can be added at.
    pub profiles: Vec<ProfileView>,
    /// The id of the profile a new sign-in uses unless the user picks another.
    pub default_profile: String,
    /// Every listed account, in the order they were first added.
    pub accounts: Vec<AccountSummary>,
    /// The active account as its provider describes it, once read.
    pub account: Option<AccountView>,
    /// Whether a sign-in is waiting for its redirect.
    pub signing_in: bool,
    /// Something the user should know about the account list (e.g. a damaged file was
    /// kept aside), in plain words.
    pub notice: Option<String>,
}

/// One provider profile as the "Add an account" pickers show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    /// The profile id (sent back with a sign-in).
    pub id: String,
    /// The name shown.
    pub name: String,
    /// `igtimi`, `iternio` or `token_api`.
    #[cfg_attr(feature = "ts", ts(as = "ProviderKind"))]
    pub kind: &'static str,
    /// The server, as shown to the user (empty until the embedded simulator runs).
    pub server: String,
    /// Whether a sign-in can start now; when not, `problem` says what to configure.
    pub usable: bool,
    /// Why the profile cannot be used, in plain words.
    pub problem: Option<String>,
    /// The methods offered, recommended first.
    pub methods: Vec<MethodView>,
}

/// One sign-in method of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MethodView {
    /// `code`, `implicit`, `password`, `token_api`, `riot_password` or `pasted_token` (sent
    /// back with a sign-in).
    #[cfg_attr(feature = "ts", ts(as = "SignInMethod"))]
    pub id: &'static str,
    /// The name shown.
    pub label: &'static str,
    /// Kept only for old servers; the UI marks it "legacy — not recommended".
    pub legacy: bool,
    /// Why it is legacy, in one line (empty for the recommended method).
    pub legacy_reason: &'static str,
    /// Whether the app asks for the user name and password in its own form (otherwise the
    /// provider's page opens).
    pub uses_form: bool,
    /// What the form asks for: `"password"` (user name and password) or `"token"`; `None`
    /// when the provider's page opens.
    #[cfg_attr(feature = "ts", ts(type = "\"password\" | \"token\" | null"))]
    pub asks_for: Option<&'static str>,
}

/// One account in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    /// `<profile id>/<user id>` (sent back to switch or sign out).
    pub key: String,
    /// The name shown.
    pub name: String,
    /// The email, when the provider gave one.
    pub email: Option<String>,
    /// The profile's id.
    pub profile_id: String,
    /// The profile's name (or its id when the profile is no longer configured).
    pub profile_name: String,
    /// How the user signed in.
    #[cfg_attr(feature = "ts", ts(as = "SignInMethod"))]
    pub method: &'static str,
    /// Whether that method is a legacy one.
    pub legacy: bool,
    /// When the token expires (Unix seconds), when known.
    pub token_expires_at: Option<u64>,
    /// Less than three days are left: ask the user to sign in again.
    pub expires_soon: bool,
    /// The token is gone (expired or refused): the user must sign in again to use it.
    pub signed_out: bool,
    /// Whether this is the active account.
    pub active: bool,
}

/// A completed sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AccountSignedIn {
    /// The account as listed.
    pub summary: AccountSummary,
    /// The account as its provider describes it.
    pub account: AccountView,
    /// Something the user should know, e.g. that the keychain could not save the sign-in.
    pub notice: Option<AppError>,
}

/// The result of signing out of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AccountSignedOut {
    /// The account that was signed out of.
    pub key: String,
    /// What happened at the provider.
    pub revoked: RevocationOutcome,
    /// Plain words for the user.
    pub message: String,
}

impl ProfileView {
    /// The view of `profile`.
    pub fn new(profile: &ProviderProfile) -> ProfileView {
        let problem = profile
            .methods
            .iter()
            .find_map(|method| profile.check_usable(*method).err())
            .map(|error| error.to_string());
        ProfileView {
            id: profile.id.clone(),
            name: profile.name.clone(),
            kind: profile.kind.name(),
            server: profile
                .base_url
                .as_ref()
                .map(|url| url.as_str().trim_end_matches('/').to_string())
                .unwrap_or_default(),
            usable: problem.is_none(),
            problem,
            methods: profile
                .methods
                .iter()
                .map(|method| MethodView::new(*method, profile.kind))
                .collect(),
        }
    }
}

impl MethodView {
    /// The view of `method` at a provider of `kind`.
    pub fn new(method: SignInMethod, kind: ProviderKind) -> MethodView {
        let (label, legacy_reason) = match method {
            SignInMethod::Code if kind == ProviderKind::Iternio => {
                ("Sign in on Iternio's page", "")
            }
            SignInMethod::Code => ("Sign in on the provider's page", ""),
            SignInMethod::Implicit => (
                "Implicit sign-in",
                "the token travels in the address bar and cannot be protected; OAuth's \
                 current advice (RFC 9700) is not to use it",
            ),
            SignInMethod::Password => (
                "Password sign-in",
                "Telltale sees your password; OAuth's current advice (RFC 9700) is not to use it",
            ),
            SignInMethod::TokenApi => (
                "Token API (user name and password)",
                "Telltale sees your password and the token stops working after 30 days",
            ),
            SignInMethod::RiotPassword => ("User name and password", ""),
            SignInMethod::PastedToken => ("Paste a token from the server's web pages", ""),
        };
        MethodView {
            id: method.name(),
            label,
            legacy: method.is_legacy(),
            legacy_reason,
            uses_form: matches!(
                method,
                SignInMethod::Password
                    | SignInMethod::TokenApi
                    | SignInMethod::RiotPassword
                    | SignInMethod::PastedToken
            ),
            asks_for: match method {
                SignInMethod::Code | SignInMethod::Implicit => None,
                SignInMethod::PastedToken => Some("token"),
                SignInMethod::Password | SignInMethod::TokenApi | SignInMethod::RiotPassword => {
                    Some("password")
                }
            },
        }
    }
}

impl AccountSummary {
    /// The summary of `record` at `now` (Unix seconds).
    pub fn new(
        record: &AccountRecord,
        profile: Option<&ProviderProfile>,
        active: bool,
        now: u64,
    ) -> AccountSummary {
        AccountSummary {
            key: record.key.to_string(),
            name: record.display_name.clone(),
            email: record.email.clone(),
            profile_id: record.profile_id.clone(),
            profile_name: profile.map_or_else(|| record.profile_id.clone(), |p| p.name.clone()),
            method: record.method.name(),
            legacy: record.method.is_legacy(),
            token_expires_at: record.token_expires_at,
            expires_soon: !record.signed_out
                && !renews(record.method)
                && record
                    .token_expires_at
                    .is_some_and(|at| at.saturating_sub(now) < EXPIRES_SOON_SECS),
            signed_out: record.signed_out,
            active,
        }
    }
}

/// Whether tokens from `method` come with a refresh token, so their expiry is handled
/// silently; the implicit grant and the token API give none, so the user must sign in again.
pub fn renews(method: SignInMethod) -> bool {
    matches!(method, SignInMethod::Code | SignInMethod::Password)
}
