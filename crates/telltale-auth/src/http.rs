//! [`AuthHttp`]: the HTTP client for token requests. It does not follow redirects (per the
//! oauth2 crate's security advice, so a code or secret is never re-sent elsewhere), has
//! timeouts, and reads answers with a size cap.

use crate::AuthError;
use igtimi_client::LazyHttp;
use oauth2::{AsyncHttpClient, HttpRequest, HttpResponse};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Cap for token-endpoint answers; real ones are a few hundred bytes.
pub const TOKEN_BODY_LIMIT: usize = 1024 * 1024;
/// How long to wait for a connection (the API client's limit, so the two may share a client).
pub const CONNECT_TIMEOUT: Duration = igtimi_client::CONNECT_TIMEOUT;
/// How long a whole token request may take (the API client's limit, as above).
pub const REQUEST_TIMEOUT: Duration = igtimi_client::REQUEST_TIMEOUT;

/// HTTP client for the token and revocation endpoints.
#[derive(Debug, Clone)]
pub struct AuthHttp {
    client: LazyHttp,
}

/// Why a token request got no usable HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No connection could be made.
    #[error("could not connect")]
    Connect,
    /// The server did not answer in time.
    #[error("timed out")]
    Timeout,
    /// The answer was larger than [`TOKEN_BODY_LIMIT`].
    #[error("the answer was too large")]
    TooLarge,
    /// The answer stopped before its end.
    #[error("the answer was cut off")]
    CutOff,
    /// A 5xx answer, whatever its body: OAuth errors (RFC 6749 §5.2) come with 400 or 401,
    /// so a 5xx is the server failing (an HTML error page, or JSON such as
    /// `{"error":"Service Unavailable"}` that only looks like an OAuth error).
    #[error("server failure (HTTP {0})")]
    ServerStatus(u16),
    /// The request could not be built or sent for another reason.
    #[error("the request failed: {0}")]
    Other(String),
}

impl Default for AuthHttp {
    fn default() -> Self {
        Self::new()
    }
}

impl AuthHttp {
    /// A client with redirects disabled, a 5 s connect timeout, a 20 s request timeout and the
    /// `Telltale/<version>` user agent, built on its first request.
    pub fn new() -> Self {
        Self {
            client: LazyHttp::new(CONNECT_TIMEOUT, REQUEST_TIMEOUT),
        }
    }

    /// The HTTP client underneath, for API clients to share (one connection pool, and one
    /// load of the system's certificates).
    pub fn lazy_http(&self) -> &LazyHttp {
        &self.client
    }

    /// Uses a caller-built client (tests use short timeouts). The caller must disable redirects.
    pub fn with_client(client: reqwest::Client) -> Self {
        Self {
            client: LazyHttp::built(client),
        }
    }

    /// Sends one request and reads the answer under the size cap.
    pub(crate) async fn execute(
        &self,
        request: HttpRequest,
    ) -> Result<HttpResponse, TransportError> {
        let request = reqwest::Request::try_from(request)
            .map_err(|err| TransportError::Other(err.to_string()))?;
        let client = self
            .client
            .get_for(request.url())
            .map_err(TransportError::Other)?;
        let mut response = client.execute(request).await.map_err(classify)?;
        let status = response.status();
        if response
            .content_length()
            .is_some_and(|len| len > TOKEN_BODY_LIMIT as u64)
        {
            return Err(TransportError::TooLarge);
        }
        if status.is_server_error() {
            return Err(TransportError::ServerStatus(status.as_u16()));
        }
        let mut builder = oauth2::http::Response::builder().status(status.as_u16());
        for (name, value) in response.headers() {
            builder = builder.header(name.as_str(), value.as_bytes());
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > TOKEN_BODY_LIMIT {
                        return Err(TransportError::TooLarge);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(err) if err.is_timeout() => return Err(TransportError::Timeout),
                Err(_) => return Err(TransportError::CutOff),
            }
        }
        builder
            .body(body)
            .map_err(|err| TransportError::Other(err.to_string()))
    }
}

fn classify(err: reqwest::Error) -> TransportError {
    if err.is_timeout() {
        TransportError::Timeout
    } else if err.is_connect() {
        TransportError::Connect
    } else if err.is_body() || err.is_decode() {
        TransportError::CutOff
    } else {
        // reqwest's message may name the URL, never the form body carrying the secrets.
        TransportError::Other(err.without_url().to_string())
    }
}

impl<'c> AsyncHttpClient<'c> for AuthHttp {
    type Error = TransportError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.execute(request))
    }
}

impl From<TransportError> for AuthError {
    fn from(err: TransportError) -> Self {
        match err {
            TransportError::Connect => AuthError::Unreachable,
            TransportError::Timeout => AuthError::Timeout,
            TransportError::ServerStatus(status) => AuthError::Server { status },
            TransportError::TooLarge => AuthError::InvalidResponse {
                detail: format!("the answer was larger than {TOKEN_BODY_LIMIT} bytes"),
            },
            TransportError::CutOff => AuthError::InvalidResponse {
                detail: "the answer was cut off before it was complete".into(),
            },
            // A connection dropped before the answer, or a request that could not be sent:
            // retrying later is the advice, as for a failed connect.
            TransportError::Other(_) => AuthError::Unreachable,
        }
    }
}
