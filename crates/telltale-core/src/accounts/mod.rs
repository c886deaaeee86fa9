//! Several accounts, as data: provider profiles (where an account signs in and how), the
//! account list (`accounts.json` in the configuration folder, no secrets) and the keychain
//! entry of each account's tokens. Plain Rust, no window; [`crate::multi`] and the shell build
//! on it.

mod error;
mod file;
mod keychain;
mod methods;
mod profile_set;
mod profiles;
mod record;
mod store;

pub use error::AccountsError;
pub use file::{ACCOUNTS_FILE, ACCOUNTS_FORMAT_VERSION};
pub use keychain::{keychain_entry, KeychainEntry};
pub use methods::{ProviderKind, SignInMethod};
pub use profile_set::Profiles;
pub use profiles::{
    check_endpoint, check_profile_id, check_redirect_scheme, ProviderProfile, BUILT_IN_PROFILE_IDS,
    DEFAULT_REDIRECT_SCHEME, IGTIMI_PROFILE_ID, MAX_PROFILE_ID_CHARS, SAILING_ANALYTICS_PROFILE_ID,
    SAILING_ANALYTICS_URL, SIMULATOR_PROFILE_ID, SIMULATOR_RIOT_PROFILE_ID,
};
pub use record::{unix_now, AccountKey, AccountRecord, MAX_TEXT_CHARS, MAX_USER_ID_CHARS};
pub use store::{AccountList, SetAside};
