//! The loopback listener's tiny HTTP/1.1 server: one request per connection, read within
//! bounds, answered with a short HTML page and closed.

use super::{LOOPBACK_CALLBACK_PATH, MAX_REQUEST_BYTES, REQUEST_TIMEOUT};
use crate::{parse_callback, Callback};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

/// Answers one connection. `Some(url)` when it carried a well-formed sign-in answer to
/// `redirect_uri` (the browser has then been told so).
pub(super) async fn serve(mut stream: TcpStream, redirect_uri: Url) -> Option<String> {
    let served = tokio::time::timeout(REQUEST_TIMEOUT, async {
        let (page, callback) = match read_head(&mut stream).await {
            Head::Complete(head) => route(&head, &redirect_uri),
            Head::TooLarge => (Page::too_large(), None),
            Head::Broken => return None,
        };
        page.send(&mut stream).await.ok()?;
        callback
    })
    .await;
    served.ok().flatten()
}

/// What reading a request head gave.
enum Head {
    /// The request line and headers, without the blank line.
    Complete(String),
    /// Longer than [`MAX_REQUEST_BYTES`].
    TooLarge,
    /// Closed early, unreadable or not text.
    Broken,
}

async fn read_head(stream: &mut TcpStream) -> Head {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        if let Some(end) = find_blank_line(&buffer) {
            if end > MAX_REQUEST_BYTES {
                return Head::TooLarge;
            }
            return match String::from_utf8(buffer[..end].to_vec()) {
                Ok(head) => Head::Complete(head),
                Err(_) => Head::Broken,
            };
        }
        if buffer.len() > MAX_REQUEST_BYTES {
            return Head::TooLarge;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return Head::Broken,
            Ok(read) => buffer.extend_from_slice(chunk.get(..read).unwrap_or_default()),
        }
    }
}

fn find_blank_line(buffer: &[u8]) -> Option<usize> {
    buffer.windows(4).position(|window| window == b"\r\n\r\n")
}

/// The page for a request head, and the callback URL when it is a sign-in answer.
fn route(head: &str, redirect_uri: &Url) -> (Page, Option<String>) {
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return (Page::bad_request("the request is malformed"), None);
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return (Page::bad_request("the request is malformed"), None);
    }
    let authority = match redirect_uri.port() {
        Some(port) => format!("127.0.0.1:{port}"),
        None => "127.0.0.1".to_string(),
    };
    // A page of another site reaching this port through a name of its own (DNS rebinding)
    // names that site in Host; browsers following the redirect name this address.
    let host_ok = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .is_some_and(|(_, value)| value.trim() == authority);
    if !host_ok {
        return (
            Page::bad_request("the request is for another address"),
            None,
        );
    }
    let full = format!("http://{authority}{target}");
    let path_is_callback = Url::parse(&full).is_ok_and(|url| url.path() == LOOPBACK_CALLBACK_PATH);
    if !path_is_callback {
        return (Page::not_found(), None);
    }
    if method != "GET" {
        return (Page::method_not_allowed(), None);
    }
    match parse_callback(&full, redirect_uri) {
        Ok(Callback::Code { .. }) => (Page::received(), Some(full)),
        Ok(Callback::Denied { .. }) => (Page::declined(), Some(full)),
        Ok(Callback::ProviderError { error, .. }) => (Page::provider_error(&error), Some(full)),
        Err(err) => (
            Page::bad_request(&format!("this is not a valid sign-in answer: {err}")),
            None,
        ),
    }
}

/// A status line and a short page.
struct Page {
    status: &'static str,
    title: &'static str,
    text: String,
}

impl Page {
    fn received() -> Page {
        Page {
            status: "200 OK",
            title: "Signed in to Telltale",
            text: "You are signed in to Telltale; you can close this tab and go back to the app."
                .into(),
        }
    }

    fn declined() -> Page {
        Page {
            status: "200 OK",
            title: "Sign-in cancelled",
            text: "You declined the sign-in, so Telltale is not signed in. You can close this tab."
                .into(),
        }
    }

    fn provider_error(error: &str) -> Page {
        Page {
            status: "200 OK",
            title: "Sign-in failed",
            text: format!(
                "The sign-in server reported a problem ({error}). You can close this tab and try again in Telltale."
            ),
        }
    }

    fn bad_request(reason: &str) -> Page {
        Page {
            status: "400 Bad Request",
            title: "Not a sign-in answer",
            text: format!("Telltale cannot use this request: {reason}."),
        }
    }

    fn too_large() -> Page {
        Page {
            status: "431 Request Header Fields Too Large",
            title: "Request too large",
            text: "This request is too large for Telltale's sign-in page.".into(),
        }
    }

    fn not_found() -> Page {
        Page {
            status: "404 Not Found",
            title: "Not found",
            text: "Telltale's sign-in page has nothing at this address.".into(),
        }
    }

    fn method_not_allowed() -> Page {
        Page {
            status: "405 Method Not Allowed",
            title: "Not a sign-in answer",
            text: "Telltale's sign-in page only takes the browser's return from the sign-in."
                .into(),
        }
    }

    /// Writes the response and closes the connection.
    async fn send(&self, stream: &mut TcpStream) -> std::io::Result<()> {
        let body = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <style>body{{font:16px/1.5 system-ui,sans-serif;margin:3em auto;max-width:34em;padding:0 1em}}</style>\
             </head><body><h1>{title}</h1><p>{text}</p></body></html>\n",
            title = escape(self.title),
            text = escape(&self.text),
        );
        let allow = if self.status.starts_with("405") {
            "Allow: GET\r\n"
        } else {
            ""
        };
        let response = format!(
            "HTTP/1.1 {status}\r\n\
             Content-Type: text/html; charset=utf-8\r\n\
             Content-Length: {length}\r\n\
             Cache-Control: no-store\r\n\
             Referrer-Policy: no-referrer\r\n\
             X-Content-Type-Options: nosniff\r\n\
             Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n\
             {allow}Connection: close\r\n\r\n{body}",
            status = self.status,
            length = body.len(),
        );
        stream.write_all(response.as_bytes()).await?;
        stream.shutdown().await
    }
}

/// Text made safe inside HTML.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect() -> Url {
        Url::parse("http://127.0.0.1:4321/oauth/callback").expect("url")
    }

    fn status_of(head: &str) -> (&'static str, bool) {
        let (page, callback) = route(head, &redirect());
        (page.status, callback.is_some())
    }

    #[test]
    fn requests_are_routed_by_path_method_host_and_shape() {
        let host = "Host: 127.0.0.1:4321";
        let get = |target: &str| format!("GET {target} HTTP/1.1\r\n{host}");
        assert_eq!(
            status_of(&get("/oauth/callback?code=c&state=s")),
            ("200 OK", true)
        );
        assert_eq!(
            status_of(&get("/oauth/callback?error=access_denied&state=s")),
            ("200 OK", true)
        );
        assert_eq!(status_of(&get("/favicon.ico")), ("404 Not Found", false));
        assert_eq!(
            status_of(&get("/oauth/callback?code=c")),
            ("400 Bad Request", false)
        );
        assert_eq!(
            status_of(&format!(
                "POST /oauth/callback?code=c&state=s HTTP/1.1\r\n{host}"
            )),
            ("405 Method Not Allowed", false)
        );
        assert_eq!(
            status_of("GET /oauth/callback?code=c&state=s HTTP/1.1\r\nHost: evil.example:4321"),
            ("400 Bad Request", false)
        );
        assert_eq!(
            status_of("GET /oauth/callback?code=c&state=s HTTP/1.1"),
            ("400 Bad Request", false)
        );
        assert_eq!(status_of("nonsense"), ("400 Bad Request", false));
        assert_eq!(
            status_of(&format!("GET http://x/ HTTP/1.1\r\n{host}")),
            ("400 Bad Request", false)
        );
    }

    #[test]
    fn the_callback_url_is_rebuilt_on_this_address() {
        let head = "GET /oauth/callback?code=c&state=s HTTP/1.1\r\nhost:  127.0.0.1:4321 ";
        let (_, callback) = route(head, &redirect());
        assert_eq!(
            callback.as_deref(),
            Some("http://127.0.0.1:4321/oauth/callback?code=c&state=s")
        );
    }

    #[test]
    fn pages_escape_what_they_quote() {
        assert_eq!(
            escape("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
    }
}
