//! Live: Bob opens Live for his boats on the simulator's demo (sailing today), sees a boat
//! move between two screenshots, loses the connection, sees "reconnecting", then live again.

use crate::browse::{wait_for_drawn, wait_for_session, RACE_1};
use crate::harness::{Harness, PATIENCE};
use crate::process::{app_pid, environment, named_in_tree};
use crate::sign_in::{demo_user, expect_account, sign_in};
use crate::wait::wait_until;
use crate::{ensure, scenario, Failure};
use igtimi_sim::faults::{FaultKind, FaultRule};
use igtimi_sim::live::LiveFault;
use serde_json::{json, Value};
use std::time::Duration;

/// Tern, the boat whose move the test looks for.
const TERN: &str = "AA-BT-0417";

/// Keeps the live track's pixels in the page (under `name`) for a later comparison.
const KEEP_PIXELS: &str = r#"
    const canvas = document.querySelector('#live-track');
    if (!canvas || !canvas.width || !canvas.height) return false;
    const ctx = canvas.getContext('2d');
    window['__e2e_' + arguments[0]] = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return true;
"#;

/// The pixels that differ between two kept images: how many, and their bounding box.
const COMPARE_PIXELS: &str = r#"
    const a = window['__e2e_' + arguments[0]], b = window['__e2e_' + arguments[1]];
    if (!a || !b || a.width !== b.width || a.height !== b.height) return null;
    let n = 0, x0 = a.width, y0 = a.height, x1 = -1, y1 = -1;
    for (let i = 0; i < a.data.length; i += 4) {
        if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] ||
            a.data[i + 2] !== b.data[i + 2]) {
            n++;
            const p = i / 4, x = p % a.width, y = Math.floor(p / a.width);
            x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
        }
    }
    return { n, box: [x0, y0, x1, y1], size: [a.width, a.height] };
"#;

/// Waits until the live panel is in `state` (`data-live-state`) and its status words, drawn
/// on the next frame, say `words`; returns them.
async fn wait_for_live_state(
    h: &Harness,
    state: &str,
    words: &str,
    patience: Duration,
) -> Result<String, Failure> {
    let said = wait_until(
        &format!("Live to say {words:?} ({state})"),
        patience,
        || async {
            let seen = h
                .wd()
                .execute(
                    "const p = document.querySelector('#live'); \
                 const s = document.querySelector('#live-status'); \
                 return p ? [p.dataset.liveState || '', s ? s.textContent : ''] : null;",
                    vec![],
                )
                .await
                .map_err(|e| e.to_string())?;
            match seen.as_array().map(Vec::as_slice) {
                Some([Value::String(s), Value::String(said)])
                    if s == state && said.contains(words) =>
                {
                    Ok(said.clone())
                }
                _ => Err(format!("the live panel shows {seen}")),
            }
        },
    )
    .await?;
    Ok(said)
}

/// Samples the page has applied so far (`data-live-samples`).
async fn samples_applied(h: &Harness) -> Result<u64, Failure> {
    let n = h
        .wd()
        .execute(
            "return Number(document.querySelector('#live')?.dataset.liveSamples || 0)",
            vec![],
        )
        .await?;
    Ok(n.as_u64().unwrap_or(0))
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn live_shows_a_boat_moving_and_comes_back_after_the_connection_drops() {
    let test = "live_shows_a_boat_moving_and_comes_back_after_the_connection_drops";
    scenario(test, async |h: &mut Harness| {
        let bob = demo_user(h, "bob@telltale.demo")?;
        sign_in(h, &bob, "Authorize").await?;
        expect_account(h, &bob).await?;
        wait_for_session(h, RACE_1).await?;
        // Ana's wind buoy is shared with Bob, who is not told its name: its serial stands
        // once in his device list.
        let buoy = h
            .text("#devices li[data-serial=\"AA-BT-0731\"] label.device")
            .await?;
        ensure!(buoy == "AA-BT-0731", "the shared buoy reads {buoy:?}");

        // The main window paints without GPU compositing (src/rendering.rs): with it, Live
        // cost WebKit four times the CPU on a machine without a GPU. WebKit then says it
        // cannot render 3D transforms.
        let composited = h
            .wd()
            .execute(
                "return matchMedia('(-webkit-transform-3d)').matches",
                vec![],
            )
            .await?;
        ensure!(
            composited == false,
            "the main window is composited on the GPU (-webkit-transform-3d: {composited})"
        );
        // Every collection in the web process is a full one (src/web_process.rs): with
        // WebKit's generational default, Live grew its memory without bound.
        let app = app_pid(h.driver_pid()).ok_or_else(|| Failure("no telltale process".into()))?;
        let web = named_in_tree(app, "WebKitWebProces");
        ensure!(!web.is_empty(), "no WebKit web process under the app ({app})");
        for pid in web {
            let environment = environment(pid).map_err(|e| Failure(format!("web process {pid}: {e}")))?;
            ensure!(
                environment.iter().any(|entry| entry == "JSC_useGenerationalGC=false"),
                "web process {pid} runs without JSC_useGenerationalGC=false (was JSC_useGenerationalGC set in the test's environment?)"
            );
        }
        h.click("#live-open").await?;
        let tern = format!("#live-devices input[type=checkbox][value=\"{TERN}\"]");
        h.element(&tern).await?;
        h.click("#live-start").await?;
        wait_for_live_state(h, "live", "Live", PATIENCE).await?;
        // Tern's speed in the latest values: its positions have come too.
        let tern_sog = format!("#live-latest tr[data-serial=\"{TERN}\"] td:nth-child(2)");
        wait_until("Tern's speed in the latest values", PATIENCE, || async {
            match h.text(&tern_sog).await {
                Ok(sog) if sog.trim().parse::<f64>().is_ok() => Ok(()),
                Ok(sog) => Err(format!("Tern's SOG reads {sog:?}")),
                Err(e) => Err(e.to_string()),
            }
        })
        .await?;
        wait_for_drawn(h, "live track", "#live-track").await?;

        // Two moments a few seconds apart: the boats moved, so the track differs.
        let kept = h.wd().execute(KEEP_PIXELS, vec![json!("first")]).await?;
        ensure!(kept == true, "the live track could not be read");
        h.screenshot("live-first").await?;
        tokio::time::sleep(Duration::from_secs(4)).await;
        h.wd().execute(KEEP_PIXELS, vec![json!("later")]).await?;
        h.screenshot("live-later").await?;
        let diff = h
            .wd()
            .execute(COMPARE_PIXELS, vec![json!("first"), json!("later")])
            .await?;
        let changed = diff["n"].as_u64().unwrap_or(0);
        ensure!(changed > 20, "the live track did not change in 4 s: {diff}");
        // Where the boats are, not the whole canvas (a repaint of everything would be).
        let (w, hgt) = (
            diff["size"][0].as_u64().unwrap_or(0),
            diff["size"][1].as_u64().unwrap_or(0),
        );
        ensure!(
            changed < w * hgt / 4,
            "a quarter or more of the live track changed ({diff}): not a boat moving"
        );

        // The connection drops, and the server refuses the next attempts for a while.
        let before = samples_applied(h).await?;
        let refusing = FaultRule {
            path_prefix: Some("/websocket".into()),
            times: Some(2),
            ..FaultRule::new(FaultKind::Status { code: 503 })
        };
        h.sim().faults().add(refusing);
        let dropped = h.sim().live_fault(LiveFault::Drop);
        ensure!(dropped > 0, "no live socket was open at the simulator");
        wait_for_live_state(h, "reconnecting", "Reconnecting in", PATIENCE).await?;
        h.screenshot("live-reconnecting").await?;
        wait_for_live_state(h, "live", "Live", Duration::from_secs(60)).await?;
        wait_until("samples after the reconnect", PATIENCE, || async {
            match samples_applied(h).await {
                Ok(n) if n > before + 5 => Ok(()),
                Ok(n) => Err(format!("{n} samples applied, {before} before the drop")),
                Err(e) => Err(e.to_string()),
            }
        })
        .await?;
        h.screenshot("live-again").await?;
        crate::a11y::audit(h, "Live with boats arriving").await?;
        h.click("#live-stop").await?;
        wait_for_live_state(h, "stopped", "", PATIENCE).await?;
        Ok(())
    })
    .await;
}
