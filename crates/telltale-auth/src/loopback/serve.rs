//! One connection of the loopback listener, served by hyper's HTTP/1 server: one request
//! head within [`HEAD_TIMEOUT`] and [`MAX_REQUEST_BYTES`], answered with a short page, then
//! closed.

use super::page::Page;
use super::{HEAD_TIMEOUT, MAX_REQUEST_BYTES, REQUEST_TIMEOUT};
use crate::{parse_callback, Callback};
use hyper::body::Incoming;
use hyper::header::HOST;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{HeaderMap, Method, Request, Uri};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use subtle::ConstantTimeEq;
use tokio::net::TcpStream;
use url::Url;

// hyper panics on a smaller read buffer.
const _: () = assert!(MAX_REQUEST_BYTES >= 8192);

/// What a connection must match to end the wait.
pub(super) struct Target {
    redirect_uri: Url,
    port: u16,
    /// The `Host` values a browser following the redirect sends (lowercase).
    authorities: [String; 2],
    expected_state: String,
}

impl Target {
    pub(super) fn new(redirect_uri: Url, port: u16, expected_state: String) -> Target {
        Target {
            redirect_uri,
            port,
            authorities: [format!("127.0.0.1:{port}"), format!("localhost:{port}")],
            expected_state,
        }
    }

    fn is_our_authority(&self, host: &str) -> bool {
        self.authorities
            .iter()
            .any(|ours| host.eq_ignore_ascii_case(ours))
    }
}

/// Serves one connection. `requested` is set once its request head has arrived (it is then
/// being answered and may not be closed to make room). Gives the full callback URL when the
/// request was the awaited answer, once the browser has been given its page (or the
/// connection failed after the answer was taken).
pub(super) async fn serve(
    stream: TcpStream,
    target: Arc<Target>,
    requested: Arc<AtomicBool>,
) -> Option<String> {
    let accepted = Arc::new(OnceLock::new());
    let answer = accepted.clone();
    let service = service_fn(move |request: Request<Incoming>| {
        requested.store(true, Ordering::Release);
        let (page, callback) = route(request.method(), request.uri(), request.headers(), &target);
        if let Some(callback) = callback {
            // One request per connection, so this is the only answer it can carry.
            let _ = answer.set(callback);
        }
        std::future::ready(Ok::<_, Infallible>(page.response()))
    });
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(MAX_REQUEST_BYTES)
        .keep_alive(false);
    // A head that is too slow, too large or malformed ends only this connection (hyper
    // answers 431 or 400 itself where HTTP says to); REQUEST_TIMEOUT bounds the rest.
    let _ = tokio::time::timeout(
        REQUEST_TIMEOUT,
        http.serve_connection(TokioIo::new(stream), service),
    )
    .await;
    accepted.get().cloned()
}

/// The page for a request, and the callback URL when it is the awaited answer: a GET to the
/// callback path on this address, well formed, whose `state` is the expected one.
pub(super) fn route(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    target: &Target,
) -> (Page, Option<String>) {
    // Origin form only (`/path?query`); an absolute or authority form names another server.
    let path_and_query = uri
        .path_and_query()
        .filter(|_| uri.scheme().is_none() && uri.authority().is_none())
        .filter(|target| target.as_str().starts_with('/'));
    let Some(path_and_query) = path_and_query else {
        return (Page::bad_request("the request is malformed"), None);
    };
    // A page of another site reaching this port through a name of its own (DNS rebinding)
    // names that site in Host; browsers following the redirect name this address.
    let mut hosts = headers.get_all(HOST).iter();
    let host_ok = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host
            .to_str()
            .is_ok_and(|host| target.is_our_authority(host.trim())),
        _ => false,
    };
    if !host_ok {
        return (
            Page::bad_request("the request is for another address"),
            None,
        );
    }
    if uri.path() != target.redirect_uri.path() {
        return (Page::not_found(), None);
    }
    if method != Method::GET {
        return (Page::method_not_allowed(), None);
    }
    // Rebuilt on the redirect URI's own address whichever name the browser used, so it
    // matches the redirect URI the attempt was started with.
    let full = format!("http://127.0.0.1:{}{path_and_query}", target.port);
    let callback = match parse_callback(&full, &target.redirect_uri) {
        Ok(callback) => callback,
        Err(err) => {
            let reason = format!("this is not a valid sign-in answer: {err}");
            return (Page::bad_request(&reason), None);
        }
    };
    let state = callback.state().as_bytes();
    if !bool::from(state.ct_eq(target.expected_state.as_bytes())) {
        // Not this attempt's answer (a stale tab, or another local process guessing): the
        // real one may still come.
        let reason = "this is not the answer to the sign-in Telltale is waiting for";
        return (Page::bad_request(reason), None);
    }
    let page = match &callback {
        Callback::Code { .. } => Page::received(),
        Callback::Denied { .. } => Page::declined(),
        Callback::ProviderError { error, .. } => Page::provider_error(error),
    };
    (page, Some(full))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;
    use hyper::StatusCode;

    fn target() -> Target {
        let uri = Url::parse("http://127.0.0.1:4321/oauth/callback/igtimi").expect("url");
        Target::new(uri, 4321, "s".into())
    }

    fn answer(method: &str, target_uri: &str, hosts: &[&str]) -> (StatusCode, Option<String>) {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let uri: Uri = target_uri.parse().expect("uri");
        let mut headers = HeaderMap::new();
        for host in hosts {
            headers.append(HOST, HeaderValue::from_str(host).expect("header"));
        }
        let (page, callback) = route(&method, &uri, &headers, &target());
        (page.status, callback)
    }

    fn get(target_uri: &str) -> (StatusCode, Option<String>) {
        answer("GET", target_uri, &["127.0.0.1:4321"])
    }

    #[test]
    fn only_this_attempts_answer_at_the_callback_path_is_taken() {
        let path = "/oauth/callback/igtimi";
        assert_eq!(
            get(&format!("{path}?code=c&state=s")),
            (
                StatusCode::OK,
                Some(format!("http://127.0.0.1:4321{path}?code=c&state=s"))
            )
        );
        assert_eq!(
            get(&format!("{path}?error=access_denied&state=s")).0,
            StatusCode::OK
        );
        for refused in [
            "?code=c&state=t",
            "?code=c&state=",
            "?code=c",
            "?code=c&state=ss",
        ] {
            assert_eq!(
                get(&format!("{path}{refused}")),
                (StatusCode::BAD_REQUEST, None),
                "{refused}"
            );
        }
        for elsewhere in [
            "/oauth/callback?code=c&state=s",
            "/oauth/callback/igtimi/?code=c&state=s",
            "/oauth/callback/other?code=c&state=s",
            "/favicon.ico",
        ] {
            assert_eq!(get(elsewhere), (StatusCode::NOT_FOUND, None), "{elsewhere}");
        }
    }

    #[test]
    fn method_host_and_form_are_checked() {
        let right = "/oauth/callback/igtimi?code=c&state=s";
        assert_eq!(
            answer("POST", right, &["127.0.0.1:4321"]),
            (StatusCode::METHOD_NOT_ALLOWED, None)
        );
        assert_eq!(
            answer("GET", right, &["LocalHost:4321"]).0,
            StatusCode::OK,
            "localhost is this address too"
        );
        for hosts in [
            &["evil.example:4321"][..],
            &["127.0.0.1"],
            &["127.0.0.1:4322"],
            &[],
            &["127.0.0.1:4321", "evil.example"],
        ] {
            assert_eq!(
                answer("GET", right, hosts),
                (StatusCode::BAD_REQUEST, None),
                "{hosts:?}"
            );
        }
        for form in [
            "http://127.0.0.1:4321/oauth/callback/igtimi?code=c&state=s",
            "127.0.0.1:4321",
            "*",
        ] {
            assert_eq!(
                answer("GET", form, &["127.0.0.1:4321"]),
                (StatusCode::BAD_REQUEST, None),
                "{form}"
            );
        }
    }

    #[test]
    fn the_callback_url_is_rebuilt_on_the_redirect_address() {
        let (status, callback) = answer(
            "GET",
            "/oauth/callback/igtimi?code=c&state=s",
            &["localhost:4321"],
        );
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            callback.as_deref(),
            Some("http://127.0.0.1:4321/oauth/callback/igtimi?code=c&state=s")
        );
    }
}
