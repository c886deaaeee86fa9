//! Browsing data after sign-in: open a race from the session list and see its track and time
//! series drawn, the latest values listed, and export the track as GPX.

use crate::harness::{Harness, PATIENCE};
use crate::sign_in::{demo_user, expect_account, sign_in};
use crate::wait::wait_until;
use crate::{ensure, scenario, Failure};
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

/// The first race of the demo week: Bob reads Tern, Petrel and (through Team Tern's data
/// access window) the wind buoy over it.
pub const RACE_1: u64 = 9001;

/// Counts the pixels of the canvas matching `css` that differ from its top-left corner,
/// i.e. what was drawn on it.
const DRAWN_PIXELS: &str = r#"
    const canvas = document.querySelector(arguments[0]);
    if (!canvas || !canvas.getContext) return -1;
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    if (!width || !height) return -2;
    const data = ctx.getImageData(0, 0, width, height).data;
    const [r, g, b, a] = [data[0], data[1], data[2], data[3]];
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) {
        if (data[i] !== r || data[i + 1] !== g || data[i + 2] !== b || data[i + 3] !== a) drawn++;
    }
    return drawn;
"#;

pub(crate) async fn drawn_pixels(h: &Harness, css: &str) -> Result<i64, Failure> {
    let value = h.wd().execute(DRAWN_PIXELS, vec![json!(css)]).await?;
    value
        .as_i64()
        .ok_or_else(|| Failure(format!("counting drawn pixels of {css} gave {value}")))
}

/// Waits until the canvas matching `css` (`what`, as said in a timeout) has something drawn
/// on it.
pub(crate) async fn wait_for_drawn(h: &Harness, what: &str, css: &str) -> Result<(), Failure> {
    wait_until(&format!("the {what} to be drawn"), PATIENCE, || async {
        match drawn_pixels(h, css).await {
            Ok(n) if n > 500 => Ok(()),
            Ok(n) => Err(format!("{n} drawn pixels")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    Ok(())
}

/// Waits until the opened data's track, drawn in colour on the map's canvas (Leaflet's
/// overlay pane), and the speed-over-ground chart, drawn by uPlot with data in it, are drawn.
pub(crate) async fn wait_for_track_and_sog(h: &Harness) -> Result<(), Failure> {
    for (what, css) in [
        ("track", "#track .leaflet-overlay-pane canvas"),
        ("SOG chart", "div.chart[data-channel=\"SOG\"] canvas"),
    ] {
        wait_for_drawn(h, what, css).await?;
    }
    Ok(())
}

/// The button that opens `session` in the session list.
fn open_button(session: u64) -> String {
    format!("#sessions li[data-session-id=\"{session}\"] button.open-session")
}

/// Waits until the session list shows `session`.
pub async fn wait_for_session(h: &Harness, session: u64) -> Result<(), Failure> {
    let open = open_button(session);
    wait_until("the session list", PATIENCE, || async {
        h.element(&open)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .await?;
    Ok(())
}

/// Before anything is opened, the main area offers the five sessions that started last,
/// newest first, each one of the sidebar's.
async fn the_newest_sessions_wait_in_the_main_area(h: &Harness) -> Result<(), Failure> {
    let seen = h
        .wd()
        .execute(
            "const start = (li) => Number(li.dataset.start);
             const recent = [...document.querySelectorAll('#recent-sessions li')];
             const all = [...document.querySelectorAll('#sessions li[data-session-id]')];
             const ids = new Set(recent.map((li) => li.dataset.sessionId));
             const starts = recent.map(start);
             const rest = all.filter((li) => !ids.has(li.dataset.sessionId)).map(start);
             return {
                 count: recent.length,
                 total: all.length,
                 shown: recent.length > 0 && recent[0].offsetParent !== null,
                 known: recent.every((li) => all.some((a) => a.dataset.sessionId === li.dataset.sessionId)),
                 newestFirst: starts.every((s, i) => i === 0 || starts[i - 1] >= s),
                 newest: rest.every((r) => starts.every((s) => s >= r)),
             };",
            vec![],
        )
        .await?;
    let total = seen["total"].as_u64().unwrap_or(0);
    ensure!(
        total > 5
            && seen["count"] == 5
            && [
                &seen["shown"],
                &seen["known"],
                &seen["newestFirst"],
                &seen["newest"]
            ]
            .iter()
            .all(|v| **v == serde_json::Value::Bool(true)),
        "the recent sessions in the main area: {seen}"
    );
    Ok(())
}

/// Opens `session` from the session list and waits until its data has loaded and been
/// drawn once.
pub async fn open_session(h: &Harness, session: u64) -> Result<(), Failure> {
    h.click(&open_button(session)).await?;
    wait_for_dataset(h, "loaded", Duration::from_secs(60)).await?;
    // The charts and the track are drawn on the next animation frames.
    wait_until("the first redraw", PATIENCE, || async {
        match redraws(h).await {
            Ok(n) if n >= 1 => Ok(()),
            Ok(n) => Err(format!("{n} redraws")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    Ok(())
}

/// Waits until the latest values are listed: one row per device at least (the table fills
/// in after the charts, and moves what is below it).
pub async fn wait_for_latest_values(h: &Harness) -> Result<(), Failure> {
    wait_until("the latest values", PATIENCE, || async {
        let rows = h
            .wd()
            .find_all("#latest tbody tr")
            .await
            .map_err(|e| e.to_string())?;
        if rows.len() >= 3 {
            Ok(())
        } else {
            Err(format!("{} rows", rows.len()))
        }
    })
    .await?;
    Ok(())
}

/// Waits until `body[data-dataset]` is `want`.
pub(crate) async fn wait_for_dataset(
    h: &Harness,
    want: &str,
    patience: Duration,
) -> Result<(), Failure> {
    wait_until(&format!("the dataset to be {want}"), patience, || async {
        let state = h
            .wd()
            .execute("return document.body.dataset.dataset || ''", vec![])
            .await
            .map_err(|e| e.to_string())?;
        match state.as_str() {
            Some(s) if s == want => Ok(()),
            Some("failed") => Err("the load failed".to_string()),
            other => Err(format!("data-dataset is {other:?}")),
        }
    })
    .await?;
    Ok(())
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn opening_a_race_shows_its_track_series_and_latest_values() {
    let test = "opening_a_race_shows_its_track_series_and_latest_values";
    scenario(test, async |h: &mut Harness| {
        let bob = demo_user(h, "bob@telltale.demo")?;
        sign_in(h, &bob, "Authorize").await?;
        expect_account(h, &bob).await?;

        wait_for_session(h, RACE_1).await?;
        ensure!(
            h.element("#devices li[data-serial=\"AA-BT-0731\"]")
                .await
                .is_ok(),
            "the wind buoy shared with Team Tern is not in the device list"
        );
        the_newest_sessions_wait_in_the_main_area(h).await?;
        h.screenshot("catalog").await?;
        crate::a11y::audit(h, "the workspace before anything is opened").await?;

        open_session(h, RACE_1).await?;
        // The track, drawn to scale in colour on a canvas, and a speed-over-ground chart
        // drawn by uPlot with data in it.
        wait_for_track_and_sog(h).await?;
        let timing = h.element("#plot-timing").await?;
        let render = h.wd().attribute(&timing, "data-render-ms").await?;
        ensure!(
            render
                .as_deref()
                .and_then(|ms| ms.parse::<f64>().ok())
                .is_some(),
            "#plot-timing has no data-render-ms ({render:?})"
        );
        wait_for_latest_values(h).await?;
        h.wd()
            .execute(
                "document.querySelector('#dataset').scrollIntoView()",
                vec![],
            )
            .await?;
        h.screenshot("race-opened").await?;
        crate::map::the_map_has_tiles(h).await?;
        crate::map::the_map_fills_its_pane(h).await?;
        crate::a11y::audit(h, "the workspace with a race open").await?;
        crate::map::a_replay_moves_the_boats(h).await?;
        // Speed first, as a sailor reads the instruments.
        let first = h
            .wd()
            .execute(
                "return document.querySelector('#charts div.chart').dataset.channel",
                vec![],
            )
            .await?;
        ensure!(first == "SOG", "the first chart shows {first}, not SOG");
        // Charts below the fold are drawn once scrolled to: the last one is blank until then.
        let last = "#charts div.chart:last-child";
        ensure!(
            drawn_pixels(h, &format!("{last} canvas")).await? <= 0,
            "the last chart was drawn before it came on screen"
        );
        h.wd()
            .execute("document.querySelector('#charts').scrollIntoView()", vec![])
            .await?;
        h.wd()
            .execute(
                "document.querySelector(arguments[0]).scrollIntoView({block: 'end'})",
                vec![json!(last)],
            )
            .await?;
        wait_for_drawn(h, "last chart", &format!("{last} canvas")).await?;
        h.wd()
            .execute("document.querySelector('#charts').scrollIntoView()", vec![])
            .await?;
        wait_for_drawn(h, "charts in view", "#charts div.chart:nth-child(3) canvas").await?;
        h.screenshot("charts").await?;
        h.wd()
            .execute("document.querySelector('#latest').scrollIntoView()", vec![])
            .await?;
        h.screenshot("latest-values").await?;

        zoom_pan_and_reset(h).await?;

        h.click("#export-gpx").await?;
        let gpx = wait_for_export(h, "gpx").await?;
        check_gpx(&gpx)?;
        crate::polar::the_polar_takes_a_target(h).await?;
        // Last: it leaves the view zoomed to one tack.
        crate::analysis::a_tack_zooms_to_itself(h).await?;
        Ok(())
    })
    .await
}

/// Waits for an export with `extension` in the folder the app saves exports to.
pub(crate) async fn wait_for_export(h: &Harness, extension: &str) -> Result<PathBuf, Failure> {
    let dir = h.dir().join("env").join("exports");
    wait_until(&format!("a .{extension} export"), PATIENCE, || {
        let dir = dir.clone();
        async move {
            let found = std::fs::read_dir(&dir)
                .map_err(|e| e.to_string())?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .find(|path| path.extension().is_some_and(|e| e == extension));
            found.ok_or_else(|| format!("nothing in {}", dir.display()))
        }
    })
    .await
    .map_err(Failure::from)
}

/// The exported GPX holds the three devices' tracks and validates against GPX 1.1.
fn check_gpx(path: &PathBuf) -> Result<(), Failure> {
    let (tracks, points) = validate_gpx(path)?;
    ensure!(
        tracks == 3,
        "{} holds {tracks} tracks, want 3",
        path.display()
    );
    ensure!(
        points > 3 * 3000,
        "{} holds only {points} points",
        path.display()
    );
    Ok(())
}

/// Validates an exported GPX file against GPX 1.1; its number of tracks and track points.
pub(crate) fn validate_gpx(path: &PathBuf) -> Result<(usize, usize), Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure::io(path, e))?;
    let tracks = text.matches("<trk>").count();
    let points = text.matches("<trkpt ").count();
    let schema = workspace_root().join("target/gpx-schema/gpx11.xsd");
    ensure!(
        schema.is_file(),
        "no GPX schema at {} (scripts/fetch-gpx-schema.sh)",
        schema.display()
    );
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(path)
        .output()
        .map_err(|e| Failure(format!("xmllint did not run: {e}")))?;
    ensure!(
        out.status.success(),
        "the export does not validate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok((tracks, points))
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Drags across the middle third of the SOG chart, which zooms every chart and fetches the
/// detail; pans later; resets.
async fn zoom_pan_and_reset(h: &mut Harness) -> Result<(), Failure> {
    let zoom_text = async |h: &Harness| h.text("#zoom-range").await;
    let before = redraws(h).await?;
    drag_middle_third(h, "div.chart[data-channel=\"SOG\"]").await?;
    wait_until(
        "the zoomed view to be fetched and drawn",
        PATIENCE,
        || async {
            match (redraws(h).await, zoom_text(h).await) {
                (Ok(n), Ok(text)) if n > before && text.starts_with("Zoomed to") => Ok(()),
                (Ok(n), Ok(text)) => Err(format!("{n} redraws, {text:?}")),
                (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
            }
        },
    )
    .await?;
    let zoomed = zoom_text(h).await?;
    h.screenshot("zoomed").await?;
    h.click("#pan-later").await?;
    wait_until("the view to pan later", PATIENCE, || async {
        match zoom_text(h).await {
            Ok(text) if text != zoomed && text.starts_with("Zoomed to") => Ok(()),
            Ok(text) => Err(format!("{text:?}")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    h.click("#reset-zoom").await?;
    wait_until("the whole range again", PATIENCE, || async {
        match zoom_text(h).await {
            Ok(text) if text.starts_with("Showing") => Ok(()),
            Ok(text) => Err(format!("{text:?}")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    Ok(())
}

/// Drags across the middle third of the chart `chart_css` (the first match): synthetic mouse
/// events on uPlot's overlay, each with a movement so uPlot does not take it for a stray
/// event. uPlot then reports the selection and the UI zooms in.
pub(crate) async fn drag_middle_third(h: &Harness, chart_css: &str) -> Result<(), Failure> {
    // Charts are drawn when they come on screen: scroll to the chart, let it draw, then drag.
    let dragged = h
        .wd()
        .execute_async(
            r#"const [css, done] = arguments;
               const chart = document.querySelector(css);
               if (!chart) return done(false);
               chart.scrollIntoView();
               requestAnimationFrame(() => requestAnimationFrame(() => {
               const over = chart.querySelector('.u-over');
               if (!over) return done(false);
               const box = over.getBoundingClientRect();
               const y = box.top + box.height / 2;
               const at = (f) => ({ clientX: box.left + box.width * f, clientY: y, movementX: 5, bubbles: true, button: 0 });
               over.dispatchEvent(new MouseEvent('mousedown', at(1 / 3)));
               over.dispatchEvent(new MouseEvent('mousemove', at(1 / 2)));
               over.dispatchEvent(new MouseEvent('mousemove', at(2 / 3)));
               document.dispatchEvent(new MouseEvent('mouseup', at(2 / 3)));
               done(true);
               }));"#,
            vec![json!(chart_css)],
        )
        .await?;
    ensure!(
        dragged == json!(true),
        "no uPlot overlay in {chart_css} to drag on"
    );
    Ok(())
}

/// `#plot-timing`'s redraw counter.
pub(crate) async fn redraws(h: &Harness) -> Result<u32, Failure> {
    let timing = h.element("#plot-timing").await?;
    let value = h.wd().attribute(&timing, "data-redraws").await?;
    Ok(value.and_then(|n| n.parse().ok()).unwrap_or(0))
}
