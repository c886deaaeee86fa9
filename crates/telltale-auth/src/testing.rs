//! Entry points for the fuzz targets and property tests: each runs one of the readers of
//! untrusted input (token answers of the three dialects, the implicit grant's redirect) on
//! bytes held in memory, through the same code the real sign-in uses. Not a stable API.

use crate::dialect::{implicit, iternio, token_api};
use crate::exchange::complete_via;
use crate::{
    AuthError, Channel, FlowKind, PendingSignIn, PendingSignIns, Provider, SignIn, TokenSet,
    TransportError,
};
use oauth2::{AuthorizationCode, HttpRequest, HttpResponse};
use std::future::{ready, Future, Ready};
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::SystemTime;
use url::Url;

/// The redirect URI the readers are checked against.
pub const REDIRECT_URI: &str = "io.telltale.app:/oauth/callback";

/// An answer as the token endpoint could send it: status, `Content-Type` (if any) and body.
#[derive(Debug, Clone, Copy)]
pub struct CannedAnswer<'a> {
    /// The HTTP status (200 to 499 reach the readers; 5xx are refused before them).
    pub status: u16,
    /// The `Content-Type` header, if sent.
    pub content_type: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

/// The standard token answer (RFC 6749 §5.1/§5.2) as [`crate::complete`] reads it: the
/// answer of a code exchange, made of `answer`.
pub fn read_standard_answer(answer: CannedAnswer<'_>) -> Result<TokenSet, AuthError> {
    let (pending, _) = attempt(false);
    run(complete_via(pending, code(), &replying(answer)))
}

/// Iternio's token answer (`{"user_token":..,"token_type":..,"state":..}`) as its sign-in
/// reads it, for an attempt whose state is returned with the result (so a test can echo it).
pub fn read_iternio_answer(
    answer_for: impl FnOnce(&str) -> (u16, Option<String>, Vec<u8>),
) -> Result<TokenSet, AuthError> {
    let (pending, state) = attempt(true);
    let (status, content_type, body) = answer_for(&state);
    let answer = CannedAnswer {
        status,
        content_type: content_type.as_deref(),
        body: &body,
    };
    run(iternio::exchange(pending, code(), &replying(answer)))
}

/// The token API's `{"success":..}` answer, as [`token_api::generate`] reads it.
pub fn read_token_api_answer(status: u16, body: &[u8]) -> Result<TokenSet, AuthError> {
    token_api::read_answer(status, body, "")
}

/// An implicit-grant redirect read against [`REDIRECT_URI`], as [`implicit::finish`] reads
/// it before taking the attempt.
pub fn read_implicit_redirect(raw: &str) -> Result<TokenSet, AuthError> {
    let redirect = Url::parse(REDIRECT_URI).map_err(|_| AuthError::Config {
        detail: "the test redirect URI does not parse".into(),
    })?;
    implicit::read_redirect(raw, &redirect, SystemTime::UNIX_EPOCH)
}

/// The redirect checks of [`crate::finish_redirect`] without its token call, on `raw` as
/// it arrived through `channel`. Three attempts wait, bound to profile `p` and the sign-in
/// window: the code flow's (return address `<REDIRECT_URI>/p`), the implicit grant's (same)
/// and Iternio's (`io.telltale.app:/oauth/iternio/p`); `{code}`, `{implicit}` and
/// `{iternio}` in `raw` stand for their states. Gives the flow of the attempt the redirect
/// was taken for.
pub fn read_bound_redirect(raw: &str, channel: Channel) -> Result<FlowKind, AuthError> {
    let (Ok(base), Ok(redirect), Ok(iternio_redirect)) = (
        Url::parse("http://127.0.0.1:9/"),
        Url::parse(&format!("{REDIRECT_URI}/p")),
        Url::parse("io.telltale.app:/oauth/iternio/p"),
    ) else {
        unreachable!("constant URLs parse")
    };
    let (Ok(igtimi), Ok(iternio_provider)) = (
        Provider::igtimi(&base, "client", None, redirect),
        Provider::iternio(&base, "4242", "api-key", iternio_redirect),
    ) else {
        unreachable!("loopback providers are valid")
    };
    let registry = PendingSignIns::new();
    let mut raw = raw.to_owned();
    for (name, (_, pending)) in [
        ("{code}", SignIn::start(&igtimi)),
        ("{implicit}", implicit::start(&igtimi)),
        ("{iternio}", iternio::start(&iternio_provider)),
    ] {
        raw = raw.replace(name, pending.state_secret());
        registry.insert(pending.bind("p", Channel::Window));
    }
    crate::finish::claim(&registry, &raw, channel).map(|(pending, _)| pending.flow())
}

fn code() -> AuthorizationCode {
    AuthorizationCode::new("test-code".into())
}

/// A fresh attempt at a provider on `127.0.0.1` (Igtimi's code flow with PKCE, or
/// Iternio's), and its state.
fn attempt(iternio_dialect: bool) -> (PendingSignIn, String) {
    let (Ok(base), Ok(redirect)) = (Url::parse("http://127.0.0.1:9/"), Url::parse(REDIRECT_URI))
    else {
        unreachable!("constant URLs parse")
    };
    let provider = if iternio_dialect {
        Provider::iternio(&base, "4242", "api-key", redirect)
    } else {
        Provider::igtimi(&base, "client", Some("secret".into()), redirect)
    };
    let provider = match provider {
        Ok(provider) => provider,
        Err(err) => unreachable!("a loopback provider is valid: {err}"),
    };
    let (_, pending) = if iternio_dialect {
        iternio::start(&provider)
    } else {
        SignIn::start(&provider)
    };
    let state = pending.state_secret().to_owned();
    (pending, state)
}

/// A client that answers every request with `answer`.
fn replying(
    answer: CannedAnswer<'_>,
) -> impl Fn(HttpRequest) -> Ready<Result<HttpResponse, TransportError>> + 'static {
    let (status, body) = (answer.status, answer.body.to_vec());
    let content_type = answer.content_type.map(str::to_owned);
    move |_request| {
        let mut builder = oauth2::http::Response::builder().status(status);
        if let Some(kind) = &content_type {
            builder = builder.header("content-type", kind.as_str());
        }
        ready(
            builder
                .body(body.clone())
                .map_err(|err| TransportError::Other(err.to_string())),
        )
    }
}

/// Polls a future that never waits (the canned client answers at once) to its end.
fn run<T>(future: impl Future<Output = T>) -> T {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut context) {
            return value;
        }
    }
}
