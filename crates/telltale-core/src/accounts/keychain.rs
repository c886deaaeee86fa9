//! Where each account's tokens live in the system keychain: one entry per account, under
//! the app's keychain service, named by the account key.

use super::record::AccountKey;
use crate::tokens::TokenVault;

/// The keychain entry of one account: service and account name as the keychain shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeychainEntry {
    /// The keychain service, e.g. `io.telltale.app` ([`crate::tokens::KEYCHAIN_SERVICE`]).
    pub service: String,
    /// The account name inside the service: the account key, `<profile id>/<user id>`.
    pub account: String,
}

/// The keychain entry holding the tokens of the account `key` under `service`.
pub fn keychain_entry(service: &str, key: &AccountKey) -> KeychainEntry {
    KeychainEntry {
        service: service.to_string(),
        account: key.as_str().to_string(),
    }
}

impl KeychainEntry {
    /// The vault reading and writing this entry's tokens.
    pub fn vault(&self) -> TokenVault {
        TokenVault::new(&self.service, &self.account)
    }
}
