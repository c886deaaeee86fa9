//! The in-app half of the plot benchmark (run by `bench/plot.sh`, never by the test suite):
//! a week of the wind buoy at 1 Hz is loaded in the real app, then redrawn again and again by
//! resizing the window, each redraw going through `data_view` (downsampling in Rust, the IPC
//! transfer, JSON parse) and the render (uPlot setData and the track, to the next frame), as
//! `#plot-timing` reports it. The baseline, timed in the same run, is an empty IPC round
//! trip (`app_status`). Results go to `$TELLTALE_BENCH_OUT` as JSON lines.

use crate::browse::{drag_middle_third, open_session, redraws, wait_for_session, RACE_1};
use crate::harness::Harness;
use crate::sign_in::{demo_user, expect_account, sign_in};
use crate::wait::wait_until;
use crate::{ensure, scenario_with, Failure};
use igtimi_sim::demo::ANA;
use igtimi_sim::world::{DataAccessWindow, Recipient};
use igtimi_sim::SimConfig;
use serde_json::{json, Value};
use std::io::Write as _;
use std::time::Duration;

const BUOY: &str = "AA-BT-0731";
const WEEK_MS: i64 = 7 * 24 * 3600 * 1000;

/// The demo with Bob's two boats (Tern, Petrel) shared with Ana for the week, as an owner
/// shares with a coach: race 1 then replays four boats for her (with her Skua and buoy).
fn four_boats() -> SimConfig {
    let config = SimConfig::default();
    let week = config.demo_week_start_ms;
    let share = |id: u64, serial: &str| DataAccessWindow {
        id,
        device_serial_number: serial.into(),
        start_ms: week,
        end_ms: week + WEEK_MS - 1000,
        recipient: Recipient::User(ANA),
        read: true,
        modify: false,
    };
    SimConfig {
        extra_windows: vec![share(7101, "AA-BT-0417"), share(7102, "AA-BT-0522")],
        ..config
    }
}

/// One timed figure: median and best of its runs, in milliseconds.
fn record(id: &str, label: &str, runs: &mut [f64]) -> Value {
    runs.sort_by(f64::total_cmp);
    let median = runs.get(runs.len() / 2).copied().unwrap_or(f64::NAN);
    let best = runs.first().copied().unwrap_or(f64::NAN);
    json!({ "id": id, "label": label, "runs": runs.len(), "median_ms": median, "best_ms": best })
}

/// Waits for redraw number `after + 1` and returns its (view, render) milliseconds.
async fn next_redraw(h: &Harness, after: u32) -> Result<(f64, f64), Failure> {
    wait_until("a redraw", Duration::from_secs(60), || async {
        match redraws(h).await {
            Ok(n) if n > after => Ok(()),
            Ok(n) => Err(format!("{n} redraws")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    let timing = h.element("#plot-timing").await?;
    let read = async |name: &str| -> Result<f64, Failure> {
        let value = h.wd().attribute(&timing, name).await?;
        value
            .as_deref()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| Failure(format!("#plot-timing {name} is {value:?}")))
    };
    Ok((read("data-view-ms").await?, read("data-render-ms").await?))
}

/// Clicks `css` from inside the page and waits there (no WebDriver polling, which would
/// compete with the redraw for the page's thread) for the redraw it causes; its (view,
/// render) milliseconds from `#plot-timing`.
async fn click_and_time_redraw(h: &Harness, css: &str) -> Result<(f64, f64), Failure> {
    let script = r#"
        const [css, done] = arguments;
        const timing = document.querySelector('#plot-timing');
        const before = Number(timing.dataset.redraws || '0');
        const give_up = setTimeout(() => done('no redraw within 30 s'), 30000);
        const watch = new MutationObserver(() => {
            if (Number(timing.dataset.redraws || '0') > before) {
                watch.disconnect();
                clearTimeout(give_up);
                done([Number(timing.dataset.viewMs), Number(timing.dataset.renderMs)]);
            }
        });
        watch.observe(timing, { attributes: true });
        document.querySelector(css).click();
    "#;
    let out = h.wd().execute_async(script, vec![json!(css)]).await?;
    match out.as_array().map(|v| v.as_slice()) {
        Some([view, render]) => match (view.as_f64(), render.as_f64()) {
            (Some(view), Some(render)) => Ok((view, render)),
            _ => Err(Failure(format!("#plot-timing gave {out}"))),
        },
        _ => Err(Failure(format!(
            "timing a redraw after {css} failed: {out}"
        ))),
    }
}

/// `data_view` of the whole loaded span at (one pixel under) the charts' width, called from
/// the page like the UI does (invoke, then unpacking the packed bytes into arrays), `runs`
/// times; ms each.
async fn data_view_round_trips(h: &Harness, runs: usize) -> Result<Vec<f64>, Failure> {
    let script = r#"
        const [runs, done] = arguments;
        const invoke = window.__TAURI_INTERNALS__.invoke;
        const over = document.querySelector('#charts div.chart .u-over');
        // One pixel narrower than the charts: their own width's view of the whole span is
        // built ahead as each load ends (telltale-core's view.rs); this times a build.
        const width = Math.round(over ? over.getBoundingClientRect().width : 800) - 1;
        // The range the dataset was opened with (the inputs are UTC).
        const utc = (id) => Date.parse(document.getElementById(id).value + 'Z');
        const request = { from: utc('range-from'), to: utc('range-to'), width };
        (async () => {
            const times = [];
            for (let i = 0; i < runs; i++) {
                const start = performance.now();
                const bytes = await invoke('data_view', { request });
                // What ui/src/browse/packed.ts does with the bytes: the JSON header, then
                // every column copied out of a Float64Array with NaN as null.
                const headerLength = new DataView(bytes).getUint32(4, true);
                const header = JSON.parse(
                    new TextDecoder().decode(new Uint8Array(bytes, 8, headerLength)));
                if (!header.series.length) throw new Error('an empty view');
                const numbers = new Float64Array(bytes, Math.ceil((8 + headerLength) / 8) * 8);
                const columns = [];
                let at = 0;
                for (const len of [...header.series.flatMap((s) => [s.len, s.len]),
                                   ...header.tracks.flatMap((t) => [t.len, t.len, t.len, t.len])]) {
                    const out = new Array(len);
                    for (let i = 0; i < len; i++) {
                        const x = numbers[at + i];
                        out[i] = Number.isNaN(x) ? null : x;
                    }
                    columns.push(out);
                    at += len;
                }
                if (at !== numbers.length) throw new Error('a short view');
                times.push(performance.now() - start);
            }
            done(times);
        })().catch((e) => done(String((e && e.message) || JSON.stringify(e))));
    "#;
    let out = h.wd().execute_async(script, vec![json!(runs)]).await?;
    let times: Option<Vec<f64>> = out
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_f64).collect());
    times.ok_or_else(|| Failure(format!("the data_view round trips failed: {out}")))
}

/// Median of `app_status` round trips from the page, in milliseconds.
pub(crate) async fn ipc_round_trips(h: &Harness, runs: usize) -> Result<Vec<f64>, Failure> {
    let script = r#"
        const [runs, done] = arguments;
        const invoke = window.__TAURI_INTERNALS__.invoke;
        (async () => {
            const times = [];
            for (let i = 0; i < runs; i++) {
                const start = performance.now();
                await invoke('app_status', {});
                times.push(performance.now() - start);
            }
            done(times);
        })().catch((e) => done(String(e)));
    "#;
    let out = h.wd().execute_async(script, vec![json!(runs)]).await?;
    let times: Option<Vec<f64>> = out
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_f64).collect());
    times.ok_or_else(|| Failure(format!("the IPC round trips failed: {out}")))
}

/// A race with four boats replayed at 10x with one-minute trails for a few seconds: the work inside each
/// animation frame (moving every boat and the charts' cursor) and the time between frames,
/// p50 and p95, as the replay measures them (`#plot-timing`).
async fn replay_frames(h: &Harness) -> Result<Value, Failure> {
    // Every device ticked again (the week above was the buoy's alone): Ana reads four, her
    // boat Skua and the buoy, and Bob's Tern and Petrel (shared with her in this run).
    h.wd()
        .execute(
            "for (const box of document.querySelectorAll('#devices input.device-pick')) {
                 if (!box.checked) box.click();
             }",
            vec![],
        )
        .await?;
    wait_for_session(h, RACE_1).await?;
    open_session(h, RACE_1).await?;
    let boats = wait_until(
        "the race's boats on the map",
        Duration::from_secs(60),
        || async {
            let n = h
                .wd()
                .execute(
                    "return document.querySelectorAll('#track .map-boat').length",
                    vec![],
                )
                .await
                .map_err(|e| e.to_string())?;
            match n.as_u64() {
                Some(n) if n >= 4 => Ok(n),
                _ => Err(format!("{n} boats")),
            }
        },
    )
    .await?;
    h.wd()
        .execute(
            "for (const [id, value] of [['#replay-speed', '10'], ['#replay-trail', '60000']]) {
                 const select = document.querySelector(id);
                 select.value = value;
                 select.dispatchEvent(new Event('change'));
             }
             document.querySelector('#track').scrollIntoView();",
            vec![],
        )
        .await?;
    h.click("#replay-play").await?;
    tokio::time::sleep(Duration::from_secs(8)).await;
    h.click("#replay-play").await?;
    let figures = h
        .wd()
        .execute(
            "const d = document.querySelector('#plot-timing').dataset;
             return [d.replayWorkP50, d.replayWorkP95, d.replayP50, d.replayP95, d.replayFrames]
                 .map(Number);",
            vec![],
        )
        .await?;
    let figures: Vec<f64> = figures
        .as_array()
        .map(|v| v.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    let [work_p50, work_p95, frame_p50, frame_p95, frames] = figures[..] else {
        return Err(Failure(format!("#plot-timing gave {figures:?}")));
    };
    if frames.is_nan() || frames < 30.0 {
        return Err(Failure(format!("only {frames} replay frames were timed")));
    }
    // No screenshot here: WebKitWebDriver has died answering one right after a replay
    // (tauri-driver: "IncompleteMessage"), which would lose the figures.
    Ok(json!({
        "id": "app.replay_frame",
        "label": "In app: a race of four boats replayed at 10x with 1-min trails: work per frame p50/p95 (ms); frame interval p50/p95",
        "boats": boats, "frames": frames,
        "work_p50_ms": work_p50, "work_p95_ms": work_p95,
        "interval_p50_ms": frame_p50, "interval_p95_ms": frame_p95,
    }))
}

#[tokio::test]
#[ignore = "benchmark: run by bench/plot.sh"]
async fn bench_plot_a_week_of_the_wind_buoy() {
    let test = "bench_plot_a_week_of_the_wind_buoy";
    scenario_with(test, four_boats(), async |h: &mut Harness| {
        let runs: usize = std::env::var("TELLTALE_BENCH_RUNS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(10);
        let ana = demo_user(h, "ana@telltale.demo")?;
        sign_in(h, &ana, "Authorize").await?;
        expect_account(h, &ana).await?;
        let buoy = format!("#devices li[data-serial=\"{BUOY}\"] input.device-pick");
        wait_until("the device list", Duration::from_secs(20), || async {
            h.element(&buoy).await.map(drop).map_err(|e| e.to_string())
        })
        .await?;
        // Only the buoy, over the last week of data.
        h.wd()
            .execute(
                r#"for (const box of document.querySelectorAll('#devices input.device-pick')) {
                       const serial = box.closest('li').dataset.serial;
                       if (box.checked !== (serial === arguments[0])) box.click();
                   }
                   const preset = document.querySelector('#range-preset');
                   preset.value = 'week';
                   preset.dispatchEvent(new Event('change', { bubbles: true }));"#,
                vec![json!(BUOY)],
            )
            .await?;
        let before = redraws(h).await?;
        h.click("#open-range").await?;
        let first = next_redraw(h, before).await?;
        let parts = h
            .wd()
            .execute(
                "const d = document.querySelector('#plot-timing').dataset; return [d.layoutMs, d.chartsMs, d.trackMs, d.points, d.chartsDrawn];",
                vec![],
            )
            .await?;
        println!(
            "[bench] first redraw of the week: view {:.1} ms, render {:.1} ms; layout ms (in the view), charts ms, track ms, points, charts drawn: {parts}",
            first.0, first.1
        );
        // The very first plot of the run builds every chart in view: one figure per run.
        let mut first_open = vec![first.0 + first.1];

        // Render: zoom into the middle third (a data_view of the part), then back to the
        // whole week, which redraws the kept full view: setData on every chart and the track.
        let mut render = Vec::new();
        for _ in 0..runs {
            let before = redraws(h).await?;
            drag_middle_third(h, "#charts div.chart").await?;
            next_redraw(h, before).await?;
            render.push(click_and_time_redraw(h, "#reset-zoom").await?.1);
            let parts = h
                .wd()
                .execute(
                    "const d = document.querySelector('#plot-timing').dataset; return [d.chartsMs, d.trackMs, d.points, d.chartsDrawn];",
                    vec![],
                )
                .await?;
            println!("[bench] render parts (charts ms, track ms, points, charts drawn): {parts}");
        }
        // Open: the same week opened again (the load is served from the cache): data_view,
        // the charts of the same channels kept and given the data, the track.
        let mut open = Vec::new();
        for _ in 0..runs.div_ceil(2) {
            let (view_ms, render_ms) = click_and_time_redraw(h, "#open-range").await?;
            open.push(view_ms + render_ms);
            let parts = h
                .wd()
                .execute(
                    "const d = document.querySelector('#plot-timing').dataset; return [d.layoutMs, d.chartsMs, d.trackMs, d.chartsDrawn];",
                    vec![],
                )
                .await?;
            println!("[bench] open: view {view_ms} ms, render {render_ms} ms; layout (in the view), charts, track, drawn: {parts}");
        }
        // Transfer: the whole week's view, as the UI asks for it, from the page.
        let mut view = data_view_round_trips(h, runs).await?;
        let mut total: Vec<f64> = Vec::new();
        view.sort_by(f64::total_cmp);
        render.sort_by(f64::total_cmp);
        if let (Some(v), Some(r)) = (view.get(view.len() / 2), render.get(render.len() / 2)) {
            total.push(v + r);
        }
        let mut baseline = ipc_round_trips(h, 50).await?;
        ensure!(!total.is_empty(), "no redraw was timed");
        h.screenshot("week-plotted").await?;
        let replay = replay_frames(h).await?;

        let lines = [
            record(
                "app.data_view",
                "In app: data_view round trip incl. parse",
                &mut view,
            ),
            record(
                "app.render",
                "In app: uPlot setData + track draw to next frame",
                &mut render,
            ),
            record(
                "app.plotted",
                "In app: data in memory to plotted (sum of the medians)",
                &mut total,
            ),
            record(
                "app.open",
                "In app: opening the loaded week again (data_view, charts kept, track)",
                &mut open,
            ),
            record(
                "app.first_open",
                "In app: the first open of the run (data_view + building the charts + track)",
                &mut first_open,
            ),
            record(
                "app.ipc_baseline",
                "In app: empty IPC round trip (app_status)",
                &mut baseline,
            ),
            replay,
        ];
        for line in &lines {
            println!("[bench] {line}");
        }
        if let Some(out) = std::env::var_os("TELLTALE_BENCH_OUT") {
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&out)?;
            for line in &lines {
                writeln!(file, "{line}")?;
            }
        }
        Ok(())
    })
    .await
}
