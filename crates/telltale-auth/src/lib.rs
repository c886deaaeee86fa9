//! Telltale's OAuth2 sign-in: the authorization-code flow with PKCE S256.
//!
//! 1. [`SignIn::start`] gives the URL to open and a [`PendingSignIn`] holding the attempt's
//!    secrets; keep it in a [`PendingSignIns`] registry.
//! 2. When the redirect arrives (webview navigation, OS deep link or loopback),
//!    [`finish_redirect`] finds the attempt by `state` (once only), checks that the redirect
//!    came back on the attempt's channel, to its profile's own address and from its issuer,
//!    and finishes it the way it was started (code exchange, implicit token, Iternio).
//!    [`finish_sign_in`] is the code flow's step alone, on a given provider. For a sign-in in
//!    the system browser, a [`LoopbackRedirect`] can receive the redirect on `127.0.0.1`.
//! 3. [`refresh`] renews tokens when the server issued a refresh token; [`revoke`] signs out
//!    at the server (RFC 7009).
//!
//! Other dialects live in their own modules: [`implicit`] and [`password`] (Igtimi's legacy
//! grants), [`token_api`] (the username/password token API) and [`iternio`] (Iternio's
//! OAuth2, with [`Provider::iternio`]).
//!
//! No code, verifier, state or token ever appears in an error message or `Debug` output.

mod callback;
mod dialect;
mod error;
mod exchange;
mod finish;
mod http;
mod loopback;
mod provider;
mod registry;
mod signin;
#[doc(hidden)]
pub mod testing;

pub use callback::{
    parse_callback, Callback, CallbackError, MAX_CALLBACK_LEN, MAX_DESCRIPTION_CHARS,
};
pub use dialect::{implicit, iternio, password, token_api};
pub use error::AuthError;
pub use exchange::{complete, finish_sign_in, refresh, revoke, RefreshToken, Revocation, TokenSet};
pub use finish::{finish_redirect, state_of, Finished};
pub use http::{AuthHttp, TransportError, TOKEN_BODY_LIMIT};
pub use igtimi_client::AccessToken;
pub use loopback::{
    LoopbackCancel, LoopbackRedirect, HEAD_TIMEOUT, LOOPBACK_CALLBACK_PATH, MAX_CONNECTIONS,
    MAX_REQUEST_BYTES, REQUEST_TIMEOUT,
};
pub use oauth2::AuthorizationCode;
pub use provider::Provider;
pub use registry::{PendingSignIns, DEFAULT_CAPACITY, DEFAULT_TTL};
pub use signin::{Channel, FlowKind, PendingSignIn, SignIn, STATE_BYTES, VERIFIER_BYTES};
