//! What differs for an account on a Riot server: who a token belongs to (`hello`, then
//! `user`), and signing out of a service that keeps one token per user, shared by every
//! app the user signs in with.

use super::views::{AccountView, RevocationOutcome};
use igtimi_client::{AccessToken, ApiError, RiotClient};

/// The user name and the account view of whoever `token` belongs to. A token the server
/// takes for an anonymous caller is [`ApiError::Unauthorized`]; a server that will not show
/// the user's details still gives the user name.
pub(crate) async fn read_account(
    riot: &RiotClient,
    token: &AccessToken,
    server: String,
    saved: bool,
) -> Result<(String, AccountView), ApiError> {
    let username = riot
        .whoami(token)
        .await?
        .filter(|name| !name.trim().is_empty())
        .ok_or(ApiError::Unauthorized)?;
    let user = match riot.user(token, &username).await {
        Ok(user) => Some(user),
        Err(ApiError::Unauthorized) => return Err(ApiError::Unauthorized),
        Err(err) => {
            tracing::info!(error = %err, "the Riot server shows no user details; using the user name");
            None
        }
    };
    let full_name = user
        .as_ref()
        .and_then(|u| u.full_name.clone())
        .filter(|n| !n.trim().is_empty());
    let view = AccountView {
        id: 0,
        username: Some(username.clone()),
        name: full_name.clone().unwrap_or_else(|| username.clone()),
        first_name: None,
        surname: None,
        email: user
            .and_then(|u| u.email)
            .filter(|email| !email.trim().is_empty()),
        server,
        saved_in_keychain: saved,
    };
    Ok((username, view))
}

/// Signs out at a Riot server: by default nothing is sent (the token is the user's only one,
/// shared with their other apps, so it stays valid); with `invalidate`, `remove_access_token`
/// replaces it, which signs out every other app of the user too.
pub(crate) async fn sign_out(
    riot: &RiotClient,
    token: Option<&AccessToken>,
    invalidate: bool,
) -> (RevocationOutcome, String) {
    if !invalidate {
        return (
            RevocationOutcome::KeptValid,
            "Signed out on this computer. The server keeps one token per user, shared by all \
             your apps, so it stays valid there; sign out with \"also invalidate it at the \
             server\" to replace it."
                .to_string(),
        );
    }
    let Some(token) = token else {
        return (RevocationOutcome::Revoked, "Signed out.".to_string());
    };
    match riot.rotate_token(token).await {
        // The new token is dropped unread: nobody here keeps it.
        Ok(_replacement) => (
            RevocationOutcome::Rotated,
            "Signed out, and the token was invalidated at the server: every other app \
             signed in as you there must sign in again."
                .to_string(),
        ),
        Err(ApiError::Unauthorized) => (
            RevocationOutcome::Revoked,
            "Signed out. The server no longer accepted the token anyway.".to_string(),
        ),
        Err(err) => {
            tracing::warn!(error = %err, "the Riot server could not invalidate the token");
            (
                RevocationOutcome::Failed,
                format!(
                    "Signed out on this computer, but the server could not invalidate the \
                     token ({err}); it stays valid there."
                ),
            )
        }
    }
}
