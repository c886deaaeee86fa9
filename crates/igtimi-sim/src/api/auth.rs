//! The API's request extractor: the caller's access token and the request parameters.
//!
//! The token comes from `Authorization: Bearer <token>` or from a parameter `access_token`
//! in the query string or a form body. Missing, unknown, revoked and expired tokens are
//! refused with 401 `invalid_token` before the handler runs.

use super::error::ApiError;
use crate::params::Params;
use crate::server::Shared;
use crate::store::{AccessToken, TokenRejection};
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

/// An authenticated API request: who is calling and with which parameters.
#[derive(Clone, Debug)]
pub struct ApiCall {
    /// The accepted access token's record.
    pub token: AccessToken,
    /// Query and form parameters (`access_token` included, handlers ignore it).
    pub params: Params,
}

impl ApiCall {
    /// The id of the user the token acts for.
    pub fn user_id(&self) -> u64 {
        self.token.user_id
    }
}

/// The token of an `Authorization: Bearer` header, if there is one. Other schemes are
/// ignored (the parameter may still carry a token).
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

impl FromRequest<Shared> for ApiCall {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Shared) -> Result<Self, Self::Rejection> {
        let header_token = bearer_token(req.headers());
        let params = Params::from_request(req, state).await?;
        let token = header_token.or_else(|| params.get("access_token").map(str::to_string));
        match state
            .store
            .authenticate(token.as_deref(), state.clock.now_secs())
        {
            Ok(token) => Ok(ApiCall { token, params }),
            Err(rejection) => Err(reject(rejection)),
        }
    }
}

fn reject(rejection: TokenRejection) -> Response {
    ApiError::Token(rejection).into_response()
}
