//! `GET sessions` and `GET sessions/{id}`; the logs are in [`super::logs`].

use super::auth::ApiCall;
use super::error::{ApiError, ApiResult};
use super::query::{get_bool, id_list, path_id};
use super::shape;
use crate::server::Shared;
use crate::world::{Session, World};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

/// A session's documented fields as `viewer` sees them. `ou` (the organisation a session is
/// published under) is the group's name for public sessions and null otherwise.
pub fn session_json(world: &World, s: &Session, viewer: u64) -> Value {
    let ou = s
        .public
        .then(|| world.groups.iter().find(|g| g.id == s.session_group_id))
        .flatten()
        .map(|g| g.name.clone());
    json!({
        "id": s.id,
        "name": s.name,
        "start_time": shape::ms(s.start_ms),
        "end_time": s.end_ms.map(shape::ms),
        "owner_id": s.owner_id,
        "session_group_id": s.session_group_id,
        "admin_session_group_id": s.admin_session_group_id,
        "parent_session_id": s.parent_session_id,
        "ou": ou,
        "permissions": shape::permissions(true, s.owner_id == viewer),
        "blob": false,
    })
}

/// The session `raw` names, if the viewer may read it: 404 when there is none, 401 (Igtimi's
/// quirk) when it exists but is not readable.
pub fn readable_session<'w>(world: &'w World, viewer: u64, raw: &str) -> ApiResult<&'w Session> {
    let id = path_id("session", raw)?;
    let session = world
        .sessions
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| ApiError::NotFound(format!("No session with id {id}")))?;
    if world.can_read_session(viewer, session) {
        Ok(session)
    } else {
        Err(ApiError::SessionForbidden(id))
    }
}

/// `GET sessions`: readable sessions, newest first. `ids[]` picks sessions, `public=true|false`
/// filters on publication, `include_incomplete=true` adds sessions without an end time
/// (left out by default), `limit` keeps the first N.
pub async fn sessions(State(state): State<Shared>, call: ApiCall) -> ApiResult<Json<Value>> {
    let world = &state.world;
    let viewer = call.user_id();
    let ids = id_list(&call.params, "ids")?;
    let public = get_bool(&call.params, "public")?;
    let incomplete = get_bool(&call.params, "include_incomplete")?.unwrap_or(false);
    let limit = match call.params.get("limit") {
        None => None,
        Some(v) => Some(v.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
            ApiError::bad(format!(
                "Parameter limit must be a positive whole number, got {v:?}"
            ))
        })?),
    };
    let mut found: Vec<&Session> = world
        .sessions
        .iter()
        .filter(|s| world.can_read_session(viewer, s))
        .filter(|s| ids.is_empty() || ids.contains(&s.id))
        .filter(|s| public.is_none_or(|p| s.public == p))
        .filter(|s| incomplete || s.end_ms.is_some())
        .collect();
    found.sort_by_key(|s| (std::cmp::Reverse(s.start_ms), s.id));
    if let Some(limit) = limit {
        found.truncate(limit);
    }
    Ok(Json(shape::list(
        "sessions",
        "session",
        found.into_iter().map(|s| session_json(world, s, viewer)),
    )))
}

/// `GET sessions/{id}`.
pub async fn session(
    State(state): State<Shared>,
    Path(id): Path<String>,
    call: ApiCall,
) -> ApiResult<Json<Value>> {
    let viewer = call.user_id();
    let s = readable_session(&state.world, viewer, &id)?;
    Ok(Json(
        json!({ "session": session_json(&state.world, s, viewer) }),
    ))
}
