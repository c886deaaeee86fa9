//! The loopback-only admin endpoints under `/__admin/`. SKELETON.

use crate::server::Shared;
use axum::Router;

pub fn router() -> Router<Shared> {
    Router::new()
}
