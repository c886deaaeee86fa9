//! Redirect URIs: matching a request's against the registered ones, and sending parameters
//! back to the client (query for codes and errors, fragment for the implicit grant, an HTML
//! page for the out-of-band URI).

use crate::pages::{error_page, escape, page};
use crate::world::Client;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use url::Url;

/// Igtimi's out-of-band redirect URI: the result is shown on a page for the user to copy.
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

/// Hosts of loopback redirect URIs whose port may vary (RFC 8252 §7.3).
const LOOPBACK_PREFIXES: &[&str] = &["http://127.0.0.1", "http://[::1]"];

/// Where the answer to an authorize request goes; trusted once built.
#[derive(Clone, Debug)]
pub struct Destination {
    /// The redirect URI exactly as it will be bound to a code.
    pub uri: String,
    target: Target,
}

#[derive(Clone, Debug)]
enum Target {
    OutOfBand,
    Url(Url),
}

/// How parameters travel to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// In the query string (authorization code grant).
    Query,
    /// In the fragment (implicit grant, RFC 6749 §4.2.2).
    Fragment,
}

/// True when `requested` equals `registered`, or both are the same loopback URI apart from
/// the port of `requested`.
pub fn matches(registered: &str, requested: &str) -> bool {
    if registered == requested {
        return true;
    }
    LOOPBACK_PREFIXES.iter().any(|prefix| {
        let (Some(reg_rest), Some(req_rest)) = (
            registered.strip_prefix(prefix),
            requested.strip_prefix(prefix),
        ) else {
            return false;
        };
        // The registered URI carries no port; the requested one may carry any.
        if !reg_rest.starts_with('/') {
            return false;
        }
        let Some(after_colon) = req_rest.strip_prefix(':') else {
            return false;
        };
        let digits = after_colon.bytes().take_while(u8::is_ascii_digit).count();
        let (port, path) = after_colon.split_at(digits);
        (1..=5).contains(&digits) && port.parse::<u16>().is_ok() && path == reg_rest
    })
}

/// Picks the redirect URI of a request (RFC 6749 §3.1.2.3): the requested one if it matches a
/// registered one, the only registered one if none is requested. `Err` explains why not;
/// such errors must be shown to the user, never redirected.
pub fn resolve(client: &Client, requested: Option<&str>) -> Result<Destination, String> {
    let uri = match requested {
        Some(req) => {
            if !client.redirect_uris.iter().any(|reg| matches(reg, req)) {
                return Err(format!(
                    "The redirect URI {req:?} is not registered for {}",
                    client.name
                ));
            }
            req.to_string()
        }
        None => match client.redirect_uris.as_slice() {
            [only] => only.clone(),
            [] => return Err(format!("{} has no registered redirect URI", client.name)),
            _ => {
                return Err(format!(
                    "{} registers several redirect URIs, so the request must name one",
                    client.name
                ))
            }
        },
    };
    if uri == OOB {
        return Ok(Destination {
            uri,
            target: Target::OutOfBand,
        });
    }
    let url = Url::parse(&uri).map_err(|e| format!("The redirect URI {uri:?} is invalid: {e}"))?;
    if url.fragment().is_some() {
        return Err(format!(
            "The redirect URI {uri:?} must not contain a fragment"
        ));
    }
    Ok(Destination {
        uri,
        target: Target::Url(url),
    })
}

impl Destination {
    /// True for the out-of-band URI.
    pub fn is_out_of_band(&self) -> bool {
        matches!(self.target, Target::OutOfBand)
    }

    /// A 302 to the redirect URI with `pairs` appended; `None` for the out-of-band URI.
    pub fn redirect(&self, delivery: Delivery, pairs: &[(&str, &str)]) -> Option<Response> {
        let Target::Url(url) = &self.target else {
            return None;
        };
        let mut url = url.clone();
        match delivery {
            Delivery::Query => {
                url.query_pairs_mut().extend_pairs(pairs);
            }
            Delivery::Fragment => {
                let encoded = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish();
                url.set_fragment(Some(&encoded));
            }
        }
        Some(found(url.as_str()))
    }

    /// Sends an error to the client (RFC 6749 §4.1.2.1, §4.2.2.1), or shows it for the
    /// out-of-band URI.
    pub fn error(
        &self,
        delivery: Delivery,
        error: &str,
        description: &str,
        state: Option<&str>,
    ) -> Response {
        let mut pairs = vec![("error", error), ("error_description", description)];
        if let Some(state) = state {
            pairs.push(("state", state));
        }
        self.redirect(delivery, &pairs).unwrap_or_else(|| {
            let status = if error == "access_denied" {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::BAD_REQUEST
            };
            error_page(
                status,
                &format!("Authorization failed: {error}"),
                description,
            )
        })
    }
}

/// A 302 to `location`, not to be cached.
pub fn found(location: &str) -> Response {
    match HeaderValue::try_from(location) {
        Ok(value) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, value),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        Err(_) => error_page(
            StatusCode::BAD_REQUEST,
            "Invalid redirect",
            "The redirect URI cannot be sent in a Location header",
        ),
    }
}

/// The out-of-band page: headed "Authorization code:", the value in the element `#code`.
pub fn out_of_band_page(value: &str, note: &str) -> Response {
    let body = format!(
        "<h1>Authorization code:</h1><p><code id=\"code\">{}</code></p><p>{}</p>",
        escape(value),
        escape(note)
    );
    (
        [(header::CACHE_CONTROL, "no-store")],
        Html(page("Authorization code", &body)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_or_loopback_with_any_port() {
        let lb = "http://127.0.0.1/oauth/callback";
        assert!(matches(lb, lb));
        assert!(matches(lb, "http://127.0.0.1:53117/oauth/callback"));
        assert!(matches("http://[::1]/cb", "http://[::1]:8080/cb"));
        assert!(!matches(lb, "http://127.0.0.1:53117/oauth/callback/x"));
        assert!(!matches(lb, "http://127.0.0.1:99999/oauth/callback"));
        assert!(!matches(lb, "http://127.0.0.1:/oauth/callback"));
        assert!(!matches(lb, "http://127.0.0.1.evil.example/oauth/callback"));
        assert!(!matches(lb, "http://localhost:80/oauth/callback"));
        let app = "io.telltale.app:/oauth/callback";
        assert!(matches(app, app));
        assert!(!matches(app, "io.telltale.app:/oauth/callback?x=1"));
        assert!(!matches("https://a.example/cb", "https://a.example:444/cb"));
    }

    #[test]
    fn private_use_scheme_gets_query_and_fragment() {
        let client = Client::new("x", "id", None, "io.telltale.app:/oauth/callback");
        let dest = resolve(&client, None).unwrap();
        let resp = dest
            .redirect(Delivery::Query, &[("code", "a b"), ("state", "s&t")])
            .unwrap();
        assert_eq!(
            resp.headers()[header::LOCATION],
            "io.telltale.app:/oauth/callback?code=a+b&state=s%26t"
        );
        let resp = dest
            .redirect(Delivery::Fragment, &[("access_token", "t")])
            .unwrap();
        assert_eq!(
            resp.headers()[header::LOCATION],
            "io.telltale.app:/oauth/callback#access_token=t"
        );
    }

    #[test]
    fn omitted_uri_needs_exactly_one_registered() {
        let two = Client::new("x", "id", None, "io.a:/cb io.b:/cb");
        assert!(resolve(&two, None).is_err());
        assert!(resolve(&two, Some("io.c:/cb")).is_err());
        assert!(resolve(&two, Some("io.b:/cb")).is_ok());
        let oob = Client::new("x", "id", None, OOB);
        assert!(resolve(&oob, None).unwrap().is_out_of_band());
    }
}
