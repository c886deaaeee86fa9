//! The sign-in form (`/users/sign_in`, as Igtimi's posts) and sign-out.

use super::fields::Fields;
use super::redirect::found;
use super::{session, AUTHORIZE_PATH, ITERNIO_AUTHORIZE_PATH, SIGN_IN_PATH, SIGN_OUT_PATH};
use crate::pages::{escape, page};
use crate::server::Shared;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};

/// Headers of every page with a form: not cached, not framed (clickjacking).
pub fn form_headers() -> [(header::HeaderName, HeaderValue); 3] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        ),
    ]
}

/// `return_to` when it is a local authorize URL, `None` otherwise (no open redirect).
pub fn safe_return_to(candidate: &str) -> Option<&str> {
    let clean = !candidate
        .chars()
        .any(|c| c.is_control() || c == '\\' || c == '#');
    let local = [AUTHORIZE_PATH, ITERNIO_AUTHORIZE_PATH].iter().any(|path| {
        candidate
            .strip_prefix(path)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('?'))
    });
    (clean && local).then_some(candidate)
}

/// The sign-in form. `app` names the application being authorized, `email` is kept after a
/// failed attempt, `error` is shown above the form.
pub fn form(
    status: StatusCode,
    return_to: Option<&str>,
    app: Option<&str>,
    email: &str,
    error: Option<&str>,
) -> Response {
    form_with(status, return_to, app, email, error, "")
}

/// [`form`] with `extra` (HTML, trusted) appended after the form.
pub fn form_with(
    status: StatusCode,
    return_to: Option<&str>,
    app: Option<&str>,
    email: &str,
    error: Option<&str>,
    extra: &str,
) -> Response {
    let mut body = String::from("<h1>Sign in</h1>");
    if let Some(app) = app {
        body += &format!("<p class=\"notice\">to continue to {}</p>", escape(app));
    }
    if let Some(error) = error {
        body += &format!(
            "<p class=\"error\" id=\"error_explanation\">{}</p>",
            escape(error)
        );
    }
    body += &format!(
        "<form method=\"post\" action=\"{SIGN_IN_PATH}\" id=\"new_user\">\
<label for=\"user_email\">Email</label>\
<input type=\"email\" name=\"user[email]\" id=\"user_email\" value=\"{}\" autocomplete=\"email\" required autofocus>\
<label for=\"user_password\">Password</label>\
<input type=\"password\" name=\"user[password]\" id=\"user_password\" autocomplete=\"current-password\" required>",
        escape(email)
    );
    if let Some(return_to) = return_to {
        body += &format!(
            "<input type=\"hidden\" name=\"return_to\" value=\"{}\">",
            escape(return_to)
        );
    }
    body += "<button type=\"submit\" name=\"commit\" value=\"Sign in\" id=\"sign_in\">Sign in</button></form>";
    body += extra;
    (status, form_headers(), Html(page("Sign in", &body))).into_response()
}

/// `GET /users/sign_in[?return_to=..]`: the form on its own.
pub async fn show(uri: Uri) -> Response {
    let fields = Fields::from_query(uri.query());
    let return_to = fields
        .one("return_to")
        .ok()
        .flatten()
        .and_then(safe_return_to);
    form(StatusCode::OK, return_to, None, "", None)
}

/// `POST /users/sign_in`: checks the credentials, starts a session and goes back to the
/// authorize request.
pub async fn submit(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let fields = match Fields::from_form(&headers, &body) {
        Ok(f) => f,
        Err(e) => return form(StatusCode::BAD_REQUEST, None, None, "", Some(&e)),
    };
    let return_to = fields
        .one("return_to")
        .ok()
        .flatten()
        .and_then(safe_return_to);
    let (email, password) = match (fields.one("user[email]"), fields.one("user[password]")) {
        (Ok(Some(e)), Ok(Some(p))) => (e, p),
        (email, _) => {
            let email = email.ok().flatten().unwrap_or("");
            return form(
                StatusCode::BAD_REQUEST,
                return_to,
                None,
                email,
                Some("Enter your email and password."),
            );
        }
    };
    let user = state
        .world
        .user_by_email(email)
        .filter(|u| u.password_matches(password));
    let Some(user) = user else {
        return form(
            StatusCode::UNAUTHORIZED,
            return_to,
            None,
            email,
            Some("Invalid email or password."),
        );
    };
    // A fresh session id on every sign-in; any session the browser had ends.
    for old in session::all_ids(&headers) {
        state.store.end_browser_session(&old);
    }
    let sid = state.store.start_browser_session(user.id);
    let cookie = [(header::SET_COOKIE, session::set_cookie(&sid))];
    match return_to {
        Some(target) => (cookie, found(target)).into_response(),
        None => {
            let body = format!(
                "<h1>Signed in</h1><p id=\"signed_in\">Signed in as {}.</p>\
<p><a href=\"{SIGN_OUT_PATH}\">Sign out</a></p>",
                escape(&user.email)
            );
            (cookie, form_headers(), Html(page("Signed in", &body))).into_response()
        }
    }
}

/// `GET|POST /users/sign_out`: ends the browser session.
pub async fn sign_out(State(state): State<Shared>, headers: HeaderMap) -> Response {
    for sid in session::all_ids(&headers) {
        state.store.end_browser_session(&sid);
    }
    let body = "<h1>Signed out</h1><p id=\"signed_out\">You are signed out.</p>";
    (
        [(header::SET_COOKIE, session::clear_cookie())],
        form_headers(),
        Html(page("Signed out", body)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_to_must_be_a_local_authorize_url() {
        assert!(safe_return_to("/oauth/authorize?client_id=x").is_some());
        assert!(safe_return_to("/oauth/authorize").is_some());
        assert!(safe_return_to("/iternio/1/oauth/authorize?a=b").is_some());
        assert!(safe_return_to("/oauth/authorizex").is_none());
        assert!(safe_return_to("https://evil.example/oauth/authorize").is_none());
        assert!(safe_return_to("//evil.example/oauth/authorize").is_none());
        assert!(safe_return_to("/oauth/authorize?\r\nSet-Cookie:x").is_none());
        assert!(safe_return_to("/api/v1/account").is_none());
    }
}
