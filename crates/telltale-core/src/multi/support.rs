//! Small helpers of [`super::Accounts`]: the provider copy an account's tokens use, Iternio's
//! server root and account view, and the account-list errors as the UI sees them.

use crate::accounts::{AccountKey, AccountsError, ProviderProfile, SignInMethod};
use crate::tokens::errors::from_auth;
use crate::tokens::AccountView;
use crate::{AppError, ConfigError};
use telltale_auth::Provider;
use url::Url;

/// The OAuth provider an account's tokens are renewed and revoked with. The token API has
/// no OAuth client: its copy only names the server and offers no revocation (the API has
/// none).
pub(super) fn token_provider(
    profile: &ProviderProfile,
    method: SignInMethod,
) -> Result<Provider, AppError> {
    if method.needs_client_id() {
        return profile.oauth_provider(method).map_err(AppError::Config);
    }
    let base = profile.base_url.as_ref().ok_or_else(|| {
        AppError::Config(ConfigError::Unusable {
            message: format!("the provider \"{}\" has no address yet", profile.name),
        })
    })?;
    let redirect = profile.redirect_uri().map_err(AppError::Config)?;
    let mut provider = Provider::igtimi(base, "token-api", None, redirect)
        .map_err(|err| from_auth(err, base.as_str()))?;
    provider.revoke_url = None;
    Ok(provider)
}

/// The Iternio server's root: the profile's address without a final `iternio/1` (the
/// profile names the OAuth prefix; the user-info path repeats it).
pub(super) fn iternio_root(profile: &ProviderProfile) -> Result<Url, AppError> {
    let mut base = profile.base_url.clone().ok_or_else(|| {
        AppError::Config(ConfigError::Unusable {
            message: format!("the provider \"{}\" has no address", profile.name),
        })
    })?;
    let path = base.path().trim_end_matches('/').to_string();
    if let Some(root) = path.strip_suffix("/iternio/1") {
        base.set_path(&format!("{root}/"));
    }
    Ok(base)
}

pub(super) fn iternio_view(
    user: &telltale_auth::iternio::IternioUser,
    server: String,
    saved: bool,
) -> AccountView {
    AccountView {
        id: user.id,
        username: None,
        name: if user.name.trim().is_empty() {
            user.email.clone()
        } else {
            user.name.clone()
        },
        first_name: None,
        surname: None,
        email: Some(user.email.clone()).filter(|email| !email.is_empty()),
        server,
        saved_in_keychain: saved,
    }
}

pub(super) fn server_label(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_string()
}

pub(super) fn unknown(key: &AccountKey) -> AccountsError {
    AccountsError::UnknownAccount {
        key: key.to_string(),
    }
}

/// An account-list problem for the UI.
pub(super) fn list_error(error: AccountsError) -> AppError {
    match error {
        AccountsError::Config(error) => AppError::Config(error),
        other => AppError::Accounts(other),
    }
}
