//! Makes the benchmark payload: starts the Igtimi simulator in-process, issues a token for
//! the wind buoy's owner, and fetches `resources/data` over real HTTP on loopback for the
//! whole demo week of `AA-BT-0731` (1 Hz, 24 h a day) with ten channel types. Writes the
//! body to `target/bench/week-1hz.json` (or the path given as the first argument) and
//! prints its size, sample and value counts as text and as one JSON line.

use igtimi_sim::config::DEFAULT_WEEK_START_MS;
use igtimi_sim::store::Origin;
use igtimi_sim::{SimConfig, Simulator, TokenLifetime};
use std::path::PathBuf;
use std::time::Instant;
use telltale_bench::{payload_path, BUOY_SERIAL, PAYLOAD_DAYS, PAYLOAD_TYPES};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Counts from the payload, read with serde_json independently of Telltale's decoder.
#[derive(Debug, Default)]
struct Counts {
    channels: usize,
    timestamps: u64,
    values: u64,
}

fn count(body: &[u8]) -> Result<Counts, String> {
    let root: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("payload is not JSON: {e}"))?;
    if let Some(error) = root.get("error") {
        return Err(format!("the simulator answered an error: {root}; {error}"));
    }
    let mut counts = Counts::default();
    let devices = root.as_object().ok_or("payload is not a JSON object")?;
    for channels in devices.values() {
        let channels = channels.as_object().ok_or("a device is not an object")?;
        for block in channels.values() {
            counts.channels += 1;
            let block = block.as_object().ok_or("a channel is not an object")?;
            for (name, column) in block {
                let len = column.as_array().map_or(0, Vec::len) as u64;
                if name == "t" {
                    counts.timestamps += len;
                } else {
                    counts.values += len;
                }
            }
        }
    }
    Ok(counts)
}

async fn fetch(sim: &Simulator) -> Result<Vec<u8>, String> {
    let state = sim.state();
    let owner = state
        .world
        .device_by_serial(BUOY_SERIAL)
        .ok_or_else(|| format!("the demo world has no device {BUOY_SERIAL}"))?
        .owner_id;
    let client = sim
        .telltale_client()
        .ok_or("the demo registers no Telltale client")?;
    let token = state
        .store
        .issue(
            TokenLifetime::Never,
            state.clock.now_secs(),
            owner,
            &client.client_id,
            "read",
            Origin::Password,
        )
        .access_token;

    let start = DEFAULT_WEEK_START_MS;
    let end = start + PAYLOAD_DAYS * DAY_MS - 1;
    let mut query = vec![
        ("start_time".to_string(), start.to_string()),
        ("end_time".to_string(), end.to_string()),
        ("serial_numbers[]".to_string(), BUOY_SERIAL.to_string()),
    ];
    query.extend(
        PAYLOAD_TYPES
            .iter()
            .map(|c| (format!("types[{c}]"), "0".into())),
    );

    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(300))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    let response = http
        .get(format!("{}/api/v1/resources/data", sim.base_url()))
        .bearer_auth(token)
        .query(&query)
        .send()
        .await
        .map_err(|e| format!("GET resources/data: {e}"))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("reading the body: {e}"))?;
    if !status.is_success() {
        return Err(format!(
            "GET resources/data answered {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(500)])
        ));
    }
    Ok(body.to_vec())
}

async fn run(path: PathBuf) -> Result<(), String> {
    let started = Instant::now();
    let sim = Simulator::start(SimConfig::default())
        .await
        .map_err(|e| format!("starting the simulator: {e}"))?;
    let body = fetch(&sim).await?;
    sim.shutdown().await;
    let fetched = started.elapsed();

    let counts = count(&body)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    std::fs::write(&path, &body).map_err(|e| format!("writing {}: {e}", path.display()))?;

    println!(
        "payload: {} ({:.1} MB), {} channels, {} timestamps, {} values, {} numbers; fetched in {:.1} s",
        path.display(),
        body.len() as f64 / 1e6,
        counts.channels,
        counts.timestamps,
        counts.values,
        counts.timestamps + counts.values,
        fetched.as_secs_f64()
    );
    let line = serde_json::json!({
        "id": "payload",
        "path": path.display().to_string(),
        "serial": BUOY_SERIAL,
        "days": PAYLOAD_DAYS,
        "types": PAYLOAD_TYPES,
        "bytes": body.len(),
        "channels": counts.channels,
        "timestamps": counts.timestamps,
        "values": counts.values,
        "fetch_s": fetched.as_secs_f64(),
    });
    println!("{line}");
    Ok(())
}

fn main() {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(payload_path);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    if let Err(message) = runtime.block_on(run(path)) {
        eprintln!("make-payload: {message}");
        std::process::exit(1);
    }
}
