//! The missing-fields fault (command line, admin endpoint, on the wire) and the request
//! counts the fault middleware keeps.

use super::{add_fault, iternio_token, plain_userinfo_body, setup, userinfo, USERINFO};
use igtimi_sim::{FaultKind, FaultRule};
use serde_json::{json, Value};

fn parsed(text: &str) -> FaultRule {
    text.parse()
        .unwrap_or_else(|e| panic!("{text:?} parses: {e}"))
}

fn missing(fields: &[&str]) -> FaultKind {
    FaultKind::MissingFields {
        fields: fields.iter().map(|f| f.to_string()).collect(),
    }
}

#[test]
fn the_text_form_names_keys_joined_by_plus() {
    assert_eq!(parsed("missing-fields").kind, missing(&[]));
    let rule = parsed("missing-fields:fields=access_token+expires_in,path=/oauth/,times=2");
    assert_eq!(rule.kind, missing(&["access_token", "expires_in"]));
    assert_eq!(rule.path_prefix.as_deref(), Some("/oauth/"));
    assert_eq!(rule.times, Some(2));
    for text in ["missing-fields", "missing-fields:fields=id+name,times=1"] {
        assert_eq!(parsed(text).to_string(), text, "round trip");
    }
    for (bad, says) in [
        ("missing-fields:fields=", "empty"),
        ("missing-fields:fields=a++b", "empty"),
        ("missing-fields:keys=a", "unknown option"),
    ] {
        let error = bad.parse::<FaultRule>().expect_err(bad).to_string();
        assert!(error.contains(says), "{bad}: {error}");
    }
    let many = (0..65)
        .map(|i| format!("k{i}"))
        .collect::<Vec<_>>()
        .join("+");
    let error = format!("missing-fields:fields={many}")
        .parse::<FaultRule>()
        .expect_err("too many keys")
        .to_string();
    assert!(error.contains("at most 64"), "{error}");
}

#[tokio::test]
async fn named_keys_are_removed_from_the_real_answer() {
    let (sim, http) = setup().await;
    let token = iternio_token(&sim);
    let plain: Value =
        serde_json::from_slice(&plain_userinfo_body(&sim, &http, &token).await).expect("JSON");
    let keys: Vec<String> = plain
        .as_object()
        .expect("user info is an object")
        .keys()
        .cloned()
        .collect();
    assert!(keys.len() >= 2, "{plain}");
    let gone = keys[0].clone();
    add_fault(
        &sim,
        &http,
        json!({"kind": "missing_fields", "fields": [gone], "path": USERINFO, "times": 1}),
    )
    .await;
    let response = userinfo(&sim, &http, &token).await.expect("answers");
    assert_eq!(response.status(), 200);
    let length = response.content_length();
    let bytes = response.bytes().await.expect("whole body");
    assert_eq!(length, Some(bytes.len() as u64), "the length is recomputed");
    let faulted: Value = serde_json::from_slice(&bytes).expect("still JSON");
    let mut expected = plain.clone();
    expected.as_object_mut().expect("object").remove(&gone);
    assert_eq!(faulted, expected);
    // Used up: whole again.
    let again: Value =
        serde_json::from_slice(&plain_userinfo_body(&sim, &http, &token).await).expect("JSON");
    assert_eq!(again, plain);
}

#[tokio::test]
async fn no_names_empties_the_object_and_errors_pass_unchanged() {
    let (sim, http) = setup().await;
    let token = iternio_token(&sim);
    add_fault(&sim, &http, json!("missing-fields:times=1")).await;
    let response = userinfo(&sim, &http, &token).await.expect("answers");
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.expect("JSON"), json!({}));
    // A 401 answer is JSON too: its keys go, its status stays.
    add_fault(&sim, &http, json!("missing-fields:fields=error,times=1")).await;
    let response = userinfo(&sim, &http, "not-a-token").await.expect("answers");
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(body.get("error").is_none(), "{body}");
}

#[tokio::test]
async fn requests_are_counted_per_path_and_admin_calls_are_not() {
    let (sim, http) = setup().await;
    let token = iternio_token(&sim);
    for _ in 0..3 {
        userinfo(&sim, &http, &token).await.expect("answers");
    }
    add_fault(&sim, &http, json!("reset:times=1")).await;
    assert!(userinfo(&sim, &http, &token).await.is_err());
    assert_eq!(
        sim.requests().with_prefix(USERINFO),
        4,
        "a reset one counts"
    );
    let url = format!("{}/__admin/requests", sim.base_url());
    let listed = admin_json(http.get(&url)).await;
    assert_eq!(listed["requests"][USERINFO], 4, "{listed}");
    assert_eq!(listed["total"], 4, "admin calls are not counted: {listed}");
    let cleared = admin_json(http.delete(&url)).await;
    assert_eq!(cleared["cleared"], 4);
    assert_eq!(sim.requests().with_prefix("/"), 0);
}

/// Sends an admin request and reads its JSON answer.
async fn admin_json(request: reqwest::RequestBuilder) -> Value {
    request
        .send()
        .await
        .expect("admin answers")
        .json()
        .await
        .expect("JSON")
}
