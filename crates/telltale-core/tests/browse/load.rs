//! Loading a race in windows: the right channels and samples, no duplicates at window edges,
//! the same data as one big request, progress up to the total, and a cache that makes a
//! re-load fetch nothing.

use crate::*;
use igtimi_client::{AccessToken, DataQuery, IgtimiClient};
use std::collections::BTreeMap;
use telltale_core::browse::{DataView, ViewRequest};
use telltale_data::{Dataset, TypeKey};
use telltale_test_support::demo;

/// What one request for the whole race returns, from a simulator that allows long spans.
async fn reference(from: i64, to: i64, serials: &[&str]) -> Dataset {
    let sim = Simulator::start(SimConfig::default())
        .await
        .expect("simulator starts");
    let token = AccessToken::new(demo::token(&sim, demo::BOB)).expect("token");
    let client = IgtimiClient::new(sim.base_url().parse().expect("URL")).expect("client");
    let query = DataQuery {
        start: from,
        end: to,
        serials: serials.iter().map(|s| s.to_string()).collect(),
        types: (1..=24).map(|code| (code, 0.0)).collect(),
    };
    let bytes = client.data(&token, &query).await.expect("one big request");
    telltale_data::decode(&bytes).expect("decodes")
}

/// Full-resolution series by (serial, key, field) from a view wide enough to keep all.
/// Wrap markers (a gap the view puts where a direction jumps by more than half a turn) are
/// left out: they are not samples.
pub fn full_series(view: &DataView) -> BTreeMap<(String, String, u8), Vec<i64>> {
    view.series
        .iter()
        .map(|s| {
            let direction = telltale_data::downsample::is_direction(s.channel.code);
            let is_wrap_marker = |i: usize| -> bool {
                let (Some(Some(a)), None, Some(Some(b))) = (
                    i.checked_sub(1).map(|j| s.v[j]),
                    s.v[i],
                    s.v.get(i + 1).copied(),
                ) else {
                    return false;
                };
                direction && (a - b).abs() > 180.0
            };
            let times = (0..s.t.len())
                .filter(|&i| !is_wrap_marker(i))
                .map(|i| s.t[i])
                .collect();
            (
                (s.serial.clone(), s.channel.key.clone(), s.channel.field),
                times,
            )
        })
        .collect()
}

/// Asserts the loaded race equals what one big request returns.
pub async fn assert_race_matches_one_request(world: &World) {
    let expected = reference(RACE_START, RACE_END, &[TERN, BUOY]).await;
    let view = world
        .data
        .view(ViewRequest {
            from: RACE_START,
            to: RACE_END,
            width: 8192,
        })
        .await
        .expect("view");
    let series = full_series(&view);
    let mut compared = 0;
    for (serial, key, block) in expected.blocks() {
        if key.code == 1 {
            continue;
        }
        for field in 1..=block.fields.len() {
            let got = series
                .get(&(serial.to_string(), key.to_string(), field as u8))
                .unwrap_or_else(|| panic!("{serial} {key} field {field} missing"));
            assert!(
                got.windows(2).all(|pair| pair[0] < pair[1]),
                "{serial} {key}: strictly ascending"
            );
            assert_eq!(got, &block.t, "{serial} {key} field {field}");
            compared += 1;
        }
    }
    assert!(compared >= 20, "{compared} series compared");
    // Positions: the track keeps every point of a race (fewer than 4000).
    let position = &expected.devices[TERN].channels[&TypeKey::new(1)];
    let track = view
        .tracks
        .iter()
        .find(|t| t.serial == TERN)
        .expect("Tern's track");
    assert_eq!(track.t, position.t);
}

#[tokio::test]
async fn a_race_loads_in_windows_like_one_big_request() {
    let Some(world) = World::start("windows").await else {
        return;
    };
    let (result, _) = world.load_race().await;
    let summary = result.expect("loads");
    assert_eq!(summary.chunks_total, 7, "65 minutes in 10-minute windows");
    assert_eq!(summary.chunks_from_cache, 0);
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert!(summary.bytes > 100_000, "{}", summary.bytes);

    let serials: Vec<&str> = summary.devices.iter().map(|d| d.serial.as_str()).collect();
    assert_eq!(serials, vec![TERN, BUOY]);
    assert_eq!(summary.devices[0].name, "Tern");
    assert_eq!(
        summary.devices[1].name, BUOY,
        "a shared device is named by serial"
    );
    let labels: Vec<&str> = summary.devices[0]
        .channels
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    for expected in [
        "COG",
        "SOG",
        "SOG (src 100)",
        "COG (src 100)",
        "AWA",
        "TWS",
        "BAT",
    ] {
        assert!(labels.contains(&expected), "{expected} in {labels:?}");
    }
    assert!(
        !labels.iter().any(|l| l.starts_with("GPS")),
        "position is the track"
    );
    let sog = summary.devices[0]
        .channels
        .iter()
        .find(|c| c.key == "9")
        .expect("SOG");
    assert_eq!((sog.unit.as_str(), sog.field, sog.code), ("kn", 1, 9));
    assert!(summary.devices[1]
        .channels
        .iter()
        .any(|c| c.short_name == "BARO"));

    let expected = reference(RACE_START, RACE_END, &[TERN, BUOY]).await;
    assert_eq!(summary.samples, expected.sample_count() as u64);
    assert_race_matches_one_request(&world).await;
}

#[tokio::test]
async fn progress_counts_up_to_the_total_and_a_reload_fetches_nothing() {
    let Some(world) = World::start("progress").await else {
        return;
    };
    let (result, events) = world.load_race().await;
    let summary = result.expect("loads");
    assert!(
        events.len() >= 8,
        "a first event and one per chunk: {events:?}"
    );
    assert!(events.iter().all(|e| e.load_id == summary.load_id));
    assert!(events.iter().all(|e| e.chunks_total == 7 && !e.retrying));
    assert_eq!(events[0].chunks_done, 0);
    assert!(events
        .windows(2)
        .all(|pair| pair[0].chunks_done <= pair[1].chunks_done));
    assert!(events.windows(2).all(|pair| pair[0].bytes <= pair[1].bytes));
    let last = events.last().expect("events");
    assert_eq!((last.chunks_done, last.chunks_failed), (7, 0));
    assert_eq!(last.bytes, summary.bytes);

    let counter = world.count_data_requests();
    let (again, events) = world.load_race().await;
    let again = again.expect("loads again");
    assert_eq!(counter.count(), 0, "everything came from the cache");
    assert_eq!(again.chunks_from_cache, 7);
    assert_eq!(again.bytes, 0);
    assert_eq!(again.samples, summary.samples);
    assert!(again.load_id > summary.load_id);
    assert_eq!(events.last().map(|e| e.chunks_done), Some(7));

    // A different range shares the windows it has in common (same start, same edges).
    let (shorter, _) = world
        .load(LoadRequest {
            from: RACE_START,
            to: RACE_START + 25 * MIN,
            serials: vec![BUOY.into(), TERN.into()],
        })
        .await;
    let shorter = shorter.expect("loads");
    assert_eq!(shorter.chunks_total, 3);
    assert_eq!(shorter.chunks_from_cache, 2, "two full windows are shared");
    assert_eq!(counter.count(), 1);
}

#[tokio::test]
async fn nights_without_data_are_not_requested() {
    let Some(world) = World::start("nights").await else {
        return;
    };
    let counter = world.count_data_requests();
    // Tern only: 16:00 on day 1 to 10:00 on day 2; it logs 09:00-16:30.
    let (result, _) = world
        .load(LoadRequest {
            from: WEEK + 16 * HOUR,
            to: WEEK + DAY + 10 * HOUR,
            serials: vec![TERN.into()],
        })
        .await;
    let summary = result.expect("loads");
    // 30 minutes in the evening (3 windows touch it) and an hour in the morning (7).
    assert!(summary.chunks_total <= 10, "{}", summary.chunks_total);
    assert_eq!(counter.count() as u64, summary.chunks_total);
    assert!(summary.failed.is_empty());
}
