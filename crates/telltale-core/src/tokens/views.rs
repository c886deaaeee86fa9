//! What an account's tokens show the UI: plain data, no tokens, serialised in camelCase.

use igtimi_client::Account;
use serde::Serialize;

/// A demo account, shown in the UI so anyone can try the app offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DemoUser {
    /// Full name.
    pub name: String,
    /// Sign-in e-mail (the old API).
    pub email: String,
    /// Sign-in name at the demo's Riot server.
    pub username: String,
    /// Sign-in password (a public demo password).
    pub password: String,
    /// What the account is for.
    pub role: String,
}

/// The signed-in account as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    /// The Igtimi user id (0 on a Riot server, whose users have a user name instead).
    pub id: u64,
    /// The user name on a Riot server; `None` on the old API.
    pub username: Option<String>,
    /// A name to show.
    pub name: String,
    /// Given name, if any.
    pub first_name: Option<String>,
    /// Family name, if any.
    pub surname: Option<String>,
    /// E-mail, if shared.
    pub email: Option<String>,
    /// The server the account lives on.
    pub server: String,
    /// Whether the sign-in is saved in the keychain (false: lasts until the app closes).
    pub saved_in_keychain: bool,
}

impl AccountView {
    /// The account's id at its provider as the account list keys it: the Riot user name,
    /// else the numeric id.
    pub fn user_key(&self) -> String {
        match &self.username {
            Some(username) => username.clone(),
            None => self.id.to_string(),
        }
    }

    /// The view of `account` on `server`.
    pub fn new(account: &Account, server: String, saved_in_keychain: bool) -> Self {
        AccountView {
            id: account.id,
            username: None,
            name: account.display_name(),
            first_name: account.first_name.clone(),
            surname: account.surname.clone(),
            email: account.email.clone(),
            server,
            saved_in_keychain,
        }
    }
}

/// What happened to the token at the provider on sign-out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RevocationOutcome {
    /// The provider revoked it.
    Revoked,
    /// The provider offers no revocation; the token stays valid there.
    NotSupported,
    /// The provider could not be told (unreachable or failing).
    Failed,
    /// Forgotten here only: a Riot server's one token per user stays valid for the user's
    /// other apps.
    KeptValid,
    /// A Riot server replaced the token (`remove_access_token`): the user's other apps are
    /// signed out too.
    Rotated,
}

/// The result of signing out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignOutResult {
    /// What happened at the provider.
    pub revoked: RevocationOutcome,
    /// Plain words for the user.
    pub message: String,
}
