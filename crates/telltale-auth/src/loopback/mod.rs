//! The loopback redirect (RFC 8252 §7.3): for a sign-in in the system browser, the app
//! listens on `127.0.0.1` at a port the system picks, and the provider sends the browser
//! back to `http://127.0.0.1:<port><callback path>?...`.
//!
//! [`LoopbackRedirect::bind`] opens the listener and gives the redirect URI to sign in
//! with; [`LoopbackRedirect::wait`] answers requests (with hyper's HTTP/1 server) until the
//! answer carrying the attempt's `state` arrives at the callback path, shows the browser a
//! short page, stops listening and returns the full callback URL, to be completed by
//! [`crate::finish_sign_in`]. Answers with another or no `state` get 400 and do not end the
//! wait, so another local process (or a stale tab) cannot end it before the browser does.
//! A timeout or a [`LoopbackCancel`] ends the wait too.
//!
//! Every request is bounded: [`MAX_REQUEST_BYTES`] of head sent within [`HEAD_TIMEOUT`],
//! [`REQUEST_TIMEOUT`] in all, at most [`MAX_CONNECTIONS`] at once (the oldest idle one
//! makes room for a new one). Other paths get 404 and malformed answers 400; none of them
//! ends the wait. The pages echo no code, state or other value of the request.

mod connections;
mod page;
mod serve;

use crate::AuthError;
use connections::Connections;
use serve::Target;
use std::fmt;
use std::future::Future;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use url::Url;

/// The path under which loopback redirect URIs live (registered as
/// `http://127.0.0.1/oauth/callback`, any port; the app adds `/<profile id>`).
pub const LOOPBACK_CALLBACK_PATH: &str = "/oauth/callback";
/// Largest request head (request line and headers) read from the browser.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// How long a connection may take to send its request head: a browser sends it at once, so
/// a connection that dawdles is only holding a slot.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one connection may stay open in all, its answer included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How many connections are served at once; a new one closes the oldest that has not sent
/// its request yet.
pub const MAX_CONNECTIONS: usize = 16;

/// A listener on `127.0.0.1` waiting for one sign-in answer. `Debug` shows only its address.
pub struct LoopbackRedirect {
    listener: std::net::TcpListener,
    port: u16,
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
    /// `http://127.0.0.1:<port><callback_path>`, and the listener. Needs no async runtime;
    /// [`Self::wait`] does.
    ///
    /// `callback_path` must start with `/` and be a plain path that a URL keeps as it is
    /// (no `?`, `#`, dot segments or characters to escape), since requests are matched to
    /// it exactly; otherwise [`AuthError::Config`].
    pub fn bind(callback_path: &str) -> Result<(Url, LoopbackRedirect), AuthError> {
        let plain = callback_path.starts_with('/')
            && !callback_path.contains(['?', '#'])
            && Url::parse(&format!("http://127.0.0.1{callback_path}"))
                .is_ok_and(|url| url.path() == callback_path);
        if !plain {
            return Err(AuthError::Config {
                detail: format!(
                    "the loopback return path `{}` is not a plain path starting with `/`",
                    callback_path.escape_debug()
                ),
            });
        }
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(listen)?;
        listener.set_nonblocking(true).map_err(listen)?;
        let port = listener.local_addr().map_err(listen)?.port();
        let redirect_uri =
            Url::parse(&format!("http://127.0.0.1:{port}{callback_path}")).map_err(|err| {
                AuthError::Listen {
                    detail: format!("cannot build the return address: {err}"),
                }
            })?;
        let (cancel, _) = watch::channel(false);
        let loopback = LoopbackRedirect {
            listener,
            port,
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

    /// Serves requests until the sign-in answer whose `state` is `expected_state` arrives at
    /// the callback path, then stops listening and returns its full URL
    /// (`http://127.0.0.1:<port><path>?<query>`). Answers with another or no state get 400
    /// and the wait goes on; states are compared in constant time, so timing tells a local
    /// guesser nothing. The state is copied, so the future may be spawned.
    ///
    /// Errors: [`AuthError::BrowserTimeout`] after `timeout`, [`AuthError::Cancelled`] when
    /// cancelled, [`AuthError::Listen`] when the listener cannot be used,
    /// [`AuthError::Config`] for an empty `expected_state` (no answer could be told apart).
    pub fn wait(
        self,
        timeout: Duration,
        expected_state: &str,
    ) -> impl Future<Output = Result<String, AuthError>> + Send + 'static {
        let expected_state = expected_state.to_owned();
        self.serve(timeout, expected_state)
    }

    async fn serve(self, timeout: Duration, expected_state: String) -> Result<String, AuthError> {
        if expected_state.is_empty() {
            return Err(AuthError::Config {
                detail: "the loopback listener was given no state to wait for".into(),
            });
        }
        let listener = TcpListener::from_std(self.listener).map_err(listen)?;
        let target = Arc::new(Target::new(self.redirect_uri, self.port, expected_state));
        let mut cancelled = self.cancel.subscribe();
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let mut connections = Connections::new();
        loop {
            tokio::select! {
                biased;
                () = until_cancelled(&mut cancelled) => return Err(AuthError::Cancelled),
                () = &mut deadline => return Err(AuthError::BrowserTimeout),
                Some(closed) = connections.next_closed(), if !connections.is_empty() => {
                    if let Some(callback) = closed {
                        return Ok(callback);
                    }
                }
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => connections.open(stream, &target),
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
/// 127.0.0.0/8 or `[::1]` at [`LOOPBACK_CALLBACK_PATH`] or a path under it, any port.
/// Query and fragment are not part of it.
pub(crate) fn loopback_target(raw: &str) -> Option<Url> {
    let url = Url::parse(raw.trim_matches(|c: char| c.is_ascii_whitespace())).ok()?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    let under_callback = url
        .path()
        .strip_prefix(LOOPBACK_CALLBACK_PATH)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if url.scheme() != "http" || !loopback || !under_callback {
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
        assert!(loopback_target("http://127.0.0.1:80/oauth/callback/igtimi?state=x").is_some());
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
        let (uri, loopback) = LoopbackRedirect::bind("/oauth/callback/igtimi").expect("binds");
        let shown = format!("{loopback:?}");
        assert!(shown.contains(uri.as_str()), "{shown}");
        assert!(format!("{:?}", loopback.canceller()).contains("false"));
    }

    #[test]
    fn the_redirect_uri_ends_in_the_callback_path_and_odd_paths_are_refused() {
        let (uri, _loopback) = LoopbackRedirect::bind("/oauth/callback/igtimi").expect("binds");
        assert_eq!(uri.path(), "/oauth/callback/igtimi");
        assert!(uri.as_str().starts_with("http://127.0.0.1:"), "{uri}");
        for odd in [
            "",
            "oauth/callback",
            "/oauth/callback?x=1",
            "/oauth/callback#x",
            "/oauth/../callback",
            "/oauth/call back",
            "/oauth/callback\n",
        ] {
            let refused = LoopbackRedirect::bind(odd).map(|(uri, _)| uri);
            assert!(
                matches!(refused, Err(AuthError::Config { .. })),
                "{odd:?}: {refused:?}"
            );
        }
    }

    #[tokio::test]
    async fn an_empty_expected_state_is_refused() {
        let (_, loopback) = LoopbackRedirect::bind("/oauth/callback").expect("binds");
        let refused = loopback.wait(Duration::from_secs(5), "").await;
        assert!(
            matches!(refused, Err(AuthError::Config { .. })),
            "{refused:?}"
        );
    }
}
