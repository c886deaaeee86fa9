//! The map of an opened race: tiles from the simulator (the harness points the app's tile
//! source there), and offline, the tracks on a grid with a note; then a replay at two
//! moments, the boats having moved between them.

use crate::browse::{open_session, wait_for_session, wait_for_track_and_sog, RACE_1};
use crate::harness::{Harness, PATIENCE};
use crate::sign_in::{demo_user, expect_account, sign_in};
use crate::wait::wait_until;
use crate::{ensure, scenario_with_env, Failure};
use serde_json::{json, Value};
use std::time::Duration;

/// Counts what matches `css` in the page.
pub(crate) async fn count(h: &Harness, css: &str) -> Result<u64, Failure> {
    let n = h
        .wd()
        .execute(
            "return document.querySelectorAll(arguments[0]).length",
            vec![json!(css)],
        )
        .await?;
    n.as_u64()
        .ok_or_else(|| Failure(format!("a count of {css}: {n}")))
}

/// Each boat arrow's position on the map (its marker's translation, CSS px).
async fn boat_positions(h: &Harness) -> Result<Vec<(f64, f64)>, Failure> {
    let found = h
        .wd()
        .execute(
            "return [...document.querySelectorAll('#track .map-boat')].map((m) => {
                 const r = m.getBoundingClientRect();
                 return [r.left, r.top];
             })",
            vec![],
        )
        .await?;
    let pairs = found.as_array().cloned().unwrap_or_default();
    Ok(pairs
        .iter()
        .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
        .collect())
}

/// The replay's time as shown ("10:14:03 UTC"), seconds of the day.
pub(crate) async fn replay_second(h: &Harness) -> Result<i64, Failure> {
    let text = h.text("#replay-time").await?;
    let clock = text.split_whitespace().next().unwrap_or_default();
    let parts: Vec<i64> = clock.split(':').filter_map(|p| p.parse().ok()).collect();
    match parts[..] {
        [hh, mm, ss] => Ok(hh * 3600 + mm * 60 + ss),
        _ => Err(Failure(format!("the replay time reads {text:?}"))),
    }
}

/// Waits for the replay's Play/Pause button to say `words` (it changes on the replay's
/// next frame).
pub(crate) async fn replay_button_says(h: &Harness, words: &str) -> Result<(), Failure> {
    wait_until(
        &format!("the replay button to say {words}"),
        PATIENCE,
        || async {
            match h.text("#replay-play").await {
                Ok(label) if label.contains(words) => Ok(()),
                Ok(label) => Err(format!("it says {label:?}")),
                Err(e) => Err(e.to_string()),
            }
        },
    )
    .await
    .map_err(Failure)
}

/// The opened race is on a map of the simulator's tiles, with the attribution, a scale and
/// the wind; no offline note.
pub async fn the_map_has_tiles(h: &mut Harness) -> Result<(), Failure> {
    wait_until("the simulator's tiles on the map", PATIENCE, || async {
        match count(h, "#track img.leaflet-tile-loaded").await {
            Ok(n) if n >= 1 => Ok(()),
            Ok(n) => Err(format!("{n} tiles loaded")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    let attribution = h.text("#track .leaflet-control-attribution").await?;
    ensure!(
        attribution.contains("OpenStreetMap"),
        "the attribution reads {attribution:?}"
    );
    ensure!(
        count(h, "#track .leaflet-control-scale").await? == 1,
        "no scale bar"
    );
    ensure!(
        !h.text("#track").await?.contains("Map offline"),
        "the map says it is offline while its tiles load"
    );
    let boats = boat_positions(h).await?;
    ensure!(boats.len() >= 2, "{} boat arrows on the map", boats.len());
    h.wd()
        .execute("document.querySelector('#track').scrollIntoView()", vec![])
        .await?;
    h.screenshot("map").await?;
    Ok(())
}

/// The map takes most of its pane: the speed legend lies on it and the keys are folded
/// (as lines under the map they took a third of the pane at 1280x820). Opened, the keys
/// panel lies over the map; Escape folds it and leaves the focus on its summary.
pub async fn the_map_fills_its_pane(h: &mut Harness) -> Result<(), Failure> {
    let measured = h
        .wd()
        .execute(
            "const box = (css) => document.querySelector(css).getBoundingClientRect();
             const [map, pane, legend] = [box('#track'), box('#map-pane'), box('#track-legend')];
             return {
                 share: map.height / pane.height,
                 legendOnMap: legend.height > 0 && legend.left >= map.left
                     && legend.right <= map.right && legend.top >= map.top
                     && legend.bottom <= map.bottom,
             };",
            vec![],
        )
        .await?;
    // A share that is not a number fails too.
    let share = measured["share"].as_f64().unwrap_or(0.0);
    let big_enough = share >= 0.65;
    ensure!(
        big_enough,
        "the map is {:.0} % of its pane's height: {measured}",
        share * 100.0
    );
    ensure!(
        measured["legendOnMap"] == Value::Bool(true),
        "the speed legend is not on the map: {measured}"
    );
    let panel = ".replay-help-panel";
    ensure!(
        !laid_out(h, panel).await?,
        "the keys panel is open before it was asked for"
    );
    h.click("#replay-help summary").await?;
    ensure!(laid_out(h, panel).await?, "the keys panel did not open");
    ensure!(
        h.text(panel).await?.contains("double-click"),
        "the keys panel does not say how to see everything again"
    );
    h.screenshot("keys-panel").await?;
    let summary = h.element("#replay-help summary").await?;
    h.wd().send_keys(&summary, "\u{E00C}").await?;
    let after = h
        .wd()
        .execute(
            "return { open: document.querySelector('#replay-help').open,
                      focus: document.activeElement?.tagName ?? null };",
            vec![],
        )
        .await?;
    ensure!(
        after == json!({ "open": false, "focus": "SUMMARY" }),
        "after Escape: {after}"
    );
    Ok(())
}

/// Whether what matches `css` takes space on the page (WebKitWebDriver calls the content
/// of a closed `<details>` displayed).
async fn laid_out(h: &Harness, css: &str) -> Result<bool, Failure> {
    let laid = h
        .wd()
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             return r.width > 0 && r.height > 0;",
            vec![json!(css)],
        )
        .await?;
    Ok(laid == Value::Bool(true))
}

/// Played at 60x, the boats move; the two screenshots are a few race-minutes apart.
pub async fn a_replay_moves_the_boats(h: &mut Harness) -> Result<(), Failure> {
    h.wd()
        .execute(
            "const speed = document.querySelector('#replay-speed');
             speed.value = '60';
             speed.dispatchEvent(new Event('change'));",
            vec![],
        )
        .await?;
    h.click("#replay-play").await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (first_at, first) = (replay_second(h).await?, boat_positions(h).await?);
    h.screenshot("replay-1").await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (second_at, second) = (replay_second(h).await?, boat_positions(h).await?);
    h.screenshot("replay-2").await?;
    h.click("#replay-play").await?;
    // At 60x three seconds are three race-minutes (less whatever the frames lost).
    ensure!(
        (60..=400).contains(&(second_at - first_at)),
        "the replay went from {first_at} s to {second_at} s of the day"
    );
    let moved = first
        .iter()
        .zip(&second)
        .filter(|(a, b)| (a.0 - b.0).abs() + (a.1 - b.1).abs() > 2.0)
        .count();
    ensure!(
        moved >= 1,
        "no boat moved on the map: {first:?} then {second:?}"
    );
    replay_button_says(h, "Play").await?;
    // The replay measures its frames for the benchmark.
    let p95: Value = h
        .wd()
        .execute(
            "return document.querySelector('#plot-timing').dataset.replayWorkP95 ?? null",
            vec![],
        )
        .await?;
    ensure!(
        p95.as_str().and_then(|v| v.parse::<f64>().ok()).is_some(),
        "no replay frame time in #plot-timing: {p95}"
    );
    Ok(())
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn offline_the_map_shows_the_track_on_a_grid() {
    let test = "offline_the_map_shows_the_track_on_a_grid";
    // A tile source nobody answers at: the app cannot get a single tile.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| format!("http://{a}/{{z}}/{{x}}/{{y}}.png"))
        .expect("a free port");
    let overrides = [("TELLTALE_TILE_URL", closed.as_str())];
    scenario_with_env(
        test,
        Default::default(),
        &overrides,
        async |h: &mut Harness| {
            let bob = demo_user(h, "bob@telltale.demo")?;
            sign_in(h, &bob, "Authorize").await?;
            expect_account(h, &bob).await?;
            wait_for_session(h, RACE_1).await?;
            open_session(h, RACE_1).await?;
            wait_for_track_and_sog(h).await?;
            let note = wait_until("the map's offline note", PATIENCE, || async {
                match h.text("#track .map-note").await {
                    Ok(text) if text.contains("Map offline") => Ok(text),
                    Ok(text) => Err(format!("it says {text:?}")),
                    Err(e) => Err(e.to_string()),
                }
            })
            .await?;
            ensure!(
                count(h, "#track.map-offline").await? == 1,
                "no grid behind the track ({note:?})"
            );
            ensure!(
                count(h, "#track img.leaflet-tile-loaded").await? == 0,
                "tiles loaded from a closed port"
            );
            h.wd()
                .execute("document.querySelector('#track').scrollIntoView()", vec![])
                .await?;
            h.screenshot("map-offline").await?;
            Ok(())
        },
    )
    .await;
}
