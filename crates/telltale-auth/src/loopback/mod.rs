//! The loopback redirect (RFC 8252 §7.3): for a sign-in in the system browser, the app
//! listens on `127.0.0.1` at a port the system picks, and the provider sends the browser
//! back to `http://127.0.0.1:<port>/oauth/callback?...`.
//!
//! [`LoopbackRedirect::bind`] opens the listener and gives the redirect URI to sign in
//! with; [`LoopbackRedirect::wait`] answers requests until one well-formed sign-in answer
//! arrives at the callback path, shows the browser a short page, stops listening and
//! returns the full callback URL, to be checked and completed by [`crate::finish_sign_in`].
//! A timeout or a [`LoopbackCancel`] ends the wait too.
//!
//! Every request is bounded: [`MAX_REQUEST_BYTES`] of head, [`REQUEST_TIMEOUT`] to send it,
//! at most [`MAX_CONNECTIONS`] at once. Other paths get 404 and malformed answers 400; none
//! of them ends the wait. The pages echo no code, state or other value of the request.

mod http;

use crate::AuthError;
use std::fmt;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use url::Url;

/// The path of the loopback redirect URI (registered as `http://127.0.0.1/oauth/callback`,
/// any port).
pub const LOOPBACK_CALLBACK_PATH: &str = "/oauth/callback";
/// Largest request head (request line and headers) read from the browser.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// How long one connection may take to send its request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How many connections are served at once; more are closed unanswered.
pub const MAX_CONNECTIONS: usize = 16;

/// A listener on `127.0.0.1` waiting for one sign-in answer. `Debug` shows only the port.
pub struct LoopbackRedirect {
    listener: std::net::TcpListener,
    redirect_uri: Url,
    cancel: Arc<watch::Sender<bool>>,
}

/// Ends a [`LoopbackRedirect::wait`] (before or during it) with [`AuthError::Cancelled`].
#[derive(Clone)]
pub struct LoopbackCancel {
    cancel: Arc<watch::Sender<bool>>,
}

impl LoopbackCancel {
    /// Cancels the wait; it stops listening and returns [`AuthError::Cancelled`].
    pub fn cancel(&self) {
        self.cancel.send_replace(true);
    }
}

impl fmt::Debug for LoopbackCancel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoopbackCancel")
            .field("cancelled", &*self.cancel.borrow())
            .finish()
    }
}

impl fmt::Debug for LoopbackRedirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoopbackRedirect")
            .field("redirect_uri", &self.redirect_uri.as_str())
            .finish_non_exhaustive()
    }
}

impl LoopbackRedirect {
    /// Listens on `127.0.0.1` at a free port. Returns the redirect URI to sign in with,
    /// `http://127.0.0.1:<port>/oauth/callback`, and the listener. Needs no async runtime;
    /// [`Self::wait`] does.
    pub fn bind() -> Result<(Url, LoopbackRedirect), AuthError> {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(listen)?;
        listener.set_nonblocking(true).map_err(listen)?;
        let port = listener.local_addr().map_err(listen)?.port();
        let redirect_uri = Url::parse(&format!("http://127.0.0.1:{port}{LOOPBACK_CALLBACK_PATH}"))
            .map_err(|err| AuthError::Listen {
                detail: format!("cannot build the return address: {err}"),
            })?;
        let (cancel, _) = watch::channel(false);
        let loopback = LoopbackRedirect {
            listener,
            redirect_uri: redirect_uri.clone(),
            cancel: Arc::new(cancel),
        };
        Ok((redirect_uri, loopback))
    }

    /// The redirect URI this listener answers.
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// A handle that cancels [`Self::wait`].
    pub fn canceller(&self) -> LoopbackCancel {
        LoopbackCancel {
            cancel: self.cancel.clone(),
        }
    }

    /// Serves requests until a sign-in answer arrives at the callback path, then stops
    /// listening and returns its full URL (`http://127.0.0.1:<port>/oauth/callback?...`).
    /// The answer is only checked for shape here (state, code or error); the attempt's
    /// state is checked by [`crate::finish_sign_in`].
    ///
    /// Errors: [`AuthError::BrowserTimeout`] after `timeout`, [`AuthError::Cancelled`] when
    /// cancelled, [`AuthError::Listen`] when the listener cannot be used.
    pub async fn wait(self, timeout: Duration) -> Result<String, AuthError> {
        let listener = TcpListener::from_std(self.listener).map_err(listen)?;
        let mut cancelled = self.cancel.subscribe();
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                biased;
                () = until_cancelled(&mut cancelled) => return Err(AuthError::Cancelled),
                () = &mut deadline => return Err(AuthError::BrowserTimeout),
                Some(done) = connections.join_next(), if !connections.is_empty() => {
                    if let Ok(Some(callback)) = done {
                        return Ok(callback);
                    }
                }
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) if connections.len() < MAX_CONNECTIONS => {
                        connections.spawn(http::serve(stream, self.redirect_uri.clone()));
                    }
                    // Too many at once: closed unanswered.
                    Ok(_) => {}
                    // Out of file descriptors and the like: try again shortly.
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                },
            }
        }
    }
}

/// Resolves once the flag is set (at once if it already is).
async fn until_cancelled(flag: &mut watch::Receiver<bool>) {
    // The sender lives in the waiting `LoopbackRedirect`, so `changed` cannot fail here;
    // should it, the wait is simply never cancelled.
    while !*flag.borrow_and_update() {
        if flag.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

fn listen(err: std::io::Error) -> AuthError {
    AuthError::Listen {
        detail: err.to_string(),
    }
}

/// The loopback redirect URI a callback is addressed to, when it is one: `http` to
/// 127.0.0.0/8 or `[::1]` at [`LOOPBACK_CALLBACK_PATH`], any port. Query and fragment are
/// not part of it.
pub(crate) fn loopback_target(raw: &str) -> Option<Url> {
    let url = Url::parse(raw.trim_matches(|c: char| c.is_ascii_whitespace())).ok()?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    if url.scheme() != "http" || !loopback || url.path() != LOOPBACK_CALLBACK_PATH {
        return None;
    }
    let mut target = url;
    target.set_query(None);
    target.set_fragment(None);
    Some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_targets_are_http_to_this_computer_at_the_callback_path() {
        let target = loopback_target("http://127.0.0.1:5123/oauth/callback?code=a&state=b");
        assert_eq!(
            target.as_ref().map(Url::as_str),
            Some("http://127.0.0.1:5123/oauth/callback")
        );
        assert!(loopback_target("http://[::1]:80/oauth/callback?state=x").is_some());
        for other in [
            "https://127.0.0.1:5123/oauth/callback?state=x",
            "http://127.0.0.1:5123/oauth/callbackx?state=x",
            "http://localhost:5123/oauth/callback?state=x",
            "http://10.0.0.1:5123/oauth/callback?state=x",
            "io.telltale.app:/oauth/callback?state=x",
            "not a url",
        ] {
            assert!(loopback_target(other).is_none(), "{other}");
        }
    }

    #[test]
    fn debug_shows_the_address_only() {
        let (uri, loopback) = LoopbackRedirect::bind().expect("binds");
        let shown = format!("{loopback:?}");
        assert!(shown.contains(uri.as_str()), "{shown}");
        assert!(format!("{:?}", loopback.canceller()).contains("false"));
    }
}
