//! [`Accounts`] against the simulator over loopback HTTP and the real Secret Service (run
//! inside `scripts/with-keyring.sh`; without it the tests say they were skipped): several
//! accounts at several providers, every sign-in method, switching, signing out of one,
//! token API expiry, and the errors the UI shows.

mod expiry;
mod flows;
mod several;

use igtimi_sim::browser::{person_signs_in, Decision};
use igtimi_sim::{SimConfig, Simulator};
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use telltale_core::accounts::SignInMethod;
use telltale_core::config::{ENV_CONFIG_DIR, FILE_NAME};
use telltale_core::multi::{AccountSignedIn, Accounts, AccountsOptions};
use telltale_core::Config;
use telltale_keychain::Keychain;

/// The Iternio profile's id in the test settings.
pub const ITERNIO: &str = "abrp";
/// The token API profile's id in the test settings.
pub const TOKENS: &str = "tokens";
/// The built-in Igtimi profile, pointed at the simulator.
pub const IGTIMI: &str = "igtimi";

/// A simulator, settings pointing every profile at it, a scratch settings folder and a
/// keychain service of this test's own.
pub struct World {
    pub sim: Simulator,
    pub config: Config,
    pub dir: PathBuf,
    pub service: String,
}

impl World {
    /// `None` (the test is skipped, and says so) outside the keyring harness.
    pub async fn start(test: &str) -> Option<World> {
        Self::start_with(test, SimConfig::default()).await
    }

    pub async fn start_with(test: &str, sim_config: SimConfig) -> Option<World> {
        if std::env::var("TELLTALE_REQUIRE_KEYRING").as_deref() != Ok("1") {
            eprintln!(
                "SKIPPED {test}: needs a private keychain; run \
                 `scripts/with-keyring.sh cargo test -p telltale-core --test multi`"
            );
            return None;
        }
        let sim = Simulator::start(sim_config)
            .await
            .expect("simulator starts");
        let app = sim.telltale_client().expect("the demo registers Telltale");
        let iternio = sim
            .manifest()
            .clients
            .into_iter()
            .find(|client| client.client_id == "4242")
            .expect("the demo's Iternio client");
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "telltale-multi-{}-{}-{test}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let base = sim.base_url();
        let settings = format!(
            "server = \"{base}\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\n\n\
             [[providers]]\nid = \"{ITERNIO}\"\nname = \"A Better Route Planner\"\n\
             kind = \"iternio\"\nbase_url = \"{base}/iternio/1\"\nclient_id = \"4242\"\n\
             client_secret = \"{}\"\n\n\
             [[providers]]\nid = \"{TOKENS}\"\nname = \"Token server\"\nkind = \"token_api\"\n\
             base_url = \"{base}\"\n",
            app.client_id,
            app.client_secret.unwrap_or_default(),
            iternio.client_secret.expect("an API key"),
        );
        std::fs::write(dir.join(FILE_NAME), settings).expect("settings");
        let env: HashMap<String, OsString> =
            HashMap::from([(ENV_CONFIG_DIR.to_string(), dir.as_os_str().to_owned())]);
        let config = Config::load_with(|name| env.get(name).cloned(), None).expect("settings load");
        Some(World {
            sim,
            config,
            dir: dir.clone(),
            service: format!("io.telltale.test.multi.{test}.{}", std::process::id()),
        })
    }

    /// The accounts, as after an app start.
    pub async fn accounts(&self) -> Accounts {
        Accounts::open_with(&self.config, &self.options())
            .await
            .expect("accounts open")
    }

    pub fn options(&self) -> AccountsOptions {
        AccountsOptions {
            keychain_service: self.service.clone(),
            config_dir: self.dir.clone(),
            data_dir: None,
        }
    }

    /// A demo user's email and password.
    pub fn credentials(&self, id: u64) -> (String, String) {
        let user = self
            .sim
            .manifest()
            .users
            .into_iter()
            .find(|user| user.id == id)
            .expect("a demo user");
        (user.email, user.password)
    }

    /// Whether the keychain holds tokens for account `key`.
    pub async fn entry_exists(&self, key: &str) -> bool {
        let (keychain, key) = (Keychain::new(&self.service), key.to_string());
        tokio::task::spawn_blocking(move || keychain.load(&key))
            .await
            .expect("keychain call")
            .expect("keychain readable")
            .is_some()
    }

    /// Signs `id` in at `profile` with a redirect `method`, through the simulator's pages.
    pub async fn redirect_sign_in(
        &self,
        accounts: &Accounts,
        profile: &str,
        method: SignInMethod,
        id: u64,
    ) -> AccountSignedIn {
        let (url, _attempt) = accounts.begin(profile, method).expect("sign-in starts");
        let (email, password) = self.credentials(id);
        let callback = person_signs_in(
            &self.sim.base_url(),
            url.as_str(),
            &email,
            &password,
            Decision::Authorize,
        )
        .await;
        accounts
            .complete_sign_in(&callback)
            .await
            .expect("signed in")
    }

    /// Signs `id` in at `profile` with a form `method`.
    pub async fn form_sign_in(
        &self,
        accounts: &Accounts,
        profile: &str,
        method: SignInMethod,
        id: u64,
    ) -> AccountSignedIn {
        let (email, password) = self.credentials(id);
        accounts
            .sign_in_with_password(profile, method, &email, &password)
            .await
            .expect("signed in")
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
