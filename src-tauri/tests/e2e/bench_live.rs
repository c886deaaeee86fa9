//! The live benchmark (run by `bench/live.sh`, never by the test suite): ten devices push
//! positions, speeds and wind at 10 Hz over the simulator's Riot device port (the device
//! emulator, each point stamped with its send time); Bob, on that Riot server, opens Live for
//! the ten in the real app. Measured, as the page reports it and from `/proc`:
//! - latency from the device's send to the value applied in the page (`data-lag-p50/p95`),
//!   against an empty IPC round trip (`app_status`) as the same run's baseline;
//! - the app's CPU share (its process and the WebKit processes under it) over the run,
//!   against the same app signed in with Live closed;
//! - its memory (PSS) at the end against one minute in (flat means about 1.0); in a run
//!   longer than the live window (10 minutes kept, so `TELLTALE_BENCH_LIVE_SECS` over 600),
//!   also the end against the moment the window was full, and the CPU share after it:
//!   the steady state of a view left open.
//!
//! Results go to `$TELLTALE_BENCH_OUT` as JSON lines.

use crate::accounts::pick;
use crate::bench_plot::ipc_round_trips;
use crate::harness::{Harness, PATIENCE};
use crate::process::{app_pid, command_name, process_tree};
use crate::riot::{restart_with_club_riot, CLUB_RIOT};
use crate::sign_in::demo_user;
use crate::wait::wait_until;
use crate::{ensure, scenario_with, Failure};
use igtimi_sim::riot::device::boat::demo_boat;
use igtimi_sim::riot::device::emulate::{Emulator, EmulatorConfig};
use igtimi_sim::SimConfig;
use serde_json::json;
use std::io::Write as _;
use std::time::{Duration, Instant};

const DEVICES: usize = 10;
const RATE_HZ: f64 = 10.0;

fn seconds(var: &str, default: u64) -> Duration {
    Duration::from_secs(
        std::env::var(var)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default),
    )
}

/// CPU time (user + system, in clock ticks) of each process under `root`, by name.
fn cpu_by_process(root: u32) -> std::collections::BTreeMap<String, u64> {
    let mut by_name = std::collections::BTreeMap::new();
    for pid in process_tree(root) {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let name = head.split_once('(').map_or("?", |(_, n)| n).to_string();
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // After the name: state is field 3, utime 14 and stime 15 (1-based over all).
        let ticks = fields
            .get(11)
            .and_then(|u| u.parse::<u64>().ok())
            .unwrap_or(0)
            + fields
                .get(12)
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(0);
        *by_name.entry(name).or_insert(0) += ticks;
    }
    by_name
}

/// CPU time (user + system, in clock ticks) of the processes under `root`.
fn cpu_ticks(root: u32) -> u64 {
    cpu_by_process(root).values().sum()
}

/// PSS (KiB) of the processes under `root`, summed by process name.
fn pss_by_process(root: u32) -> std::collections::BTreeMap<String, u64> {
    let mut by_name = std::collections::BTreeMap::new();
    for pid in process_tree(root) {
        let name = command_name(pid);
        let pss = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
            .ok()
            .and_then(|text| {
                text.lines()
                    .find(|l| l.starts_with("Pss:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            });
        if let Some(pss) = pss {
            *by_name.entry(name).or_insert(0) += pss;
        }
    }
    by_name
}

/// PSS (KiB) of the processes under `root`.
fn pss_kib(root: u32) -> u64 {
    pss_by_process(root).values().sum()
}

/// The CPU share of one core used under `root` over `span`.
async fn cpu_share(root: u32, span: Duration) -> f64 {
    let ticks_per_s = 100.0; // USER_HZ on Linux
    let (t0, c0) = (Instant::now(), cpu_ticks(root));
    tokio::time::sleep(span).await;
    let used = cpu_ticks(root).saturating_sub(c0) as f64 / ticks_per_s;
    used / t0.elapsed().as_secs_f64()
}

/// The page's live figures: (samples applied, lag p50, lag p95).
async fn live_figures(h: &Harness) -> Result<(u64, f64, f64), Failure> {
    let v = h
        .wd()
        .execute(
            "const d = document.querySelector('#live').dataset; \
             return [Number(d.liveSamples || 0), Number(d.lagP50), Number(d.lagP95)];",
            vec![],
        )
        .await?;
    let n = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    Ok((n(0) as u64, n(1), n(2)))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Registers the bench's devices for Bob on the Riot side and opens a window over today.
async fn register_devices(h: &Harness, serials: &[String]) -> Result<(), Failure> {
    let sim = h.sim();
    let token = sim.state().riot.token_for(igtimi_sim::demo::BOB);
    let api = |path: &str| format!("{}/igtimi/api/v1/{path}", sim.base_url());
    let http = reqwest::Client::new();
    let now = sim.state().clock.now_ms();
    for (i, serial) in serials.iter().enumerate() {
        let device = json!({"id": 0, "serial_number": serial, "name": format!("Bench {}", i + 1)});
        let window = json!({"id": 0, "start_time": now - 3_600_000,
                            "end_time": now + 86_400_000, "device_serial_number": serial});
        for (path, body) in [("devices", device), ("data_access_windows", window)] {
            let answer = http
                .post(api(path))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .map_err(|e| Failure(format!("POST {path}: {e}")))?;
            ensure!(
                answer.status().is_success(),
                "POST {path} for {serial}: {}",
                answer.status()
            );
        }
    }
    Ok(())
}

#[tokio::test]
#[ignore = "benchmark: run by bench/live.sh"]
async fn bench_live_ten_devices_at_10_hz() {
    let test = "bench_live_ten_devices_at_10_hz";
    let config = SimConfig {
        riot_device_listen: Some(([127, 0, 0, 1], 0).into()),
        ..SimConfig::default()
    };
    scenario_with(test, config, async |h: &mut Harness| {
        let run_for = seconds("TELLTALE_BENCH_LIVE_SECS", 600);
        let idle_for = seconds("TELLTALE_BENCH_IDLE_SECS", 60);
        restart_with_club_riot(h).await?;

        let serials: Vec<String> = (1..=DEVICES).map(|i| format!("LB-{i:04}")).collect();
        register_devices(h, &serials).await?;
        let port = h
            .sim()
            .device_addr()
            .ok_or_else(|| Failure("the simulator has no device port".into()))?;
        let mut emulators = Vec::new();
        for (i, serial) in serials.iter().enumerate() {
            let boat = demo_boat("Tern", Some(1000 + i as u64))
                .ok_or_else(|| Failure("no demo boat Tern".into()))?;
            let mut config = EmulatorConfig::new(port.to_string(), serial.clone(), boat);
            config.rate_hz = RATE_HZ;
            emulators.push(Emulator::start(config));
        }

        let bob = demo_user(h, "bob@telltale.demo")?;
        pick(h, "add-profile", CLUB_RIOT).await?;
        h.type_checked("#credentials-username", &bob.username).await?;
        h.type_checked("#credentials-password", &bob.password).await?;
        h.click("#credentials-submit").await?;
        h.wait_for_view("signed-in").await?;
        let last = format!("#devices li[data-serial=\"{}\"]", serials[DEVICES - 1]);
        wait_until("the bench devices in the catalog", PATIENCE, || async {
            h.element(&last).await.map(drop).map_err(|e| e.to_string())
        })
        .await?;
        let app = app_pid(h.driver_pid()).ok_or_else(|| Failure("no telltale process".into()))?;

        // Baselines: an empty IPC round trip, and the app signed in with Live closed.
        let mut ipc = ipc_round_trips(h, 50).await?;
        let idle_cpu = cpu_share(app, idle_for).await;

        h.click("#live-open").await?;
        h.wd()
            .execute(
                "for (const box of document.querySelectorAll('#live-devices input[type=checkbox]')) {
                     if (box.checked !== arguments[0].includes(box.value)) box.click();
                 }",
                vec![json!(serials)],
            )
            .await?;
        h.click("#live-start").await?;
        wait_until("Live to go live", PATIENCE, || async {
            match live_figures(h).await {
                Ok((n, ..)) if n > 1000 => Ok(()),
                Ok((n, ..)) => Err(format!("{n} samples applied")),
                Err(e) => Err(e.to_string()),
            }
        })
        .await?;
        tokio::time::sleep(Duration::from_secs(60)).await;
        let pss_start = pss_kib(app);
        let (samples_start, ..) = live_figures(h).await?;
        h.screenshot("live-bench-start").await?;

        let (mut p50s, mut p95s) = (Vec::new(), Vec::new());
        let started = Instant::now();
        let ticks_start = cpu_ticks(app);
        // Live opened a minute before `started`: by `full_at` it has run a minute longer
        // than the window it keeps, and every buffer is full. PSS and CPU ticks then.
        let full_at = telltale_core::live::KEEP;
        let mut at_full: Option<(u64, u64, Instant)> = None;
        // PSS by process once a minute: where memory goes, and whether it levels off.
        let mut pss_series = Vec::new();
        let by_process_start = cpu_by_process(app);
        while started.elapsed() < run_for {
            tokio::time::sleep(Duration::from_secs(10)).await;
            let (_, p50, p95) = live_figures(h).await?;
            p50s.push(p50);
            p95s.push(p95);
            let minute = started.elapsed().as_secs() / 60;
            if pss_series.len() as u64 <= minute {
                let by_process = pss_by_process(app);
                println!("[bench-pss] minute {minute}: {by_process:?}");
                pss_series.push(json!({"minute": minute, "kib": by_process}));
            }
            if at_full.is_none() && started.elapsed() >= full_at {
                at_full = Some((pss_kib(app), cpu_ticks(app), Instant::now()));
            }
        }
        let live_cpu = cpu_ticks(app).saturating_sub(ticks_start) as f64
            / 100.0
            / started.elapsed().as_secs_f64();
        let pss_end = pss_kib(app);
        // Only a run that went on for minutes after the window filled says how it stays.
        let at_full = at_full.filter(|(.., at)| at.elapsed() >= Duration::from_secs(120));
        let steady = at_full.map(|(pss, ticks, at)| {
            let share = cpu_ticks(app).saturating_sub(ticks) as f64 / 100.0 / at.elapsed().as_secs_f64();
            json!({"id": "live.steady", "label": "With the live window full: PSS at the end against when it filled, CPU share since", "full_kib": pss, "end_kib": pss_end, "ratio": pss_end as f64 / pss.max(1) as f64, "share": share, "secs": at.elapsed().as_secs()})
        });
        let secs = started.elapsed().as_secs_f64();
        let by_process: std::collections::BTreeMap<String, f64> = cpu_by_process(app)
            .into_iter()
            .map(|(name, ticks)| {
                let before = by_process_start.get(&name).copied().unwrap_or(0);
                (name, ticks.saturating_sub(before) as f64 / 100.0 / secs)
            })
            .collect();
        let (samples_end, ..) = live_figures(h).await?;
        h.screenshot("live-bench-end").await?;
        let mut pushed = 0;
        for emulator in emulators {
            pushed += emulator.report().points;
            let _ = emulator.stop().await;
        }

        let rate = (samples_end - samples_start) as f64 / started.elapsed().as_secs_f64();
        let p95_max = p95s.iter().copied().fold(f64::NAN, f64::max);
        let ipc_ms = median(&mut ipc);
        let (p50, p95) = (median(&mut p50s), median(&mut p95s));
        let lines = [
            json!({"id": "live.lag_p50", "label": "Live: device send to page, p50 (median of 10 s windows)", "ms": p50, "ratio_to_ipc": p50 / ipc_ms}),
            json!({"id": "live.lag_p95", "label": "Live: device send to page, p95 (median of 10 s windows; worst window)", "ms": p95, "worst_ms": p95_max, "ratio_to_ipc": p95 / ipc_ms}),
            json!({"id": "live.ipc_baseline", "label": "Empty IPC round trip (app_status), median", "ms": ipc_ms}),
            json!({"id": "live.cpu", "label": "App CPU share of one core with Live open (app + WebKit)", "share": live_cpu, "idle_share": idle_cpu, "ratio_to_idle": live_cpu / idle_cpu.max(1e-6), "by_process": by_process}),
            json!({"id": "live.pss", "label": "App PSS after the run against one minute in (KiB)", "start_kib": pss_start, "end_kib": pss_end, "ratio": pss_end as f64 / pss_start.max(1) as f64, "by_minute": pss_series}),
            json!({"id": "live.samples", "label": "Samples applied per second in the page", "per_s": rate, "points_pushed": pushed, "secs": started.elapsed().as_secs()}),
        ];
        let lines: Vec<serde_json::Value> = lines.into_iter().chain(steady).collect();
        for line in &lines {
            println!("[bench] {line}");
        }
        if let Some(out) = std::env::var_os("TELLTALE_BENCH_OUT") {
            let mut file = std::fs::OpenOptions::new().append(true).create(true).open(&out)?;
            for line in &lines {
                writeln!(file, "{line}")?;
            }
        }
        ensure!(samples_end > samples_start, "no samples were applied during the run");
        Ok(())
    })
    .await;
}
