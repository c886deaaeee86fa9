//! Completing an approved authorize request: a code or (implicit grant) a token, sent to
//! the redirect URI or shown on the out-of-band page.

use super::authorize::{AuthorizeRequest, ResponseType};
use super::redirect::{out_of_band_page, Delivery};
use crate::server::AppState;
use crate::store::{AuthCode, Origin};
use crate::world::Dialect;
use axum::response::Response;

/// Issues the code or token for `user_id` and answers the browser.
pub fn complete(state: &AppState, request: &AuthorizeRequest, user_id: u64) -> Response {
    let now = state.clock.now_secs();
    let dest = &request.destination;
    let state_param = request.state.as_deref();
    match request.response_type {
        ResponseType::Code => {
            let lifetime = i64::try_from(state.config.code_lifetime_secs).unwrap_or(i64::MAX);
            let code = state.store.insert_code(AuthCode {
                user_id,
                client_id: request.client.client_id.clone(),
                redirect_uri: dest.uri.clone(),
                scope: request.scope.clone(),
                pkce: request.pkce.clone(),
                expires_at: now.saturating_add(lifetime),
                state: request.state.clone(),
                used: false,
                issued: Vec::new(),
            });
            let name = match request.client.dialect {
                Dialect::Igtimi => "code",
                Dialect::Iternio => "auth_code",
            };
            let mut pairs = vec![(name, code.as_str())];
            if let Some(s) = state_param {
                pairs.push(("state", s));
            }
            dest.redirect(Delivery::Query, &pairs).unwrap_or_else(|| {
                out_of_band_page(
                    &code,
                    "Copy this code into the application. It works once and expires soon.",
                )
            })
        }
        ResponseType::Token => {
            let issued = state.store.issue(
                state.config.token_lifetime,
                now,
                user_id,
                &request.client.client_id,
                &request.scope,
                Origin::Implicit,
            );
            let expires_in = issued.expires_in.map(|s| s.to_string());
            let mut pairs = vec![
                ("access_token", issued.access_token.as_str()),
                ("token_type", "Bearer"),
            ];
            if let Some(s) = state_param {
                pairs.push(("state", s));
            }
            if let Some(e) = &expires_in {
                pairs.push(("expires_in", e));
            }
            pairs.push(("scope", issued.scope.as_str()));
            dest.redirect(Delivery::Fragment, &pairs)
                .unwrap_or_else(|| {
                    out_of_band_page(
                        &issued.access_token,
                        "This is an access token: copy it into the application.",
                    )
                })
        }
    }
}
