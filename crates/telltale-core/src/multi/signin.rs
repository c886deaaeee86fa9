//! Adding an account: the redirect methods (authorization code in the login view, the
//! system browser or a loopback listener; the legacy implicit grant; Iternio's code) and
//! the form methods (legacy password grant, token API). Every way ends in
//! [`Accounts::finish`]: read who signed in, list the account (same key replaces), save the
//! token in the account's own keychain entry and make it active.

use super::support::{iternio_root, iternio_view, list_error, server_label};
use super::views::{AccountSignedIn, AccountSummary};
use super::Accounts;
use crate::accounts::{unix_now, AccountRecord, ProviderKind, ProviderProfile, SignInMethod};
use crate::session::errors::{from_api, from_auth};
use crate::session::AccountView;
use crate::AppError;
use igtimi_client::IgtimiClient;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};
use subtle::ConstantTimeEq;
use telltale_auth::{implicit, iternio, password, token_api, LoopbackRedirect, SignIn, TokenSet};
use url::Url;

/// Most sign-in attempts remembered at once (older ones are forgotten).
const MAX_WAITING: usize = 16;

/// One attempt waiting for its redirect: which profile and method it belongs to.
pub(super) struct Waiting {
    state: String,
    profile_id: String,
    method: SignInMethod,
}

/// One sign-in attempt handed to the shell: where its login view may go, and how to
/// cancel exactly it. `Debug` shows nothing secret.
pub struct Attempt {
    state: String,
    profile_id: String,
    origin: url::Origin,
    callback_scheme: String,
}

impl fmt::Debug for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attempt")
            .field("profile_id", &self.profile_id)
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
}

impl Accounts {
    /// Starts a redirect sign-in at profile `profile_id` with `method` (code or implicit at
    /// an Igtimi server, code at Iternio): the URL to open in the login view or the system
    /// browser, and the attempt.
    pub fn begin(
        &self,
        profile_id: &str,
        method: SignInMethod,
    ) -> Result<(Url, Attempt), AppError> {
        let profile = self.profile(profile_id)?;
        if matches!(method, SignInMethod::Password | SignInMethod::TokenApi) {
            return Err(form_method(method));
        }
        let provider = profile.oauth_provider(method)?;
        let (url, pending) = match (profile.kind, method) {
            (ProviderKind::Iternio, _) => iternio::start(&provider),
            (_, SignInMethod::Implicit) => implicit::start(&provider),
            _ => SignIn::start(&provider),
        };
        let attempt = self.remember(profile, method, pending.state_secret(), &provider);
        self.pending.insert(pending);
        tracing::info!(profile = %profile.id, method = method.name(), "sign-in started");
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
        if profile.kind != ProviderKind::Igtimi {
            return Err(AppError::Config(crate::ConfigError::Unusable {
                message: format!(
                    "\"{}\" does not accept a sign-in that comes back to this computer; \
                     use the sign-in window",
                    profile.name
                ),
            }));
        }
        let mut provider = profile.oauth_provider(SignInMethod::Code)?;
        let server = server_label(&provider.authorize_url);
        let (redirect_uri, loopback) =
            LoopbackRedirect::bind().map_err(|err| from_auth(err, &server))?;
        provider.redirect_uri = redirect_uri;
        let (url, pending) = SignIn::start(&provider);
        let attempt = self.remember(
            profile,
            SignInMethod::Code,
            pending.state_secret(),
            &provider,
        );
        self.pending.insert(pending);
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
        match loopback.wait(timeout).await {
            Ok(callback) => Ok(callback),
            Err(err) => {
                self.cancel_sign_in(attempt);
                Err(from_auth(err, ""))
            }
        }
    }

    /// Abandons `attempt` (its login view closed). Returns whether it was still waiting.
    pub fn cancel_sign_in(&self, attempt: &Attempt) -> bool {
        self.forget_waiting(&attempt.state);
        let waiting = self.pending.take(&attempt.state).is_ok();
        if waiting {
            tracing::info!("sign-in cancelled");
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

    /// Handles the redirect back from the provider (login view, OS deep link or loopback):
    /// finds the waiting attempt by its `state`, finishes it the way its method does, and
    /// adds the account. A forged, malformed or replayed redirect gives
    /// [`AppError::InvalidCallback`] and changes nothing.
    pub async fn complete_sign_in(&self, raw_callback: &str) -> Result<AccountSignedIn, AppError> {
        let state = state_of(raw_callback).ok_or_else(unknown_link)?;
        let (profile_id, method) = self.find_waiting(&state).ok_or_else(unknown_link)?;
        let profile = self.profile(&profile_id)?.clone();
        let provider = profile.oauth_provider(method)?;
        let server = server_label(&provider.authorize_url);
        let finished = match (profile.kind, method) {
            (ProviderKind::Iternio, _) => {
                iternio::finish_sign_in(&self.pending, raw_callback, &provider, &self.http).await
            }
            (_, SignInMethod::Implicit) => implicit::finish(&self.pending, raw_callback, &provider),
            _ => {
                telltale_auth::finish_sign_in(&self.pending, raw_callback, &provider, &self.http)
                    .await
            }
        };
        // A redirect refused before its attempt was taken (malformed, addressed elsewhere,
        // a forgery that copied the state) leaves the sign-in waiting for the real one.
        if !self.pending.contains(&state) {
            self.forget_waiting(&state);
        }
        let tokens = finished.map_err(|err| from_auth(err, &server))?;
        self.finish(&profile, method, tokens).await
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
            SignInMethod::Code | SignInMethod::Implicit => {
                return Err(AppError::Config(crate::ConfigError::Unusable {
                    message: format!(
                        "the `{}` sign-in happens on the provider's page, not in a form",
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
    async fn finish(
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
        let session = Arc::new(self.new_session(profile, method, &key)?);
        let notice = session.adopt(tokens, view.clone()).await;
        let view = AccountView {
            saved_in_keychain: notice.is_none(),
            ..view
        };
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.insert(key.clone(), session);
        }
        let summary = {
            let mut list = self.list.lock().await;
            list.upsert(record.clone());
            list.set_active(&key, now).map_err(list_error)?;
            list.save().map_err(list_error)?;
            AccountSummary::new(&record, Some(profile), true, now)
        };
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
        }
    }

    fn remember(
        &self,
        profile: &ProviderProfile,
        method: SignInMethod,
        state: &str,
        provider: &telltale_auth::Provider,
    ) -> Attempt {
        if let Ok(mut waiting) = self.attempts.lock() {
            if waiting.len() >= MAX_WAITING {
                waiting.remove(0);
            }
            waiting.push(Waiting {
                state: state.to_string(),
                profile_id: profile.id.clone(),
                method,
            });
        }
        Attempt {
            state: state.to_string(),
            profile_id: profile.id.clone(),
            origin: provider.authorize_url.origin(),
            callback_scheme: provider.redirect_uri.scheme().to_string(),
        }
    }

    /// The profile and method of the attempt with `state`, compared in constant time.
    fn find_waiting(&self, state: &str) -> Option<(String, SignInMethod)> {
        let waiting = self.attempts.lock().ok()?;
        let mut found = None;
        for entry in waiting.iter() {
            if bool::from(entry.state.as_bytes().ct_eq(state.as_bytes())) {
                found = Some((entry.profile_id.clone(), entry.method));
            }
        }
        found
    }

    fn forget_waiting(&self, state: &str) {
        if let Ok(mut waiting) = self.attempts.lock() {
            waiting.retain(|entry| !bool::from(entry.state.as_bytes().ct_eq(state.as_bytes())));
        }
    }
}

/// The `state` of a redirect, from its query or (implicit grant) its fragment.
fn state_of(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    let from = |text: &str| {
        url::form_urlencoded::parse(text.as_bytes())
            .find(|(name, _)| name == "state")
            .map(|(_, value)| value.into_owned())
    };
    url.query()
        .and_then(from)
        .or_else(|| url.fragment().and_then(from))
}

fn unknown_link() -> AppError {
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
