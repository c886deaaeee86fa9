//! `_method=GET` in a POSTed form turns the request into a GET with those parameters, as
//! Igtimi allows for long filters. Runs before routing.

use crate::params::{is_form, MAX_FORM_BYTES};
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Middleware: rewrites `POST` + form `_method=GET` into `GET` with the form in the query.
pub async fn layer(req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !is_form(req.headers().get(header::CONTENT_TYPE)) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let bytes = match to_bytes(body, MAX_FORM_BYTES).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "form body too large").into_response(),
    };
    let overrides = form_urlencoded::parse(&bytes)
        .any(|(k, v)| k == "_method" && v.eq_ignore_ascii_case("GET"));
    if !overrides {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    let body_query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form_urlencoded::parse(&bytes).filter(|(k, _)| k != "_method"))
        .finish();
    let query = match parts.uri.query() {
        Some(q) if !q.is_empty() => format!("{q}&{body_query}"),
        _ => body_query,
    };
    let path_and_query = format!("{}?{}", parts.uri.path(), query);
    match path_and_query.parse::<Uri>() {
        Ok(uri) => parts.uri = uri,
        Err(_) => return (StatusCode::BAD_REQUEST, "bad request URI").into_response(),
    }
    parts.method = Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    next.run(Request::from_parts(parts, Body::empty())).await
}
