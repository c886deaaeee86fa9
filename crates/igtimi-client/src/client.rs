//! [`IgtimiClient`]: the configured HTTP client and the API calls.

use crate::lazy::LazyHttp;
use crate::models::{Account, AccountEnvelope};
use crate::retry::RetryPolicy;
use crate::{AccessToken, ApiError};
use std::time::Duration;
use url::Url;

/// Cap for JSON answers. Real answers are far smaller; the cap only stops a broken or hostile
/// server from filling memory.
pub const JSON_BODY_LIMIT: u64 = 16 * 1024 * 1024;
/// How long to wait for a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a whole request, body included, may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// The `User-Agent` sent with every request.
pub fn user_agent() -> String {
    format!("Telltale/{}", env!("CARGO_PKG_VERSION"))
}

/// A client for one Igtimi-compatible server.
#[derive(Debug, Clone)]
pub struct IgtimiClient {
    /// The server root, always ending in `/` so relative joins keep any path prefix.
    pub(crate) base: Url,
    pub(crate) http: LazyHttp,
    /// Time limit of one `resources/data` request.
    pub(crate) data_timeout: Duration,
    /// Size cap of one `resources/data` answer.
    pub(crate) data_limit: u64,
    /// When the reading calls (not `resources/data`) are tried again.
    pub(crate) retry: RetryPolicy,
}

impl IgtimiClient {
    /// A client for the server at `base_url` (e.g. `https://www.igtimi.com` or the simulator's
    /// `http://127.0.0.1:PORT`), with its own HTTP client, built on the first request:
    /// redirects not followed, 5 s connect timeout, 20 s request timeout, user agent
    /// `Telltale/<version>`, and the [default](RetryPolicy::default) retries of its reading
    /// calls.
    pub fn new(base_url: Url) -> Result<Self, ApiError> {
        Self::with_lazy_http(base_url, LazyHttp::new(CONNECT_TIMEOUT, REQUEST_TIMEOUT))
    }

    /// A client using a caller-provided HTTP client (tests use this for short timeouts).
    /// The caller is responsible for disabling redirects on it.
    pub fn with_http(base_url: Url, http: reqwest::Client) -> Result<Self, ApiError> {
        Self::with_lazy_http(base_url, LazyHttp::built(http))
    }

    /// A client sending through `http` (shared with other clients, built on first use).
    pub fn with_lazy_http(base_url: Url, http: LazyHttp) -> Result<Self, ApiError> {
        Ok(Self {
            base: normalize_base(base_url)?,
            http,
            data_timeout: crate::data::DATA_REQUEST_TIMEOUT,
            data_limit: crate::data::DATA_BODY_LIMIT,
            retry: RetryPolicy::default(),
        })
    }

    /// The same client with another retry policy for its reading calls (default
    /// [`RetryPolicy::default`]; `resources/data` is never retried by the client).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// When this client tries a reading call again.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The server root this client talks to.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// `GET /api/v1/account`: who the token belongs to. A 401 here means the token was
    /// revoked or has expired ([`ApiError::Unauthorized`]).
    pub async fn account(&self, token: &AccessToken) -> Result<Account, ApiError> {
        let envelope: AccountEnvelope = self.get_json("api/v1/account", &[], token).await?;
        Ok(envelope.user)
    }

    pub(crate) fn transport_error(&self, err: &reqwest::Error) -> ApiError {
        if err.is_timeout() {
            return ApiError::Timeout;
        }
        // Connection refused, DNS failure, TLS failure, connection reset before an answer:
        // all mean the server could not be reached, and retrying later is the advice.
        let host = self.base.host_str().unwrap_or("?");
        let server = match self.base.port_or_known_default() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        ApiError::Unreachable { server }
    }
}

/// Checks that a base URL is a plain http(s) root and makes its path end in `/`.
fn normalize_base(mut base: Url) -> Result<Url, ApiError> {
    let config = |detail: &str| ApiError::Config {
        detail: detail.to_owned(),
    };
    if !matches!(base.scheme(), "http" | "https") {
        return Err(config(
            "the server address must start with http:// or https://",
        ));
    }
    if base.host_str().is_none_or(str::is_empty) {
        return Err(config("the server address has no host"));
    }
    if !base.username().is_empty() || base.password().is_some() {
        return Err(config(
            "the server address must not contain a user name or password",
        ));
    }
    if base.query().is_some() || base.fragment().is_some() {
        return Err(config(
            "the server address must not contain ?query or #fragment parts",
        ));
    }
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    Ok(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(text: &str) -> Result<Url, ApiError> {
        normalize_base(Url::parse(text).expect("test URL parses"))
    }

    #[test]
    fn base_urls_keep_their_prefix_and_gain_a_slash() {
        let url = base("http://127.0.0.1:9000").expect("plain root");
        assert_eq!(
            url.join("api/v1/account").expect("join").as_str(),
            "http://127.0.0.1:9000/api/v1/account"
        );
        let url = base("https://example.org/igtimi").expect("prefixed root");
        assert_eq!(
            url.join("api/v1/account").expect("join").as_str(),
            "https://example.org/igtimi/api/v1/account"
        );
    }

    #[test]
    fn unusable_base_urls_are_refused() {
        for bad in [
            "ftp://example.org/",
            "io.telltale.app:/x",
            "https://user:pw@example.org/",
            "https://example.org/?a=1",
            "https://example.org/#top",
        ] {
            assert!(matches!(base(bad), Err(ApiError::Config { .. })), "{bad}");
        }
    }
}
