//! The Riot dialect's mutable state: its access tokens (one per user), `JSESSIONID`
//! sessions, users created through `create_user`, devices registered or known only to Riot,
//! and its data access windows. All in memory, gone when the simulator stops; one mutex,
//! every operation short. Devices and windows live in [`super::access`].

use super::lockout::Lockout;
use crate::remember::{Grant, Remembered};
use crate::world::{DataAccessWindow, Recipient, World};
use base64::Engine;
use rand::RngCore;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// A unit that connected to the Riot side once and has no owner yet: `POST devices` with
/// its serial makes the caller its owner. It has no data.
pub const UNCLAIMED_SERIAL: &str = "AA-BT-0800";
pub(super) const UNCLAIMED_ID: u64 = 2100;
/// Ids of devices registered through `POST devices` start after this.
const FIRST_REGISTERED_ID: u64 = 2100;
/// Ids of the owners' demo-week windows start after this (7101, ..).
const FIRST_OWNER_WINDOW_ID: u64 = 7100;
/// Ids of the owners' live-day windows start after this (7111, ..; see
/// [`crate::demo::live`]).
const FIRST_LIVE_OWNER_WINDOW_ID: u64 = 7110;
/// Ids of windows created through `POST data_access_windows` start after this.
const FIRST_CREATED_WINDOW_ID: u64 = 8000;
/// Ids of users created through `create_user` start after this.
const FIRST_CREATED_USER_ID: u64 = 5000;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// A user as the security service shows them: a demo user or one created over HTTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: u64,
    pub username: String,
    pub email: String,
    pub full_name: String,
    pub company: String,
}

/// A `create_user` account: its record and password.
#[derive(Clone, Debug)]
pub(super) struct CreatedUser {
    pub account: Account,
    pub password: String,
}

/// A device only the Riot side knows: the unclaimed demo unit, or one registered over HTTP.
#[derive(Clone, Debug)]
pub(super) struct RiotDevice {
    pub id: u64,
    pub serial_number: String,
    pub name: String,
    pub service_tag: String,
    pub owner: Option<u64>,
}

#[derive(Default)]
pub(super) struct Inner {
    /// Token → user, and user → their one token.
    pub tokens: HashMap<String, u64>,
    pub token_of: HashMap<u64, String>,
    /// `JSESSIONID` → user.
    pub sessions: HashMap<String, u64>,
    pub users: Vec<CreatedUser>,
    pub devices: Vec<RiotDevice>,
    pub windows: Vec<DataAccessWindow>,
    pub next_device_id: u64,
    pub next_window_id: u64,
    pub next_user_id: u64,
    /// Every token and session id handed out, rotated ones too (for the leak checks).
    #[cfg(feature = "testing")]
    pub issued: Vec<String>,
    /// Tokens kept across restarts (as digests), when configured: a real service keeps its
    /// users' one token in a database, so a saved sign-in outlives a restart.
    pub remembered: Option<Remembered>,
}

/// The client id remembered Riot tokens are filed under (Riot has no OAuth clients).
const REMEMBERED_CLIENT: &str = "riot";

/// The Riot dialect's state in [`crate::server::AppState`].
pub struct RiotState {
    inner: Mutex<Inner>,
    /// Clients locked out for guessing bearer tokens.
    pub lockout: Lockout,
}

impl RiotState {
    /// The demo's Riot side: one window per owned device over the demo week, the JSON
    /// dialect's shared windows (Kai's day on Tern, Team Tern's buoy week) with the same ids
    /// and spans, and the unclaimed unit.
    pub fn new(world: &World, week_start_ms: i64) -> Self {
        Self::remembering(world, week_start_ms, None)
    }

    /// Like [`RiotState::new`], keeping the users' tokens across restarts in `path` (as
    /// digests only).
    pub fn remembering(world: &World, week_start_ms: i64, path: Option<&Path>) -> Self {
        let week = (week_start_ms, week_start_ms + 7 * DAY_MS - 1000);
        let mut windows = owner_windows(world, FIRST_OWNER_WINDOW_ID, week);
        windows.extend(world.windows.iter().filter(|w| w.read).cloned());
        let unclaimed = RiotDevice {
            id: UNCLAIMED_ID,
            serial_number: UNCLAIMED_SERIAL.into(),
            name: "YachtBot (not registered)".into(),
            service_tag: service_tag(UNCLAIMED_SERIAL),
            owner: None,
        };
        RiotState {
            inner: Mutex::new(Inner {
                windows,
                devices: vec![unclaimed],
                next_device_id: FIRST_REGISTERED_ID + 1,
                next_window_id: FIRST_CREATED_WINDOW_ID + 1,
                next_user_id: FIRST_CREATED_USER_ID + 1,
                remembered: path.map(Remembered::load),
                ..Inner::default()
            }),
            lockout: Lockout::default(),
        }
    }

    /// Gives each demo device's owner a window over the live days `span` (ids 7111, ..),
    /// as over the demo week: Riot owners read only what a window covers.
    pub fn open_live_days(&self, world: &World, span: (i64, i64)) {
        let windows = owner_windows(world, FIRST_LIVE_OWNER_WINDOW_ID, span);
        self.lock().windows.extend(windows);
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every operation leaves the maps whole; a poisoned lock is taken over.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The account of a user id: a demo user or a created one.
    pub fn account(&self, world: &World, id: u64) -> Option<Account> {
        if let Some(u) = world.user(id) {
            return Some(Account {
                id,
                username: u.username.clone(),
                email: u.email.clone(),
                full_name: u.full_name(),
                company: String::new(),
            });
        }
        let inner = self.lock();
        inner
            .users
            .iter()
            .find(|c| c.account.id == id)
            .map(|c| c.account.clone())
    }

    /// The account signing in as `name` (username or email, any case) with `password`.
    pub fn sign_in(&self, world: &World, name: &str, password: &str) -> Option<Account> {
        if let Some(u) = world.user_by_name(name) {
            return u
                .password_matches(password)
                .then(|| self.account(world, u.id))
                .flatten();
        }
        let inner = self.lock();
        let name = name.trim();
        inner
            .users
            .iter()
            .find(|c| {
                c.account.username.eq_ignore_ascii_case(name)
                    || c.account.email.eq_ignore_ascii_case(name)
            })
            .filter(|c| crate::store::secrets_equal(&c.password, password))
            .map(|c| c.account.clone())
    }

    /// Adds a `create_user` account and its token; `Err` says why the name is refused.
    pub fn create_user(
        &self,
        world: &World,
        fields: NewUser<'_>,
    ) -> Result<(Account, String), String> {
        let taken = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
        let mut inner = self.lock();
        let world_taken = |value: &str| {
            world
                .users
                .iter()
                .any(|u| taken(&u.username, value) || taken(&u.email, value))
        };
        let created_taken = |value: &str| {
            inner
                .users
                .iter()
                .any(|c| taken(&c.account.username, value) || taken(&c.account.email, value))
        };
        if world_taken(fields.username) || created_taken(fields.username) {
            return Err(format!("The username {} is taken", fields.username));
        }
        if world_taken(fields.email) || created_taken(fields.email) {
            return Err(format!(
                "An account with the email {} exists already",
                fields.email
            ));
        }
        let account = Account {
            id: inner.next_user_id,
            username: fields.username.trim().to_string(),
            email: fields.email.trim().to_string(),
            full_name: fields.full_name.to_string(),
            company: fields.company.to_string(),
        };
        inner.next_user_id += 1;
        inner.users.push(CreatedUser {
            account: account.clone(),
            password: fields.password.to_string(),
        });
        let token = token_locked(&mut inner, account.id);
        Ok((account, token))
    }

    /// The user's one token, created on first use.
    pub fn token_for(&self, user_id: u64) -> String {
        token_locked(&mut self.lock(), user_id)
    }

    /// Deletes the user's token and returns a new one.
    pub fn rotate_token(&self, user_id: u64) -> String {
        let mut inner = self.lock();
        if let Some(old) = inner.token_of.remove(&user_id) {
            inner.tokens.remove(&old);
        }
        // A token of an earlier run not presented yet is the user's too: it goes as well.
        if let Some(remembered) = inner.remembered.as_mut() {
            remembered.forget_user(user_id);
        }
        token_locked(&mut inner, user_id)
    }

    /// The user a token belongs to; a token of an earlier run (when remembering) becomes
    /// the user's one token again, unless the user has another by now.
    pub fn token_user(&self, token: &str) -> Option<u64> {
        let mut inner = self.lock();
        if let Some(user) = inner.tokens.get(token) {
            return Some(*user);
        }
        let grant = inner.remembered.as_mut()?.take(token)?;
        if inner.token_of.contains_key(&grant.user_id) {
            return None;
        }
        inner.tokens.insert(token.to_string(), grant.user_id);
        inner.token_of.insert(grant.user_id, token.to_string());
        Some(grant.user_id)
    }

    /// Starts a `JSESSIONID` session; returns its id.
    pub fn start_session(&self, user_id: u64) -> String {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let sid = hex::encode_upper(bytes);
        let mut inner = self.lock();
        inner.sessions.insert(sid.clone(), user_id);
        #[cfg(feature = "testing")]
        inner.issued.push(sid.clone());
        sid
    }

    pub fn session_user(&self, sid: &str) -> Option<u64> {
        self.lock().sessions.get(sid).copied()
    }

    pub fn end_session(&self, sid: &str) {
        self.lock().sessions.remove(sid);
    }

    /// Every token and session id issued, for `GET /__admin/secrets`.
    #[cfg(feature = "testing")]
    pub fn secrets(&self) -> Vec<String> {
        self.lock().issued.clone()
    }
}

/// The fields of a `create_user` request, checked by the caller.
#[derive(Clone, Copy, Debug)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub full_name: &'a str,
    pub company: &'a str,
}

/// One window per demo device for its owner over `[start, end]`, ids after `after`.
fn owner_windows(world: &World, after: u64, (start, end): (i64, i64)) -> Vec<DataAccessWindow> {
    world
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| DataAccessWindow {
            id: after + 1 + i as u64,
            device_serial_number: d.serial_number.clone(),
            start_ms: start,
            end_ms: end,
            recipient: Recipient::User(d.owner_id),
            read: true,
            modify: true,
        })
        .collect()
}

fn token_locked(inner: &mut Inner, user_id: u64) -> String {
    if let Some(token) = inner.token_of.get(&user_id) {
        return token.clone();
    }
    let token = new_token();
    inner.tokens.insert(token.clone(), user_id);
    inner.token_of.insert(user_id, token.clone());
    #[cfg(feature = "testing")]
    inner.issued.push(token.clone());
    persist(inner);
    token
}

/// Saves the live tokens, when remembering.
fn persist(inner: &Inner) {
    if let Some(remembered) = &inner.remembered {
        remembered.save(inner.tokens.iter().map(|(token, &user_id)| {
            (
                token.as_str(),
                Grant {
                    user_id,
                    client_id: REMEMBERED_CLIENT.to_string(),
                    scope: String::new(),
                },
            )
        }));
    }
}

/// 32 random bytes in standard base64 (44 characters ending in `=`), drawn until the token
/// holds both `+` and `/`: a client that puts it into a URL unencoded fails every time,
/// not one time in four.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    loop {
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token = base64::engine::general_purpose::STANDARD.encode(bytes);
        if token.contains('+') && token.contains('/') {
            return token;
        }
    }
}

/// A service tag derived from the serial, the shape the demo's devices have.
pub(super) fn service_tag(serial: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = hex::encode_upper(Sha256::digest(serial.as_bytes()));
    format!("ST-{}", &digest[..8])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{self, ANA, BOB};

    #[test]
    fn tokens_are_base64_with_plus_slash_and_padding() {
        for _ in 0..20 {
            let token = new_token();
            assert_eq!(token.len(), 44);
            assert!(token.ends_with('=') && token.contains('+') && token.contains('/'));
        }
    }

    #[test]
    fn one_token_per_user_until_rotated() {
        let world = demo::world(1, 0);
        let riot = RiotState::new(&world, 0);
        let first = riot.token_for(BOB);
        assert_eq!(riot.token_for(BOB), first);
        assert_ne!(riot.token_for(ANA), first);
        let second = riot.rotate_token(BOB);
        assert_ne!(second, first);
        assert_eq!(riot.token_user(&first), None);
        assert_eq!(riot.token_user(&second), Some(BOB));
    }

    #[test]
    fn remembered_tokens_outlive_a_restart_until_rotated() {
        let dir = std::env::temp_dir().join(format!("riot-remember-{}", std::process::id()));
        let path = dir.join("tokens.riot.json");
        let _ = std::fs::remove_file(&path);
        let world = crate::demo::world(7, 0);
        let first = RiotState::remembering(&world, 0, Some(&path));
        let token = first.token_for(BOB);
        let text = std::fs::read_to_string(&path).expect("written");
        assert!(!text.contains(&token), "digests only: {text}");

        let second = RiotState::remembering(&world, 0, Some(&path));
        assert_eq!(
            second.token_user(&token),
            Some(BOB),
            "known after a restart"
        );
        assert_eq!(second.token_for(BOB), token, "still the user's one token");
        let rotated = second.rotate_token(BOB);
        assert_ne!(rotated, token);

        let third = RiotState::remembering(&world, 0, Some(&path));
        assert_eq!(
            third.token_user(&token),
            None,
            "the rotated token stays gone"
        );
        assert_eq!(third.token_user(&rotated), Some(BOB));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
