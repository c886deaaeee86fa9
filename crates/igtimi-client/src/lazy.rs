//! [`LazyHttp`]: an HTTP client built on its first request. Building one with the platform's
//! TLS loads the system's trusted certificates (OpenSSL reads the whole bundle: about 25 ms
//! and half a megabyte per client), which opening the accounts at start-up, on the app's
//! main thread, should not wait for.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// A `reqwest::Client` that does not follow redirects, with a connect and a request time
/// limit and the `Telltale/<version>` user agent, built when first asked for. Clones share
/// the one client (and its connection pool).
///
/// Two clients in fact: one with the system's proxy settings for servers elsewhere, and one
/// without any proxy for servers on this computer (the embedded demo, a simulator), so a
/// system proxy never sees a loopback request, its tokens or codes ([`LazyHttp::get_for`]).
#[derive(Debug, Clone)]
pub struct LazyHttp {
    limits: Limits,
    client: Arc<OnceLock<Result<reqwest::Client, String>>>,
    direct: Arc<OnceLock<Result<reqwest::Client, String>>>,
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
            direct: Arc::new(OnceLock::new()),
        }
    }

    /// A client the caller built (it must not follow redirects), used for every server.
    pub fn built(client: reqwest::Client) -> Self {
        let lazy = LazyHttp::new(Duration::ZERO, Duration::ZERO);
        let _ = lazy.client.set(Ok(client.clone()));
        let _ = lazy.direct.set(Ok(client));
        lazy
    }

    /// The client for a request to `url`: without any proxy when `url` is on this computer
    /// (127.0.0.0/8, `[::1]`, `localhost`), else with the system's proxy settings.
    pub fn get_for(&self, url: &url::Url) -> Result<&reqwest::Client, String> {
        if is_loopback(url) {
            let limits = self.limits;
            let built = self
                .direct
                .get_or_init(|| build(limits, reqwest::Client::builder().no_proxy()));
            built.as_ref().map_err(Clone::clone)
        } else {
            self.get()
        }
    }

    /// Whether the client has been built (by [`LazyHttp::get`] or [`LazyHttp::built`]).
    pub fn is_built(&self) -> bool {
        self.client.get().is_some()
    }

    /// The client for servers elsewhere (system proxy settings apply), built now if this is
    /// the first call; the reason if it cannot be built. Prefer [`LazyHttp::get_for`].
    pub fn get(&self) -> Result<&reqwest::Client, String> {
        let limits = self.limits;
        let built = self
            .client
            .get_or_init(|| build(limits, reqwest::Client::builder()));
        built.as_ref().map_err(Clone::clone)
    }
}

fn build(limits: Limits, builder: reqwest::ClientBuilder) -> Result<reqwest::Client, String> {
    builder
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(limits.connect)
        .timeout(limits.request)
        .user_agent(crate::user_agent())
        .build()
        .map_err(|err| format!("the HTTP client could not be created: {err}"))
}

/// Whether `url` names this computer: 127.0.0.0/8, `[::1]` or `localhost`. The one
/// definition of "on this computer" for every crate (plain http is allowed only there).
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
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
    fn loopback_servers_get_the_direct_client() {
        let lazy = LazyHttp::new(Duration::from_secs(5), Duration::from_secs(20));
        let url = |text: &str| url::Url::parse(text).expect("url");
        for near in [
            "http://127.0.0.1:9/",
            "http://127.3.4.5/",
            "http://[::1]:9/",
            "http://LocalHost/",
        ] {
            assert!(is_loopback(&url(near)), "{near}");
        }
        for far in [
            "https://wind.example/",
            "http://10.0.0.1/",
            "http://localhost.example/",
        ] {
            assert!(!is_loopback(&url(far)), "{far}");
        }
        lazy.get_for(&url("http://127.0.0.1:9/")).expect("direct");
        assert!(
            !lazy.is_built(),
            "the proxied client is not built for loopback"
        );
    }

    #[test]
    fn a_given_client_is_used_as_it_is() {
        let lazy = LazyHttp::built(reqwest::Client::new());
        assert!(lazy.is_built());
        assert!(lazy.get().is_ok());
    }
}
