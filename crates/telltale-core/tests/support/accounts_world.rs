//! The world the `Accounts` tests share (`tests/multi`, `tests/hostile`): a simulator,
//! settings pointing the Igtimi, Iternio and token API profiles at it, a scratch settings
//! folder and a keychain service of the test's own. Included with `#[path]` by each test
//! target; `CARGO_CRATE_NAME` is the target's name.

use igtimi_sim::{SimConfig, Simulator};
use std::collections::HashMap;
use std::ffi::OsString;
use telltale_core::config::{ENV_CONFIG_DIR, FILE_NAME};
use telltale_core::multi::{Accounts, AccountsOptions};
use telltale_core::Config;
use telltale_test_support::{keyring, Scratch};

/// The Iternio profile's id in the test settings.
pub const ITERNIO: &str = "abrp";
/// The token API profile's id in the test settings.
pub const TOKENS: &str = "tokens";
/// The built-in Igtimi profile, pointed at the simulator.
pub const IGTIMI: &str = "igtimi";
/// The Riot profile's id in the test settings (the simulator's Riot dialect).
pub const RIOT: &str = "riot";

/// A simulator, settings pointing every profile at it, a scratch settings folder and a
/// keychain service of this test's own.
pub struct World {
    pub sim: Simulator,
    pub config: Config,
    pub dir: Scratch,
    pub service: String,
    /// The settings file's text.
    pub settings: String,
}

impl World {
    /// `None` (the test is skipped, and says so) outside the keyring harness.
    pub async fn start(test: &str) -> Option<World> {
        Self::start_with(test, SimConfig::default()).await
    }

    pub async fn start_with(test: &str, sim_config: SimConfig) -> Option<World> {
        let run = format!(
            "scripts/with-keyring.sh cargo test -p telltale-core --test {}",
            env!("CARGO_CRATE_NAME")
        );
        if keyring::skip_outside_harness(test, &run) {
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
        let dir = Scratch::new(test);
        let base = sim.base_url();
        let settings = format!(
            "server = \"{base}\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\n\
             methods = [\"code\", \"implicit\", \"password\", \"token_api\"]\n\n\
             [[providers]]\nid = \"{ITERNIO}\"\nname = \"A Better Route Planner\"\n\
             kind = \"iternio\"\nbase_url = \"{base}/iternio/1\"\nclient_id = \"4242\"\n\
             client_secret = \"{}\"\n\n\
             [[providers]]\nid = \"{TOKENS}\"\nname = \"Token server\"\nkind = \"token_api\"\n\
             base_url = \"{base}\"\n\n\
             [[providers]]\nid = \"{RIOT}\"\nname = \"Club Riot server\"\nkind = \"riot\"\n\
             base_url = \"{base}\"\n",
            app.client_id,
            app.client_secret.unwrap_or_default(),
            iternio.client_secret.expect("an API key"),
        );
        let config = write_settings(&dir, &settings);
        Some(World {
            sim,
            config,
            settings,
            dir,
            service: format!(
                "io.telltale.test.{}.{test}.{}",
                env!("CARGO_CRATE_NAME"),
                std::process::id()
            ),
        })
    }

    /// The accounts, as after an app start.
    pub async fn accounts(&self) -> Accounts {
        Accounts::open_with(&self.config, &self.options())
            .await
            .expect("accounts open")
    }

    /// The accounts, as after an app start with `extra` added to the settings file.
    pub async fn accounts_with(&self, extra: &str) -> Accounts {
        self.accounts_from(&format!("{}{extra}", self.settings))
            .await
    }

    /// The accounts, as after an app start with `settings` as the whole settings file.
    pub async fn accounts_from(&self, settings: &str) -> Accounts {
        let config = write_settings(&self.dir, settings);
        Accounts::open_with(&config, &self.options())
            .await
            .expect("accounts open")
    }

    pub fn options(&self) -> AccountsOptions {
        AccountsOptions {
            keychain_service: self.service.clone(),
            config_dir: self.dir.path().to_path_buf(),
            data_dir: None,
        }
    }
}

/// Writes `settings` as the settings file in `dir` and reads it back.
fn write_settings(dir: &Scratch, settings: &str) -> Config {
    dir.write(FILE_NAME, settings);
    let env: HashMap<String, OsString> = HashMap::from([(
        ENV_CONFIG_DIR.to_string(),
        dir.path().as_os_str().to_owned(),
    )]);
    Config::load_with(|name| env.get(name).cloned(), None).expect("settings load")
}
