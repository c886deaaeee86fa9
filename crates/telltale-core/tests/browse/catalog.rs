//! The catalog and the resources in a range, as Bob sees them.

use crate::*;

#[tokio::test]
async fn the_catalog_lists_own_and_shared_devices_groups_sessions_and_types() {
    let Some(world) = World::start("catalog").await else {
        return;
    };
    let catalog = world.data.catalog(&world.tokens).await.expect("catalog");
    let devices: Vec<(&str, &str, bool)> = catalog
        .devices
        .iter()
        .map(|d| (d.serial.as_str(), d.name.as_str(), d.owned))
        .collect();
    assert_eq!(
        devices,
        vec![
            (TERN, "Tern", true),
            (PETREL, "Petrel", true),
            (BUOY, BUOY, false)
        ]
    );
    assert!(catalog.devices[0].shared_windows.is_empty());
    // Team Tern reads the buoy over the regatta week and over the live days (yesterday,
    // today and tomorrow, the demo boats sailing now).
    let live = igtimi_sim::demo::live::span(world.sim().state().clock.now_ms());
    let windows = &catalog.devices[2].shared_windows;
    let spans: Vec<(i64, i64)> = windows.iter().map(|w| (w.start, w.end)).collect();
    assert_eq!(spans, vec![(WEEK, WEEK + 7 * DAY - 1000), live]);
    assert!(windows.iter().all(|w| w.recipient == "group Team Tern"));

    let groups: Vec<(u64, &str)> = catalog
        .groups
        .iter()
        .map(|g| (g.id, g.name.as_str()))
        .collect();
    assert_eq!(
        groups,
        vec![(501, "Kiel Week J/70 fleet"), (502, "Team Tern")]
    );

    let sessions = &catalog.sessions;
    assert!(
        sessions.windows(2).all(|p| p[0].start >= p[1].start),
        "newest first"
    );
    assert_eq!(sessions[0].id, 9100);
    assert_eq!(sessions[0].owner_name.as_deref(), Some("Bob Smith"));
    let race = sessions.iter().find(|s| s.id == 9001).expect("race 1");
    assert_eq!((race.start, race.end), (RACE_START, Some(RACE_END)));
    assert_eq!(race.owner_id, Some(1374));
    assert_eq!(race.owner_name.as_deref(), Some("Ana Costa"));

    let sog = catalog
        .data_types
        .iter()
        .find(|t| t.code == 9)
        .expect("SOG");
    assert_eq!(sog.short_name, "SOG");
    assert_eq!(sog.fields[0].unit, "kn");
    // The newest data is now: the buoy logs around the clock, live.
    let now = world.sim().state().clock.now_ms();
    let newest = catalog.newest_data_ms.expect("newest data");
    assert!(
        (0..5_000).contains(&(now - newest)),
        "{} ms old",
        now - newest
    );

    let json = serde_json::to_value(&catalog).expect("serializes");
    assert!(json["newestDataMs"].is_i64());
    assert!(json["devices"][2]["sharedWindows"][0]["recipient"].is_string());
    assert!(json["sessions"][0]["ownerName"].is_string());
    assert!(json["dataTypes"][0]["shortName"].is_string());
}

#[tokio::test]
async fn resources_in_a_range_with_names_and_types() {
    let Some(world) = World::start("resources").await else {
        return;
    };
    let day3 = WEEK + 2 * DAY;
    let resources = world
        .data
        .resources(&world.tokens, day3, day3 + DAY - 1)
        .await
        .expect("resources");
    let found: Vec<(&str, &str, i64)> = resources
        .iter()
        .map(|r| (r.serial.as_str(), r.device_name.as_str(), r.start))
        .collect();
    assert_eq!(
        found,
        vec![
            (BUOY, BUOY, day3),
            (TERN, "Tern", day3 + 9 * HOUR),
            (PETREL, "Petrel", day3 + 9 * HOUR),
        ]
    );
    let petrel = &resources[2];
    assert_eq!(petrel.types.len(), petrel.type_names.len());
    assert!(
        petrel.type_names.contains(&"HR".to_string()),
        "{:?}",
        petrel.type_names
    );
    assert!(resources[1].type_names.contains(&"SOG".to_string()));
    let wrong = world.data.resources(&world.tokens, day3, day3 - 1).await;
    assert!(wrong.is_err());
}
