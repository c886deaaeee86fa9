//! `GET resources/data` and `GET resources/data/latest`.

use super::*;

/// The numbers of a JSON array.
fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("{v} is an array"))
        .iter()
        .map(|n| n.as_f64().expect("number"))
        .collect()
}

fn data_query(serials: &[&str], start: i64, end: i64, types: &str) -> String {
    let serials: String = serials
        .iter()
        .map(|s| format!("&serial_numbers[]={s}"))
        .collect();
    format!("resources/data?start_time={start}.0&end_time={end}.0{serials}&{types}")
}

fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let s = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((p.0 - a.0 - s * dx).powi(2) + (p.1 - a.1 - s * dy).powi(2)).sqrt()
}

#[tokio::test]
async fn multi_type_request_with_data_source_ids() {
    let sim = common::start().await;
    let bob = common::token_for(&sim, BOB);
    let start = week() + DAY_MS + 10 * HOUR_MS;
    let end = start + 600_000;
    let query = data_query(
        &[TERN, PETREL],
        start,
        end,
        "types[1]=0&types[9]=0&types[13]=0",
    );
    let response = common::http()
        .get(format!("{}/api/v1/{query}", sim.base_url()))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let raw = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&raw).expect("valid JSON");
    // Times are float milliseconds on the wire.
    assert!(
        raw.contains(&format!("\"t\":[{start}.0,")),
        "float ms times"
    );

    let tern = body[TERN].as_object().expect("Tern is present");
    let mut keys: Vec<&str> = tern.keys().map(String::as_str).collect();
    keys.sort_unstable();
    // Tern has a second GPS on data-source id 100 and no heart-rate strap.
    assert_eq!(keys, vec!["1", "1:100", "9", "9:100"]);
    let position = &tern["1"];
    let t = numbers(&position["t"]);
    assert_eq!(t.len(), 601, "1 Hz, both ends included");
    assert!(position["t"][0].is_f64());
    assert_eq!(t[0], start as f64);
    assert_eq!(*t.last().unwrap(), end as f64);
    assert!(t.windows(2).all(|w| w[0] < w[1]));
    let (lon, lat) = (numbers(&position["1"]), numbers(&position["2"]));
    assert_eq!((lon.len(), lat.len()), (601, 601));
    assert!(position.get("3").is_none());
    // "1" is longitude, "2" latitude: Kiel lies near 10°E, 54.5°N.
    assert!(
        lon.iter().all(|x| (9.0..=12.0).contains(x)),
        "longitudes {:?}",
        &lon[..3]
    );
    assert!(
        lat.iter().all(|y| (53.5..=55.5).contains(y)),
        "latitudes {:?}",
        &lat[..3]
    );
    assert_eq!(numbers(&tern["9:100"]["1"]).len(), 601);

    let petrel = body[PETREL].as_object().expect("Petrel is present");
    let mut keys: Vec<&str> = petrel.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, vec!["1", "13", "9"]);
    let heart = &petrel["13"];
    for field in ["1", "2", "3"] {
        assert_eq!(numbers(&heart[field]).len(), numbers(&heart["t"]).len());
    }
}

#[tokio::test]
async fn compression_thins_positions_within_the_bound() {
    let sim = common::start().await;
    let bob = common::token_for(&sim, BOB);
    let start = week() + 2 * DAY_MS + 11 * HOUR_MS;
    let end = start + 2 * HOUR_MS;
    let tolerance = 1e-4;
    let full = get_ok(&sim, &bob, &data_query(&[TERN], start, end, "types[1]=0")).await;
    let thin = get_ok(
        &sim,
        &bob,
        &data_query(
            &[TERN],
            start,
            end,
            &format!("types[1]={tolerance}&types[9]=0.5"),
        ),
    )
    .await;
    let (ft, fx, fy) = (
        numbers(&full[TERN]["1"]["t"]),
        numbers(&full[TERN]["1"]["1"]),
        numbers(&full[TERN]["1"]["2"]),
    );
    let (tt, tx, ty) = (
        numbers(&thin[TERN]["1"]["t"]),
        numbers(&thin[TERN]["1"]["1"]),
        numbers(&thin[TERN]["1"]["2"]),
    );
    assert_eq!(ft.len(), 7201);
    assert!(
        tt.len() < ft.len() / 2,
        "{} of {} points kept",
        tt.len(),
        ft.len()
    );
    assert!(tt.len() >= 2 && tt[0] == ft[0] && tt.last() == ft.last());
    assert_eq!((tx.len(), ty.len()), (tt.len(), tt.len()));
    // Compression applies to type 1 only: SOG keeps every sample.
    assert_eq!(numbers(&thin[TERN]["9"]["t"]).len(), 7201);
    // Every dropped point is within the bound of the kept segment around it.
    let mut k = 0;
    for (i, &t) in ft.iter().enumerate() {
        while k + 1 < tt.len() && tt[k + 1] < t {
            k += 1;
        }
        let next = (k + 1).min(tt.len() - 1);
        let d = segment_distance((fx[i], fy[i]), (tx[k], ty[k]), (tx[next], ty[next]));
        assert!(d <= tolerance * (1.0 + 1e-9), "point {i} is {d} deg off");
    }
}

#[tokio::test]
async fn shared_device_data_is_clipped_to_the_window() {
    let sim = common::start().await;
    let kai = common::token_for(&sim, KAI);
    let window = (
        week() + 2 * DAY_MS + 9 * HOUR_MS,
        week() + 2 * DAY_MS + 17 * HOUR_MS,
    );
    let body = get_ok(
        &sim,
        &kai,
        &data_query(&[TERN], week() + DAY_MS, week() + 4 * DAY_MS, "types[9]=0"),
    )
    .await;
    let t = numbers(&body[TERN]["9"]["t"]);
    assert!(!t.is_empty(), "Kai reads Tern on day 3");
    assert_eq!(t[0], window.0 as f64);
    assert!(t
        .iter()
        .all(|&x| x >= window.0 as f64 && x <= window.1 as f64));

    // Outside the window Tern is left out altogether; the buoy (all week) is there.
    let day1 = week() + 12 * HOUR_MS;
    let outside = get_ok(
        &sim,
        &kai,
        &data_query(&[TERN, BUOY, "XX-NONE"], day1, day1 + 60_000, "types[1]=0"),
    )
    .await;
    let serials: Vec<&String> = outside.as_object().unwrap().keys().collect();
    assert_eq!(serials, vec![BUOY]);
    assert_eq!(numbers(&outside[BUOY]["1"]["t"]).len(), 61);
    // Ana has no window on Tern at all.
    let ana = get_ok(
        &sim,
        &common::token_for(&sim, ANA),
        &data_query(&[TERN], window.0, window.1, "types[1]=0"),
    )
    .await;
    assert_eq!(ana, serde_json::json!({}));
}

#[tokio::test]
async fn bad_requests_and_the_span_limit() {
    let sim = common::start().await;
    let bob = common::token_for(&sim, BOB);
    let w = week();
    let long = data_query(&[TERN], w, w + 32 * DAY_MS, "types[1]=0");
    let (status, err) = get(&sim, &bob, &long).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"], "span_too_long");
    assert!(err["reason"].as_str().unwrap().contains("split"), "{err}");

    let cases = [
        (
            format!("resources/data?end_time={w}&serial_numbers[]={TERN}&types[1]=0"),
            "start_time",
        ),
        (data_query(&[TERN], w + 10, w, "types[1]=0"), "end_time"),
        (
            data_query(&[TERN], w, w + 10, "restore_archives=true"),
            "types",
        ),
        (data_query(&[TERN], w, w + 10, "types[99]=0"), "99"),
        (data_query(&[TERN], w, w + 10, "types[x]=0"), "types[x]"),
        (data_query(&[TERN], w, w + 10, "types[1]=-1"), "types[1]"),
        (data_query(&[], w, w + 10, "types[1]=0"), "serial_numbers"),
        (
            data_query(&[TERN], w, w + 10, "types[1]=0&restore_archives=maybe"),
            "restore_archives",
        ),
    ];
    for (query, name) in cases {
        let (status, err) = get(&sim, &bob, &query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(err["error"], "invalid_request", "{query}");
        assert!(
            err["reason"].as_str().unwrap().contains(name),
            "{query}: {err}"
        );
    }
}

#[tokio::test]
async fn data_request_posted_with_method_get() {
    let sim = common::start().await;
    let bob = common::token_for(&sim, BOB);
    let start = week() + 5 * DAY_MS + 12 * HOUR_MS;
    let (s, e) = (start.to_string(), (start + 30_000).to_string());
    let response = common::http()
        .post(format!("{}/api/v1/resources/data", sim.base_url()))
        .bearer_auth(&bob)
        .form(&[
            ("_method", "GET"),
            ("start_time", s.as_str()),
            ("end_time", e.as_str()),
            ("serial_numbers[]", PETREL),
            ("types[15]", "0"),
            ("restore_archives", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(numbers(&body[PETREL]["15"]["t"]).len(), 31);
}

#[tokio::test]
async fn latest_is_the_last_readable_sample() {
    // The boats sailed live a month before the regatta: the week is the newest data.
    let sim = common::start_with(igtimi_sim::SimConfig {
        live_day_ms: Some(week() - 30 * DAY_MS),
        ..igtimi_sim::SimConfig::default()
    })
    .await;
    let bob = common::token_for(&sim, BOB);
    let body = get_ok(
        &sim,
        &bob,
        &format!("resources/data/latest?type=1&serial_numbers[]={TERN}&serial_numbers[]={SKUA}"),
    )
    .await;
    let latest = items(&body, "latest_data", "latest_datum");
    assert_eq!(latest.len(), 1, "Skua is not Bob's: {body}");
    let datum = &latest[0];
    assert_eq!(datum["serial_number"], TERN);
    assert_eq!(datum["resource_id"], 30106);
    let last_day_end = week() + 6 * DAY_MS + 16 * HOUR_MS + 30 * 60_000;
    assert_eq!(float_ms(&datum["timestamp"]), last_day_end as f64);
    assert!((9.0..=12.0).contains(&datum["c1"].as_f64().unwrap()));
    assert!((53.5..=55.5).contains(&datum["c2"].as_f64().unwrap()));

    // Kai's newest Tern sample is the last one inside his day-3 window; it matches the data.
    let kai = common::token_for(&sim, KAI);
    let body = get_ok(
        &sim,
        &kai,
        &format!("resources/data/latest?type=9&serial_numbers[]={TERN}"),
    )
    .await;
    let datum = &items(&body, "latest_data", "latest_datum")[0];
    assert_eq!(datum["resource_id"], 30102);
    let day3 = week() + 2 * DAY_MS;
    let data = get_ok(
        &sim,
        &kai,
        &data_query(
            &[TERN],
            day3 + 16 * HOUR_MS,
            day3 + 17 * HOUR_MS,
            "types[9]=0",
        ),
    )
    .await;
    let t = numbers(&data[TERN]["9"]["t"]);
    assert_eq!(float_ms(&datum["timestamp"]), *t.last().unwrap());
    assert_eq!(
        datum["c1"].as_f64(),
        numbers(&data[TERN]["9"]["1"]).last().copied()
    );

    let (status, err) = get(
        &sim,
        &bob,
        "resources/data/latest?serial_numbers[]=AA-BT-0417",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["reason"].as_str().unwrap().contains("type"));
}

#[tokio::test]
async fn latest_is_now_on_a_live_day() {
    let sim = common::start().await;
    for user in [BOB, KAI] {
        let token = common::token_for(&sim, user);
        let before = sim.state().clock.now_ms();
        let body = get_ok(
            &sim,
            &token,
            &format!("resources/data/latest?type=9&serial_numbers[]={TERN}"),
        )
        .await;
        let after = sim.state().clock.now_ms();
        let datum = &items(&body, "latest_data", "latest_datum")[0];
        assert_eq!(datum["resource_id"], 31011, "today's resource");
        let t = float_ms(&datum["timestamp"]) as i64;
        assert!(t > before - 1000 && t <= after, "{t} is the second of now");
    }
}
