//! Everything that can go wrong when talking to the Igtimi API, in words a user can act on.

/// An Igtimi API call failed. Messages never contain the access token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server refused the token (HTTP 401): it was revoked or has expired. The app should
    /// forget it and ask the user to sign in again.
    #[error("the Igtimi server no longer accepts this sign-in (revoked or expired); please sign in again")]
    Unauthorized,
    /// No connection could be made.
    #[error("could not connect to the Igtimi server at {server}; check the network connection and try again")]
    Unreachable {
        /// `host:port` of the server that could not be reached.
        server: String,
    },
    /// The server took too long to answer.
    #[error("the Igtimi server did not answer in time; try again in a moment")]
    Timeout,
    /// The server answered with an error status other than 401.
    #[error("the Igtimi server answered with HTTP status {status}; try again later")]
    Server {
        /// The HTTP status code.
        status: u16,
    },
    /// The server refused the request: a 4xx status other than 401, or an
    /// `{"error": .., "reason": ..}` answer where data was expected. `reason` is the server's
    /// own explanation (cleaned, never containing the token), e.g. why a span is too long.
    #[error("the Igtimi server refused the request (HTTP {status}): {reason}")]
    Refused {
        /// The HTTP status (200 when an error object came with a success status).
        status: u16,
        /// The server's error code and explanation, or the status's standard reason.
        reason: String,
    },
    /// The answer was not what the API promises: HTML, not JSON, missing fields, cut off.
    #[error("the Igtimi server sent an answer this app cannot read: {detail}")]
    InvalidResponse {
        /// What was wrong, in plain words.
        detail: String,
    },
    /// The answer was larger than the limit for its kind.
    #[error("the Igtimi server sent an answer larger than {limit_bytes} bytes; it was not read")]
    TooLarge {
        /// The limit that was exceeded.
        limit_bytes: u64,
    },
    /// The client was set up wrongly (an unusable base URL, or the HTTP stack failed to start).
    #[error("the Igtimi client is misconfigured: {detail}")]
    Config {
        /// What is wrong with the configuration.
        detail: String,
    },
}
