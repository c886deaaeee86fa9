//! The simulator's fixed world: users, groups, devices, sessions, data access windows,
//! resources and registered OAuth clients. Built once at start (see [`crate::demo`]); the
//! device data itself is generated lazily by [`crate::demo::data::DataStore`].

use serde::Serialize;
use std::fmt;

/// A user account. The password is known to the simulator only.
#[derive(Clone, Debug, Serialize)]
pub struct User {
    pub id: u64,
    /// The sign-in name of the Riot dialect's security service (`bob`); the email works too.
    pub username: String,
    pub first_name: String,
    pub surname: String,
    pub email: String,
    #[serde(skip)]
    pub password: String,
    /// Group ids the user belongs to.
    #[serde(skip)]
    pub group_ids: Vec<u64>,
}

impl User {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.surname)
    }

    /// Whether `candidate` is this user's password, compared in constant time.
    pub fn password_matches(&self, candidate: &str) -> bool {
        crate::store::secrets_equal(&self.password, candidate)
    }
}

#[derive(Clone, Debug)]
pub struct Group {
    pub id: u64,
    pub name: String,
    pub hidden: bool,
    /// The user who may modify the group.
    pub owner_id: u64,
}

/// A data type key: a type code and a data-source id (`"13:100"`; id 0 is written `"13"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeKey {
    pub code: u16,
    pub dsi: u32,
}

impl TypeKey {
    pub const fn new(code: u16) -> Self {
        TypeKey { code, dsi: 0 }
    }
    pub const fn with_dsi(code: u16, dsi: u32) -> Self {
        TypeKey { code, dsi }
    }
}

impl fmt::Display for TypeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dsi == 0 {
            write!(f, "{}", self.code)
        } else {
            write!(f, "{}:{}", self.code, self.dsi)
        }
    }
}

/// A YachtBot unit.
#[derive(Clone, Debug)]
pub struct Device {
    pub id: u64,
    pub name: String,
    pub serial_number: String,
    pub uid: String,
    pub imei: String,
    pub owner_id: u64,
    pub device_user_group_id: u64,
    pub admin_device_user_group_id: u64,
    pub device_info: String,
    pub service_tag: String,
    /// The channels this unit records (what its resources hold).
    pub sensors: Vec<TypeKey>,
    /// Seed of this unit's boat and sensor behaviour.
    pub seed: u64,
    /// True for a unit moored on the race area (a wind buoy) rather than sailing a boat.
    pub anchored: bool,
}

/// Who a data access window grants to.
#[derive(Clone, Debug)]
pub enum Recipient {
    User(u64),
    Group(u64),
}

/// Grants one device's data over an interval to a user or group.
#[derive(Clone, Debug)]
pub struct DataAccessWindow {
    pub id: u64,
    pub device_serial_number: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub recipient: Recipient,
    pub read: bool,
    pub modify: bool,
}

/// A block of one device's data, about one power cycle.
#[derive(Clone, Debug)]
pub struct Resource {
    pub id: u64,
    pub device_serial_number: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub data_types: Vec<u16>,
}

/// A sailing session (a race or a training), owned by a user, with the devices in it.
#[derive(Clone, Debug)]
pub struct Session {
    pub id: u64,
    pub name: String,
    pub start_ms: i64,
    pub end_ms: Option<i64>,
    pub owner_id: u64,
    pub session_group_id: u64,
    pub admin_session_group_id: u64,
    pub parent_session_id: Option<u64>,
    pub public: bool,
    pub device_serials: Vec<String>,
}

/// Which dialect a client speaks at the authorize and token endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// Igtimi's OAuth2: `code` in the redirect, RFC 6749 token responses.
    Igtimi,
    /// Iternio's: `auth_code` in the redirect, `user_token` in the token response.
    Iternio,
}

/// A registered OAuth client (an "app" in Igtimi's developer pages).
#[derive(Clone, Debug, Serialize)]
pub struct Client {
    pub name: String,
    pub client_id: String,
    /// `None` for a public client (PKCE required then).
    pub client_secret: Option<String>,
    pub redirect_uris: Vec<String>,
    /// The developer account that registered the app; `client_credentials` acts as it.
    pub owner_id: u64,
    pub dialect: Dialect,
}

impl Client {
    /// Registers from a space-delimited redirect URI list, as Igtimi's form takes it.
    pub fn new(name: &str, client_id: &str, secret: Option<&str>, redirect_uris: &str) -> Self {
        Client {
            name: name.to_string(),
            client_id: client_id.to_string(),
            client_secret: secret.map(str::to_string),
            redirect_uris: redirect_uris
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            owner_id: 0,
            dialect: Dialect::Igtimi,
        }
    }
}

/// The whole fixed world.
#[derive(Clone, Debug, Default)]
pub struct World {
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub devices: Vec<Device>,
    pub windows: Vec<DataAccessWindow>,
    pub resources: Vec<Resource>,
    pub sessions: Vec<Session>,
    pub clients: Vec<Client>,
}

impl World {
    pub fn user(&self, id: u64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email.trim()))
    }

    /// The user signing in as `name`: a username (Riot's security service) or an email,
    /// either in any case.
    pub fn user_by_name(&self, name: &str) -> Option<&User> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        self.users
            .iter()
            .find(|u| u.username.eq_ignore_ascii_case(name))
            .or_else(|| self.user_by_email(name))
    }

    pub fn client(&self, client_id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }

    pub fn device_by_serial(&self, serial: &str) -> Option<&Device> {
        self.devices.iter().find(|d| d.serial_number == serial)
    }

    /// True when the window grants to this user, directly or through one of their groups.
    pub fn window_grants_to(&self, window: &DataAccessWindow, user_id: u64) -> bool {
        match window.recipient {
            Recipient::User(id) => id == user_id,
            Recipient::Group(gid) => self
                .user(user_id)
                .is_some_and(|u| u.group_ids.contains(&gid)),
        }
    }

    /// The intervals `[start, end]` (ms) of a device's data this user may read: everything
    /// for the owner, the readable windows granted to them otherwise. Empty: no access.
    pub fn readable_intervals(&self, user_id: u64, serial: &str) -> Vec<(i64, i64)> {
        let Some(device) = self.device_by_serial(serial) else {
            return Vec::new();
        };
        if device.owner_id == user_id {
            return vec![(i64::MIN, i64::MAX)];
        }
        self.windows
            .iter()
            .filter(|w| w.device_serial_number == serial && w.read)
            .filter(|w| self.window_grants_to(w, user_id))
            .map(|w| (w.start_ms, w.end_ms))
            .collect()
    }

    /// Can this user read this session? Owners, members of its group, and anyone for public.
    pub fn can_read_session(&self, user_id: u64, session: &Session) -> bool {
        session.public
            || session.owner_id == user_id
            || self
                .user(user_id)
                .is_some_and(|u| u.group_ids.contains(&session.session_group_id))
    }
}
