//! Shared pieces of Telltale's benchmarks: where the payload and results live, a small
//! timer (warm-up, then N timed runs, median and best), and the records every step writes
//! as JSON lines so `bench/report.py` can put Rust and Python figures in one table.

pub mod view;

use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The serial of the demo's wind buoy: it logs around the clock at 1 Hz.
pub const BUOY_SERIAL: &str = "AA-BT-0731";

/// The channel types fetched for the payload: position (lon+lat), COG, HDG, SOG, AWA, AWS,
/// battery, TWD, TWS and type 24. Ten channels, eleven value columns.
pub const PAYLOAD_TYPES: [u16; 10] = [1, 6, 8, 9, 11, 12, 15, 22, 23, 24];

/// Days of the demo week fetched (the whole regatta week).
pub const PAYLOAD_DAYS: i64 = 7;

/// The directory benchmarks write to: `$CARGO_TARGET_DIR/bench`, else `<workspace>/target/bench`.
pub fn out_dir() -> PathBuf {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the bench crate sits inside the workspace");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"));
    target.join("bench")
}

/// The payload file: `TELLTALE_BENCH_PAYLOAD` if set, else `<out_dir>/week-1hz.json`.
pub fn payload_path() -> PathBuf {
    std::env::var_os("TELLTALE_BENCH_PAYLOAD")
        .map(PathBuf::from)
        .unwrap_or_else(|| out_dir().join("week-1hz.json"))
}

/// The Riot payload (the same week as base64 protobuf `Msg`s, what the Riot service's
/// `resources/data` answers): `TELLTALE_BENCH_RIOT_PAYLOAD` if set, else
/// `<out_dir>/week-1hz.riot.json`.
pub fn riot_payload_path() -> PathBuf {
    std::env::var_os("TELLTALE_BENCH_RIOT_PAYLOAD")
        .map(PathBuf::from)
        .unwrap_or_else(|| out_dir().join("week-1hz.riot.json"))
}

/// The Riot messages' `FileDescriptorSet` (binary), for Python's protobuf, which has no
/// generated classes: `<riot payload>` with the extension `.fds`.
pub fn riot_descriptors_path() -> PathBuf {
    riot_payload_path().with_extension("fds")
}

/// Timed runs per measurement: `TELLTALE_BENCH_RUNS` if it is a positive number, else `default`.
pub fn runs_from_env(default: usize) -> usize {
    std::env::var("TELLTALE_BENCH_RUNS")
        .ok()
        .and_then(|text| text.trim().parse::<usize>().ok())
        .filter(|&runs| runs > 0)
        .unwrap_or(default)
}

/// Durations of the timed runs of one measurement.
#[derive(Debug, Clone)]
pub struct Timings {
    /// Every timed run, in the order they ran (warm-up runs excluded).
    pub runs: Vec<Duration>,
}

impl Timings {
    /// The median run (the mean of the middle two for an even count).
    pub fn median(&self) -> Duration {
        let mut sorted = self.runs.clone();
        sorted.sort();
        match sorted.len() {
            0 => Duration::ZERO,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
        }
    }

    /// The fastest run.
    pub fn best(&self) -> Duration {
        self.runs.iter().copied().min().unwrap_or(Duration::ZERO)
    }
}

/// Runs `work` `warmup` times untimed, then `runs` times timed. The result of each run is
/// dropped outside the timed region, so freeing a large result is not counted.
pub fn measure<T>(warmup: usize, runs: usize, mut work: impl FnMut() -> T) -> Timings {
    for _ in 0..warmup {
        drop(std::hint::black_box(work()));
    }
    let mut timed = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let result = std::hint::black_box(work());
        timed.push(start.elapsed());
        drop(result);
    }
    Timings { runs: timed }
}

/// One measured step, as written to the JSON-lines results file.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// Stable identifier of the step, e.g. `rust.telltale_decode`.
    pub id: String,
    /// What was measured, for people.
    pub label: String,
    /// Bytes the step reads per run (0 when a rate makes no sense).
    pub bytes: u64,
    /// Number of timed runs.
    pub runs: usize,
    /// Median run, milliseconds.
    pub median_ms: f64,
    /// Fastest run, milliseconds.
    pub best_ms: f64,
    /// `bytes` per median run, in MB/s (1 MB = 10^6 bytes); `None` without bytes.
    pub median_mb_s: Option<f64>,
    /// `bytes` per fastest run, in MB/s.
    pub best_mb_s: Option<f64>,
    /// Step-specific facts (sample counts, output sizes), flattened into the JSON line.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Record {
    /// Builds a record from timings; rates are given when `bytes > 0`.
    pub fn new(id: &str, label: &str, bytes: u64, timings: &Timings) -> Record {
        let median = timings.median().as_secs_f64();
        let best = timings.best().as_secs_f64();
        let rate = |secs: f64| (bytes > 0 && secs > 0.0).then(|| bytes as f64 / 1e6 / secs);
        Record {
            id: id.into(),
            label: label.into(),
            bytes,
            runs: timings.runs.len(),
            median_ms: median * 1e3,
            best_ms: best * 1e3,
            median_mb_s: rate(median),
            best_mb_s: rate(best),
            extra: serde_json::Map::new(),
        }
    }

    /// Adds a step-specific fact to the JSON line.
    pub fn with(mut self, name: &str, value: impl Into<serde_json::Value>) -> Record {
        self.extra.insert(name.into(), value.into());
        self
    }

    /// The record as one JSON line.
    pub fn json_line(&self) -> String {
        serde_json::to_string(self).expect("a record always serializes")
    }

    /// The record as one row of a fixed-width table.
    pub fn table_row(&self) -> String {
        let rate = |r: Option<f64>| r.map_or_else(|| "-".to_string(), |r| format!("{r:.0}"));
        format!(
            "{:<52} {:>10.1} {:>10.1} {:>12} {:>12}",
            self.label,
            self.median_ms,
            self.best_ms,
            rate(self.median_mb_s),
            rate(self.best_mb_s)
        )
    }

    /// The header matching [`Record::table_row`].
    pub fn table_header() -> String {
        format!(
            "{:<52} {:>10} {:>10} {:>12} {:>12}",
            "step", "median ms", "best ms", "median MB/s", "best MB/s"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = |v: &[u64]| Timings {
            runs: v.iter().map(|&m| Duration::from_millis(m)).collect(),
        };
        assert_eq!(ms(&[30, 10, 20]).median(), Duration::from_millis(20));
        assert_eq!(ms(&[40, 10, 20, 30]).median(), Duration::from_millis(25));
        assert_eq!(ms(&[40, 10, 20, 30]).best(), Duration::from_millis(10));
    }

    #[test]
    fn rates_are_megabytes_per_second() {
        let timings = Timings {
            runs: vec![Duration::from_millis(500), Duration::from_millis(250)],
        };
        let record = Record::new("x", "x", 100_000_000, &timings);
        assert_eq!(record.best_mb_s, Some(400.0));
        assert!((record.median_mb_s.unwrap() - 266.666).abs() < 0.01);
    }
}
