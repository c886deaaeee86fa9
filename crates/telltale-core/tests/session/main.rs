//! The session against the real simulator over loopback HTTP and the real Secret Service
//! (run inside `scripts/with-keyring.sh`): sign-in through the simulator's pages, restore
//! from the keychain, account reads, sign-out, and every failure the UI must explain.

mod failures;
mod flow;

use igtimi_sim::browser::{person_signs_in, Decision};
use igtimi_sim::{SimConfig, Simulator};
use telltale_core::session::{Session, SessionOptions};
use telltale_core::{AppError, Config};

/// A simulator and the settings that point Telltale at it.
pub struct World {
    pub sim: Simulator,
    pub config: Config,
    /// This test's own keychain service, so parallel tests never share an entry.
    pub service: String,
}

impl World {
    pub async fn start(test: &str) -> World {
        Self::start_with(test, SimConfig::default()).await
    }

    pub async fn start_with(test: &str, sim_config: SimConfig) -> World {
        let sim = Simulator::start(sim_config)
            .await
            .expect("simulator starts");
        let app = sim.telltale_client().expect("the demo registers Telltale");
        let config = Config {
            server: sim.base_url(),
            client_id: Some(app.client_id),
            client_secret: app.client_secret,
            ..Config::default()
        };
        World {
            sim,
            config,
            service: format!("io.telltale.test.{test}.{}", std::process::id()),
        }
    }

    /// A fresh session, as after an app start.
    pub async fn session(&self) -> Session {
        let options = SessionOptions {
            keychain_service: self.service.clone(),
            data_dir: None,
        };
        Session::open_with(&self.config, &options)
            .await
            .expect("session opens")
    }

    /// Live access tokens at the simulator.
    pub fn live_tokens(&self) -> usize {
        let state = self.sim.state();
        state.store.live_access_tokens(state.clock.now_ms())
    }
}

/// Starts a sign-in and plays the person through the provider's pages; returns the
/// callback URL the provider redirected to (not yet handed to the session).
pub async fn sign_in_pages(
    world: &World,
    session: &Session,
    email: &str,
    password: &str,
    decision: Decision,
) -> String {
    let (authorize, _attempt) = session.begin_sign_in();
    person_signs_in(
        &world.sim.base_url(),
        authorize.as_str(),
        email,
        password,
        decision,
    )
    .await
}

/// Bob signs in and authorizes on the provider's pages; the callback URL (not yet handed over).
pub async fn bob_authorizes(world: &World, session: &Session) -> String {
    sign_in_pages(
        world,
        session,
        "bob@telltale.demo",
        "windward-1",
        Decision::Authorize,
    )
    .await
}

/// Signs bob in completely and checks who it is.
pub async fn sign_in_bob(world: &World, session: &Session) {
    let callback = bob_authorizes(world, session).await;
    let signed_in = session
        .complete_sign_in(&callback)
        .await
        .expect("bob signs in");
    assert_eq!(signed_in.account.id, 1373);
    assert_eq!(signed_in.notice, None, "the keychain saved the sign-in");
}

/// Asserts `result` failed with `kind`.
pub fn assert_kind<T: std::fmt::Debug>(result: Result<T, AppError>, kind: &str) -> AppError {
    match result {
        Ok(value) => panic!("expected a {kind} error, got {value:?}"),
        Err(err) => {
            assert_eq!(err.kind(), kind, "{err}");
            err
        }
    }
}
