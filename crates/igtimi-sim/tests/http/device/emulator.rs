//! The device emulator against the device port: it authenticates, sails, answers
//! heartbeats, reconnects after silence and stops cleanly; what it pushes is live at once
//! and readable by whoever registers the serial and opens a window.

use super::data::next_batch;
use super::*;
use crate::riot::{data_query, get_json, messages as answer_messages, summary, HOUR_MS};
use igtimi_sim::riot::device::emulate::{demo_boat, EmulateError, Emulator, EmulatorConfig};
use igtimi_sim::world::TypeKey;

fn config(sim: &Simulator, serial: &str) -> EmulatorConfig {
    let addr = sim.device_addr().expect("a device port").to_string();
    EmulatorConfig::new(
        addr,
        serial,
        demo_boat("Tern", None).expect("the demo has Tern"),
    )
}

#[tokio::test]
async fn the_emulator_sails_live_and_bob_reads_it_once_registered() {
    let sim = start_with(SimConfig {
        riot_device_heartbeat: Duration::from_millis(100),
        ..SimConfig::default()
    })
    .await;
    let serial = "ZZ-EMU-1";
    let mut rx = sim.state().live.subscribe();
    let started = now_ms() as i64;
    let emulator = Emulator::start(EmulatorConfig {
        rate_hz: 10.0,
        ..config(&sim, serial)
    });

    // Live: 10 Hz, stamped when sent, with every instrument Riot has a kind for.
    let mut times = Vec::new();
    while times.len() < 5 {
        let Some(batch) = tokio::time::timeout(Duration::from_secs(5), next_batch(&mut rx))
            .await
            .expect("the emulator pushes within 5 s")
        else {
            continue;
        };
        if batch.serial != serial {
            continue;
        }
        let heard = now_ms() as i64;
        let t = batch.last_ms().expect("samples");
        assert!(started <= t && t <= heard, "{started} <= {t} <= {heard}");
        let keys: Vec<TypeKey> = batch.channels.iter().map(|(k, _)| *k).collect();
        for key in [
            TypeKey::new(1),
            TypeKey::new(5),
            TypeKey::new(9),
            TypeKey::with_dsi(9, 100),
        ] {
            assert!(keys.contains(&key), "{key} in {keys:?}");
        }
        times.push(t);
    }
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    assert!(
        times.iter().any(|t| t % 1000 != times[0] % 1000),
        "sub-second times: {times:?}"
    );

    // Stored, but nobody's yet.
    let bob = bob(&sim).await;
    let (start, end) = (started - HOUR_MS, started + HOUR_MS);
    let query = data_query(&[serial], start, end, "types[1]=0&types[9]=0");
    assert_eq!(get_json(&sim, &bob, &query).await, json!({}));
    register(&sim, &bob, serial).await;
    open_window(&sim, &bob, serial, start, end).await;
    let body = get_json(&sim, &bob, &query).await;
    let points: Vec<(u32, u64, Vec<f64>)> = answer_messages(&body, serial)
        .iter()
        .flatten()
        .map(summary)
        .collect();
    assert!(points.iter().any(|p| p.0 == 1) && points.iter().any(|p| p.0 == 9));
    for (field, t, values) in &points {
        assert!((start as u64..=end as u64).contains(t));
        if *field == 1 {
            let (lat, lon) = (values[0], values[1]);
            assert!(
                (54.0..55.0).contains(&lat) && (10.0..11.0).contains(&lon),
                "Kiel: {values:?}"
            );
        }
    }

    let report = emulator.report();
    assert_eq!(report.connections, 1);
    assert!(report.heartbeats >= 1, "{report:?}");
    let report = emulator.stop().await.expect("stops cleanly");
    assert!(
        report.messages >= 5 && report.points > report.messages,
        "{report:?}"
    );
}

#[tokio::test]
async fn the_emulator_reconnects_after_silence() {
    // Heartbeats far apart: the emulator hears nothing and tries again.
    let sim = start_with(SimConfig {
        riot_device_heartbeat: Duration::from_secs(60),
        ..SimConfig::default()
    })
    .await;
    let mut emulator = Emulator::start(EmulatorConfig {
        silence: Duration::from_millis(300),
        reconnect_delay: Duration::from_millis(50),
        duration: Some(Duration::from_millis(1500)),
        ..config(&sim, "ZZ-EMU-2")
    });
    let report = emulator.finished().await.expect("ends after its duration");
    assert!(report.connections >= 2, "{report:?}");
    assert!(report.messages >= 1, "{report:?}");
}

#[tokio::test]
async fn a_refused_token_ends_the_emulator_with_the_reason() {
    let sim = start().await;
    let mut emulator = Emulator::start(EmulatorConfig {
        token: String::new(),
        ..config(&sim, "ZZ-EMU-3")
    });
    let refused = tokio::time::timeout(Duration::from_secs(5), emulator.finished())
        .await
        .expect("gives up at once");
    match refused {
        Err(EmulateError::Refused { code: 401, reason }) => {
            assert!(reason.contains("empty"), "{reason}")
        }
        other => panic!("refused with 401, got {other:?}"),
    }
    let mut bad_rate = Emulator::start(EmulatorConfig {
        rate_hz: 0.0,
        ..config(&sim, "ZZ-EMU-3")
    });
    assert_eq!(bad_rate.finished().await, Err(EmulateError::BadRate(0.0)));
}

#[tokio::test]
async fn the_emulator_waits_for_a_server_that_is_not_there_yet() {
    let sim = start().await;
    let addr = sim.device_addr().unwrap();
    sim.shutdown().await;
    let mut emulator = Emulator::start(EmulatorConfig {
        reconnect_delay: Duration::from_millis(20),
        duration: Some(Duration::from_millis(300)),
        ..EmulatorConfig::new(
            addr.to_string(),
            "ZZ-EMU-4",
            demo_boat("buoy", None).unwrap(),
        )
    });
    let report = emulator.finished().await.expect("no error, only retries");
    assert_eq!(report.connections, 0);
}
