//! How a [`Session`] talks to its server: time limits and the retries of reading calls.
//! The defaults are the shipped app's; tests shorten them to run quickly.

use super::Session;
use crate::AppError;
use igtimi_client::{IgtimiClient, RetryPolicy, DATA_BODY_LIMIT};
use std::time::Duration;
use telltale_auth::AuthHttp;

/// Time limits and retries of a session's HTTP calls (sign-in server and Igtimi API).
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

impl Session {
    /// The same session with other time limits and retries (its sign-in state is kept).
    pub fn with_network(mut self, network: &NetworkOptions) -> Result<Session, AppError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(network.connect_timeout)
            .timeout(network.request_timeout)
            .user_agent(igtimi_client::user_agent())
            .build()
            .map_err(|err| AppError::Internal {
                detail: format!("the HTTP client could not be created: {err}"),
            })?;
        let api = IgtimiClient::with_http(self.backend.server.clone(), http.clone())
            .map_err(|err| AppError::Internal {
                detail: err.to_string(),
            })?
            .with_retry(network.retry.clone())
            .with_data_limits(network.data_timeout, network.data_limit);
        self.backend.api = api;
        self.http = AuthHttp::with_client(http);
        Ok(self)
    }
}
