//! `data_access_windows` (list, create, delete) and the legacy `resources`.

use super::*;
use serde_json::json;

/// The windows answer's items, checking the wrapping; (id, start, end, serial).
fn windows(body: &Value) -> Vec<(u64, i64, i64, String)> {
    body["data_access_windows"]
        .as_array()
        .unwrap_or_else(|| panic!("a list in {body}"))
        .iter()
        .map(|item| {
            let w = &item["data_access_window"];
            assert!(w["start_time"].is_i64(), "integer ms in {w}");
            (
                w["id"].as_u64().unwrap(),
                w["start_time"].as_i64().unwrap(),
                w["end_time"].as_i64().unwrap(),
                w["device_serial_number"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn week_span() -> String {
    format!("start_time={}&end_time={}", week(), week() + 7 * DAY_MS)
}

async fn post_window(sim: &Simulator, token: &str, body: Value) -> reqwest::Response {
    common::http()
        .post(api(sim, "data_access_windows"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn delete_window(sim: &Simulator, token: &str, id: &str) -> reqwest::Response {
    common::http()
        .delete(api(sim, &format!("data_access_windows/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn windows_per_user_and_the_empty_serials_quirk() {
    let sim = common::start().await;
    let kai = token(&sim, "kai").await;
    let bob = token(&sim, "bob").await;
    let day3 = week() + 2 * DAY_MS;
    let all = format!(
        "{}&serial_numbers[]={TERN}&serial_numbers[]={BUOY}",
        week_span()
    );
    let kai_sees = windows(&get_json(&sim, &kai, &format!("data_access_windows?{all}")).await);
    assert_eq!(
        kai_sees,
        [
            (7002, week(), week() + 7 * DAY_MS - 1000, BUOY.to_string()),
            (
                7001,
                day3 + 9 * HOUR_MS,
                day3 + 17 * HOUR_MS,
                TERN.to_string()
            ),
        ]
    );
    // Without serial_numbers[] the service answers nothing at all.
    let quirk = get_json(&sim, &kai, &format!("data_access_windows?{}", week_span())).await;
    assert_eq!(quirk, json!({"data_access_windows": []}));
    // The owner sees his week window on Tern and the one he granted Kai; as a member of
    // Team Tern, the buoy's too. Not Ana's own week window on the buoy.
    let bob_sees = windows(&get_json(&sim, &bob, &format!("data_access_windows?{all}")).await);
    let ids: Vec<u64> = bob_sees.iter().map(|w| w.0).collect();
    assert_eq!(ids, [7002, 7101, 7001]);
    let ana = token(&sim, "ana").await;
    let ana_sees = windows(&get_json(&sim, &ana, &format!("data_access_windows?{all}")).await);
    let ids: Vec<u64> = ana_sees.iter().map(|w| w.0).collect();
    assert_eq!(ids, [7002, 7104], "Ana owns the buoy, not Tern");
    // Only windows overlapping the span; permission, type and stream_ids are ignored.
    let day2 = week() + DAY_MS;
    let narrow = format!(
        "data_access_windows?start_time={day2}&end_time={}&serial_numbers[]={TERN}\
         &permission=read&type=read&stream_ids[]=4",
        day2 + HOUR_MS
    );
    assert!(windows(&get_json(&sim, &kai, &narrow).await).is_empty());
    let (status, text) = get_text(
        &sim,
        &kai,
        "data_access_windows?start_time=9&end_time=1&serial_numbers[]=x",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("before start_time"));
}

#[tokio::test]
async fn only_the_owner_creates_and_deletes_windows() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    let kai = token(&sim, "kai").await;
    let (start, end) = (week() + 3 * DAY_MS, week() + 4 * DAY_MS);
    let body =
        json!({"id": 0, "start_time": start, "end_time": end, "device_serial_number": PETREL});
    let created = post_window(&sim, &bob, body.clone()).await;
    assert_eq!(created.status(), StatusCode::OK);
    let created: Value = created.json().await.unwrap();
    let id = created["id"].as_u64().expect("the server's id");
    assert!(id > 8000);
    assert_eq!(
        created,
        json!({"id": id, "start_time": start, "end_time": end, "device_serial_number": PETREL})
    );
    let listed = get_json(
        &sim,
        &bob,
        &format!("data_access_windows?serial_numbers[]={PETREL}"),
    )
    .await;
    assert!(windows(&listed).iter().any(|w| w.0 == id));

    for serial in [PETREL, "NO-SUCH-UNIT"] {
        let mut theirs = body.clone();
        theirs["device_serial_number"] = json!(serial);
        let refused = post_window(&sim, &kai, theirs).await;
        assert_plain(refused, StatusCode::FORBIDDEN, "Only the owner").await;
    }
    let backwards =
        json!({"id": 0, "start_time": end, "end_time": start, "device_serial_number": PETREL});
    assert_plain(
        post_window(&sim, &bob, backwards).await,
        StatusCode::BAD_REQUEST,
        "before",
    )
    .await;
    let no_serial = json!({"id": 0, "start_time": start, "end_time": end});
    assert_plain(
        post_window(&sim, &bob, no_serial).await,
        StatusCode::BAD_REQUEST,
        "device_serial_number",
    )
    .await;
    let text_time = json!({"start_time": "x", "end_time": end, "device_serial_number": PETREL});
    assert_plain(
        post_window(&sim, &bob, text_time).await,
        StatusCode::BAD_REQUEST,
        "start_time",
    )
    .await;

    // Kai cannot delete the window he was granted; unknown ids are 404.
    assert_plain(
        delete_window(&sim, &kai, "7001").await,
        StatusCode::FORBIDDEN,
        "Only the owner",
    )
    .await;
    assert_plain(
        delete_window(&sim, &bob, "999999").await,
        StatusCode::NOT_FOUND,
        "999999",
    )
    .await;
    assert_plain(
        delete_window(&sim, &bob, "abc").await,
        StatusCode::NOT_FOUND,
        "abc",
    )
    .await;
    let deleted = delete_window(&sim, &bob, &id.to_string()).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    let listed = get_json(
        &sim,
        &bob,
        &format!("data_access_windows?serial_numbers[]={PETREL}"),
    )
    .await;
    assert!(windows(&listed).iter().all(|w| w.0 != id));
    assert_eq!(
        delete_window(&sim, &bob, &id.to_string()).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn deleting_a_window_hides_its_data() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    let kai = token(&sim, "kai").await;
    let race = week() + 2 * DAY_MS + 10 * HOUR_MS;
    let query = data_query(&[TERN], race, race + 60_000, "types[9]=0");
    assert_eq!(
        messages(&get_json(&sim, &kai, &query).await, TERN).len(),
        61
    );
    assert_eq!(
        delete_window(&sim, &bob, "7001").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        get_json(&sim, &kai, &query).await,
        json!({}),
        "Kai reads nothing now"
    );
    assert_eq!(
        serials_of(&sim, &kai).await,
        [TERN, BUOY],
        "Tern live today"
    );
    assert_eq!(
        delete_window(&sim, &bob, "7003").await.status(),
        StatusCode::OK
    );
    assert_eq!(serials_of(&sim, &kai).await, [BUOY], "nor lists Tern");
    // The owner too reads only what a window covers: without his week window, nothing.
    assert_eq!(
        messages(&get_json(&sim, &bob, &query).await, TERN).len(),
        61
    );
    assert_eq!(
        delete_window(&sim, &bob, "7101").await.status(),
        StatusCode::OK
    );
    assert_eq!(get_json(&sim, &bob, &query).await, json!({}));
}

async fn serials_of(sim: &Simulator, token: &str) -> Vec<String> {
    get_json(sim, token, "devices").await["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["serial_number"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_window_over_a_newly_registered_device() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    let registered = common::http()
        .post(api(&sim, "devices"))
        .bearer_auth(&bob)
        .json(&json!({"id": 0, "serial_number": "ZZ-NEW-7", "name": "Club boat"}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::OK);
    let (start, end) = (week(), week() + DAY_MS);
    let query = data_query(&["ZZ-NEW-7"], start, end, "types[1]=0");
    assert_eq!(
        get_json(&sim, &bob, &query).await,
        json!({}),
        "no window yet"
    );
    let window =
        json!({"id": 0, "start_time": start, "end_time": end, "device_serial_number": "ZZ-NEW-7"});
    let created: Value = post_window(&sim, &bob, window).await.json().await.unwrap();
    let listed = get_json(&sim, &bob, "data_access_windows?serial_numbers[]=ZZ-NEW-7").await;
    assert_eq!(
        windows(&listed),
        [(
            created["id"].as_u64().unwrap(),
            start,
            end,
            "ZZ-NEW-7".into()
        )]
    );
    // Readable now, and empty: the unit has recorded nothing.
    assert_eq!(get_json(&sim, &bob, &query).await, json!({"ZZ-NEW-7": []}));
    let ana = token(&sim, "ana").await;
    let theirs =
        json!({"id": 0, "start_time": start, "end_time": end, "device_serial_number": "ZZ-NEW-7"});
    assert_eq!(
        post_window(&sim, &ana, theirs).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn legacy_resources_are_the_readable_blocks() {
    let sim = common::start().await;
    let kai = token(&sim, "kai").await;
    let body = get_json(&sim, &kai, &format!("resources?serial_numbers[]={TERN}")).await;
    let list = body["resources"].as_array().expect("a list");
    let ids: Vec<u64> = list.iter().filter_map(|r| r["id"].as_u64()).collect();
    assert_eq!(
        ids,
        [30102, 31010, 31011],
        "Tern on day 3, yesterday and today: {body}"
    );
    let day3 = &list[0];
    assert_eq!(day3["device_serial_number"], TERN);
    assert_eq!(day3["start_time"], week() + 2 * DAY_MS + 9 * HOUR_MS);
    // JSON types 1-12, 15, 22, 23 as Riot fields: HDOP and altitude have none, battery is num.
    assert_eq!(
        day3["data_types"],
        json!([1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 22, 23, 50])
    );
    let all = get_json(&sim, &kai, "resources").await;
    assert_eq!(
        all["resources"].as_array().unwrap().len(),
        12,
        "Tern's day 3, the buoy's week, both yesterday and today (tomorrow is not recorded yet)"
    );
    let bob = token(&sim, "bob").await;
    let petrel = get_json(
        &sim,
        &bob,
        &format!(
            "resources?serial_numbers[]={PETREL}&start_time={}&end_time={}",
            week(),
            week() + DAY_MS
        ),
    )
    .await;
    assert_eq!(
        petrel["resources"][0]["data_types"],
        json!([1, 2, 3, 6, 8, 9, 13, 50])
    );
    assert_eq!(petrel["resources"].as_array().unwrap().len(), 1);
}
