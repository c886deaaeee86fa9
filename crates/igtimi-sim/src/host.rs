//! The `Host` allow-list: a request must name this server, as `127.0.0.1:PORT`,
//! `localhost:PORT`, `[::1]:PORT`, the address it listens on, or a host configured in
//! [`crate::SimConfig::allowed_hosts`]. Anything else gets 421.
//!
//! Why: a web page can make a browser send requests to loopback by pointing its own domain
//! name at 127.0.0.1 (DNS rebinding); the browser then treats the answers as same-origin
//! with the page. Such requests carry the page's domain in `Host`, so checking it keeps the
//! app's local demo server (and its sign-in pages) out of reach of web pages.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The names a request may address this server by, and its port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedHosts {
    port: u16,
    /// Normalized by [`normalize`]: IP addresses in canonical form, names in lower case.
    names: Vec<String>,
}

impl AllowedHosts {
    /// The loopback names, the listening address unless it is a wildcard, and `extra`.
    pub fn new(listening: SocketAddr, extra: &[String]) -> Self {
        let mut names: Vec<String> = ["127.0.0.1", "localhost", "::1"]
            .iter()
            .map(|name| normalize(name))
            .collect();
        if !listening.ip().is_unspecified() {
            names.push(listening.ip().to_string());
        }
        names.extend(extra.iter().map(|name| normalize(name)));
        names.sort();
        names.dedup();
        AllowedHosts {
            port: listening.port(),
            names,
        }
    }

    /// True when `authority` (a `Host` value: `name[:port]`, `[v6][:port]`) names this
    /// server. No port means 80, as for any `http` URL.
    pub fn allows(&self, authority: &str) -> bool {
        let Some((name, port)) = split_authority(authority) else {
            return false;
        };
        port == self.port && self.names.contains(&normalize(name))
    }
}

/// Splits `name[:port]` or `[v6][:port]`; `None` when the port is not a number.
fn split_authority(authority: &str) -> Option<(&str, u16)> {
    let authority = authority.trim();
    let (name, port) = match authority.strip_prefix('[') {
        Some(rest) => {
            let (v6, after) = rest.split_once(']')?;
            (v6, after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (authority, None),
        },
    };
    let port = match port {
        Some(digits) => digits.parse().ok()?,
        None => 80,
    };
    (!name.is_empty()).then_some((name, port))
}

/// One spelling per host: IP addresses (bracketed or not) canonical, names in lower case.
fn normalize(name: &str) -> String {
    let bare = name.trim().trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.to_string(),
        Err(_) => bare.to_ascii_lowercase(),
    }
}

/// Refuses requests whose `Host` (and, in absolute form or HTTP/2, the URI's authority)
/// does not name this server. A request naming neither is refused too.
pub async fn middleware(
    State(allowed): State<Arc<AllowedHosts>>,
    req: Request,
    next: Next,
) -> Response {
    let host = req.headers().get(header::HOST).map(HeaderValue::to_str);
    let authority = req.uri().authority().map(|a| a.as_str());
    let verdict = match (host, authority) {
        (None, None) => Err("The request names no host".to_string()),
        (Some(Err(_)), _) => Err("The Host header is not readable text".to_string()),
        (Some(Ok(host)), _) if !allowed.allows(host) => {
            Err(format!("Host {host:?} is not this server"))
        }
        (_, Some(authority)) if !allowed.allows(authority) => {
            Err(format!("Authority {authority:?} is not this server"))
        }
        _ => Ok(()),
    };
    match verdict {
        Ok(()) => next.run(req).await,
        Err(why) => misdirected(&why, allowed.port),
    }
}

fn misdirected(why: &str, port: u16) -> Response {
    let body = format!(
        "421 Misdirected Request: {why}. This server answers requests addressed to \
         127.0.0.1:{port}, localhost:{port} or [::1]:{port}.\n"
    );
    let mut response = (StatusCode::MISDIRECTED_REQUEST, body).into_response();
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(addr: &str, extra: &[&str]) -> AllowedHosts {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        AllowedHosts::new(addr.parse().expect("test address"), &extra)
    }

    #[test]
    fn loopback_names_on_the_right_port() {
        let allowed = on("127.0.0.1:4000", &[]);
        for host in [
            "127.0.0.1:4000",
            "localhost:4000",
            "LocalHost:4000",
            "[::1]:4000",
        ] {
            assert!(allowed.allows(host), "{host} should be allowed");
        }
        for host in [
            "evil.example:4000",
            "127.0.0.1:4001",
            "127.0.0.1",
            "localhost",
            "127.0.0.2:4000",
            "localhost.evil.example:4000",
            "127.0.0.1:4000@evil.example",
            "127.0.0.1:",
            ":4000",
            "[::1:4000",
            "",
        ] {
            assert!(!allowed.allows(host), "{host:?} should be refused");
        }
    }

    #[test]
    fn port_80_may_be_left_out() {
        let allowed = on("127.0.0.1:80", &[]);
        assert!(allowed.allows("localhost"));
        assert!(allowed.allows("[::1]"));
        assert!(!allowed.allows("evil.example"));
    }

    #[test]
    fn the_listening_address_and_configured_hosts() {
        let allowed = on(
            "192.0.2.7:4000",
            &["sim.test", "2001:db8::1", "[2001:db8::2]"],
        );
        assert!(allowed.allows("192.0.2.7:4000"));
        assert!(allowed.allows("SIM.test:4000"));
        assert!(allowed.allows("[2001:db8::1]:4000"));
        assert!(allowed.allows("[2001:db8:0::2]:4000"));
        assert!(!allowed.allows("sim.test:4001"));
        // A wildcard listener does not make every address its own.
        let wildcard = on("0.0.0.0:4000", &[]);
        assert!(!wildcard.allows("0.0.0.0:4000"));
        assert!(!wildcard.allows("192.0.2.7:4000"));
        assert!(wildcard.allows("127.0.0.1:4000"));
    }
}
