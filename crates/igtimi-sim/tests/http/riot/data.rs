//! `resources/data` and `resources/data/latest`: the same samples as the JSON dialect in
//! Riot's units, one message per second, out of time order, gated by windows.

use super::*;
use riot_proto::units::KMH_PER_KNOT;
use std::collections::BTreeMap;

/// Points of an answer's serial by (field, source id), each list sorted by time.
type Channels = BTreeMap<(u32, u32), Vec<(u64, Vec<f64>)>>;

/// Decodes a serial's messages, checking one second per message and each second once;
/// returns the channels and the seconds in the order sent.
fn channels(body: &Value, serial: &str) -> (Channels, Vec<u64>) {
    let mut out = Channels::new();
    let mut order = Vec::new();
    for points in messages(body, serial) {
        assert!(!points.is_empty(), "no empty messages");
        let second = summary(&points[0]).1 / 1000;
        for p in &points {
            let (field, t, values) = summary(p);
            assert_eq!(t / 1000, second, "one second per message");
            out.entry((field, p.source_id))
                .or_default()
                .push((t, values));
        }
        order.push(second);
    }
    let mut seen = order.clone();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), order.len(), "each second in one message");
    for list in out.values_mut() {
        list.sort_by_key(|(t, _)| *t);
    }
    (out, order)
}

fn json_data_query(serials: &[&str], start: i64, end: i64, types: &str) -> String {
    format!("/api/v1/{}", data_query(serials, start, end, types))
}

async fn json_dialect_text(sim: &Simulator, user: u64, path: &str) -> String {
    let response = common::http()
        .get(format!("{}{path}", sim.base_url()))
        .bearer_auth(common::token_for(sim, user))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

async fn json_dialect(sim: &Simulator, user: u64, path: &str) -> Value {
    serde_json::from_str(&json_dialect_text(sim, user, path).await).unwrap()
}

fn times(block: &Value) -> Vec<u64> {
    numbers(&block["t"]).into_iter().map(|t| t as u64).collect()
}

/// One column of a JSON-dialect `resources/data` body, parsed from its text with Rust's
/// exact float parser (serde_json's default one may be a bit off in the last place).
fn column(text: &str, serial: &str, key: &str, field: &str) -> Vec<f64> {
    let device = text.find(&format!("\"{serial}\":{{")).expect("the device");
    let block = device
        + text[device..]
            .find(&format!("\"{key}\":{{"))
            .expect("the channel");
    let start = block
        + text[block..]
            .find(&format!("\"{field}\":["))
            .expect("the column");
    let list = &text[start + field.len() + 4..];
    list[..list.find(']').expect("the list ends")]
        .split(',')
        .map(|n| n.parse::<f64>().expect("a number"))
        .collect()
}

#[tokio::test]
async fn a_race_reads_the_same_through_both_dialects() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    let start = week() + DAY_MS + 10 * HOUR_MS;
    let end = start + 600_000;
    let riot = get_json(
        &sim,
        &bob,
        &data_query(
            &[TERN, BUOY],
            start,
            end,
            "types[1]=0&types[9]=0&types[12]=0&types[24]=0&types[50]=0",
        ),
    )
    .await;
    let json = json_dialect_text(
        &sim,
        BOB,
        &json_data_query(
            &[TERN, BUOY],
            start,
            end,
            "types[1]=0&types[5]=0&types[9]=0&types[12]=0&types[15]=0&types[24]=0",
        ),
    )
    .await;

    let (tern, order) = channels(&riot, TERN);
    assert_eq!(order.len(), 601, "one message per second of the 10 minutes");
    let keys: Vec<(u32, u32)> = tern.keys().copied().collect();
    assert_eq!(keys, [(1, 0), (1, 100), (9, 0), (9, 100), (12, 0), (50, 0)]);
    let stamps = |list: &[(u64, Vec<f64>)]| list.iter().map(|p| p.0 as f64).collect::<Vec<_>>();
    let altitude = column(&json, TERN, "5", "1");
    for (dsi, key) in [(0, "1"), (100, "1:100")] {
        let points = &tern[&(1, dsi)];
        assert_eq!(stamps(points), column(&json, TERN, key, "t"));
        let (lon, lat) = (column(&json, TERN, key, "1"), column(&json, TERN, key, "2"));
        for (i, (_, v)) in points.iter().enumerate() {
            assert_eq!(
                (v[0], v[1]),
                (lat[i], lon[i]),
                "latitude first, then longitude"
            );
            if dsi == 0 {
                assert_eq!((v[2], v[3]), (altitude[i], 7.0), "the altitude rides along");
            } else {
                assert_eq!((v[2], v[3]), (0.0, 3.0), "the second GPS has no altitude");
            }
        }
    }
    let converted =
        |points: &Channels, riot_key: (u32, u32), device: &str, key: &str, factor: f64| {
            let list = &points[&riot_key];
            let app = column(&json, device, key, "1");
            assert_eq!(stamps(list), column(&json, device, key, "t"));
            for ((_, v), x) in list.iter().zip(&app) {
                assert!((v[0] - x * factor).abs() < 1e-9, "{key}: {} vs {x}", v[0]);
            }
            app.iter().sum::<f64>()
        };
    assert!(
        converted(&tern, (9, 0), TERN, "9", KMH_PER_KNOT) > 600.0,
        "Tern sails"
    );
    converted(&tern, (9, 100), TERN, "9:100", KMH_PER_KNOT);
    assert!(
        converted(&tern, (12, 0), TERN, "12", KMH_PER_KNOT) > 600.0,
        "in some wind"
    );
    let battery: Vec<f64> = tern[&(50, 0)].iter().map(|(_, v)| v[0]).collect();
    assert_eq!(
        battery,
        column(&json, TERN, "15", "1"),
        "battery percent as num"
    );

    let (buoy, _) = channels(&riot, BUOY);
    let hpa = converted(&buoy, (24, 0), BUOY, "24", 100.0) / buoy[&(24, 0)].len() as f64;
    assert!(
        (950.0..1050.0).contains(&hpa),
        "{hpa} hPa on average, sent in Pa"
    );
    converted(&buoy, (9, 0), BUOY, "9", KMH_PER_KNOT);
}

#[tokio::test]
async fn messages_come_out_of_time_order_the_same_way_every_time() {
    let sim = common::start().await;
    let ana = token(&sim, "ana").await;
    let start = week() + 3 * DAY_MS + 11 * HOUR_MS;
    let query = data_query(&[SKUA], start, start + 120_000, "types[6]=0&types[9]=0");
    let (status, first) = get_text(&sim, &ana, &query).await;
    assert_eq!(status, StatusCode::OK);
    let (_, second) = get_text(&sim, &ana, &query).await;
    assert_eq!(first, second, "deterministic");
    let body: Value = serde_json::from_str(&first).unwrap();
    let (_, order) = channels(&body, SKUA);
    assert_eq!(order.len(), 121);
    assert!(order.windows(2).any(|w| w[0] > w[1]), "not in time order");
    let mut sorted = order.clone();
    sorted.sort_unstable();
    let expected: Vec<u64> = (0..=120).map(|s| (start / 1000) as u64 + s).collect();
    assert_eq!(sorted, expected, "every second is there");
}

#[tokio::test]
async fn kai_reads_tern_on_day_three_only() {
    let sim = common::start().await;
    let kai = token(&sim, "kai").await;
    let day3 = week() + 2 * DAY_MS;
    let day2_race = data_query(
        &[TERN],
        day3 - DAY_MS + 10 * HOUR_MS,
        day3 - DAY_MS + 11 * HOUR_MS,
        "types[9]=0",
    );
    assert_eq!(
        get_json(&sim, &kai, &day2_race).await,
        serde_json::json!({})
    );
    // A span over both days gives day 3's part: the window 09:00-17:00, data until 16:30.
    let both = data_query(
        &[TERN],
        day3 - DAY_MS + 12 * HOUR_MS,
        day3 + 20 * HOUR_MS,
        "types[9]=0",
    );
    let (tern, _) = channels(&get_json(&sim, &kai, &both).await, TERN);
    let sog = &tern[&(9, 0)];
    assert_eq!(sog.first().unwrap().0, (day3 + 9 * HOUR_MS) as u64);
    assert_eq!(
        sog.last().unwrap().0,
        (day3 + 16 * HOUR_MS + 30 * 60_000) as u64
    );
    assert_eq!(sog.len(), 27_001);
    // The JSON dialect clips Kai's read to the same window.
    let json = json_dialect(
        &sim,
        KAI,
        &json_data_query(
            &[TERN],
            day3 - DAY_MS + 12 * HOUR_MS,
            day3 + 20 * HOUR_MS,
            "types[9]=0",
        ),
    )
    .await;
    assert_eq!(
        sog.iter().map(|p| p.0).collect::<Vec<_>>(),
        times(&json[TERN]["9"])
    );
    // Skua is not his: left out, while Tern is there.
    let mixed = data_query(
        &[TERN, SKUA],
        day3 + 10 * HOUR_MS,
        day3 + 10 * HOUR_MS + 5_000,
        "types[9]=0",
    );
    let body = get_json(&sim, &kai, &mixed).await;
    assert_eq!(body.as_object().unwrap().keys().collect::<Vec<_>>(), [TERN]);
}

#[tokio::test]
async fn compression_thins_positions_like_the_json_dialect() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    let start = week() + 2 * DAY_MS + 11 * HOUR_MS;
    let end = start + 2 * HOUR_MS;
    let riot = get_json(
        &sim,
        &bob,
        &data_query(&[TERN], start, end, "types[1]=0.0001&types[9]=0.5"),
    )
    .await;
    let json = json_dialect(
        &sim,
        BOB,
        &json_data_query(&[TERN], start, end, "types[1]=0.0001"),
    )
    .await;
    let (tern, _) = channels(&riot, TERN);
    let kept = &tern[&(1, 0)];
    assert!(
        kept.len() < 7201 / 2,
        "{} of 7201 positions kept",
        kept.len()
    );
    assert_eq!(
        kept.iter().map(|p| p.0).collect::<Vec<_>>(),
        times(&json[TERN]["1"])
    );
    assert_eq!(
        tern[&(9, 0)].len(),
        7201,
        "compression is for positions only"
    );
}

#[tokio::test]
async fn bad_parameters_and_the_span_limit_are_400() {
    let sim = common::start().await;
    let bob = token(&sim, "bob").await;
    let w = week();
    let cases = [
        (
            format!("resources/data?end_time={w}&serial_numbers[]={TERN}&types[9]=0"),
            "start_time is required",
        ),
        (
            format!("resources/data?start_time=x&end_time={w}&serial_numbers[]={TERN}&types[9]=0"),
            "must be a number",
        ),
        (
            data_query(&[], w, w + 1000, "types[9]=0"),
            "serial_numbers[] is required",
        ),
        (data_query(&[TERN], w, w + 1000, "x=1"), "types[<field>]"),
        (
            data_query(&[TERN], w, w + 1000, "types[999]=0"),
            "not a DataPoint field",
        ),
        (
            data_query(&[TERN], w, w + 1000, "types[sog]=0"),
            "not a DataPoint field",
        ),
        (
            data_query(&[TERN], w, w + 1000, "types[1]=-1"),
            "compression",
        ),
        (
            data_query(&[TERN], w + 1000, w, "types[9]=0"),
            "before start_time",
        ),
        (
            data_query(&[TERN], w, w + 31 * DAY_MS + 1, "types[9]=0"),
            "at most 2678400000 ms",
        ),
    ];
    for (query, needle) in cases {
        let (status, text) = get_text(&sim, &bob, &query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {text}");
        assert!(text.contains(needle), "{query}: {needle:?} not in {text:?}");
    }
    // Exactly the longest span is fine; restore_archives and non-series fields are accepted.
    let longest = format!(
        "{}&restore_archives=true",
        data_query(&[TERN], w - 24 * DAY_MS, w + 7 * DAY_MS, "types[52]=0")
    );
    assert_eq!(
        get_json(&sim, &bob, &longest).await,
        serde_json::json!({ TERN: [] })
    );
}

#[tokio::test]
async fn latest_is_one_point_of_the_last_readable_second() {
    // The boats sailed live a month before the regatta: the week is the newest data.
    let sim = common::start_with(igtimi_sim::SimConfig {
        live_day_ms: Some(week() - 30 * DAY_MS),
        ..igtimi_sim::SimConfig::default()
    })
    .await;
    let bob = token(&sim, "bob").await;
    let body = get_json(
        &sim,
        &bob,
        &format!("resources/data/latest?type=9&serial_numbers[]={TERN}&serial_numbers[]={SKUA}"),
    )
    .await;
    assert_eq!(
        body.as_object().unwrap().len(),
        1,
        "Skua is not Bob's: {body}"
    );
    let tern = messages(&body, TERN);
    assert_eq!(tern.len(), 1);
    assert_eq!(tern[0].len(), 1, "cut to one point");
    let (field, t, v) = summary(&tern[0][0]);
    let last_day_end = week() + 6 * DAY_MS + 16 * HOUR_MS + 30 * 60_000;
    assert_eq!((field, t), (9, last_day_end as u64));
    let json = json_dialect(
        &sim,
        BOB,
        &format!("/api/v1/resources/data/latest?type=9&serial_numbers[]={TERN}"),
    )
    .await;
    let knots = json["latest_data"][0]["latest_datum"]["c1"]
        .as_f64()
        .unwrap();
    assert!((v[0] - knots * KMH_PER_KNOT).abs() < 1e-9);

    // Kai's newest Tern position is the last of his day-3 window, with its altitude.
    let kai = token(&sim, "kai").await;
    let body = get_json(
        &sim,
        &kai,
        &format!("resources/data/latest?type=1&serial_numbers[]={TERN}"),
    )
    .await;
    let (field, t, v) = summary(&messages(&body, TERN)[0][0]);
    assert_eq!(
        (field, t),
        (1, (week() + 2 * DAY_MS + 16 * HOUR_MS + 30 * 60_000) as u64)
    );
    assert_eq!(v[3], 7.0);
    assert!((53.5..=55.5).contains(&v[0]) && (9.0..=12.0).contains(&v[1]));

    for (query, needle) in [
        (
            format!("resources/data/latest?serial_numbers[]={TERN}"),
            "type is required",
        ),
        (
            format!("resources/data/latest?type=abc&serial_numbers[]={TERN}"),
            "not a DataPoint field",
        ),
        (
            "resources/data/latest?type=9".to_string(),
            "serial_numbers[]",
        ),
    ] {
        let (status, text) = get_text(&sim, &bob, &query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(text.contains(needle), "{text}");
    }
}
