//! What the token store keeps and hands out: tokens, codes, and why one is refused.

/// How a token came to be; decides what a reused code revokes and what `--print-demo` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// From an authorization code (its key in the code table).
    Code(String),
    Implicit,
    Password,
    ClientCredentials,
    Refresh,
    /// The username/password token API (`POST /v1/oauth/`).
    TokenApi,
    /// Issued by an earlier run and remembered (see [`crate::remember`]).
    Remembered,
}

/// An access token as the server keeps it.
#[derive(Clone, Debug)]
pub struct AccessToken {
    pub user_id: u64,
    pub client_id: String,
    pub scope: String,
    pub created_at: i64,
    /// Unix seconds; `None` never expires.
    pub expires_at: Option<i64>,
    pub revoked: bool,
    pub origin: Origin,
    /// The refresh token issued alongside, if any.
    pub refresh_token: Option<String>,
}

/// A refresh token as the server keeps it.
#[derive(Clone, Debug)]
pub(super) struct RefreshToken {
    pub(super) user_id: u64,
    pub(super) client_id: String,
    pub(super) scope: String,
    /// All refresh tokens of one grant share a family; reuse of a rotated one kills it.
    pub(super) family: u64,
    pub(super) used: bool,
    pub(super) revoked: bool,
}

/// PKCE transformation named in the authorize request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PkceMethod {
    Plain,
    S256,
}

/// An issued authorization code.
#[derive(Clone, Debug)]
pub struct AuthCode {
    pub user_id: u64,
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub pkce: Option<(String, PkceMethod)>,
    pub expires_at: i64,
    /// The `state` of the authorize request (Iternio echoes it in the token reply).
    pub state: Option<String>,
    pub used: bool,
    /// Access tokens issued from this code: revoked when the code is replayed.
    pub issued: Vec<String>,
}

/// Why a presented access token is not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenRejection {
    Missing,
    Unknown,
    Revoked,
    Expired,
}

impl TokenRejection {
    pub fn describe(self) -> &'static str {
        match self {
            TokenRejection::Missing => "No access token was given",
            TokenRejection::Unknown => "The access token is invalid",
            TokenRejection::Revoked => "The access token was revoked",
            TokenRejection::Expired => "The access token expired",
        }
    }
}

/// What a grant hands out.
#[derive(Clone, Debug)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: Option<u64>,
    pub created_at: i64,
    pub scope: String,
}

/// Why a code or refresh token exchange failed (all map to `invalid_grant`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantError(pub String);
