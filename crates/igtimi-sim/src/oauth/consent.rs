//! The consent page: the user approves or denies an application's request.

use super::authorize::AuthorizeRequest;
use super::scope;
use super::signin::form_headers;
use super::SIGN_OUT_PATH;
use crate::pages::{escape, page};
use crate::world::User;
use axum::response::{Html, IntoResponse, Response};

/// The name of the hidden field carrying the CSRF token.
pub const CSRF_FIELD: &str = "authenticity_token";

/// Renders the consent form, posting back to `action` (the authorize path requested).
pub fn page_for(request: &AuthorizeRequest, user: &User, csrf: &str, action: &str) -> Response {
    let name = escape(&request.client.name);
    let scopes: String = request
        .scope
        .split(' ')
        .map(|s| {
            format!(
                "<li><code>{}</code> {}</li>",
                escape(s),
                escape(scope::describe(s))
            )
        })
        .collect();
    let hidden: String = request
        .given
        .iter()
        .map(|(k, v)| hidden_input(k, v))
        .chain(std::iter::once(hidden_input(CSRF_FIELD, csrf)))
        .collect();
    let body = format!(
        "<h1>Authorize {name}?</h1>\
<p id=\"consent_text\">{name} wants to access your Igtimi account</p>\
<p>It asks for the scope <strong id=\"scope\">{scope}</strong>:</p><ul id=\"scopes\">{scopes}</ul>\
<form method=\"post\" action=\"{action}\" id=\"consent\">{hidden}\
<button type=\"submit\" name=\"commit\" value=\"Authorize\" id=\"authorize\">Authorize</button>\
<button type=\"submit\" name=\"commit\" value=\"Deny\" id=\"deny\">Deny</button></form>\
<p class=\"who\">Signed in as {email}. <a href=\"{SIGN_OUT_PATH}\">Not you?</a></p>",
        scope = escape(&request.scope),
        action = escape(action),
        email = escape(&user.email),
    );
    (
        form_headers(),
        Html(page(&format!("Authorize {}", request.client.name), &body)),
    )
        .into_response()
}

fn hidden_input(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        escape(name),
        escape(value)
    )
}
