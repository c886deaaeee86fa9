//! [`LazyHttp`]: an HTTP client built on its first request. Building one with the platform's
//! TLS loads the system's trusted certificates (OpenSSL reads the whole bundle: about 25 ms
//! and half a megabyte per client), which opening the accounts at start-up, on the app's
//! main thread, should not wait for.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// A `reqwest::Client` that does not follow redirects, with a connect and a request time
/// limit and the `Telltale/<version>` user agent, built when first asked for. Clones share
/// the one client (and its connection pool).
#[derive(Debug, Clone)]
pub struct LazyHttp {
    limits: Limits,
    client: Arc<OnceLock<Result<reqwest::Client, String>>>,
}

#[derive(Debug, Clone, Copy)]
struct Limits {
    connect: Duration,
    request: Duration,
}

impl LazyHttp {
    /// A client with these time limits, not built yet.
    pub fn new(connect_timeout: Duration, request_timeout: Duration) -> Self {
        LazyHttp {
            limits: Limits {
                connect: connect_timeout,
                request: request_timeout,
            },
            client: Arc::new(OnceLock::new()),
        }
    }

    /// A client the caller built (it must not follow redirects).
    pub fn built(client: reqwest::Client) -> Self {
        let lazy = LazyHttp::new(Duration::ZERO, Duration::ZERO);
        let _ = lazy.client.set(Ok(client));
        lazy
    }

    /// Whether the client has been built (by [`LazyHttp::get`] or [`LazyHttp::built`]).
    pub fn is_built(&self) -> bool {
        self.client.get().is_some()
    }

    /// The client, built now if this is the first call; the reason if it cannot be built.
    pub fn get(&self) -> Result<&reqwest::Client, String> {
        let limits = self.limits;
        let built = self.client.get_or_init(|| {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(limits.connect)
                .timeout(limits.request)
                .user_agent(crate::user_agent())
                .build()
                .map_err(|err| format!("the HTTP client could not be created: {err}"))
        });
        built.as_ref().map_err(Clone::clone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_built_before_the_first_use_and_clones_share_the_client() {
        let lazy = LazyHttp::new(Duration::from_secs(5), Duration::from_secs(20));
        let clone = lazy.clone();
        assert!(!lazy.is_built() && !clone.is_built());
        lazy.get().expect("builds");
        assert!(clone.is_built(), "a clone built its own client");
    }

    #[test]
    fn a_given_client_is_used_as_it_is() {
        let lazy = LazyHttp::built(reqwest::Client::new());
        assert!(lazy.is_built());
        assert!(lazy.get().is_ok());
    }
}
