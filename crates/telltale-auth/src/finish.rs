//! The one return leg of every redirect sign-in (code with PKCE, implicit, Iternio), whatever
//! way the redirect arrived: [`finish_redirect`] finds the attempt by `state`, checks the
//! attempt's bindings, takes it once and ends it the way it was started.
//!
//! The bindings (RFC 9700 §4.4, RFC 9207, RFC 8252 §8.1):
//! - the **channel**: a redirect that came another way (a deep link for a sign-in-window
//!   attempt, say) is refused and the attempt waits on for its own;
//! - the **return address**: each provider profile has its own redirect URI, so a redirect
//!   that carries an attempt's state to another profile's address means a provider sent
//!   the browser to another provider: a mix-up, which ends the attempt before its code or
//!   verifier goes anywhere;
//! - the **issuer**: an `iss` in the answer must name the attempt's provider (mix-up too).

use crate::callback::{checked_address, parse_callback, CallbackError};
use crate::dialect::{implicit, iternio};
use crate::exchange::complete;
use crate::registry::Refusal;
use crate::signin::{Flow, FlowKind};
use crate::{AuthError, AuthHttp, Callback, Channel, PendingSignIn, PendingSignIns, TokenSet};
use oauth2::AuthorizationCode;
use std::time::SystemTime;
use url::Url;

/// A finished redirect sign-in: which profile it was for, how, and its tokens.
#[derive(Debug)]
pub struct Finished {
    /// The provider profile the attempt was bound to.
    pub profile: String,
    /// The grant it used.
    pub flow: FlowKind,
    /// The tokens.
    pub tokens: TokenSet,
}

/// What the redirect said, once checked against its attempt.
pub(crate) enum Answer {
    Code(AuthorizationCode),
    Tokens(TokenSet),
    Denied,
    Refused {
        error: String,
        description: Option<String>,
    },
}

/// Finishes the attempt `raw_callback` answers, which arrived through `channel`. A redirect
/// matching no attempt, malformed, or sent the wrong way is refused and changes nothing
/// ([`AuthError::InvalidState`], [`AuthError::InvalidCallback`]); a mix-up ends its attempt
/// ([`AuthError::MixUp`]); a denial gives [`AuthError::Cancelled`], another provider error
/// [`AuthError::Rejected`].
pub async fn finish_redirect(
    registry: &PendingSignIns,
    raw_callback: &str,
    channel: Channel,
    http: &AuthHttp,
) -> Result<Finished, AuthError> {
    let (pending, answer) = claim(registry, raw_callback, channel)?;
    let profile = pending.profile.clone();
    let flow = pending.flow();
    let tokens = match answer {
        Answer::Code(code) => match pending.flow {
            Flow::Iternio => iternio::exchange(pending, code, http).await?,
            Flow::CodeWithPkce(_) | Flow::Implicit => complete(pending, code, http).await?,
        },
        Answer::Tokens(tokens) => tokens,
        Answer::Denied => return Err(AuthError::Cancelled),
        Answer::Refused { error, description } => {
            return Err(AuthError::Rejected { error, description })
        }
    };
    Ok(Finished {
        profile,
        flow,
        tokens,
    })
}

/// Every check of [`finish_redirect`] before the token call: the attempt `raw` answers,
/// taken, and what it says.
pub(crate) fn claim(
    registry: &PendingSignIns,
    raw: &str,
    channel: Channel,
) -> Result<(PendingSignIn, Answer), AuthError> {
    // No state: no attempt it could answer.
    let state = state_of(raw).ok_or(AuthError::InvalidState)?;
    registry.claim(&state, |pending| read(pending, raw, channel))
}

/// Reads `raw` against `pending`'s bindings and its flow's redirect shape.
fn read(pending: &PendingSignIn, raw: &str, channel: Channel) -> Result<Answer, Refusal> {
    if channel != pending.channel {
        return Err(Refusal::Keep(AuthError::InvalidCallback {
            reason: format!(
                "it came through the {}, but this sign-in waits for the {}",
                channel.name(),
                pending.channel.name()
            ),
        }));
    }
    let redirect = &pending.provider.redirect_uri;
    let url = match checked_address(raw, redirect) {
        Ok(url) => url,
        Err(CallbackError::WrongTarget) if is_sibling(raw, redirect) => {
            return Err(Refusal::End(AuthError::MixUp {
                reason: "came back to another provider profile's return address".into(),
            }))
        }
        Err(other) => return Err(Refusal::Keep(other.into())),
    };
    let (answer, in_fragment) = match pending.flow {
        Flow::CodeWithPkce(_) => (
            parse_callback(raw, redirect)
                .map(from_callback)
                .map_err(AuthError::from),
            false,
        ),
        Flow::Iternio => (
            iternio::parse_callback(raw, redirect)
                .map(from_callback)
                .map_err(AuthError::from),
            false,
        ),
        Flow::Implicit => (read_implicit(raw, redirect, &pending.provider.scopes), true),
    };
    let answer = answer.map_err(Refusal::Keep)?;
    if let Some(iss) = param(&url, "iss", in_fragment) {
        if !pending.provider.is_issuer(&iss) {
            return Err(Refusal::End(AuthError::MixUp {
                reason: "names another issuer".into(),
            }));
        }
    }
    Ok(answer)
}

/// Whether `raw` is addressed to another profile's return address of the same family as
/// `redirect` (`io.telltale.app:/oauth/callback/<other>` for `.../callback/<this>`): only a
/// provider that saw this attempt's request can put its state there, so it is a mix-up.
/// Other wrong addresses are junk or forgeries, refused without ending the attempt.
fn is_sibling(raw: &str, redirect: &Url) -> bool {
    let Ok(url) = Url::parse(raw.trim()) else {
        return false;
    };
    let parent = |path: &str| path.rsplit_once('/').map(|(parent, _)| parent.to_owned());
    url.scheme() == redirect.scheme()
        && url.host_str().filter(|h| !h.is_empty()) == redirect.host_str().filter(|h| !h.is_empty())
        && url.port_or_known_default() == redirect.port_or_known_default()
        && url.username().is_empty()
        && url.password().is_none()
        && parent(url.path()).is_some_and(|p| !p.is_empty())
        && parent(url.path()) == parent(redirect.path())
}

fn from_callback(callback: Callback) -> Answer {
    match callback {
        Callback::Code { code, .. } => Answer::Code(code),
        Callback::Denied { .. } => Answer::Denied,
        Callback::ProviderError {
            error, description, ..
        } => Answer::Refused { error, description },
    }
}

/// An implicit-grant redirect: tokens, or the denial or error it carries.
fn read_implicit(raw: &str, redirect: &Url, scopes: &[String]) -> Result<Answer, AuthError> {
    match implicit::parse(raw, redirect)? {
        implicit::Answer::Token(token) => token
            .into_token_set(scopes, SystemTime::now())
            .map(Answer::Tokens),
        implicit::Answer::Other(callback) => Ok(from_callback(callback)),
    }
}

/// The `state` of a redirect, from its query or (implicit grant) its fragment, read only to
/// find the attempt; the attempt's own checks follow.
pub fn state_of(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    param(&url, "state", false).or_else(|| param(&url, "state", true))
}

/// The first value of `name` in the query (or the fragment).
fn param(url: &Url, name: &str, in_fragment: bool) -> Option<String> {
    let text = if in_fragment {
        url.fragment()
    } else {
        url.query()
    }?;
    url::form_urlencoded::parse(text.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}
