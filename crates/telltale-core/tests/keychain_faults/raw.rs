//! The keychain as someone else sees it: entries written or deleted without Telltale
//! (through the `keyring` crate, the same items Telltale's own store uses), and the `login`
//! collection locked and unlocked over D-Bus.

use crate::World;
use telltale_core::Config;
use telltale_keychain::{Keychain, KeychainError, StoredToken};
use zbus::zvariant::{ObjectPath, OwnedObjectPath, OwnedValue, Value};

/// The collection `scripts/with-keyring.sh` creates and makes the default.
const LOGIN: &str = "/org/freedesktop/secrets/collection/login";
/// The password it was created with (see `scripts/with-keyring.sh`).
const LOGIN_PASSWORD: &str = "telltale-throwaway-keyring-password";
const SECRETS: &str = "org.freedesktop.secrets";
const SERVICE_PATH: &str = "/org/freedesktop/secrets";

impl World {
    /// Replaces the secret of account `key`'s entry with `bytes`, as another program could.
    pub async fn write_raw(&self, key: &str, bytes: Vec<u8>) {
        self.on_entry(key, "write the entry directly", move |entry| {
            entry.set_secret(&bytes)
        })
        .await;
    }

    /// Deletes account `key`'s entry, as another program could.
    pub async fn delete_raw(&self, key: &str) {
        self.on_entry(key, "delete the entry directly", |entry| {
            entry.delete_credential()
        })
        .await;
    }

    /// Runs `op` on account `key`'s entry through the `keyring` crate, off the async
    /// threads; panics with `what` if it fails.
    async fn on_entry(
        &self,
        key: &str,
        what: &'static str,
        op: impl FnOnce(&keyring::Entry) -> keyring::Result<()> + Send + 'static,
    ) {
        let (service, key) = (self.service.clone(), key.to_string());
        tokio::task::spawn_blocking(move || {
            keyring::Entry::new(&service, &key)
                .and_then(|entry| op(&entry))
                .expect(what)
        })
        .await
        .expect("keychain call");
    }

    /// What Telltale's store reads for `key` (an `Ambiguous` match would be an `Other` error).
    pub async fn load(&self, key: &str) -> Result<Option<StoredToken>, KeychainError> {
        let (keychain, key) = (Keychain::new(&self.service), key.to_string());
        tokio::task::spawn_blocking(move || keychain.load(&key))
            .await
            .expect("keychain call")
    }

    /// The test settings with every server address pointed at `base` (the recording relay).
    pub fn config_via(&self, base: &str) -> Config {
        let file = self.dir.path().join(telltale_core::config::FILE_NAME);
        let settings = std::fs::read_to_string(&file).expect("settings");
        let moved = settings.replace(&self.sim.base_url(), base);
        let dir = self.dir.path().join("via-relay");
        std::fs::create_dir_all(&dir).expect("relay settings dir");
        std::fs::write(dir.join(telltale_core::config::FILE_NAME), moved).expect("settings");
        let dir = dir.into_os_string();
        Config::load_with(
            |name| (name == telltale_core::config::ENV_CONFIG_DIR).then(|| dir.clone()),
            None,
        )
        .expect("settings load")
    }
}

/// A connection to the private session bus's Secret Service.
pub struct SecretBus {
    connection: zbus::Connection,
}

impl SecretBus {
    pub async fn connect() -> SecretBus {
        SecretBus {
            connection: zbus::Connection::session().await.expect("session bus"),
        }
    }

    /// Locks the `login` collection (`org.freedesktop.Secret.Service.Lock`, no prompt).
    pub async fn lock(&self) {
        let login = ObjectPath::try_from(LOGIN).expect("path");
        let reply = self
            .connection
            .call_method(
                Some(SECRETS),
                SERVICE_PATH,
                Some("org.freedesktop.Secret.Service"),
                "Lock",
                &(vec![login],),
            )
            .await
            .expect("Lock");
        let (locked, _prompt): (Vec<OwnedObjectPath>, OwnedObjectPath) =
            reply.body().deserialize().expect("Lock answer");
        assert_eq!(locked.len(), 1, "the login collection was locked");
    }

    /// Unlocks the `login` collection with its password, without a prompt: gnome-keyring's
    /// `UnlockWithMasterPassword`, the secret sent in a `plain` session.
    pub async fn unlock(&self) {
        let reply = self
            .connection
            .call_method(
                Some(SECRETS),
                SERVICE_PATH,
                Some("org.freedesktop.Secret.Service"),
                "OpenSession",
                &("plain", Value::from("")),
            )
            .await
            .expect("OpenSession");
        let (_output, session): (OwnedValue, OwnedObjectPath) =
            reply.body().deserialize().expect("OpenSession answer");
        let login = ObjectPath::try_from(LOGIN).expect("path");
        let secret = (
            session.as_ref(),
            Vec::<u8>::new(),
            LOGIN_PASSWORD.as_bytes().to_vec(),
            "text/plain",
        );
        self.connection
            .call_method(
                Some(SECRETS),
                SERVICE_PATH,
                Some("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"),
                "UnlockWithMasterPassword",
                &(login, secret),
            )
            .await
            .expect("UnlockWithMasterPassword");
    }

    /// Whether the `login` collection is locked.
    pub async fn is_locked(&self) -> bool {
        let reply = self
            .connection
            .call_method(
                Some(SECRETS),
                LOGIN,
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &("org.freedesktop.Secret.Collection", "Locked"),
            )
            .await
            .expect("Locked property");
        let value: OwnedValue = reply.body().deserialize().expect("Locked value");
        bool::try_from(value).expect("a boolean")
    }
}
