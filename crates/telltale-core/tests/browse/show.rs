//! What is shown of loaded data: downsampled series with gaps, tracks, latest values, GPX
//! and CSV exports; nothing before a load or after forgetting.

use crate::*;
use telltale_core::browse::{ExportFormat, ViewRequest};
use telltale_data::downsample::is_direction;

#[tokio::test]
async fn nothing_is_shown_before_a_load_or_after_forgetting() {
    let Some(world) = World::start("forget").await else {
        return;
    };
    let request = ViewRequest {
        from: RACE_START,
        to: RACE_END,
        width: 800,
    };
    let before = world.data.view(request).await;
    assert_eq!(
        before.map(|_| ()).map_err(|e| e.kind()),
        Err("nothing_loaded")
    );
    let export = world
        .data
        .export(ExportFormat::Csv, RACE_START, RACE_END)
        .await;
    assert_eq!(
        export.map(|_| ()).map_err(|e| e.kind()),
        Err("nothing_loaded")
    );

    world.load_race().await.0.expect("loads");
    world
        .data
        .view(request)
        .await
        .expect("a view after the load");
    world.data.forget().await;
    let after = world.data.view(request).await;
    assert_eq!(
        after.map(|_| ()).map_err(|e| e.kind()),
        Err("nothing_loaded")
    );
    let counter = world.count_data_requests();
    let summary = world.load_race().await.0.expect("loads again");
    assert_eq!(summary.chunks_from_cache, 0, "the cache was dropped");
    assert_eq!(counter.count(), 7);
}

#[tokio::test]
async fn views_bound_points_per_series_and_break_lines_at_gaps() {
    let Some(world) = World::start("view").await else {
        return;
    };
    // Tern from 16:00 on day 1 to 10:00 on day 2: a night without data in the middle.
    let (from, to) = (WEEK + 16 * HOUR, WEEK + DAY + 10 * HOUR);
    let summary = world
        .load(LoadRequest {
            from,
            to,
            serials: vec![TERN.into()],
        })
        .await
        .0
        .expect("loads");
    assert!(summary.failed.is_empty());
    let width = 200;
    let view = world
        .data
        .view(ViewRequest { from, to, width })
        .await
        .expect("view");
    assert_eq!((view.from, view.to), (from, to));
    assert!(view.series.len() >= 15, "{}", view.series.len());
    for series in &view.series {
        // M4: 4 points per column; a direction also gets a gap where it wraps (at most one
        // between any two points).
        let bound = if is_direction(series.channel.code) {
            8
        } else {
            4
        } * width as usize;
        assert!(series.t.len() <= bound, "{}", series.t.len());
        if is_direction(series.channel.code) {
            let jumps = series.v.windows(2).filter(|p| match (p[0], p[1]) {
                (Some(a), Some(b)) => (a - b).abs() > 180.0,
                _ => false,
            });
            assert_eq!(
                jumps.count(),
                0,
                "{} draws a line across a wrap",
                series.channel.label
            );
        }
        assert_eq!(series.t.len(), series.v.len());
        assert!(series.t.windows(2).all(|p| p[0] <= p[1]));
        assert_ne!(series.channel.code, 1, "positions are the track");
    }
    let sog = view
        .series
        .iter()
        .find(|s| s.channel.key == "9" && s.serial == TERN)
        .expect("SOG");
    assert_eq!(sog.device_name, "Tern");
    // Data covers 1.5 of the 18 hours: about 17 of the 200 columns, 4 points each.
    assert!(sog.t.len() > 50, "{}", sog.t.len());
    assert!(
        summary.samples > 50 * sog.t.len() as u64,
        "the full data is much larger"
    );
    let night: Vec<i64> = sog
        .t
        .iter()
        .zip(&sog.v)
        .filter(|(_, v)| v.is_none())
        .map(|(t, _)| *t)
        .collect();
    let (dusk, dawn) = (WEEK + 16 * HOUR + 30 * MIN, WEEK + DAY + 9 * HOUR);
    assert!(
        night.iter().any(|&t| t > dusk && t < dawn),
        "a gap marker in the night: {night:?}"
    );
    assert!(sog.v.iter().flatten().all(|v| (0.0..30.0).contains(v)));

    let track = view
        .tracks
        .iter()
        .find(|t| t.serial == TERN)
        .expect("track");
    // Picked evenly in time over the 18 hours: the 1.5 hours with data get about 1/12.
    assert!(
        track.t.len() <= 4000 && track.t.len() > 300,
        "{}",
        track.t.len()
    );
    assert_eq!(track.lon.len(), track.t.len());
    assert_eq!(track.lat.len(), track.t.len());
    assert!(track.lat.iter().all(|lat| (54.0..55.0).contains(lat)));
    let known = track.speed.iter().flatten().count();
    assert!(
        known * 10 >= track.t.len() * 9,
        "{known} of {} speeds",
        track.t.len()
    );

    // Zoomed in on ten minutes: every sample, no downsampling.
    let zoom = world
        .data
        .view(ViewRequest {
            from: WEEK + DAY + 9 * HOUR + 20 * MIN,
            to: WEEK + DAY + 9 * HOUR + 30 * MIN,
            width: 800,
        })
        .await
        .expect("zoom");
    let zoomed = zoom
        .series
        .iter()
        .find(|s| s.channel.key == "9")
        .expect("SOG");
    assert!((590..=601).contains(&zoomed.t.len()), "{}", zoomed.t.len());
}

#[tokio::test]
async fn latest_values_per_device() {
    let Some(world) = World::start("latest").await else {
        return;
    };
    let latest = world
        .data
        .latest(&world.tokens, vec![TERN.into(), BUOY.into()])
        .await
        .expect("latest");
    let serials: Vec<&str> = latest.iter().map(|l| l.serial.as_str()).collect();
    assert_eq!(serials, vec![TERN, BUOY]);
    assert_eq!(latest[0].device_name, "Tern");
    for device in &latest {
        let sog = device
            .values
            .iter()
            .find(|v| v.channel.key == "9")
            .expect("SOG");
        assert_eq!(sog.channel.unit, "kn");
        // The demo sails now: the newest SOG is the last whole second.
        let age = world.sim().state().clock.now_ms() - sog.time;
        assert!((0..5_000).contains(&age), "the newest SOG is {age} ms old");
        assert!(device
            .values
            .iter()
            .any(|v| v.channel.code == 1 && v.channel.field == 2));
    }
    assert!(latest[1]
        .values
        .iter()
        .any(|v| v.channel.short_name == "BARO"));
    let json = serde_json::to_value(&latest).expect("serializes");
    assert!(json[0]["values"][0]["channel"]["shortName"].is_string());
}

#[tokio::test]
async fn exports_hold_the_loaded_race() {
    let Some(world) = World::start("export").await else {
        return;
    };
    world.load_race().await.0.expect("loads");
    let gpx = world
        .data
        .export(ExportFormat::Gpx, RACE_START, RACE_END)
        .await
        .expect("gpx");
    assert_eq!(
        gpx.file_name,
        "telltale-20250621T100000Z-20250621T110500Z.gpx"
    );
    let text = &gpx.contents;
    assert!(text.starts_with("<?xml"));
    assert!(text.contains("creator=\"Telltale\""));
    assert_eq!(text.matches("<trk>").count(), 2, "Tern and the buoy");
    assert!(text.contains("<name>Tern (AA-BT-0417)</name>"));
    assert_eq!(text.matches("<trkpt ").count() as u64, gpx.rows);
    assert!(
        gpx.rows > 7000,
        "two devices at 1 Hz for 65 minutes: {}",
        gpx.rows
    );
    assert!(text.contains("<gpxtpx:speed>") && text.contains("<gpxtpx:course>"));
    assert!(text.contains("<time>2025-06-21T10:00:00"));

    let csv = world
        .data
        .export(ExportFormat::Csv, RACE_START, RACE_START + 10 * MIN)
        .await
        .expect("csv");
    assert!(csv.file_name.ends_with(".csv"));
    let mut lines = csv.contents.split("\r\n").filter(|l| !l.is_empty());
    let header = lines.next().expect("header");
    assert!(header.starts_with("time_utc,"), "{header}");
    for column in [
        "AA-BT-0417 SOG (kn)",
        "AA-BT-0417 longitude (deg)",
        "AA-BT-0417 latitude (deg)",
        "AA-BT-0417 SOG (src 100) (kn)",
        "AA-BT-0731 BARO (hPa)",
    ] {
        assert!(header.contains(column), "{column} in {header}");
    }
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len() as u64, csv.rows);
    assert!((600..=1300).contains(&rows.len()), "{}", rows.len());
    assert!(rows[0].starts_with("2025-06-21T10:00:00"));
    let columns = header.split(',').count();
    assert!(rows.iter().all(|r| r.split(',').count() == columns));
}

#[tokio::test]
async fn a_direction_breaks_where_it_wraps_around_north() {
    let Some(world) = World::start("wrap").await else {
        return;
    };
    world.load_race().await.0.expect("loads");
    let view = world
        .data
        .view(ViewRequest {
            from: RACE_START,
            to: RACE_END,
            width: 600,
        })
        .await
        .expect("view");
    // The buoy swings around north: its COG crosses 0/360 again and again.
    let cog = view
        .series
        .iter()
        .find(|s| s.channel.code == 6 && s.serial == BUOY)
        .expect("the buoy's COG");
    let finite: Vec<f64> = cog.v.iter().flatten().copied().collect();
    assert!(finite.iter().any(|&v| v < 30.0) && finite.iter().any(|&v| v > 330.0));
    // Around every gap marker: the values on either side, and how many of them wrap.
    let mut wraps = 0;
    for (i, value) in cog.v.iter().enumerate() {
        if value.is_none() {
            let before = cog.v[..i].iter().rev().flatten().next();
            let after = cog.v[i + 1..].iter().flatten().next();
            if let (Some(a), Some(b)) = (before, after) {
                wraps += usize::from((a - b).abs() > 180.0);
            }
        }
    }
    assert!(wraps > 0, "no wrap around north was broken");
    let lines_across = cog.v.windows(2).filter(|p| match (p[0], p[1]) {
        (Some(a), Some(b)) => (a - b).abs() > 180.0,
        _ => false,
    });
    assert_eq!(lines_across.count(), 0, "a line is drawn across the wrap");
}

#[tokio::test]
async fn a_reload_shows_what_the_same_view_showed_before() {
    let Some(world) = World::start("reload-view").await else {
        return;
    };
    let summary = world.load_race().await.0.expect("loads");
    let whole = |width| ViewRequest {
        from: summary.from,
        to: summary.to,
        width,
    };
    let before = world.data.view(whole(640)).await.expect("a view");
    // Loaded again (from the cache): the view at the width asked for last is built as the
    // load ends, and served to the same request; others are built when asked for.
    let again = world.load_race().await.0.expect("loads again");
    assert_eq!((again.from, again.to), (summary.from, summary.to));
    assert_eq!(world.data.view(whole(640)).await.expect("again"), before);
    let narrower = world.data.view(whole(320)).await.expect("narrower");
    assert_ne!(narrower, before);
    assert!(narrower.series.iter().all(|s| s.t.len() <= 4 * 320));
}
