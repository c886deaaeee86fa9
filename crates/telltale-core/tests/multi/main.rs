//! [`Accounts`] against the simulator over loopback HTTP and the real Secret Service (run
//! inside `scripts/with-keyring.sh`; without it the tests say they were skipped): several
//! accounts at several providers, every sign-in method, switching, signing out of one,
//! token API expiry, and the errors the UI shows.

mod data;
mod expiry;
mod flows;
mod issuer;
mod live;
mod riot;
mod several;

use telltale_core::accounts::SignInMethod;
use telltale_core::multi::{AccountSignedIn, Accounts, Channel};
use telltale_keychain::Keychain;
use telltale_test_support::demo::{self, Decision};

#[path = "../support/accounts_world.rs"]
mod accounts_world;
pub use accounts_world::*;

impl World {
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
        let (url, _attempt) = accounts
            .begin(profile, method, Channel::Window)
            .expect("sign-in starts");
        let callback = demo::user(id)
            .signs_in(&self.sim.base_url(), url.as_str(), Decision::Authorize)
            .await;
        accounts
            .complete_sign_in(&callback, Channel::Window)
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
        let user = demo::user(id);
        accounts
            .sign_in_with_password(profile, method, &user.email, &user.password)
            .await
            .expect("signed in")
    }
}
