//! `account`, `users`, `groups`, `devices`, `devices/data_access_windows` and `data_types`.

use super::*;
use serde_json::json;

#[tokio::test]
async fn account_is_the_tokens_user() {
    let sim = common::start().await;
    let body = get_ok(&sim, &common::token_for(&sim, BOB), "account").await;
    assert_eq!(
        body,
        json!({"user": {"id": BOB, "first_name": "Bob", "surname": "Smith",
                        "email": "bob@telltale.demo"}})
    );
    let ana = get_ok(&sim, &common::token_for(&sim, ANA), "account").await;
    assert_eq!(ana["user"]["id"], ANA);
    assert_eq!(ana["user"]["first_name"], "Ana");
}

#[tokio::test]
async fn users_are_self_and_group_members() {
    let sim = common::start().await;
    let bob = common::token_for(&sim, BOB);
    let body = get_ok(&sim, &bob, "users").await;
    assert_eq!(ids(&body, "users", "user"), vec![BOB, ANA, KAI]);
    let kai = &items(&body, "users", "user")[2];
    assert_eq!(kai["surname"], "Jensen");
    assert!(kai.get("password").is_none());

    assert_eq!(get_ok(&sim, &bob, "users/1374").await["user"]["id"], ANA);
    // The developer shares no group with Bob.
    let (status, err) = get(&sim, &bob, "users/1000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"], "not_found");
    let (status, _) = get(&sim, &bob, "users/bob").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, err) = get(&sim, &bob, "users/1374/boats").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        err["reason"]
            .as_str()
            .unwrap()
            .contains("/api/v1/users/1374/boats"),
        "{err}"
    );
    // A user without groups sees only themself.
    let dev = get_ok(&sim, &common::token_for(&sim, 1000), "users/").await;
    assert_eq!(ids(&dev, "users", "user"), vec![1000]);
}

#[tokio::test]
async fn groups_with_permissions_for_their_owner() {
    let sim = common::start().await;
    let bob = common::token_for(&sim, BOB);
    let body = get_ok(&sim, &bob, "groups").await;
    let groups = items(&body, "groups", "group");
    assert_eq!(ids(&body, "groups", "group"), vec![501, 502]);
    assert_eq!(
        groups[1],
        json!({"id": 502, "name": "Team Tern", "permissions": {"read": true, "modify": true},
               "hidden": false, "blob": false})
    );
    assert_eq!(
        groups[0]["permissions"],
        json!({"read": true, "modify": false})
    );

    let one = get_ok(&sim, &bob, "groups/501").await;
    assert_eq!(one["group"]["name"], "Kiel Week J/70 fleet");
    let (status, _) = get(&sim, &bob, "groups/503").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let admins = get_ok(&sim, &common::token_for(&sim, ANA), "groups/503").await;
    assert_eq!(admins["group"]["hidden"], true);
    assert_eq!(admins["group"]["permissions"]["modify"], true);
}

#[tokio::test]
async fn devices_are_the_owned_ones_with_every_field() {
    let sim = common::start().await;
    let bob = common::token_for(&sim, BOB);
    let body = get_ok(&sim, &bob, "devices").await;
    let devices = items(&body, "devices", "device");
    let serials: Vec<&str> = devices
        .iter()
        .filter_map(|d| d["serial_number"].as_str())
        .collect();
    assert_eq!(serials, vec![TERN, PETREL]);
    let tern = &devices[0];
    for field in [
        "id",
        "name",
        "serial_number",
        "uid",
        "imei",
        "owner_id",
        "device_user_group_id",
        "admin_device_user_group_id",
        "permissions",
        "blob",
        "device_info",
        "service_tag",
    ] {
        assert!(tern.get(field).is_some(), "device has {field}: {tern}");
    }
    assert_eq!(tern["name"], "Tern");
    assert_eq!(tern["owner_id"], BOB);
    assert_eq!(tern["blob"], false);
    assert_eq!(tern["permissions"], json!({"read": true, "modify": true}));

    // The trailing-slash form and the serial filter.
    let filtered = get_ok(
        &sim,
        &bob,
        "devices/?serial_numbers[]=AA-BT-0417&serial_numbers[]=AA-BT-0731",
    )
    .await;
    assert_eq!(
        ids(&filtered, "devices", "device"),
        vec![tern["id"].as_u64().unwrap()]
    );
    // Kai reads shared devices but owns none.
    let kai = get_ok(&sim, &common::token_for(&sim, KAI), "devices").await;
    assert!(items(&kai, "devices", "device").is_empty());
}

#[tokio::test]
async fn data_access_windows_owned_and_granted() {
    let sim = common::start().await;
    let kai = common::token_for(&sim, KAI);
    let body = get_ok(&sim, &kai, "devices/data_access_windows").await;
    let windows = items(&body, "data_access_windows", "data_access_window");
    // Day 3 on Tern and the buoy's week, then the same two over the live days.
    assert_eq!(
        ids(&body, "data_access_windows", "data_access_window"),
        vec![7001, 7002, 7003, 7004]
    );
    let w = &windows[0];
    assert_eq!(w["device_serial_number"], TERN);
    assert_eq!(
        float_ms(&w["start_time"]),
        (week() + 2 * DAY_MS + 9 * HOUR_MS) as f64
    );
    assert_eq!(
        float_ms(&w["end_time"]),
        (week() + 2 * DAY_MS + 17 * HOUR_MS) as f64
    );
    assert_eq!(w["permissions"], json!({"read": true, "modify": false}));
    assert_eq!(w["recipient"]["user"]["id"], KAI);
    assert_eq!(windows[1]["recipient"]["group"]["id"], 502);
    assert_eq!(windows[1]["recipient"]["group"]["name"], "Team Tern");

    // Ana owns the buoy (7002, 7004) and sees no window on Tern; Bob owns Tern and is in
    // 502.
    let ana = get_ok(
        &sim,
        &common::token_for(&sim, ANA),
        "devices/data_access_windows",
    )
    .await;
    assert_eq!(
        ids(&ana, "data_access_windows", "data_access_window"),
        vec![7002, 7004]
    );
    let bob = common::token_for(&sim, BOB);
    let bob_all = get_ok(&sim, &bob, "devices/data_access_windows").await;
    assert_eq!(
        ids(&bob_all, "data_access_windows", "data_access_window"),
        vec![7001, 7002, 7003, 7004]
    );

    let day5 = week() + 4 * DAY_MS;
    let by_time = get_ok(
        &sim,
        &kai,
        &format!(
            "devices/data_access_windows?start_time={day5}.0&end_time={}",
            day5 + DAY_MS
        ),
    )
    .await;
    assert_eq!(
        ids(&by_time, "data_access_windows", "data_access_window"),
        vec![7002]
    );
    let by_serial = get_ok(
        &sim,
        &kai,
        "devices/data_access_windows?serial_numbers[]=AA-BT-0417",
    )
    .await;
    assert_eq!(
        ids(&by_serial, "data_access_windows", "data_access_window"),
        vec![7001, 7003]
    );
    let modify = get_ok(&sim, &kai, "devices/data_access_windows?type=modify").await;
    assert!(items(&modify, "data_access_windows", "data_access_window").is_empty());
    let either = get_ok(
        &sim,
        &kai,
        "devices/data_access_windows?types[]=read&types[]=modify",
    )
    .await;
    assert_eq!(
        ids(&either, "data_access_windows", "data_access_window"),
        vec![7001, 7002, 7003, 7004]
    );

    let (status, err) = get(&sim, &kai, "devices/data_access_windows?type=write").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["reason"].as_str().unwrap().contains("type"), "{err}");
    let (status, err) = get(&sim, &kai, "devices/data_access_windows?start_time=soon").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        err["reason"].as_str().unwrap().contains("start_time"),
        "{err}"
    );
}

#[tokio::test]
async fn data_types_name_every_code_with_units() {
    let sim = common::start().await;
    let body = get_ok(&sim, &common::token_for(&sim, KAI), "data_types").await;
    let types = items(&body, "data_types", "data_type");
    let codes: Vec<u64> = types.iter().filter_map(|t| t["id"].as_u64()).collect();
    for code in 1..=24 {
        assert!(codes.contains(&code), "type {code} is listed");
    }
    assert!(codes.iter().any(|&c| c >= 25), "types beyond 24 are listed");
    let find = |code: u64| types.iter().find(|t| t["id"] == code).cloned().unwrap();
    assert_eq!(
        find(1),
        json!({"id": 1, "name": "GPS position", "short_name": "GPS", "fields": [
            {"index": 1, "name": "longitude", "unit": "deg"},
            {"index": 2, "name": "latitude", "unit": "deg"}]})
    );
    let sog = find(9);
    assert_eq!(sog["short_name"], "SOG");
    assert_eq!(sog["name"], "Speed over ground");
    assert_eq!(sog["fields"][0]["unit"], "kn");
    assert_eq!(find(13)["fields"].as_array().unwrap().len(), 3);
    assert_eq!(find(23)["fields"][0]["unit"], "kn");
    for t in &types {
        assert!(!t["name"].as_str().unwrap().is_empty());
        assert!(!t["fields"].as_array().unwrap().is_empty());
    }
}
