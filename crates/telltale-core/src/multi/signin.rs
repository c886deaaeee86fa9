//! Adding an account: the redirect methods (authorization code in the login view, the
//! system browser or a loopback listener; the legacy implicit grant; Iternio's code) and
//! the form methods (legacy password grant, token API, a Riot server's user name and
//! password or pasted token). Every way ends in
//! [`Accounts::finish`]: read who signed in, list the account (same key replaces), save the
//! token in the account's own keychain entry and make it active.

use super::support::{iternio_root, iternio_view, list_error, server_label};
use super::views::{AccountSignedIn, AccountSummary};
use super::Accounts;
use crate::accounts::{unix_now, AccountRecord, ProviderKind, ProviderProfile, SignInMethod};
use crate::tokens::errors::{from_api, from_auth};
use crate::tokens::AccountView;
use crate::AppError;
use igtimi_client::IgtimiClient;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};
use telltale_auth::{
    finish_redirect, implicit, iternio, password, token_api, AuthError, Channel, FlowKind,
    LoopbackRedirect, PendingSignIn, SignIn, TokenSet,
};
use url::Url;

/// One sign-in attempt handed to the shell: where its login view may go, and how to
/// cancel exactly it. `Debug` shows nothing secret.
pub struct Attempt {
    state: String,
    profile_id: String,
    channel: Channel,
    origin: url::Origin,
    host: String,
    secure: bool,
    callback_scheme: String,
}

impl fmt::Debug for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attempt")
            .field("profile_id", &self.profile_id)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

impl Attempt {
    /// The origin the login view may show pages from (the provider's).
    pub fn origin(&self) -> &url::Origin {
        &self.origin
    }

    /// The scheme of the redirect the provider sends the browser back to.
    pub fn callback_scheme(&self) -> &str {
        &self.callback_scheme
    }

    /// The profile the attempt signs in to.
    pub fn profile_id(&self) -> &str {
        &self.profile_id
    }

    /// The channel its redirect must come back on.
    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// The provider's host, as the sign-in window's title shows it.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether the provider's pages come over https (else plain http to this computer).
    pub fn is_secure(&self) -> bool {
        self.secure
    }
}

impl Accounts {
    /// Starts a redirect sign-in at profile `profile_id` with `method` (code or implicit at
    /// an Igtimi server, code at Iternio) whose redirect comes back through `channel`: the
    /// URL to open in the sign-in window or the system browser, and the attempt.
    ///
    /// Only the authorization code with PKCE may come back as a deep link: that redirect
    /// passes through the system browser, `xdg-open`, another process's command line and the
    /// session bus, where any local app can read or claim it, and only PKCE makes a read code
    /// useless. The implicit grant and Iternio's code (no PKCE) stay in the sign-in window.
    pub fn begin(
        &self,
        profile_id: &str,
        method: SignInMethod,
        channel: Channel,
    ) -> Result<(Url, Attempt), AppError> {
        let profile = self.profile(profile_id)?;
        if matches!(method, SignInMethod::Password | SignInMethod::TokenApi) {
            return Err(form_method(method));
        }
        if channel != Channel::Window && !uses_pkce(profile, method) {
            return Err(window_only(profile, method));
        }
        if channel == Channel::Loopback {
            return Err(AppError::Internal {
                detail: "a loopback sign-in starts with its listener".into(),
            });
        }
        let provider = profile.oauth_provider(method)?;
        let (url, pending) = match (profile.kind, method) {
            (ProviderKind::Iternio, _) => iternio::start(&provider),
            (_, SignInMethod::Implicit) => implicit::start(&provider),
            _ => SignIn::start(&provider),
        };
        let attempt = self.hold(profile, pending.bind(&profile.id, channel));
        tracing::info!(profile = %profile.id, method = method.name(), channel = channel.name(), "sign-in started");
        Ok((url, attempt))
    }

    /// Starts a code sign-in at an Igtimi profile whose redirect comes back to a fresh
    /// loopback listener (RFC 8252 §7.3): the URL for the system browser, the attempt and
    /// the listener to [wait on](Accounts::wait_for_browser).
    pub fn begin_loopback(
        &self,
        profile_id: &str,
    ) -> Result<(Url, Attempt, LoopbackRedirect), AppError> {
        let profile = self.profile(profile_id)?;
        if !uses_pkce(profile, SignInMethod::Code) {
            return Err(window_only(profile, SignInMethod::Code));
        }
        let mut provider = profile.oauth_provider(SignInMethod::Code)?;
        let server = server_label(&provider.authorize_url);
        let (redirect_uri, loopback) = LoopbackRedirect::bind(&profile.loopback_path())
            .map_err(|err| from_auth(err, &server))?;
        provider.redirect_uri = redirect_uri;
        let (url, pending) = SignIn::start(&provider);
        let attempt = self.hold(profile, pending.bind(&profile.id, Channel::Loopback));
        tracing::info!(profile = %profile.id, "sign-in in the browser started (loopback)");
        Ok((url, attempt, loopback))
    }

    /// Waits up to `timeout` for the browser's answer at `loopback`; on failure `attempt`
    /// is abandoned ([`AppError::Cancelled`] for a cancel).
    pub async fn wait_for_browser(
        &self,
        loopback: LoopbackRedirect,
        attempt: &Attempt,
        timeout: Duration,
    ) -> Result<String, AppError> {
        match loopback.wait(timeout, &attempt.state).await {
            Ok(callback) => Ok(callback),
            Err(err) => {
                self.cancel_sign_in(attempt);
                Err(from_auth(err, ""))
            }
        }
    }

    /// Abandons `attempt` (its sign-in window closed, or the user cancelled) and every other
    /// attempt with it, so none can switch the account later. Returns whether `attempt` was
    /// still waiting.
    pub fn cancel_sign_in(&self, attempt: &Attempt) -> bool {
        let waiting = self.pending.take(&attempt.state).is_ok();
        let others = self.pending.clear();
        if waiting || others > 0 {
            tracing::info!(others, "sign-in cancelled");
        }
        waiting
    }

    /// Whether `url` is addressed to one of the profiles' redirect schemes (the login view
    /// must hand it to [`Accounts::complete_sign_in`] and never load it).
    pub fn is_callback(&self, url: &Url) -> bool {
        self.profiles
            .iter()
            .any(|profile| url.scheme().eq_ignore_ascii_case(&profile.redirect_scheme))
    }

    /// Handles the redirect back from the provider, which arrived through `channel` (sign-in
    /// window, OS deep link or loopback): finishes the waiting attempt it answers (see
    /// [`telltale_auth::finish_redirect`] for the bindings checked) and adds the account.
    /// A forged, malformed, replayed or misdirected redirect gives
    /// [`AppError::InvalidCallback`] and changes nothing; any other outcome ends every
    /// attempt, so a leftover one cannot switch the account later.
    pub async fn complete_sign_in(
        &self,
        raw_callback: &str,
        channel: Channel,
    ) -> Result<AccountSignedIn, AppError> {
        let server = telltale_auth::state_of(raw_callback)
            .and_then(|state| self.pending.profile_of(&state))
            .and_then(|id| self.profile(&id).ok())
            .and_then(|profile| profile.base_url.as_ref().map(server_label))
            .unwrap_or_default();
        let finished = finish_redirect(&self.pending, raw_callback, channel, &self.http).await;
        let finished = match finished {
            Ok(finished) => finished,
            Err(err @ (AuthError::InvalidState | AuthError::InvalidCallback { .. })) => {
                return Err(from_auth(err, &server))
            }
            Err(err) => {
                self.pending.clear();
                return Err(from_auth(err, &server));
            }
        };
        self.pending.clear();
        let profile = self.profile(&finished.profile)?.clone();
        let method = match finished.flow {
            FlowKind::Implicit => SignInMethod::Implicit,
            FlowKind::CodeWithPkce | FlowKind::Iternio => SignInMethod::Code,
        };
        self.finish(&profile, method, finished.tokens).await
    }

    /// Signs in at profile `profile_id` with the user's name and `password` in Telltale's
    /// own form: the legacy password grant, or the token API (`POST v1/oauth/` with this
    /// computer's `device-info`). The password is used for this one call and kept nowhere.
    pub async fn sign_in_with_password(
        &self,
        profile_id: &str,
        method: SignInMethod,
        username: &str,
        password: &str,
    ) -> Result<AccountSignedIn, AppError> {
        let profile = self.profile(profile_id)?.clone();
        profile.check_usable(method)?;
        let username = username.trim();
        if username.is_empty() || password.is_empty() {
            return Err(AppError::SignInRefused {
                detail: "enter both the user name (email) and the password".into(),
            });
        }
        let server = profile
            .base_url
            .as_ref()
            .map(server_label)
            .unwrap_or_default();
        let tokens = match method {
            SignInMethod::Password => {
                let provider = profile.oauth_provider(method)?;
                password::sign_in(&provider, username, password, &self.http).await
            }
            SignInMethod::TokenApi => {
                let base = profile.base_url.clone().ok_or_else(unknown_link)?;
                let device = token_api::device_info();
                token_api::generate(&base, username, password, &device, &self.http).await
            }
            SignInMethod::RiotPassword => {
                return self
                    .riot_password_sign_in(&profile, username, password)
                    .await;
            }
            SignInMethod::Code | SignInMethod::Implicit | SignInMethod::PastedToken => {
                return Err(AppError::Config(crate::ConfigError::Unusable {
                    message: format!(
                        "the `{}` sign-in does not take a user name and password",
                        method.name()
                    ),
                }))
            }
        }
        .map_err(|err| from_auth(err, &server))?;
        self.finish(&profile, method, tokens).await
    }

    /// Reads who `tokens` belong to, lists the account (replacing one with the same key),
    /// saves the tokens in its own keychain entry and makes it active.
    pub(super) async fn finish(
        &self,
        profile: &ProviderProfile,
        method: SignInMethod,
        tokens: TokenSet,
    ) -> Result<AccountSignedIn, AppError> {
        let (user_id, view) = self.who(profile, &tokens).await?;
        let now = unix_now();
        let expires_at = tokens
            .expires_at
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map(|since| since.as_secs());
        let record = AccountRecord::new(
            &profile.id,
            &user_id,
            &view.name,
            view.email.as_deref(),
            method,
            expires_at,
            now,
        )
        .map_err(list_error)?;
        let key = record.key.clone();
        let account = Arc::new(self.new_tokens(profile, method, &key)?);
        let notice = account.adopt(tokens, view.clone()).await;
        let view = AccountView {
            saved_in_keychain: notice.is_none(),
            ..view
        };
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.insert(key.clone(), account);
        }
        let summary = {
            let mut list = self.list.lock().await;
            list.upsert(record.clone());
            list.set_active(&key, now).map_err(list_error)?;
            list.save().map_err(list_error)?;
            AccountSummary::new(&record, Some(profile), true, now)
        };
        self.active_changed().await;
        tracing::info!(profile = %profile.id, method = method.name(), "account signed in");
        Ok(AccountSignedIn {
            summary,
            account: view,
            notice,
        })
    }

    /// The user id and view of whoever `tokens` belong to at `profile`.
    async fn who(
        &self,
        profile: &ProviderProfile,
        tokens: &TokenSet,
    ) -> Result<(String, AccountView), AppError> {
        match profile.kind {
            ProviderKind::Iternio => {
                let base = iternio_root(profile)?;
                let server = server_label(&base);
                let user = iternio::user_info(&base, &tokens.access_token, &self.http)
                    .await
                    .map_err(|err| from_auth(err, &server))?;
                Ok((user.id.to_string(), iternio_view(&user, server, false)))
            }
            ProviderKind::Igtimi | ProviderKind::TokenApi => {
                let api_base = profile.api_base().cloned().ok_or_else(unknown_link)?;
                let server = server_label(profile.base_url.as_ref().unwrap_or(&api_base));
                let api = IgtimiClient::with_lazy_http(api_base, self.http.lazy_http().clone())
                    .map_err(|err| from_api(err, &server))?;
                let account = api
                    .account(&tokens.access_token)
                    .await
                    .map_err(|err| from_api(err, &server))?;
                Ok((
                    account.id.to_string(),
                    AccountView::new(&account, server, false),
                ))
            }
            ProviderKind::Riot => self.riot_who(profile, tokens).await,
        }
    }

    /// Keeps `pending` in the one attempt registry and describes it for the shell.
    fn hold(&self, profile: &ProviderProfile, pending: PendingSignIn) -> Attempt {
        let provider = pending.provider();
        let attempt = Attempt {
            state: pending.state_secret().to_string(),
            profile_id: profile.id.clone(),
            channel: pending.channel(),
            origin: provider.authorize_url.origin(),
            host: provider
                .authorize_url
                .host_str()
                .unwrap_or_default()
                .to_string(),
            secure: provider.authorize_url.scheme() == "https",
            callback_scheme: provider.redirect_uri.scheme().to_string(),
        };
        self.pending.insert(pending);
        attempt
    }
}

/// Whether a sign-in with `method` at `profile` is the authorization code with PKCE.
fn uses_pkce(profile: &ProviderProfile, method: SignInMethod) -> bool {
    profile.kind == ProviderKind::Igtimi && method == SignInMethod::Code
}

fn window_only(profile: &ProviderProfile, method: SignInMethod) -> AppError {
    AppError::Config(crate::ConfigError::Unusable {
        message: format!(
            "the `{}` sign-in at \"{}\" happens only in Telltale's sign-in window: without \
             PKCE its answer must not pass through the system browser, where other apps \
             could read it",
            method.name(),
            profile.name
        ),
    })
}

pub(super) fn unknown_link() -> AppError {
    AppError::InvalidCallback {
        detail: "the sign-in link is unknown, was already used or has expired".into(),
    }
}

fn form_method(method: SignInMethod) -> AppError {
    AppError::Config(crate::ConfigError::Unusable {
        message: format!(
            "the `{}` sign-in uses Telltale's own form for the user name and password",
            method.name()
        ),
    })
}
