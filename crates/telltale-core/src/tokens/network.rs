//! How the accounts talk to their servers: time limits and the retries of reading calls.
//! The defaults are the shipped app's; tests shorten them to run quickly (see
//! [`crate::multi::Accounts::with_network`]).

use crate::AppError;
use igtimi_client::{ApiError, IgtimiClient, RetryPolicy, DATA_BODY_LIMIT};
use std::time::Duration;
use telltale_auth::AuthHttp;
use url::Url;

/// Time limits and retries of the HTTP calls (sign-in servers and Igtimi API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkOptions {
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long one request, body included, may take (token endpoint and API calls).
    pub request_timeout: Duration,
    /// How long one `resources/data` request may take.
    pub data_timeout: Duration,
    /// Largest `resources/data` answer read, in bytes (larger ones are refused unread).
    pub data_limit: u64,
    /// When the API's reading calls are tried again. Sign-in calls (code exchange, password
    /// grant, refresh) are never retried: see [`igtimi_client::RetryPolicy`].
    pub retry: RetryPolicy,
}

impl Default for NetworkOptions {
    /// 5 s to connect, 20 s per request, 120 s and 256 MiB per data request, the client's
    /// default retries.
    fn default() -> Self {
        NetworkOptions {
            connect_timeout: igtimi_client::CONNECT_TIMEOUT,
            request_timeout: igtimi_client::REQUEST_TIMEOUT,
            data_timeout: igtimi_client::DATA_REQUEST_TIMEOUT,
            data_limit: DATA_BODY_LIMIT,
            retry: RetryPolicy::default(),
        }
    }
}

impl NetworkOptions {
    /// An HTTP client with these time limits (redirects not followed), built now.
    pub(crate) fn http(&self) -> Result<AuthHttp, AppError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(igtimi_client::user_agent())
            .build()
            .map_err(|err| AppError::Internal {
                detail: format!("the HTTP client could not be created: {err}"),
            })?;
        Ok(AuthHttp::with_client(http))
    }

    /// An API client for the server at `base` sending through `http`, with these retries and
    /// data limits (the defaults are [`IgtimiClient`]'s own).
    pub(crate) fn api(&self, base: Url, http: &AuthHttp) -> Result<IgtimiClient, ApiError> {
        Ok(
            IgtimiClient::with_lazy_http(base, http.lazy_http().clone())?
                .with_retry(self.retry.clone())
                .with_data_limits(self.data_timeout, self.data_limit),
        )
    }
}
