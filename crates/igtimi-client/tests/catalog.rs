//! The browsing calls against the simulator's demo world over real HTTP on loopback:
//! devices, data access windows, groups, sessions, users, resources, data types, latest.

#[path = "support/sim.rs"]
mod sim;

use igtimi_client::{ApiError, EpochMillis, Permissions, Recipient};
use sim::{start, token_for};
use telltale_test_support::demo::{ANA, BOB, BUOY, DAY, HOUR, KAI, PETREL, TERN, WEEK};

fn week() -> (EpochMillis, EpochMillis) {
    (EpochMillis(WEEK), EpochMillis(WEEK + 7 * DAY - 1))
}

#[tokio::test]
async fn bob_owns_tern_and_petrel() {
    let (_sim, client, token) = start(BOB).await;
    let devices = client.devices(&token).await.expect("devices");
    let serials: Vec<&str> = devices.iter().map(|d| d.serial_number.as_str()).collect();
    assert_eq!(serials, vec![TERN, PETREL]);
    let tern = &devices[0];
    assert_eq!(tern.id, 2001);
    assert_eq!(tern.name, "Tern");
    assert_eq!(tern.owner_id, Some(BOB));
    assert_eq!(
        tern.permissions,
        Some(Permissions {
            read: true,
            modify: true
        })
    );
    assert!(tern
        .device_info
        .as_deref()
        .is_some_and(|i| i.contains("YachtBot")));
}

#[tokio::test]
async fn windows_show_the_shared_buoy_and_the_coach_on_tern() {
    let (sim, client, token) = start(BOB).await;
    let (from, to) = week();
    let windows = client
        .data_access_windows(&token, from, to)
        .await
        .expect("windows");
    let buoy = windows
        .iter()
        .find(|w| w.device_serial_number == BUOY)
        .expect("the buoy is shared with Team Tern");
    assert_eq!(buoy.start_time, EpochMillis(WEEK));
    assert_eq!(buoy.end_time, EpochMillis(WEEK + 7 * DAY - 1000));
    assert_eq!(
        buoy.recipient,
        Some(Recipient::Group {
            id: 502,
            name: Some("Team Tern".into())
        })
    );
    assert_eq!(
        buoy.permissions.map(|p| (p.read, p.modify)),
        Some((true, false))
    );
    // Bob owns Tern, so he also sees the window he granted Kai.
    let coach = windows
        .iter()
        .find(|w| w.device_serial_number == TERN)
        .expect("Tern's window to Kai");
    match &coach.recipient {
        Some(Recipient::User(user)) => {
            assert_eq!((user.id, user.display_name().as_str()), (KAI, "Kai Jensen"))
        }
        other => panic!("expected Kai, got {other:?}"),
    }

    // A span before the week overlaps no window.
    let before = client
        .data_access_windows(&token, EpochMillis(WEEK - 2 * DAY), EpochMillis(WEEK - DAY))
        .await
        .expect("windows");
    assert!(before.is_empty(), "{before:?}");

    // Kai owns nothing but sees Tern on day 3.
    let kai = token_for(&sim, KAI);
    assert!(client.devices(&kai).await.expect("devices").is_empty());
    let kai_windows = client
        .data_access_windows(&kai, from, to)
        .await
        .expect("windows");
    let tern = kai_windows
        .iter()
        .find(|w| w.device_serial_number == TERN)
        .expect("Kai's window on Tern");
    assert_eq!(tern.start_time, EpochMillis(WEEK + 2 * DAY + 9 * HOUR));
    assert_eq!(tern.end_time, EpochMillis(WEEK + 2 * DAY + 17 * HOUR));
}

#[tokio::test]
async fn groups_and_users() {
    let (sim, client, token) = start(BOB).await;
    let groups = client.groups(&token).await.expect("groups");
    let names: Vec<(u64, &str, bool)> = groups
        .iter()
        .map(|g| (g.id, g.name.as_str(), g.hidden))
        .collect();
    assert_eq!(
        names,
        vec![
            (501, "Kiel Week J/70 fleet", false),
            (502, "Team Tern", false)
        ]
    );
    assert_eq!(groups[1].permissions.map(|p| p.modify), Some(true));
    let ana_groups = client.groups(&token_for(&sim, ANA)).await.expect("groups");
    assert!(ana_groups.iter().any(|g| g.id == 503 && g.hidden));

    let ana = client.users(&token, ANA).await.expect("a fellow member");
    assert_eq!(ana.display_name(), "Ana Costa");
    let developer = token_for(&sim, 1000);
    match client.users(&developer, BOB).await {
        Err(ApiError::Refused {
            status: 404,
            reason,
        }) => {
            assert!(reason.contains("not_found"), "{reason}")
        }
        other => panic!("expected a 404 refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn sessions_newest_first_and_one_by_id() {
    let (sim, client, token) = start(BOB).await;
    let sessions = client.sessions(&token).await.expect("sessions");
    assert!(sessions.len() >= 18, "{}", sessions.len());
    assert!(sessions
        .windows(2)
        .all(|pair| pair[0].start_time >= pair[1].start_time));
    let training = sessions
        .iter()
        .find(|s| s.id == 9100)
        .expect("Bob's training");
    assert_eq!(training.owner_id, Some(BOB));
    assert_eq!(training.name, "Tern · boat-speed training");
    assert_eq!(
        training.end_time,
        Some(EpochMillis(WEEK + 6 * DAY + 12 * HOUR))
    );

    let race = client.session(&token, 9001).await.expect("race 1");
    assert_eq!(race.owner_id, Some(ANA));
    assert_eq!(race.start_time, EpochMillis(WEEK + 10 * HOUR));
    assert_eq!(race.permissions.map(|p| p.modify), Some(false));

    // Igtimi answers 401 for a session the token may not read: that is a refusal, not a
    // rejected token.
    let developer = token_for(&sim, 1000);
    match client.session(&developer, 9001).await {
        Err(ApiError::Refused {
            status: 401,
            reason,
        }) => {
            assert!(reason.contains("not allowed"), "{reason}")
        }
        other => panic!("expected a 401 refusal, got {other:?}"),
    }
    assert!(matches!(
        client.session(&token, 123).await,
        Err(ApiError::Refused { status: 404, .. })
    ));
    // A revoked token is still a rejected token.
    assert!(sim.revoke_token(token.expose_secret()));
    assert_eq!(
        client.session(&token, 9001).await,
        Err(ApiError::Unauthorized)
    );
    assert_eq!(client.devices(&token).await, Err(ApiError::Unauthorized));
}

#[tokio::test]
async fn resources_of_own_and_shared_devices() {
    let (sim, client, token) = start(BOB).await;
    let (from, to) = week();
    let serials = vec![TERN.to_string(), BUOY.to_string()];
    let resources = client
        .resources(&token, from, to, &serials)
        .await
        .expect("resources");
    assert_eq!(resources.len(), 14, "a week of Tern and of the buoy");
    let tern: Vec<_> = resources
        .iter()
        .filter(|r| r.device_serial_number == TERN)
        .collect();
    assert_eq!(tern.len(), 7);
    assert_eq!(tern[0].start_time, EpochMillis(WEEK + 9 * HOUR));
    assert_eq!(
        tern[0].end_time,
        EpochMillis(WEEK + 16 * HOUR + 30 * 60_000)
    );
    assert_eq!(
        tern[0].data_types,
        vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 22, 23]
    );
    let buoy = resources
        .iter()
        .find(|r| r.device_serial_number == BUOY)
        .expect("buoy");
    assert!(buoy.data_types.contains(&24), "the buoy has a barometer");

    // Kai: Tern's day-3 resource only.
    let kai = token_for(&sim, KAI);
    let seen = client
        .resources(&kai, from, to, &[TERN.to_string()])
        .await
        .expect("resources");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].start_time, EpochMillis(WEEK + 2 * DAY + 9 * HOUR));
}

#[tokio::test]
async fn data_types_describe_fields_and_units() {
    let (_sim, client, token) = start(BOB).await;
    let types = client.data_types(&token).await.expect("data types");
    let sog = types.iter().find(|t| t.id == 9).expect("SOG");
    assert_eq!(sog.short_name.as_deref(), Some("SOG"));
    assert_eq!(sog.name, "Speed over ground");
    assert_eq!(sog.fields.len(), 1);
    assert_eq!(
        (sog.fields[0].index, sog.fields[0].unit.as_str()),
        (1, "kn")
    );
    let gps = types.iter().find(|t| t.id == 1).expect("GPS");
    let names: Vec<&str> = gps.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["longitude", "latitude"]);
}

#[tokio::test]
async fn latest_values_per_device() {
    let (sim, client, token) = start(BOB).await;
    let serials = vec![TERN.to_string(), BUOY.to_string()];
    let sog = client
        .latest(&token, 9, &serials)
        .await
        .expect("latest SOG");
    assert_eq!(sog.len(), 2);
    for datum in &sog {
        assert!(serials.contains(&datum.serial_number));
        assert_eq!(datum.values.len(), 1);
        assert!(datum.values[0].is_finite() && datum.values[0] >= 0.0);
        // The demo boats sail today: the newest sample is the last whole second.
        let now = sim.state().clock.now_ms();
        let age = now - datum.timestamp.0;
        assert!((0..5_000).contains(&age), "the newest SOG is {age} ms old");
        assert!(datum.resource_id.is_some());
    }
    let position = client
        .latest(&token, 1, &[TERN.to_string()])
        .await
        .expect("latest position");
    assert_eq!(position.len(), 1);
    let [lon, lat] = position[0].values[..] else {
        panic!("position has lon and lat: {:?}", position[0].values);
    };
    assert!(
        (10.0..11.0).contains(&lon) && (54.0..55.0).contains(&lat),
        "{lon} {lat}"
    );
}
