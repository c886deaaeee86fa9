//! Sign-in in the system browser with the loopback redirect (RFC 8252 §7.3): the attempt's
//! provider copy names `http://127.0.0.1:<port>/oauth/callback`, so the provider sends the
//! browser back to a listener of this app, and the code exchange repeats that address.
//! The answer then goes through [`Session::complete_sign_in`] like any other.

use super::errors::from_auth;
use super::{Attempt, Session};
use crate::AppError;
use std::time::Duration;
use telltale_auth::{LoopbackRedirect, SignIn};
use url::Url;

impl Session {
    /// Starts a sign-in whose redirect comes back to a fresh loopback listener: the URL to
    /// open in the system browser, the attempt, and the listener to
    /// [wait on](Session::wait_for_browser).
    pub fn begin_loopback_sign_in(&self) -> Result<(Url, Attempt, LoopbackRedirect), AppError> {
        let (redirect_uri, loopback) =
            LoopbackRedirect::bind().map_err(|err| from_auth(err, &self.server()))?;
        let mut provider = self.backend.provider.clone();
        provider.redirect_uri = redirect_uri;
        let (url, pending) = SignIn::start(&provider);
        let attempt = Attempt {
            state: pending.state_secret().to_string(),
        };
        self.pending.insert(pending);
        tracing::info!("sign-in in the browser started (loopback)");
        Ok((url, attempt, loopback))
    }

    /// Waits up to `timeout` for the browser's answer at `loopback` and returns the callback
    /// URL, for [`Session::complete_sign_in`]. When the wait ends without one (timeout,
    /// cancel, listener failure), `attempt` is abandoned and the reason returned:
    /// [`AppError::Cancelled`] for a cancel.
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
                tracing::info!(reason = %err, "the browser's answer did not come");
                Err(from_auth(err, &self.server()))
            }
        }
    }
}
