//! Adding an account on a Riot server: the user name and password traded once for the
//! user's one token, or a token pasted from the server's web pages; and who a token
//! belongs to (`hello`, then `user`). Both end in [`Accounts::finish`] like every sign-in.

use super::signin::unknown_link;
use super::support::server_label;
use super::views::AccountSignedIn;
use super::Accounts;
use crate::accounts::{ProviderProfile, SignInMethod};
use crate::tokens::errors::from_api;
use crate::tokens::AccountView;
use crate::AppError;
use igtimi_client::{AccessToken, ApiError, IgtimiClient, RiotClient};
use telltale_auth::TokenSet;

impl Accounts {
    /// The `riot_password` form: the user name (or e-mail) and password go once to the
    /// security service's `access_token`; only the token it answers is kept.
    pub(super) async fn riot_password_sign_in(
        &self,
        profile: &ProviderProfile,
        username: &str,
        password: &str,
    ) -> Result<AccountSignedIn, AppError> {
        let riot = self.riot_client(profile)?;
        let server = server_label(riot.base_url());
        let signed_in = riot
            .sign_in(username, password)
            .await
            .map_err(|err| match err {
                ApiError::Unauthorized => AppError::SignInRefused {
                    detail: "the server did not accept this user name and password".into(),
                },
                other => from_api(other, &server),
            })?;
        let token =
            AccessToken::new(signed_in.access_token).map_err(|err| AppError::InvalidResponse {
                detail: format!("the server's token cannot be used: {err}"),
            })?;
        self.finish(profile, SignInMethod::RiotPassword, bare_token(token))
            .await
    }

    /// Signs in at the Riot profile `profile_id` with a token the user copied from the
    /// server's web pages. The token is checked (`hello`) before it is kept.
    pub async fn sign_in_with_token(
        &self,
        profile_id: &str,
        token: &str,
    ) -> Result<AccountSignedIn, AppError> {
        let profile = self.profile(profile_id)?.clone();
        let method = SignInMethod::PastedToken;
        profile.check_usable(method)?;
        let token = AccessToken::new(token.trim()).map_err(|err| AppError::SignInRefused {
            detail: format!("that is not a token: {err}"),
        })?;
        self.finish(&profile, method, bare_token(token)).await
    }

    /// The user name and view of whoever `tokens` belong to at the Riot `profile`.
    pub(super) async fn riot_who(
        &self,
        profile: &ProviderProfile,
        tokens: &TokenSet,
    ) -> Result<(String, AccountView), AppError> {
        let riot = self.riot_client(profile)?;
        let server = server_label(riot.base_url());
        crate::tokens::riot::read_account(&riot, &tokens.access_token, server.clone(), false)
            .await
            .map_err(|err| match err {
                ApiError::Unauthorized => AppError::SignInRefused {
                    detail: "the server did not accept this token".into(),
                },
                other => from_api(other, &server),
            })
    }

    /// The Riot client of a Riot profile.
    fn riot_client(&self, profile: &ProviderProfile) -> Result<RiotClient, AppError> {
        let base = profile.api_base().cloned().ok_or_else(unknown_link)?;
        let server = server_label(&base);
        let api = IgtimiClient::with_lazy_http(base, self.http.lazy_http().clone())
            .map_err(|err| from_api(err, &server))?;
        Ok(RiotClient::new(api))
    }
}

/// A token with nothing else: no refresh token, no expiry (a Riot token lasts until it is
/// replaced).
fn bare_token(access_token: AccessToken) -> TokenSet {
    TokenSet {
        access_token,
        refresh_token: None,
        expires_at: None,
        scope: Vec::new(),
    }
}
