//! Igtimi's OAuth2 authorization server. SKELETON.

use crate::server::Shared;
use axum::Router;

pub fn router() -> Router<Shared> {
    Router::new()
}
