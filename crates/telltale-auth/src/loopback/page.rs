//! The short pages the loopback listener shows the browser. They echo no code, state or
//! other value of the request, only the provider's error code (checked to be printable
//! ASCII by [`crate::parse_callback`]) and fixed text.

use hyper::header::{
    HeaderValue, ALLOW, CACHE_CONTROL, CONNECTION, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use hyper::{Response, StatusCode};

/// A status and a short page.
pub(super) struct Page {
    pub(super) status: StatusCode,
    title: &'static str,
    text: String,
}

impl Page {
    pub(super) fn received() -> Page {
        Page {
            status: StatusCode::OK,
            title: "Signed in to Telltale",
            text: "You are signed in to Telltale; you can close this tab and go back to the app."
                .into(),
        }
    }

    pub(super) fn declined() -> Page {
        Page {
            status: StatusCode::OK,
            title: "Sign-in cancelled",
            text: "You declined the sign-in, so Telltale is not signed in. You can close this tab."
                .into(),
        }
    }

    pub(super) fn provider_error(error: &str) -> Page {
        Page {
            status: StatusCode::OK,
            title: "Sign-in failed",
            text: format!(
                "The sign-in server reported a problem ({error}). You can close this tab and try again in Telltale."
            ),
        }
    }

    pub(super) fn bad_request(reason: &str) -> Page {
        Page {
            status: StatusCode::BAD_REQUEST,
            title: "Not a sign-in answer",
            text: format!("Telltale cannot use this request: {reason}."),
        }
    }

    pub(super) fn not_found() -> Page {
        Page {
            status: StatusCode::NOT_FOUND,
            title: "Not found",
            text: "Telltale's sign-in page has nothing at this address.".into(),
        }
    }

    pub(super) fn method_not_allowed() -> Page {
        Page {
            status: StatusCode::METHOD_NOT_ALLOWED,
            title: "Not a sign-in answer",
            text: "Telltale's sign-in page only takes the browser's return from the sign-in."
                .into(),
        }
    }

    /// The response: the page, kept out of caches and referrers, and the connection closed
    /// after it (one request per connection keeps the slot bookkeeping simple).
    pub(super) fn response(&self) -> Response<String> {
        let body = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <style>body{{font:16px/1.5 system-ui,sans-serif;margin:3em auto;max-width:34em;padding:0 1em}}</style>\
             </head><body><h1>{title}</h1><p>{text}</p></body></html>\n",
            title = escape(self.title),
            text = escape(&self.text),
        );
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        let fixed = [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
            (REFERRER_POLICY, "no-referrer"),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
            (CONNECTION, "close"),
        ];
        for (name, value) in fixed {
            headers.insert(name, HeaderValue::from_static(value));
        }
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            headers.insert(ALLOW, HeaderValue::from_static("GET"));
        }
        response
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

    #[test]
    fn pages_escape_what_they_quote() {
        assert_eq!(
            escape("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
        let page = Page::provider_error("<b>").response();
        assert!(page.body().contains("(&lt;b&gt;)"), "{}", page.body());
    }

    #[test]
    fn every_page_closes_the_connection_and_405_says_what_is_allowed() {
        let page = Page::method_not_allowed().response();
        assert_eq!(page.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(page.headers()[ALLOW], "GET");
        assert_eq!(page.headers()[CONNECTION], "close");
        let page = Page::not_found().response();
        assert!(page.headers().get(ALLOW).is_none());
        assert_eq!(page.headers()[CACHE_CONTROL], "no-store");
    }
}
