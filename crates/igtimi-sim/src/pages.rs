//! HTML the simulator serves to people: sign-in, consent, out-of-band code and error pages.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A full page around `body` (already HTML). `title` is text.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} · Igtimi</title><style>{STYLE}</style></head>\
<body><main><header class=\"brand\">Igtimi</header>{body}</main></body></html>\n",
        title = escape(title),
    )
}

/// An error page for problems that must not be redirected (unknown client, bad redirect URI).
pub fn error_page(status: StatusCode, heading: &str, detail: &str) -> Response {
    let body = format!(
        "<h1>{}</h1><p class=\"error\" id=\"error_description\">{}</p>",
        escape(heading),
        escape(detail)
    );
    (status, Html(page(heading, &body))).into_response()
}

const STYLE: &str =
    "body{font-family:system-ui,sans-serif;background:#f3f6f9;color:#17202a;margin:0}\
main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:.5rem;\
box-shadow:0 1px 4px rgba(0,0,0,.15)}.brand{font-weight:700;color:#0b5394;margin-bottom:1rem}\
label{display:block;margin:.8rem 0 .3rem}input[type=email],input[type=password],input[type=text]\
{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}button{margin-top:1rem;\
padding:.5rem 1.2rem;font-size:1rem;margin-right:.5rem}.error{color:#a61b1b}\
code{word-break:break-all;font-size:1.1rem}";
