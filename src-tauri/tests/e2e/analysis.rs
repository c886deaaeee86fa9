//! The opened race's tacks and gybes: listed with where the wind came from, and a tack's
//! time zooms the charts and map to it (the map to its boat) and replays it (a step of the
//! browse scenario).

use crate::harness::{Harness, PATIENCE};
use crate::wait::wait_until;
use crate::{ensure, Failure};
use serde_json::json;

/// The race's tacks and gybes are listed; pressing a tack's time zooms the charts to it.
pub async fn a_tack_zooms_to_itself(h: &mut Harness) -> Result<(), Failure> {
    let tack = "#maneuvers-body tr[data-maneuver=\"tack\"]";
    wait_until("Tern's tacks in the table", PATIENCE, || async {
        let rows = h.wd().find_all(tack).await.map_err(|e| e.to_string())?;
        match rows.len() {
            0 => Err(h.text("#analysis-note").await.map_err(|e| e.to_string())?),
            _ => Ok(()),
        }
    })
    .await?;
    let note = h.text("#analysis-note").await?;
    ensure!(
        note.contains("Tern: its own true wind"),
        "the wind note says {note:?}"
    );
    h.wd()
        .execute(
            "document.querySelector('#analysis').scrollIntoView()",
            vec![],
        )
        .await?;
    h.screenshot("maneuvers").await?;
    // Each maneuver of the table is marked on the map, at its boat's position then.
    let (rows, marks) = (
        crate::map::count(h, "#maneuvers-body tr[data-maneuver]").await?,
        crate::map::count(h, "#track .map-maneuver").await?,
    );
    ensure!(
        rows > 0 && marks == rows,
        "{marks} marks on the map for {rows} maneuvers in the table"
    );
    h.wd()
        .execute("document.querySelector('#track').scrollIntoView()", vec![])
        .await?;
    h.screenshot("maneuvers-on-the-map").await?;
    let at = h
        .wd()
        .execute(
            "return document.querySelector(arguments[0]).dataset.at",
            vec![json!(tack)],
        )
        .await?;
    let at: i64 = at
        .as_str()
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| Failure(format!("data-at {at}")))?;
    let scale_before = map_scale_metres(h).await?;
    let drawn_before = crate::browse::redraws(h).await?;
    h.click(&format!("{tack} button")).await?;
    // The view now spans the tack and a minute or two around it, not the 65-minute race.
    let shown = wait_until("the view to zoom to the tack", PATIENCE, || async {
        match h.text("#zoom-range").await {
            Ok(text) if text.starts_with("Zoomed to") => Ok(text),
            Ok(text) => Err(format!("{text:?}")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    // "Zoomed to 2025-06-21 10:14 – 10:15 UTC": minutes of the day at both ends.
    let minutes: Vec<i64> = shown
        .split_whitespace()
        .filter_map(|w| {
            let (h, m) = w.split_once(':')?;
            Some(h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
        })
        .collect();
    let tack_minute = at.rem_euclid(86_400_000) / 60_000;
    ensure!(
        matches!(minutes[..], [from, to] if from <= tack_minute && tack_minute <= to && to - from <= 3),
        "zoomed to {shown:?}, the tack is at minute {tack_minute} of the day"
    );
    // And the replay plays the tack from 10 s before the turn begins (a turn starts up to
    // 20 s before the moment the wind crosses the bow, its time here).
    let tack_second = at.rem_euclid(86_400_000) / 1000;
    let replay = crate::map::replay_second(h).await?;
    ensure!(
        (tack_second - 40..=tack_second + 30).contains(&replay),
        "the replay is at {replay} s of the day, the tack at {tack_second} s"
    );
    crate::map::replay_button_says(h, "Pause").await?;
    h.wd()
        .execute(
            "document.querySelector('#dataset').scrollIntoView()",
            vec![],
        )
        .await?;
    h.screenshot("maneuver-zoomed").await?;
    // Once the zoomed view is drawn, the map shows the minutes around the tack up close:
    // its scale bar stands for a shorter distance than over the whole race.
    wait_until("the zoomed view to be drawn", PATIENCE, || async {
        match crate::browse::redraws(h).await {
            Ok(n) if n > drawn_before => Ok(()),
            Ok(n) => Err(format!("{n} redraws, {drawn_before} before the click")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    let scale_after = map_scale_metres(h).await?;
    let closer = scale_after < scale_before;
    ensure!(
        closer,
        "the map's scale bar reads {scale_after} m at the tack, {scale_before} m for the race"
    );
    // Framed on the tacking boat's own track, not on every boat's.
    let boat = h.text(&format!("{tack} th")).await?;
    let label = h
        .wd()
        .attribute(&h.element("#track").await?, "aria-label")
        .await?
        .unwrap_or_default();
    ensure!(
        label.contains(&format!("Framed on {boat}'s track")),
        "the map of the tack of {boat} is described as {label:?}"
    );
    h.screenshot("maneuver-on-the-map-up-close").await?;
    Ok(())
}

/// The distance Leaflet's scale bar stands for, in metres ("500 m", "2 km").
async fn map_scale_metres(h: &Harness) -> Result<f64, Failure> {
    let text = h.text("#track .leaflet-control-scale-line").await?;
    let (number, unit) = text
        .trim()
        .split_once(' ')
        .ok_or_else(|| Failure(format!("the scale bar reads {text:?}")))?;
    let number: f64 = number
        .parse()
        .map_err(|_| Failure(format!("the scale bar reads {text:?}")))?;
    match unit {
        "m" => Ok(number),
        "km" => Ok(number * 1000.0),
        _ => Err(Failure(format!("the scale bar reads {text:?}"))),
    }
}
