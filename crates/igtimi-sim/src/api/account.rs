//! `account`, `users`, `users/{id}`, `groups` and `groups/{id}`.

use super::auth::ApiCall;
use super::error::{ApiError, ApiResult};
use super::query::path_id;
use super::shape;
use crate::server::Shared;
use crate::world::{User, World};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

/// `GET account`: the token's own user.
pub async fn account(State(state): State<Shared>, call: ApiCall) -> ApiResult<Json<Value>> {
    let user = state
        .world
        .user(call.user_id())
        .ok_or_else(|| ApiError::NotFound("The token's user no longer exists".into()))?;
    Ok(Json(json!({ "user": shape::user(user) })))
}

/// The users `viewer` may see: themself and the members of their groups, by id.
fn visible_users(world: &World, viewer: u64) -> Vec<&User> {
    let groups = world
        .user(viewer)
        .map(|u| u.group_ids.as_slice())
        .unwrap_or(&[]);
    let mut users: Vec<&User> = world
        .users
        .iter()
        .filter(|u| u.id == viewer || u.group_ids.iter().any(|g| groups.contains(g)))
        .collect();
    users.sort_by_key(|u| u.id);
    users
}

/// `GET users`: the caller and everyone sharing a group with them.
pub async fn users(State(state): State<Shared>, call: ApiCall) -> Json<Value> {
    let users = visible_users(&state.world, call.user_id());
    Json(shape::list(
        "users",
        "user",
        users.into_iter().map(shape::user),
    ))
}

/// `GET users/{id}`: one visible user, else 404.
pub async fn user(
    State(state): State<Shared>,
    Path(id): Path<String>,
    call: ApiCall,
) -> ApiResult<Json<Value>> {
    let id = path_id("user", &id)?;
    visible_users(&state.world, call.user_id())
        .into_iter()
        .find(|u| u.id == id)
        .map(|u| Json(json!({ "user": shape::user(u) })))
        .ok_or_else(|| ApiError::NotFound(format!("No user with id {id}")))
}

/// `GET groups`: the groups the caller belongs to.
pub async fn groups(State(state): State<Shared>, call: ApiCall) -> Json<Value> {
    let viewer = call.user_id();
    let mine = state
        .world
        .user(viewer)
        .map(|u| u.group_ids.clone())
        .unwrap_or_default();
    let groups = state
        .world
        .groups
        .iter()
        .filter(|g| mine.contains(&g.id))
        .map(|g| shape::group(g, viewer));
    Json(shape::list("groups", "group", groups))
}

/// `GET groups/{id}`: one of the caller's groups, else 404.
pub async fn group(
    State(state): State<Shared>,
    Path(id): Path<String>,
    call: ApiCall,
) -> ApiResult<Json<Value>> {
    let id = path_id("group", &id)?;
    let viewer = call.user_id();
    let member = state
        .world
        .user(viewer)
        .is_some_and(|u| u.group_ids.contains(&id));
    state
        .world
        .groups
        .iter()
        .find(|g| g.id == id && (member || g.owner_id == viewer))
        .map(|g| Json(json!({ "group": shape::group(g, viewer) })))
        .ok_or_else(|| ApiError::NotFound(format!("No group with id {id}")))
}
