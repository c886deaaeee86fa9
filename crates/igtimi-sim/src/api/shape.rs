//! JSON shapes shared by several endpoints: users, groups, permissions and times.

use crate::world::{Group, User};
use serde_json::{json, Value};

/// Igtimi's times: milliseconds since the epoch, as a float (`1750500000000.0`).
pub fn ms(t: i64) -> Value {
    json!(t as f64)
}

/// `{"read": .., "modify": ..}`.
pub fn permissions(read: bool, modify: bool) -> Value {
    json!({ "read": read, "modify": modify })
}

/// A user's public fields.
pub fn user(u: &User) -> Value {
    json!({
        "id": u.id,
        "first_name": u.first_name,
        "surname": u.surname,
        "email": u.email,
    })
}

/// A group as `viewer` sees it (modify for its owner).
pub fn group(g: &Group, viewer: u64) -> Value {
    json!({
        "id": g.id,
        "name": g.name,
        "permissions": permissions(true, g.owner_id == viewer),
        "hidden": g.hidden,
        "blob": false,
    })
}

/// Wraps each item in a singular key: `{"<plural>": [{"<singular>": item}, ..]}`.
pub fn list(plural: &str, singular: &str, items: impl IntoIterator<Item = Value>) -> Value {
    let wrapped: Vec<Value> = items
        .into_iter()
        .map(|item| json!({ singular: item }))
        .collect();
    json!({ plural: wrapped })
}
