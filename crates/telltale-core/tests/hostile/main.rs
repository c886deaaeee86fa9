//! Hostile input, measured: forged and malformed sign-in redirects against [`Accounts`]
//! with the simulator and the real Secret Service (run inside `scripts/with-keyring.sh`;
//! without it the tests say they were skipped), and the same redirects against the
//! callback readers of `telltale_auth` directly. Each case states what is attempted and what
//! must happen; each family prints "<family>: N cases, N passed".

mod callbacks;
mod readers;

use igtimi_sim::browser::{person_signs_in, Decision};
use igtimi_sim::{SimConfig, Simulator};
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use telltale_core::config::{ENV_CONFIG_DIR, FILE_NAME};
use telltale_core::multi::{Accounts, AccountsOptions};
use telltale_core::{AppError, Config};

/// The Iternio profile's id in the test settings.
pub const ITERNIO: &str = "abrp";
/// The built-in Igtimi profile, pointed at the simulator.
pub const IGTIMI: &str = "igtimi";

/// One hostile input: what is attempted, and the check of what must happen.
pub struct Case {
    /// What the input attempts, in words.
    pub attempt: String,
    /// The redirect delivered.
    pub raw: String,
    /// What must happen, in words (printed on failure).
    pub must: &'static str,
    /// Whether the outcome is what must happen.
    pub check: fn(&Result<(), AppError>) -> bool,
}

/// Tallies a family's cases and prints its summary line; fails the test listing every case
/// that did not behave.
pub struct Tally {
    family: &'static str,
    cases: usize,
    failures: Vec<String>,
}

impl Tally {
    pub fn new(family: &'static str) -> Tally {
        Tally {
            family,
            cases: 0,
            failures: Vec::new(),
        }
    }

    /// Records one case: `ok` is whether it behaved, `what` describes it for a failure.
    pub fn record(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.cases += 1;
        if !ok {
            self.failures.push(what());
        }
    }

    /// Prints "<family>: N cases, N passed" and fails if any case did not pass.
    pub fn finish(self) {
        let passed = self.cases - self.failures.len();
        println!("{}: {} cases, {} passed", self.family, self.cases, passed);
        assert!(
            self.failures.is_empty(),
            "{} failed:\n{}",
            self.family,
            self.failures.join("\n")
        );
    }
}

/// A refusal as a forged or malformed redirect gets it: `InvalidCallback`.
pub fn refused(outcome: &Result<(), AppError>) -> bool {
    matches!(outcome, Err(AppError::InvalidCallback { .. }))
}

/// Refused as unknown (no sign-in waits for this state).
pub fn unknown(outcome: &Result<(), AppError>) -> bool {
    matches!(outcome, Err(AppError::InvalidCallback { detail }) if detail.contains("unknown"))
}

/// A simulator, settings pointing the Igtimi and Iternio profiles at it, a scratch settings
/// folder and a keychain service of this test's own.
pub struct World {
    pub sim: Simulator,
    pub config: Config,
    pub dir: PathBuf,
    pub service: String,
}

impl World {
    /// `None` (the test is skipped, and says so) outside the keyring harness.
    pub async fn start(test: &str) -> Option<World> {
        if std::env::var("TELLTALE_REQUIRE_KEYRING").as_deref() != Ok("1") {
            eprintln!(
                "SKIPPED {test}: needs a private keychain; run \
                 `scripts/with-keyring.sh cargo test -p telltale-core --test hostile`"
            );
            return None;
        }
        let sim = Simulator::start(SimConfig::default())
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
            "telltale-hostile-{}-{}-{test}",
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
             client_secret = \"{}\"\n",
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
            dir,
            service: format!("io.telltale.test.hostile.{test}.{}", std::process::id()),
        })
    }

    /// The accounts, as after an app start.
    pub async fn accounts(&self) -> Accounts {
        let options = AccountsOptions {
            keychain_service: self.service.clone(),
            config_dir: self.dir.clone(),
            data_dir: None,
        };
        Accounts::open_with(&self.config, &options)
            .await
            .expect("accounts open")
    }

    /// Has demo user `id` approve the sign-in at `authorize_url` on the simulator's pages and
    /// returns the redirect the browser was sent to (not yet delivered to the app).
    pub async fn approve(&self, authorize_url: &str, id: u64) -> String {
        let user = self
            .sim
            .manifest()
            .users
            .into_iter()
            .find(|user| user.id == id)
            .expect("a demo user");
        person_signs_in(
            &self.sim.base_url(),
            authorize_url,
            &user.email,
            &user.password,
            Decision::Authorize,
        )
        .await
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Delivers `raw` and keeps only whether (and how) it failed.
pub async fn deliver(accounts: &Accounts, raw: &str) -> Result<(), AppError> {
    accounts.complete_sign_in(raw).await.map(|_| ())
}

/// The value of query parameter `name` in `url` (raw, not decoded).
pub fn raw_param(url: &str, name: &str) -> String {
    let query = url.split_once(['?', '#']).map(|(_, q)| q).unwrap_or("");
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or_default()
        .to_owned()
}
