//! The other two seed systems: the username/password token API and the Iternio dialect. SKELETON.

use crate::server::Shared;
use axum::Router;

pub fn router() -> Router<Shared> {
    Router::new()
}
