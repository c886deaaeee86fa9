//! The missing-fields fault: the real answer with some JSON keys taken out, as a server
//! running another version of the API (or a half-migrated one) would send.

use super::bodies;
use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use serde_json::Value;

/// Sends the real answer without the keys named in `fields`, wherever they occur in it (at
/// any depth, in objects inside arrays too). With no names, every key of the top-level
/// object goes (the answer becomes `{}`). An answer that is not JSON is sent unchanged, and
/// so is one whose body could not be read.
pub async fn without_fields(response: Response, fields: &[String]) -> Response {
    let Some((mut parts, bytes)) = bodies::buffer(response).await else {
        return Response::new(bodies::abort_body());
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    strip(&mut value, fields);
    let Ok(text) = serde_json::to_vec(&value) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.remove(header::TRANSFER_ENCODING);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(text.len()));
    Response::from_parts(parts, Body::from(text))
}

/// Removes the keys in place (see [`without_fields`]).
pub fn strip(value: &mut Value, fields: &[String]) {
    if fields.is_empty() {
        if let Value::Object(map) = value {
            map.clear();
        }
        return;
    }
    remove_everywhere(value, fields);
}

fn remove_everywhere(value: &mut Value, fields: &[String]) {
    match value {
        Value::Object(map) => {
            map.retain(|key, _| !fields.iter().any(|f| f == key));
            map.values_mut()
                .for_each(|inner| remove_everywhere(inner, fields));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|inner| remove_everywhere(inner, fields)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn named_keys_go_at_every_depth() {
        let mut value = json!({
            "access_token": "a",
            "devices": [{"device": {"id": 1, "name": "Tern"}}, {"device": {"id": 2}}],
            "user": {"id": 7, "name": "Bob"}
        });
        strip(&mut value, &names(&["id", "access_token"]));
        assert_eq!(
            value,
            json!({
                "devices": [{"device": {"name": "Tern"}}, {"device": {}}],
                "user": {"name": "Bob"}
            })
        );
    }

    #[test]
    fn no_names_empty_the_top_level_object_only() {
        let mut value = json!({"user": {"id": 7}, "n": 1});
        strip(&mut value, &[]);
        assert_eq!(value, json!({}));
        let mut list = json!([{"id": 1}]);
        strip(&mut list, &[]);
        assert_eq!(list, json!([{"id": 1}]), "not an object: unchanged");
    }
}
