//! The Riot API's answers, read leniently (ids and times may come as floats or strings).

use crate::flex::{self, EpochMillis};
use serde::Deserialize;

/// `access_token`, `remove_access_token`, `create_user`: who and their token.
#[derive(Deserialize)]
pub struct RiotSignIn {
    /// The user name the token belongs to.
    pub username: String,
    /// The bearer token (the service keeps one per user, shared by all their apps).
    pub access_token: String,
}

impl std::fmt::Debug for RiotSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RiotSignIn")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// `user`: the security service's user.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RiotUser {
    /// The user name.
    pub username: String,
    /// Full name, when set.
    #[serde(default, rename = "fullName")]
    pub full_name: Option<String>,
    /// E-mail, when set.
    #[serde(default)]
    pub email: Option<String>,
    /// Company, when set.
    #[serde(default)]
    pub company: Option<String>,
}

/// One entry of `GET devices/` (not wrapped per item, unlike the old API).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RiotDevice {
    /// The server's id.
    #[serde(deserialize_with = "flex::id")]
    pub id: u64,
    /// The serial number, the key of its data.
    pub serial_number: String,
    /// The name its owner gave it.
    #[serde(default, deserialize_with = "flex::text")]
    pub name: String,
    /// The service tag, when known.
    #[serde(default)]
    pub service_tag: Option<String>,
}

/// A data access window: data of one device in `[start_time, end_time]` is readable.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RiotWindow {
    /// The server's id.
    #[serde(deserialize_with = "flex::id")]
    pub id: u64,
    /// First moment, ms since the epoch.
    pub start_time: EpochMillis,
    /// Last moment, ms since the epoch.
    pub end_time: EpochMillis,
    /// The device.
    pub device_serial_number: String,
}
