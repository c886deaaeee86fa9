//! Bodies written by the simulator's own `resources/data` encoder decode to the same
//! samples.

use igtimi_sim::api::encode::encode;
use igtimi_sim::demo::data::{DataStore, Series};
use telltale_data::{decode, TypeKey};

const HOUR: i64 = 3_600_000;

#[test]
fn simulator_payload_decodes_to_its_series() {
    let week = igtimi_sim::config::DEFAULT_WEEK_START_MS;
    let world = igtimi_sim::demo::world(2025, week);
    let store = DataStore::new(&world);
    // 10:00-10:20 on the regatta's first day, every device and channel (dsi keys included).
    let (from, to) = (week + 10 * HOUR, week + 10 * HOUR + HOUR / 3);
    let devices: Vec<(String, Vec<(igtimi_sim::world::TypeKey, Series)>)> = world
        .devices
        .iter()
        .map(|d| {
            let channels = d
                .sensors
                .iter()
                .map(|&key| (key, store.series(&d.serial_number, key, from, to)))
                .collect();
            (d.serial_number.clone(), channels)
        })
        .collect();
    let body = encode(&devices);
    let data = decode(&body).expect("the simulator's body decodes");

    let mut compared = 0;
    let mut with_dsi = 0;
    for (serial, channels) in &devices {
        for (key, series) in channels {
            let block = &data.devices[serial].channels[&TypeKey::with_dsi(key.code, key.dsi)];
            let times: Vec<i64> = series.t.iter().map(|&t| t.floor() as i64).collect();
            assert_eq!(block.t, times, "{serial} {key}");
            assert_eq!(block.fields.len(), series.fields.len(), "{serial} {key}");
            for (got, sent) in block.fields.iter().zip(&series.fields) {
                assert_eq!(got.len(), sent.len());
                for (g, s) in got.iter().zip(sent) {
                    assert!(
                        g == s || (g.is_nan() && !s.is_finite()),
                        "{serial} {key}: {g} vs {s}"
                    );
                }
            }
            compared += series.len();
            with_dsi += usize::from(key.dsi != 0);
        }
    }
    assert!(compared > 10_000, "compared only {compared} samples");
    assert!(
        with_dsi > 0,
        "the demo world has a second GPS on a data-source id"
    );
    assert_eq!(data.sample_count(), compared);
}

/// The simulator's Riot dialect (`igtimi_sim::riot::encode::data_body`: base64 protobuf
/// messages in km/h, radians and Pa, shuffled) read by `telltale_data::riot` gives the same
/// samples as its JSON dialect read by `decode`, for every device and every channel Riot
/// has a kind for.
#[test]
fn simulator_riot_payload_decodes_to_the_json_samples() {
    let week = igtimi_sim::config::DEFAULT_WEEK_START_MS;
    let world = igtimi_sim::demo::world(2025, week);
    let store = DataStore::new(&world);
    let (from, to) = (week + 10 * HOUR, week + 10 * HOUR + HOUR / 3);
    let mut compared = 0;
    for device in &world.devices {
        let serial = &device.serial_number;
        let channels: Vec<(igtimi_sim::world::TypeKey, Series)> = device
            .sensors
            .iter()
            .map(|&key| (key, store.series(serial, key, from, to)))
            .collect();
        let json = decode(&encode(&[(serial.clone(), channels)])).expect("the JSON body");
        let body = igtimi_sim::riot::encode::data_body(&store, serial, from, to);
        let riot = telltale_data::riot::decode_answer(&body).expect("the Riot body");
        assert!(riot.problems.is_empty(), "{serial}: {:?}", riot.problems);
        assert_eq!(riot.skipped.total(), 0, "{serial}");
        for (_, key, block) in riot.dataset.blocks() {
            let theirs = json
                .block(serial, key)
                .unwrap_or_else(|| panic!("{serial} {key}: not in the JSON answer"));
            if key.code != 5 {
                // Altitude rides in positions: only where a position has one.
                assert_eq!(block.t, theirs.t, "{serial} {key}");
            }
            assert_eq!(block.fields.len(), theirs.fields.len(), "{serial} {key}");
            for (i, t) in block.t.iter().enumerate() {
                let j = theirs.t.binary_search(t).expect("the same time");
                for (ours, json) in block.fields.iter().zip(&theirs.fields) {
                    let (a, b) = (ours[i], json[j]);
                    assert!(
                        (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                        "{serial} {key} at {t}: {a} vs {b}"
                    );
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 10_000, "compared only {compared} samples");
}
