//! The authorize endpoint's handlers: `GET` shows sign-in or consent (or completes at once
//! for an approved app), `POST` takes the consent decision.

use super::authorize::{self, AuthorizeRequest};
use super::complete::complete;
use super::consent::{self, CSRF_FIELD};
use super::fields::Fields;
use super::{session, signin};
use crate::pages::error_page;
use crate::server::Shared;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;

/// `GET /oauth/authorize` (and the Iternio path).
pub async fn show(State(state): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let fields = Fields::from_query(uri.query());
    let request = match authorize::validate(&state, &fields) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let Some(signed_in) = session::current(&state, &headers) else {
        return sign_in_first(&request, uri.path(), &state);
    };
    if state
        .store
        .is_approved(signed_in.user.id, &request.client.client_id)
    {
        return complete(&state, &request, signed_in.user.id);
    }
    consent::page_for(
        &request,
        &signed_in.user,
        &session::csrf_token(&signed_in.session_id),
        uri.path(),
    )
}

/// `POST /oauth/authorize` (and the Iternio path): the consent form's Authorize or Deny.
pub async fn decide(
    State(state): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = match Fields::from_form(&headers, &body) {
        Ok(f) => f,
        Err(e) => return error_page(StatusCode::BAD_REQUEST, "Invalid request", &e),
    };
    let request = match authorize::validate(&state, &fields) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let Some(signed_in) = session::current(&state, &headers) else {
        return sign_in_first(&request, uri.path(), &state);
    };
    let token = fields.one(CSRF_FIELD).ok().flatten();
    if !session::csrf_matches(&signed_in.session_id, token) {
        return error_page(
            StatusCode::FORBIDDEN,
            "Request expired",
            "The form's authenticity token is missing or invalid. Open the application's sign-in link again.",
        );
    }
    let delivery = request.response_type.delivery();
    match fields.one("commit") {
        Ok(Some("Authorize")) => {
            state
                .store
                .approve(signed_in.user.id, &request.client.client_id);
            complete(&state, &request, signed_in.user.id)
        }
        Ok(Some("Deny")) => request.destination.error(
            delivery,
            "access_denied",
            "The user denied the request",
            request.state.as_deref(),
        ),
        _ => request.destination.error(
            delivery,
            "invalid_request",
            "commit must be Authorize or Deny",
            request.state.as_deref(),
        ),
    }
}

/// The sign-in form, returning to this authorize request afterwards; with the hostile
/// script when the configuration asks for it.
fn sign_in_first(request: &AuthorizeRequest, path: &str, state: &Shared) -> Response {
    let return_to = format!("{path}?{}", request.query_string());
    let extra = hostile_markup(state);
    signin::form_with(
        StatusCode::OK,
        signin::safe_return_to(&return_to),
        Some(&request.client.name),
        "",
        None,
        &extra,
    )
}

/// The script of [`crate::hostile`] when the configuration asks for it.
#[cfg(feature = "testing")]
fn hostile_markup(state: &Shared) -> String {
    match state.config.hostile_sign_in_page {
        true => crate::hostile::markup(),
        false => String::new(),
    }
}

/// Builds without `testing` (the app's demo server) have no hostile page.
#[cfg(not(feature = "testing"))]
fn hostile_markup(_: &Shared) -> String {
    String::new()
}
