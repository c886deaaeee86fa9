//! `GET sessions`, `GET sessions/{id}` and `GET sessions/{id}/logs`.

use super::*;
use serde_json::json;

#[tokio::test]
async fn session_list_filters() {
    let sim = common::start().await;
    let bob = common::token_for(&sim, BOB);
    let all = ids(&get_ok(&sim, &bob, "sessions").await, "sessions", "session");
    // The regatta, its 17 races and Bob's finished training; newest first.
    assert_eq!(all.len(), 19, "{all:?}");
    assert_eq!(all[0], 9100);
    assert_eq!(*all.last().unwrap(), 9000);
    assert!(
        !all.contains(&9101),
        "incomplete sessions are left out by default"
    );

    let with_open = ids(
        &get_ok(&sim, &bob, "sessions?include_incomplete=true").await,
        "sessions",
        "session",
    );
    assert_eq!(with_open.len(), 20);
    assert_eq!(with_open[0], 9101);

    let public = ids(
        &get_ok(&sim, &bob, "sessions?public=true").await,
        "sessions",
        "session",
    );
    assert_eq!(public, vec![9000]);
    let picked = ids(
        &get_ok(&sim, &bob, "sessions?ids[]=9100&ids[]=9003&ids[]=424242").await,
        "sessions",
        "session",
    );
    assert_eq!(picked, vec![9100, 9003]);
    let limited = ids(
        &get_ok(&sim, &bob, "sessions?limit=3").await,
        "sessions",
        "session",
    );
    assert_eq!(limited, all[..3].to_vec());

    // Ana is not in Team Tern: Bob's sessions are not hers to see.
    let ana = ids(
        &get_ok(
            &sim,
            &common::token_for(&sim, ANA),
            "sessions/?include_incomplete=true",
        )
        .await,
        "sessions",
        "session",
    );
    assert_eq!(ana.len(), 18);
    assert!(!ana.contains(&9100) && !ana.contains(&9101));
    // Someone in no group sees only the public regatta.
    let dev = ids(
        &get_ok(&sim, &common::token_for(&sim, 1000), "sessions").await,
        "sessions",
        "session",
    );
    assert_eq!(dev, vec![9000]);

    for (query, name) in [
        ("sessions?limit=0", "limit"),
        ("sessions?limit=many", "limit"),
        ("sessions?ids[]=first", "ids"),
        ("sessions?public=perhaps", "public"),
        ("sessions?include_incomplete=2", "include_incomplete"),
    ] {
        let (status, err) = get(&sim, &bob, query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(
            err["reason"].as_str().unwrap().contains(name),
            "{query}: {err}"
        );
    }
}

#[tokio::test]
async fn one_session_with_every_field_and_the_401_quirk() {
    let sim = common::start().await;
    let bob = common::token_for(&sim, BOB);
    let ana = common::token_for(&sim, ANA);
    let regatta = get_ok(&sim, &ana, "sessions/9000").await;
    assert_eq!(
        regatta,
        json!({"session": {
            "id": 9000, "name": "Kiel Week 2025",
            "start_time": week() as f64, "end_time": (week() + 7 * DAY_MS) as f64,
            "owner_id": ANA, "session_group_id": 501, "admin_session_group_id": 503,
            "parent_session_id": null, "ou": "Kiel Week J/70 fleet",
            "permissions": {"read": true, "modify": true}, "blob": false}})
    );
    float_ms(&regatta["session"]["start_time"]);
    let race = get_ok(&sim, &bob, "sessions/9001").await["session"].clone();
    assert_eq!(race["parent_session_id"], 9000);
    assert_eq!(race["permissions"], json!({"read": true, "modify": false}));
    assert!(race["ou"].is_null());
    let open = get_ok(&sim, &bob, "sessions/9101").await["session"].clone();
    assert!(open["end_time"].is_null());
    assert_eq!(open["permissions"]["modify"], true);

    let (status, err) = get(&sim, &ana, "sessions/9100").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "Igtimi answers 401 for an unreadable session"
    );
    assert!(err["error"].is_string());
    let (status, err) = get(&sim, &bob, "sessions/424242").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"], "not_found");
    let (status, _) = get(&sim, &bob, "sessions/latest").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn session_logs_as_xml() {
    let sim = common::start().await;
    let bob = common::token_for(&sim, BOB);
    let response = common::http()
        .get(format!("{}/api/v1/sessions/9004/logs", sim.base_url()))
        .bearer_auth(&bob)
        .header("accept", "application/xml")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/xml");
    let xml = response.text().await.unwrap();
    assert!(xml.starts_with("<?xml"));
    let content = xml.split_once("<session>").unwrap().1;
    assert!(content.contains("<content><log><log_entry>"), "{xml}");
    assert!(xml.trim_end().ends_with("</log></content></session>"));
    let entries: Vec<&str> = xml
        .split("<log_entry>")
        .skip(1)
        .map(|e| e.split("</log_entry>").next().unwrap())
        .collect();
    assert!(entries.len() >= 4 + 3 + 2 * 3, "{} entries", entries.len());
    let mut kinds = std::collections::BTreeMap::new();
    for entry in &entries {
        assert!(entry.starts_with("<id>"), "{entry}");
        assert!(entry.contains("<created_at>"), "{entry}");
        let kind = ["<device>", "<object>", "<object_data>", "<metadata>"]
            .into_iter()
            .filter(|k| entry.contains(k))
            .collect::<Vec<_>>();
        assert_eq!(kind.len(), 1, "exactly one payload in {entry}");
        *kinds.entry(kind[0]).or_insert(0) += 1;
    }
    assert_eq!(kinds["<device>"], 4);
    for serial in [TERN, PETREL, SKUA, BUOY] {
        assert!(xml.contains(&format!("<serial_number>{serial}</serial_number>")));
    }
    assert!(kinds["<object>"] >= 3 && kinds["<object>"] == kinds["<object_data>"]);
    assert!(kinds["<metadata>"] >= 1);
    assert!(xml.contains("Windward mark"));
    // Mark positions are on the race area.
    let lat: f64 = xml
        .split("<latitude>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((53.5..=55.5).contains(&lat));

    // Same access rules as the session itself.
    let ana = common::token_for(&sim, ANA);
    let response = common::http()
        .get(format!("{}/api/v1/sessions/9100/logs", sim.base_url()))
        .bearer_auth(&ana)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
