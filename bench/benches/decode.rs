//! `cargo bench -p telltale-bench --bench decode`: on the bytes of the week payload (see
//! `make-payload`), in one run, times
//! - Telltale's decoder (`telltale_data::decode::decode`) into columns,
//! - Telltale's Riot reader (`telltale_data::riot::decode_answer`) on the same week as the
//!   Riot service sends it (base64 protobuf `Msg`s, `week-1hz.riot.json`), into the same
//!   columns; its dataset is checked against the JSON decoder's first,
//! - `serde_json::from_slice::<serde_json::Value>` as a general-purpose Rust baseline,
//! - building the charts' view of the decoded week (every series `min_max` at 1200 buckets,
//!   the track `pick_track` at 4000 points) and packing it with `pack_view`, which is the
//!   Rust side of "data in memory to plotted" (`data_view` sends the packed bytes); and, for
//!   comparison, serializing the same view with serde_json, as `data_view` used to.
//!
//! Each step: one untimed warm-up, then `TELLTALE_BENCH_RUNS` (default 5) timed runs (four
//! times as many for the view steps, which take milliseconds);
//! median and best are reported as a table and as JSON lines (stdout, and appended to the
//! file named by `TELLTALE_BENCH_OUT` when set). The view is written to
//! `<target>/bench/dataview.bin` (packed) and `dataview.json` for the JavaScript steps.

use serde_json::Value;
use std::io::Write;
use telltale_bench::view;
use telltale_bench::{measure, out_dir, payload_path, riot_payload_path, runs_from_env, Record};
use telltale_core::browse::{pack_view, view_of, DataView};
use telltale_data::decode::decode;
use telltale_data::downsample::min_max;
use telltale_data::riot::decode_answer;
use telltale_data::Dataset;

/// Chart width in pixels: one min/max bucket per pixel column.
const WIDTH: usize = 1200;
const WARMUP: usize = 1;

/// Timestamps and values in a decoded dataset.
fn dataset_counts(data: &Dataset) -> (u64, u64) {
    let blocks = data.devices.values().flat_map(|d| d.channels.values());
    blocks.fold((0, 0), |(t, v), block| {
        let values: usize = block.fields.iter().map(Vec::len).sum();
        (t + block.t.len() as u64, v + values as u64)
    })
}

/// Timestamps and values in a serde_json tree of the same payload (an independent count).
fn tree_counts(tree: &Value) -> (u64, u64) {
    let blocks = tree
        .as_object()
        .into_iter()
        .flat_map(|devices| devices.values())
        .filter_map(Value::as_object)
        .flat_map(|channels| channels.values())
        .filter_map(Value::as_object);
    blocks.fold((0, 0), |(t, v), block| {
        block.iter().fold((t, v), |(t, v), (name, column)| {
            let len = column.as_array().map_or(0, Vec::len) as u64;
            if name == "t" {
                (t + len, v)
            } else {
                (t, v + len)
            }
        })
    })
}

/// Samples per second of a run of `timestamps` samples taking `ms`.
fn per_second(timestamps: u64, ms: f64) -> f64 {
    timestamps as f64 / (ms / 1e3)
}

/// Whether two datasets hold the same samples: same devices, keys and times, values equal
/// within a relative 1e-9 (the Riot payload carries km/h and Pa, converted back to knots and
/// hPa), NaN where the other has NaN.
fn same_samples(json: &Dataset, riot: &Dataset) -> Result<(), String> {
    let keys = |d: &Dataset| {
        d.blocks()
            .map(|(s, k, _)| format!("{s} {k}"))
            .collect::<Vec<_>>()
    };
    if keys(json) != keys(riot) {
        return Err(format!(
            "channels differ: {:?} vs {:?}",
            keys(json),
            keys(riot)
        ));
    }
    for ((serial, key, a), (_, _, b)) in json.blocks().zip(riot.blocks()) {
        if a.t != b.t || a.fields.len() != b.fields.len() {
            return Err(format!("{serial} {key}: times or columns differ"));
        }
        for (x, y) in a.fields.iter().flatten().zip(b.fields.iter().flatten()) {
            let close = (x.is_nan() && y.is_nan()) || (x - y).abs() <= 1e-9 * x.abs().max(1.0);
            if !close {
                return Err(format!("{serial} {key}: {x} vs {y}"));
            }
        }
    }
    Ok(())
}

fn fail(message: String) -> ! {
    eprintln!("bench decode: {message}");
    std::process::exit(1);
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported, so ignore them.
    let path = payload_path();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        fail(format!(
            "cannot read the payload {}: {e}; make it with bench/run.sh or \
             `cargo run --release -p telltale-bench --bin make-payload`",
            path.display()
        ))
    });
    let size = bytes.len() as u64;
    let runs = runs_from_env(5);
    println!(
        "payload {} ({:.1} MB), {WARMUP} warm-up + {runs} timed runs per step",
        path.display(),
        size as f64 / 1e6
    );

    let mut records = Vec::new();

    // Telltale decode; its result is checked against serde_json's reading of the same bytes.
    let dataset = decode(&bytes).unwrap_or_else(|e| fail(format!("decode failed: {e}")));
    let (timestamps, values) = dataset_counts(&dataset);
    let timings = measure(WARMUP, runs, || decode(&bytes));
    let json_record = Record::new(
        "rust.telltale_decode",
        "Telltale decode (telltale_data::decode)",
        size,
        &timings,
    );
    let (median_ms, best_ms) = (json_record.median_ms, json_record.best_ms);
    records.push(
        json_record
            .with("timestamps", timestamps)
            .with("values", values)
            .with("median_samples_s", per_second(timestamps, median_ms))
            .with("best_samples_s", per_second(timestamps, best_ms)),
    );

    // The same week as the Riot service sends it, checked against the JSON decoder's reading.
    let riot_path = riot_payload_path();
    let riot_bytes = std::fs::read(&riot_path).unwrap_or_else(|e| {
        fail(format!(
            "cannot read the Riot payload {}: {e}; make-payload writes it",
            riot_path.display()
        ))
    });
    let riot = decode_answer(&riot_bytes)
        .unwrap_or_else(|e| fail(format!("the Riot payload does not decode: {e}")));
    if let Some(problem) = riot.problems.first() {
        fail(format!("the Riot payload has problems: {problem}"));
    }
    if let Err(difference) = same_samples(&dataset, &riot.dataset) {
        fail(format!(
            "the Riot payload decodes to other samples: {difference}"
        ));
    }
    let riot_messages = riot_bytes.iter().filter(|&&b| b == b'"').count() / 2 - 1;
    drop(riot);
    let timings = measure(WARMUP, runs, || decode_answer(&riot_bytes));
    let riot_record = Record::new(
        "rust.riot_decode",
        "Telltale Riot decode (telltale_data::riot)",
        riot_bytes.len() as u64,
        &timings,
    );
    let (median_ms, best_ms) = (riot_record.median_ms, riot_record.best_ms);
    records.push(
        riot_record
            .with("timestamps", timestamps)
            .with("values", values)
            .with("messages", riot_messages)
            .with("median_samples_s", per_second(timestamps, median_ms))
            .with("best_samples_s", per_second(timestamps, best_ms)),
    );
    drop(riot_bytes);

    let tree: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| fail(format!("serde_json cannot read the payload: {e}")));
    if tree_counts(&tree) != (timestamps, values) {
        fail(format!(
            "decode read {timestamps} timestamps and {values} values, serde_json {:?}",
            tree_counts(&tree)
        ));
    }
    drop(tree);
    let timings = measure(WARMUP, runs, || {
        serde_json::from_slice::<Value>(&bytes).expect("the payload parsed above")
    });
    records.push(Record::new(
        "rust.serde_value",
        "serde_json::from_slice::<Value>",
        size,
        &timings,
    ));
    drop(bytes);

    // Data in memory -> what the charts receive.
    let Some((from, to)) = view::time_span(&dataset) else {
        fail("the payload holds no samples".into())
    };
    let built = view_of(&dataset, from, to, WIDTH);
    let json = serde_json::to_vec(&built).expect("a view always serializes");
    let points = view::points(&built);
    // The view steps take milliseconds: more runs for a steadier median.
    let view_runs = runs * 4;
    let timings = measure(WARMUP, view_runs, || view_of(&dataset, from, to, WIDTH));
    records.push(
        Record::new(
            "rust.view_build",
            "view: min_max x1200 per series + pick_track",
            0,
            &timings,
        )
        .with("series", built.series.len())
        .with("tracks", built.tracks.len())
        .with("points", points),
    );
    let timings = measure(WARMUP, view_runs, || {
        let series = dataset
            .devices
            .values()
            .flat_map(|device| device.channels.iter())
            .filter(|(key, _)| key.code != 1)
            .flat_map(|(_, block)| block.fields.iter().map(|values| (&block.t, values)));
        series
            .map(|(t, v)| min_max(t, v, from, to, WIDTH).0.len())
            .sum::<usize>()
    });
    records.push(Record::new(
        "rust.view_min_max",
        "  of which min_max x1200 of every series",
        0,
        &timings,
    ));
    let timings = measure(WARMUP, view_runs, || serde_json::to_vec(&built));
    records.push(
        Record::new("rust.view_json", "view: serde_json::to_vec", 0, &timings)
            .with("json_bytes", json.len()),
    );
    let packed = pack_view(&built);
    let timings = measure(WARMUP, view_runs, || pack_view(&built));
    records.push(
        Record::new(
            "rust.view_pack",
            "view: pack_view (what data_view sends)",
            0,
            &timings,
        )
        .with("packed_bytes", packed.len()),
    );
    let timings = measure(WARMUP, view_runs, || {
        let view: DataView = view_of(&dataset, from, to, WIDTH);
        pack_view(&view)
    });
    records.push(
        Record::new(
            "rust.view_total",
            "view: build + pack (Rust side of plotting)",
            0,
            &timings,
        )
        .with("packed_bytes", packed.len()),
    );

    let view_path = out_dir().join("dataview.json");
    let packed_path = out_dir().join("dataview.bin");
    if let Err(e) = std::fs::create_dir_all(out_dir())
        .and_then(|_| std::fs::write(&view_path, &json))
        .and_then(|_| std::fs::write(&packed_path, &packed))
    {
        fail(format!("writing {}: {e}", view_path.display()));
    }

    println!(
        "decoded {timestamps} timestamps + {values} values; view of {} series + {} track(s), \
         {points} points, {:.1} kB packed, {:.1} kB as JSON ({})",
        built.series.len(),
        built.tracks.len(),
        packed.len() as f64 / 1e3,
        json.len() as f64 / 1e3,
        view_path.display()
    );
    println!("{}", Record::table_header());
    for record in &records {
        println!("{}", record.table_row());
    }
    let lines: Vec<String> = records.iter().map(Record::json_line).collect();
    for line in &lines {
        println!("{line}");
    }
    if let Some(out) = std::env::var_os("TELLTALE_BENCH_OUT") {
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&out)
            .and_then(|mut file| lines.iter().try_for_each(|l| writeln!(file, "{l}")));
        if let Err(e) = written {
            fail(format!("writing {}: {e}", out.to_string_lossy()));
        }
    }
}
