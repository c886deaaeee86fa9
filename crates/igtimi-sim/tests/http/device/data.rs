//! What pushed data becomes: stored and served by `resources/data` to whoever may read the
//! device, published to the live hub, by `type_of_service`; times of 0 stamped on receipt.

use super::*;
use crate::riot::{
    data_query, get_json, messages as answer_messages, summary, week, BOB, HOUR_MS, TERN,
};
use igtimi_sim::live::LivePoints;
use igtimi_sim::world::TypeKey;
use riot_proto::data_point::Point;
use riot_proto::{DataPoint, GnssPosition, SpeedOverGround};
use std::sync::Arc;
use tokio::sync::broadcast;

fn sog(t: u64, kmh: f64) -> DataPoint {
    DataPoint {
        source_id: 0,
        point: Some(Point::Sog(SpeedOverGround {
            timestamp: t,
            value: kmh,
        })),
    }
}

fn pos(t: u64, lat: f64, lon: f64, alt: f64) -> DataPoint {
    DataPoint {
        source_id: 0,
        point: Some(Point::Pos(GnssPosition {
            timestamp: t,
            latitude: lat,
            longitude: lon,
            altitude: alt,
            fields: 7,
        })),
    }
}

/// A point's field, time and values to 1e-6 (the km/h → kn → km/h trip is exact to 1e-9).
fn rounded(p: &DataPoint) -> (u32, u64, Vec<i64>) {
    let (field, t, values) = summary(p);
    (
        field,
        t,
        values.iter().map(|v| (v * 1e6).round() as i64).collect(),
    )
}

fn micro(values: &[f64]) -> Vec<i64> {
    values.iter().map(|v| (v * 1e6).round() as i64).collect()
}

/// The next batch of the hub; `None` when the reader fell behind (the demo's boats publish
/// too while anyone listens).
pub async fn next_batch(rx: &mut broadcast::Receiver<Arc<LivePoints>>) -> Option<Arc<LivePoints>> {
    match rx.recv().await {
        Ok(batch) => Some(batch),
        Err(broadcast::error::RecvError::Lagged(_)) => None,
        Err(broadcast::error::RecvError::Closed) => panic!("the hub closed"),
    }
}

/// The next batch the hub publishes for `serial` within 5 s.
async fn heard(rx: &mut broadcast::Receiver<Arc<LivePoints>>, serial: &str) -> Arc<LivePoints> {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let Some(batch) = next_batch(rx).await else {
                continue;
            };
            if batch.serial == serial {
                return batch;
            }
        }
    })
    .await
    .expect("published within 5 s")
}

/// Waits until the store holds `count` samples of `serial`.
async fn stored(sim: &Simulator, serial: &str, count: usize) {
    for _ in 0..200 {
        if sim.state().pushed.count(serial) == count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "{serial} has {} samples stored, not {count}",
        sim.state().pushed.count(serial)
    );
}

#[tokio::test]
async fn a_time_of_zero_becomes_the_receive_time() {
    let sim = start().await;
    let mut rx = sim.state().live.subscribe();
    let mut raw = Raw::authenticated(&sim).await;
    let before = sim.state().clock.now_ms();
    raw.send(&messages::data("ZZ-T0", vec![sog(0, 18.52)], 0))
        .await;
    let batch = heard(&mut rx, "ZZ-T0").await;
    let after = sim.state().clock.now_ms();
    let [(key, series)] = &batch.channels[..] else {
        panic!("one channel: {batch:?}");
    };
    assert_eq!(*key, TypeKey::new(9));
    let t = series.t[0] as i64;
    assert!((before..=after).contains(&t), "{before} <= {t} <= {after}");
    assert!(
        (series.fields[0][0] - 10.0).abs() < 1e-9,
        "18.52 km/h is 10 kn"
    );
}

#[tokio::test]
async fn type_of_service_says_stored_live_or_both() {
    let sim = start().await;
    let mut rx = sim.state().live.subscribe();
    let mut raw = Raw::authenticated(&sim).await;
    let t = now_ms();
    raw.send(&messages::data("ZZ-LIVE", vec![sog(t, 1.0)], 1))
        .await;
    assert_eq!(heard(&mut rx, "ZZ-LIVE").await.last_ms(), Some(t as i64));
    raw.send(&messages::data("ZZ-KEPT", vec![sog(t, 1.0)], 2))
        .await;
    stored(&sim, "ZZ-KEPT", 1).await;
    raw.send(&messages::data("ZZ-BOTH", vec![sog(t, 1.0)], 3))
        .await;
    // The first of this test's batches heard after the live-only one is the last one's:
    // 2 was not published (the demo's boats may publish in between).
    let next = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let Some(batch) = next_batch(&mut rx).await else {
                continue;
            };
            if batch.serial.starts_with("ZZ-") {
                return batch.serial.clone();
            }
        }
    })
    .await
    .expect("published within 5 s");
    assert_eq!(next, "ZZ-BOTH");
    stored(&sim, "ZZ-BOTH", 1).await;
    assert_eq!(sim.state().pushed.count("ZZ-LIVE"), 0, "live only");
    raw.send(&messages::data("ZZ-UNSET", vec![sog(t, 1.0)], 0))
        .await;
    heard(&mut rx, "ZZ-UNSET").await;
    stored(&sim, "ZZ-UNSET", 1).await;
}

#[tokio::test]
async fn a_new_device_is_nobodys_until_registered_and_given_a_window() {
    let sim = start().await;
    let serial = "ZZ-NEW-9";
    let mut raw = Raw::authenticated(&sim).await;
    let t = now_ms();
    let points = vec![pos(t, 54.43, 10.19, 2.5), sog(t, 18.52), sog(t - 500, 9.26)];
    raw.send(&messages::data(serial, points, 0)).await;
    stored(&sim, serial, 4).await;
    let state = sim.state();
    assert_eq!(state.riot.owner_of(&state.world, serial), None);
    assert!(state
        .riot
        .devices(&state.world)
        .iter()
        .any(|d| d.serial_number == serial && d.owner.is_none()));

    let (start, end) = (t as i64 - HOUR_MS, t as i64 + HOUR_MS);
    let query = data_query(&[serial], start, end, "types[1]=0&types[9]=0");
    for user in ["bob", "ana", "kai"] {
        let token = token(&sim, user).await;
        assert_eq!(get_json(&sim, &token, &query).await, json!({}), "{user}");
        let devices = get_json(&sim, &token, "devices").await.to_string();
        assert!(!devices.contains(serial), "{user} sees it: {devices}");
    }

    let bob = bob(&sim).await;
    register(&sim, &bob, serial).await;
    assert_eq!(state.riot.owner_of(&state.world, serial), Some(BOB));
    assert_eq!(
        get_json(&sim, &bob, &query).await,
        json!({}),
        "no window yet"
    );
    open_window(&sim, &bob, serial, start, end).await;
    let body = get_json(&sim, &bob, &query).await;
    let mut points: Vec<(u32, u64, Vec<i64>)> = answer_messages(&body, serial)
        .iter()
        .flatten()
        .map(rounded)
        .collect();
    points.sort_by_key(|p| (p.1, p.0));
    assert_eq!(
        points,
        [
            (9, t - 500, micro(&[9.26])),
            (1, t, micro(&[54.43, 10.19, 2.5, 7.0])),
            (9, t, micro(&[18.52])),
        ]
    );
    let latest = format!("resources/data/latest?type=9&serial_numbers[]={serial}");
    let latest = get_json(&sim, &bob, &latest).await;
    let last: Vec<_> = answer_messages(&latest, serial)
        .iter()
        .flatten()
        .map(rounded)
        .collect();
    assert_eq!(last, [(9, t, micro(&[18.52]))]);
    let ana = token(&sim, "ana").await;
    assert_eq!(
        get_json(&sim, &ana, &query).await,
        json!({}),
        "still not Ana's"
    );
}

#[tokio::test]
async fn pushed_samples_merge_with_the_demo_data() {
    let sim = start().await;
    let second = (week() + 10 * HOUR_MS) as u64;
    let mut raw = Raw::authenticated(&sim).await;
    raw.send(&messages::data(TERN, vec![sog(second + 500, 3.704)], 2))
        .await;
    stored(&sim, TERN, 1).await;
    let bob = bob(&sim).await;
    let span = (second as i64, second as i64 + 999);
    let query = data_query(&[TERN], span.0, span.1, "types[9]=0");
    let body = get_json(&sim, &bob, &query).await;
    let mut times: Vec<(u64, u32)> = answer_messages(&body, TERN)
        .iter()
        .flatten()
        .map(|p| (summary(p).1, p.source_id))
        .collect();
    times.sort_unstable();
    assert_eq!(
        times,
        [(second, 0), (second, 100), (second + 500, 0)],
        "the demo's second (both GPS) and the pushed point"
    );
}
