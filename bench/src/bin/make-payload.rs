//! Makes the benchmark payload: starts the Igtimi simulator in-process, issues a token for
//! the wind buoy's owner, and fetches `resources/data` over real HTTP on loopback for the
//! whole demo week of `AA-BT-0731` (1 Hz, 24 h a day) with ten channel types. Writes the
//! body to `target/bench/week-1hz.json` (or the path given as the first argument) and
//! prints its size, sample and value counts as text and as one JSON line.
//!
//! Then the same week of the same ten channels as the Riot service answers it (base64
//! protobuf `Msg`s, one per second, in the simulator's deliberately shuffled order), made by
//! the simulator's own Riot encoder (`igtimi_sim::riot::encode::encode_body`, what its Riot
//! `resources/data` sends, without the access windows): `target/bench/week-1hz.riot.json`
//! (or the second argument), and beside it `week-1hz.riot.fds`, the messages'
//! `FileDescriptorSet` compiled from `crates/riot-proto/proto` by protox, so Python's
//! protobuf can build the message classes without protoc. One more JSON line with its
//! counts (read back with prost, independently of Telltale's reader).

use base64::Engine;
use igtimi_sim::config::DEFAULT_WEEK_START_MS;
use igtimi_sim::riot::encode::{encode_body, DeviceRequest};
use igtimi_sim::store::Origin;
use igtimi_sim::{SimConfig, Simulator, TokenLifetime};
use riot_proto::{msg, Message, Msg};
use std::path::PathBuf;
use std::time::Instant;
use telltale_bench::{payload_path, riot_payload_path, BUOY_SERIAL, PAYLOAD_DAYS, PAYLOAD_TYPES};

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

/// The week of the buoy's ten payload channels as the simulator's Riot dialect encodes it.
fn riot_body(sim: &Simulator) -> Vec<u8> {
    let state = sim.state();
    let start = DEFAULT_WEEK_START_MS;
    let end = start + PAYLOAD_DAYS * DAY_MS - 1;
    let request = DeviceRequest {
        serial: BUOY_SERIAL.to_string(),
        sensors: state
            .data
            .sensors(BUOY_SERIAL)
            .iter()
            .copied()
            .filter(|key| PAYLOAD_TYPES.contains(&key.code))
            .collect(),
        intervals: vec![(start, end)],
        kinds: PAYLOAD_TYPES
            .iter()
            .filter_map(|&code| riot_proto::units::for_app_code(code))
            .map(|kind| (kind.field, 0.0))
            .collect(),
    };
    encode_body(&state.data, &[request])
}

/// Messages and data points in a Riot body, read with prost.
fn riot_counts(body: &[u8]) -> Result<(usize, usize), String> {
    let root: std::collections::BTreeMap<String, Vec<String>> =
        serde_json::from_slice(body).map_err(|e| format!("the Riot payload: {e}"))?;
    let (mut messages, mut points) = (0, 0);
    for text in root.values().flatten() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| format!("a Riot message is not base64: {e}"))?;
        let message = Msg::decode(bytes.as_slice()).map_err(|e| format!("a Riot message: {e}"))?;
        messages += 1;
        if let Some(msg::Msg::Data(data)) = message.msg {
            points += data.data.iter().map(|d| d.data.len()).sum::<usize>();
        }
    }
    Ok((messages, points))
}

/// The Riot messages' `FileDescriptorSet`, imports (google/protobuf/any.proto) included.
fn riot_descriptors() -> Result<Vec<u8>, String> {
    let proto = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/riot-proto/proto");
    let mut compiler = protox::Compiler::new([proto]).map_err(|e| format!("protox: {e}"))?;
    compiler
        .include_imports(true)
        .open_files(["com/igtimi/stream.proto", "com/igtimi/data.proto"])
        .map_err(|e| format!("compiling the Riot .proto files: {e}"))?;
    Ok(compiler.encode_file_descriptor_set())
}

fn write(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()))
}

async fn run(path: PathBuf, riot_path: PathBuf) -> Result<(), String> {
    let started = Instant::now();
    let sim = Simulator::start(SimConfig::default())
        .await
        .map_err(|e| format!("starting the simulator: {e}"))?;
    let body = fetch(&sim).await?;
    let riot_started = Instant::now();
    let riot = riot_body(&sim);
    let riot_made = riot_started.elapsed();
    sim.shutdown().await;
    let fetched = started.elapsed();

    let counts = count(&body)?;
    write(&path, &body)?;

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

    let (messages, points) = riot_counts(&riot)?;
    write(&riot_path, &riot)?;
    let descriptors = riot_path.with_extension("fds");
    write(&descriptors, &riot_descriptors()?)?;
    println!(
        "Riot payload: {} ({:.1} MB), {messages} messages, {points} data points; encoded in {:.1} s; \
         descriptors {}",
        riot_path.display(),
        riot.len() as f64 / 1e6,
        riot_made.as_secs_f64(),
        descriptors.display()
    );
    let line = serde_json::json!({
        "id": "payload.riot",
        "path": riot_path.display().to_string(),
        "serial": BUOY_SERIAL,
        "days": PAYLOAD_DAYS,
        "types": PAYLOAD_TYPES,
        "bytes": riot.len(),
        "messages": messages,
        "points": points,
        "encode_s": riot_made.as_secs_f64(),
    });
    println!("{line}");
    Ok(())
}

fn main() {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(payload_path);
    let riot_path = std::env::args_os()
        .nth(2)
        .map(PathBuf::from)
        .unwrap_or_else(riot_payload_path);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    if let Err(message) = runtime.block_on(run(path, riot_path)) {
        eprintln!("make-payload: {message}");
        std::process::exit(1);
    }
}
