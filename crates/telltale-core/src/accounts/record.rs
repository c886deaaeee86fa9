//! One signed-in account as the account list remembers it: who, where and how, never a
//! secret.

use super::error::AccountsError;
use super::methods::SignInMethod;
use super::profiles::check_profile_id;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// The longest user id accepted, in characters.
pub const MAX_USER_ID_CHARS: usize = 200;
/// The longest display name or email kept, in characters.
pub const MAX_TEXT_CHARS: usize = 320;

/// An account's stable key, `<profile id>/<user id>`. The profile id holds no `/`, so the
/// key splits back unambiguously at its first `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountKey(String);

impl AccountKey {
    /// The key of user `user_id` at profile `profile_id`.
    pub fn new(profile_id: &str, user_id: &str) -> Result<AccountKey, AccountsError> {
        check_profile_id(profile_id).map_err(invalid)?;
        check_user_id(user_id).map_err(invalid)?;
        Ok(AccountKey(format!("{profile_id}/{user_id}")))
    }

    /// Reads a key written as `<profile id>/<user id>` (e.g. one the UI sent back).
    pub fn parse(text: &str) -> Result<AccountKey, AccountsError> {
        let (profile_id, user_id) = text.split_once('/').ok_or_else(|| {
            invalid(format!(
                "`{text}` is not an account key (expected <profile id>/<user id>)"
            ))
        })?;
        AccountKey::new(profile_id, user_id)
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The profile id part.
    pub fn profile_id(&self) -> &str {
        self.0.split_once('/').map_or("", |(profile, _)| profile)
    }

    /// The user id part.
    pub fn user_id(&self) -> &str {
        self.0.split_once('/').map_or("", |(_, user)| user)
    }
}

impl fmt::Display for AccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AccountKey {
    type Error = AccountsError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        AccountKey::parse(&text)
    }
}

impl From<AccountKey> for String {
    fn from(key: AccountKey) -> String {
        key.0
    }
}

/// One account in the list. Holds no token, password or code: those live in the keychain
/// (see [`super::keychain_entry`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRecord {
    /// `<profile id>/<user id>`; stable across sign-ins, so signing in again replaces it.
    pub key: AccountKey,
    /// The provider profile the account belongs to.
    pub profile_id: String,
    /// The provider's id for the user.
    pub user_id: String,
    /// The name shown in the list.
    pub display_name: String,
    /// The user's email, when the provider gave one.
    pub email: Option<String>,
    /// How the user signed in.
    pub method: SignInMethod,
    /// When the saved access token expires (Unix seconds), if known.
    pub token_expires_at: Option<u64>,
    /// When the account was first added (Unix seconds).
    pub added_at: u64,
    /// When the account was last made active or signed in (Unix seconds).
    pub last_used_at: u64,
    /// The account's token is gone (it expired or the server refused it): the record stays
    /// listed so the user can sign in again, but there is nothing in the keychain.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub signed_out: bool,
}

impl AccountRecord {
    /// A record for a sign-in that just completed at `now` (Unix seconds). A blank display
    /// name falls back to the email, then the user id.
    pub fn new(
        profile_id: &str,
        user_id: &str,
        display_name: &str,
        email: Option<&str>,
        method: SignInMethod,
        token_expires_at: Option<u64>,
        now: u64,
    ) -> Result<AccountRecord, AccountsError> {
        let key = AccountKey::new(profile_id, user_id)?;
        let email = email
            .map(str::trim)
            .filter(|email| !email.is_empty())
            .map(str::to_string);
        let display_name = match display_name.trim() {
            "" => email.clone().unwrap_or_else(|| user_id.to_string()),
            name => name.to_string(),
        };
        let record = AccountRecord {
            key,
            profile_id: profile_id.to_string(),
            user_id: user_id.to_string(),
            display_name,
            email,
            method,
            token_expires_at,
            added_at: now,
            last_used_at: now,
            signed_out: false,
        };
        record.check()?;
        Ok(record)
    }

    /// Checks that the record is consistent (used for records read from the file too).
    pub fn check(&self) -> Result<(), AccountsError> {
        let expected = AccountKey::new(&self.profile_id, &self.user_id)?;
        if expected != self.key {
            return Err(invalid(format!(
                "the key `{}` does not match its profile and user `{expected}`",
                self.key
            )));
        }
        check_text("display name", &self.display_name).map_err(invalid)?;
        if let Some(email) = &self.email {
            check_text("email", email).map_err(invalid)?;
        }
        Ok(())
    }
}

/// The current time in Unix seconds (0 if the clock is before 1970).
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

fn check_user_id(user_id: &str) -> Result<(), String> {
    if user_id.is_empty() || user_id.trim() != user_id {
        return Err(format!(
            "the user id `{user_id}` is empty or starts or ends with a space"
        ));
    }
    if user_id.chars().count() > MAX_USER_ID_CHARS {
        return Err(format!(
            "the user id is longer than {MAX_USER_ID_CHARS} characters"
        ));
    }
    if user_id.chars().any(char::is_control) {
        return Err("the user id contains a control character".to_string());
    }
    Ok(())
}

fn check_text(what: &str, text: &str) -> Result<(), String> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(format!(
            "the {what} is longer than {MAX_TEXT_CHARS} characters"
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(format!("the {what} contains a control character"));
    }
    Ok(())
}

fn invalid(message: String) -> AccountsError {
    AccountsError::InvalidAccount { message }
}
