//! The REST API under `/api/v1/`. SKELETON.

pub mod method_override;

use crate::server::Shared;
use axum::Router;

pub fn router() -> Router<Shared> {
    Router::new()
}
