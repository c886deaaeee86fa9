//! [`Accounts`]: several signed-in accounts, at any provider profile, signed in with any
//! method the profile offers. It holds the profiles, the saved [`AccountList`] and one
//! [`AccountTokens`] per account (each with its own keychain entry), and knows which account is
//! active. The shell's commands are thin calls into it.
//!
//! Tokens stay inside: nothing returned from here carries one.

mod riot;
mod signin;
mod signout;
mod support;
mod table;
mod views;

pub use signin::Attempt;
pub use telltale_auth::Channel;
pub use views::{
    renews, AccountSignedIn, AccountSignedOut, AccountSummary, AccountsOverview, MethodView,
    ProfileView, EXPIRES_SOON_SECS,
};

use crate::accounts::{
    unix_now, AccountKey, AccountList, AccountRecord, AccountsError, ProviderKind, ProviderProfile,
};
use crate::browse::{DataBrowser, FetchOptions};
use crate::config::config_dir;
use crate::live::LiveFeeds;
use crate::tokens::errors::from_auth;
use crate::tokens::{
    AccountTokens, AccountView, ApiAccess, Backend, NetworkOptions, KEYCHAIN_SERVICE,
};
use crate::{AppError, Config, ConfigError, Mode};
use igtimi_client::AccessToken;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use support::{iternio_root, iternio_view, list_error, server_label, unknown};
use telltale_auth::{AuthHttp, PendingSignIns};
use tokio::sync::Mutex;

/// Where the accounts keep what outlives the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountsOptions {
    /// The keychain service every account's entry lives under.
    pub keychain_service: String,
    /// The folder `accounts.json` lives in.
    pub config_dir: PathBuf,
    /// The app's data folder (the embedded simulator remembers its tokens' digests there).
    pub data_dir: Option<PathBuf>,
}

impl AccountsOptions {
    /// [`KEYCHAIN_SERVICE`], the standard configuration folder (which honours
    /// `TELLTALE_CONFIG_DIR`) and `<local data dir>/telltale`.
    pub fn standard() -> Result<AccountsOptions, AppError> {
        let dir = config_dir()?.ok_or_else(|| {
            AppError::Config(ConfigError::Unusable {
                message: AccountsError::NoConfigDir.to_string(),
            })
        })?;
        Ok(AccountsOptions {
            keychain_service: KEYCHAIN_SERVICE.to_string(),
            config_dir: dir,
            data_dir: dirs::data_local_dir().map(|dir| dir.join("telltale")),
        })
    }
}

/// Every account the user signed in to, and the active one.
pub struct Accounts {
    profiles: Vec<ProviderProfile>,
    default_profile: String,
    /// The embedded simulator, in demo mode (kept so it runs as long as the app).
    demo: Option<Backend>,
    keychain_service: String,
    http: AuthHttp,
    /// The time limits (in `http`) and the API clients' retries and data limits.
    network: NetworkOptions,
    pending: PendingSignIns,
    list: Mutex<AccountList>,
    tokens: std::sync::Mutex<HashMap<AccountKey, Arc<AccountTokens>>>,
    notice: Option<String>,
    /// The data browser. What it loaded belongs to the active account, so every change of
    /// the active account goes through [`Accounts::active_changed`], which forgets it.
    data: DataBrowser,
    /// The live feed; like the data browser, it belongs to the active account.
    live: LiveFeeds,
}

impl Accounts {
    /// Opens the accounts for `config` with the [standard](AccountsOptions::standard)
    /// options. In demo mode this starts the simulator, so it must run inside Tokio.
    pub async fn open(config: &Config) -> Result<Accounts, AppError> {
        Self::open_with(config, &AccountsOptions::standard()?).await
    }

    /// Like [`Accounts::open`] with other options (tests keep their entries apart). A damaged
    /// account list is kept aside and an empty one started, saying so in the overview.
    pub async fn open_with(
        config: &Config,
        options: &AccountsOptions,
    ) -> Result<Accounts, AppError> {
        let profiles = config.profiles()?;
        let demo = match config.mode() {
            Mode::Demo => Some(Backend::start_demo(options.data_dir.as_deref()).await?),
            Mode::Igtimi { .. } => None,
        };
        let resolved = profiles
            .all()
            .iter()
            .map(|profile| match (&demo, profile.is_embedded()) {
                (Some(demo), true) => profile.at_started_simulator(
                    demo.server.clone(),
                    demo.provider.client_id.clone(),
                    demo.provider.client_secret.clone(),
                ),
                _ => profile.clone(),
            })
            .collect();
        let (list, set_aside) =
            AccountList::open_or_start_afresh(&options.config_dir).map_err(list_error)?;
        let http = AuthHttp::new();
        Ok(Accounts {
            profiles: resolved,
            default_profile: profiles.default_profile().id.clone(),
            demo,
            keychain_service: options.keychain_service.clone(),
            http,
            network: NetworkOptions::default(),
            pending: PendingSignIns::new(),
            list: Mutex::new(list),
            tokens: std::sync::Mutex::new(HashMap::new()),
            notice: set_aside.map(|kept| kept.to_string()),
            data: DataBrowser::new(FetchOptions::default()),
            live: LiveFeeds::default(),
        })
    }

    /// The same accounts with other time limits and retries for every HTTP call (sign-in,
    /// renewal, API; tests shorten them). Call it before anyone signs in.
    pub fn with_network(mut self, network: &NetworkOptions) -> Result<Accounts, AppError> {
        self.http = network.http()?;
        self.network = network.clone();
        Ok(self)
    }

    /// The data browser of the active account (catalog, loads, views, exports).
    pub fn data(&self) -> &DataBrowser {
        &self.data
    }

    /// The active account's live feed.
    pub fn live(&self) -> &LiveFeeds {
        &self.live
    }

    /// The active account changed, or lost its sign-in: the data loaded for it must not
    /// show under another, so the data browser forgets it (and stops a running load). The one
    /// place of this rule; every path that changes the active account calls it.
    pub(super) async fn active_changed(&self) {
        self.live.stop_all();
        self.data.forget().await;
    }

    /// Every profile, the embedded simulator's at its running address.
    pub fn profiles(&self) -> &[ProviderProfile] {
        &self.profiles
    }

    /// The profile with `id`, or a plain error naming it.
    pub fn profile(&self, id: &str) -> Result<&ProviderProfile, AppError> {
        self.profiles
            .iter()
            .find(|profile| profile.id == id)
            .ok_or_else(|| {
                AppError::Config(ConfigError::Unusable {
                    message: format!("there is no provider profile `{id}`"),
                })
            })
    }

    /// The state at a glance. Tokens that expired and cannot be renewed are dropped first
    /// (their accounts stay listed, marked signed out); no other network.
    pub async fn overview(&self) -> AccountsOverview {
        let now = unix_now();
        self.drop_expired(now).await;
        let list = self.list.lock().await;
        let active = list.active().map(|record| record.key.clone());
        let account = match &active {
            Some(key) => match self.existing_tokens(key) {
                Some(account) => account.view().await,
                None => None,
            },
            None => None,
        };
        let shown_profile = list
            .active()
            .map_or(self.default_profile.as_str(), |record| {
                record.profile_id.as_str()
            });
        let server = self
            .profiles
            .iter()
            .find(|profile| profile.id == shown_profile)
            .and_then(|profile| profile.base_url.as_ref())
            .map(server_label)
            .unwrap_or_default();
        AccountsOverview {
            mode: if self.demo.is_some() {
                "demo"
            } else {
                "igtimi"
            },
            server,
            demo_users: self
                .demo
                .as_ref()
                .and_then(|demo| demo.demo.as_ref())
                .map(|demo| demo.users.clone())
                .unwrap_or_default(),
            profiles: self.profiles.iter().map(ProfileView::new).collect(),
            default_profile: self.default_profile.clone(),
            accounts: list
                .accounts()
                .iter()
                .map(|record| {
                    let profile = self.profiles.iter().find(|p| p.id == record.profile_id);
                    AccountSummary::new(record, profile, active.as_ref() == Some(&record.key), now)
                })
                .collect(),
            account,
            signing_in: !self.pending.is_empty(),
            notice: self.notice.clone(),
        }
    }

    /// The active account's key, if any.
    pub async fn active_key(&self) -> Option<AccountKey> {
        self.list
            .lock()
            .await
            .active()
            .map(|record| record.key.clone())
    }

    /// Shows the active account after a start: its saved token, checked by reading the
    /// account at its provider. `None` when no account is active or its token is gone. A
    /// token the provider refuses is dropped and the account marked signed out.
    pub async fn restore(&self) -> Result<Option<AccountView>, AppError> {
        self.drop_expired(unix_now()).await;
        let Some(key) = self.active_key().await else {
            return Ok(None);
        };
        let record = self.record(&key).await?;
        if record.signed_out {
            return Ok(None);
        }
        let account = self.tokens_of(&record)?;
        if !self.load_saved(&account, &key).await? {
            return Ok(None);
        }
        let read = self.read_view(&record, &account).await;
        match read {
            Err(AppError::TokenRejected) => {
                self.mark_signed_out(&key).await;
                Err(AppError::TokenRejected)
            }
            // The entry held another account's token (copied there by something else):
            // it is not this account's sign-in, so it is dropped without revoking it.
            Ok(view) if view.user_key() != record.user_id => {
                tracing::warn!("the saved sign-in belongs to another account; it was removed");
                if let Err(err) = account.forget().await {
                    tracing::warn!(error = %err, "could not remove the foreign sign-in");
                }
                self.mark_signed_out(&key).await;
                Err(AppError::SavedSignInUnreadable)
            }
            other => other.map(Some),
        }
    }

    /// [`AccountTokens::load_saved`], marking the account signed out when nothing usable is saved
    /// (an empty or unreadable entry); other keychain failures leave it as it is.
    async fn load_saved(
        &self,
        account: &AccountTokens,
        key: &AccountKey,
    ) -> Result<bool, AppError> {
        match account.load_saved().await {
            Ok(true) => Ok(true),
            Ok(false) => {
                self.mark_signed_out(key).await;
                Ok(false)
            }
            Err(
                error @ (AppError::SavedSignInUnreadable | AppError::SavedForAnotherServer { .. }),
            ) => {
                self.mark_signed_out(key).await;
                Err(error)
            }
            Err(other) => Err(other),
        }
    }

    /// Makes the account `key` the active one and reads it (see [`Accounts::restore`]).
    /// An account marked signed out cannot be switched to: sign in to it again.
    pub async fn switch(&self, key: &str) -> Result<Option<AccountView>, AppError> {
        let key = AccountKey::parse(key).map_err(list_error)?;
        let changed = {
            let mut list = self.list.lock().await;
            let record = list.get(&key).ok_or_else(|| list_error(unknown(&key)))?;
            if record.signed_out {
                return Err(AppError::SignedOut);
            }
            let changed = list.active().is_none_or(|active| active.key != key);
            list.set_active(&key, unix_now()).map_err(list_error)?;
            list.save().map_err(list_error)?;
            changed
        };
        if changed {
            self.active_changed().await;
        }
        tracing::info!("switched account");
        self.restore().await
    }

    /// What an Igtimi API call for the active account needs (see [`AccountTokens::api_access`]).
    /// An Iternio account has no Igtimi data; a token that is gone marks it signed out.
    pub async fn api_access(&self) -> Result<ApiAccess, AppError> {
        self.active_tokens().await?.api_access().await
    }

    /// The active account's tokens, for the data browser (which calls
    /// [`AccountTokens::api_access`] and [`AccountTokens::report_rejected`] itself). An
    /// Iternio account has no Igtimi data; a token that is gone (expired, refused, missing
    /// from the keychain) marks the account signed out and gives [`AppError::SignedOut`].
    pub async fn active_tokens(&self) -> Result<Arc<AccountTokens>, AppError> {
        self.drop_expired(unix_now()).await;
        let key = self.active_key().await.ok_or(AppError::SignedOut)?;
        let record = self.record(&key).await?;
        if record.signed_out {
            return Err(AppError::SignedOut);
        }
        let profile = self.profile(&record.profile_id)?;
        if profile.kind == ProviderKind::Iternio {
            return Err(AppError::Refused {
                detail: "an Iternio account has no Igtimi sailing data; switch to an Igtimi \
                         account to browse"
                    .into(),
            });
        }
        let account = self.tokens_of(&record)?;
        if !self.load_saved(&account, &key).await? {
            return Err(AppError::SignedOut);
        }
        Ok(account)
    }

    /// The server refused `token` of the active account: forget it and mark the account
    /// signed out. A token that is no longer current is ignored.
    pub async fn report_rejected(&self, token: &AccessToken) {
        let Some(key) = self.active_key().await else {
            return;
        };
        let Some(account) = self.existing_tokens(&key) else {
            return;
        };
        account.report_rejected(token).await;
        if !account.has_tokens().await {
            self.mark_signed_out(&key).await;
        }
    }

    /// Reads who the account is at its provider, with the account's current token.
    async fn read_view(
        &self,
        record: &AccountRecord,
        account: &AccountTokens,
    ) -> Result<AccountView, AppError> {
        let profile = self.profile(&record.profile_id)?;
        match profile.kind {
            ProviderKind::Iternio => {
                let token = account.current_token().await?;
                let base = iternio_root(profile)?;
                let server = server_label(&base);
                let user = telltale_auth::iternio::user_info(&base, &token, &self.http)
                    .await
                    .map_err(|err| match err {
                        telltale_auth::AuthError::Rejected { .. } => AppError::TokenRejected,
                        other => from_auth(other, &server),
                    })?;
                let view = iternio_view(&user, server, account.is_saved().await);
                account.set_view(view.clone()).await;
                Ok(view)
            }
            ProviderKind::Igtimi | ProviderKind::TokenApi | ProviderKind::Riot => {
                account.refresh_account().await
            }
        }
    }
}
