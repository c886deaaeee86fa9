//! `GET resources`.

use super::*;
use serde_json::json;

#[tokio::test]
async fn kai_sees_resources_overlapping_his_windows() {
    let sim = common::start().await;
    let kai = common::token_for(&sim, KAI);
    let body = get_ok(&sim, &kai, "resources").await;
    // The buoy all week through the group window; Tern only on day 3; both yesterday and
    // today, live days (Tern first, its id is lower; tomorrow has not been recorded yet);
    // by start.
    assert_eq!(
        ids(&body, "resources", "resource"),
        vec![30400, 30401, 30402, 30102, 30403, 30404, 30405, 30406, 31010, 31040, 31011, 31041]
    );
    let resources = items(&body, "resources", "resource");
    let tern = &resources[3];
    assert_eq!(tern["device_serial_number"], TERN);
    assert_eq!(
        float_ms(&tern["start_time"]),
        (week() + 2 * DAY_MS + 9 * HOUR_MS) as f64
    );
    assert!(float_ms(&tern["end_time"]) > float_ms(&tern["start_time"]));
    assert_eq!(tern["permissions"], json!({"read": true, "modify": false}));
    assert_eq!(tern["blob"], false);
    let types: Vec<u64> = tern["data_types"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert!(types.contains(&1) && types.contains(&9), "{types:?}");
    // Kai may modify nothing.
    let modify = get_ok(&sim, &kai, "resources?permission=modify").await;
    assert!(items(&modify, "resources", "resource").is_empty());
}

#[tokio::test]
async fn owners_filters_and_bad_parameters() {
    let sim = common::start().await;
    let bob = common::token_for(&sim, BOB);
    let all = items(
        &get_ok(&sim, &bob, "resources").await,
        "resources",
        "resource",
    );
    // Tern and Petrel (owned) and the buoy (shared with Team Tern), 7 days each, yesterday
    // and today (tomorrow has not been recorded yet).
    assert_eq!(all.len(), 27);
    let owned: Vec<&Value> = all
        .iter()
        .filter(|r| r["device_serial_number"] != BUOY)
        .collect();
    assert!(owned.iter().all(|r| r["permissions"]["modify"] == true));
    assert!(all
        .iter()
        .filter(|r| r["device_serial_number"] == BUOY)
        .all(|r| r["permissions"] == json!({"read": true, "modify": false})));
    assert!(all.iter().all(|r| r["device_serial_number"] != SKUA));

    let modify = get_ok(&sim, &bob, "resources?permission=modify").await;
    // Tern's and Petrel's 7 days, yesterday and today.
    assert_eq!(items(&modify, "resources", "resource").len(), 18);

    let day = week() + 3 * DAY_MS;
    let query = format!(
        "resources?start_time={}&end_time={}&serial_numbers[]={PETREL}&stream_ids[]=4",
        day + 10 * HOUR_MS,
        day + 11 * HOUR_MS
    );
    let one = get_ok(&sim, &bob, &query).await;
    assert_eq!(ids(&one, "resources", "resource"), vec![30203]);

    for (query, names) in [
        ("resources?permission=own", "permission"),
        ("resources?end_time=x", "end_time"),
        ("resources?start_time=20&end_time=10", "end_time"),
        ("resources?stream_ids[]=abc", "stream_ids"),
    ] {
        let (status, err) = get(&sim, &bob, query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(err["error"], "invalid_request");
        assert!(
            err["reason"].as_str().unwrap().contains(names),
            "{query}: {err}"
        );
    }
}
