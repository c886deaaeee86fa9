// Times JSON.parse of the charts' view (target/bench/dataview.json, written by the Rust
// bench) in Node: a stand-in for the webview parsing the data_view answer until the
// in-app plot step measures the real thing. Node runs V8; the Linux webview runs
// JavaScriptCore, so this is an estimate, not the app's figure.
//
// usage: node bench/js_parse.mjs <dataview.json> [--runs N] [--out results.jsonl]

import { readFileSync, appendFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const args = process.argv.slice(2);
const file = args[0];
if (!file) {
  console.error("usage: node bench/js_parse.mjs <dataview.json> [--runs N] [--out file]");
  process.exit(2);
}
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const runs = Number.parseInt(option("--runs", "20"), 10);
if (!(runs > 0)) {
  console.error("--runs must be a positive number");
  process.exit(2);
}
const out = option("--out", null);

const text = readFileSync(file, "utf8");
const bytes = Buffer.byteLength(text);
let points = 0;
for (let i = 0; i < 3; i++) {
  const view = JSON.parse(text);
  points = view.series.reduce((n, s) => n + s.t.length, 0);
}
const times = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const view = JSON.parse(text);
  times.push(performance.now() - start);
  if (view.series.length === 0) console.error("the view has no series");
}
times.sort((a, b) => a - b);
const median = runs % 2 ? times[(runs - 1) / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
const best = times[0];
const record = {
  id: "js.view_parse",
  label: `view: JSON.parse in Node ${process.version} (proxy)`,
  bytes,
  runs,
  median_ms: median,
  best_ms: best,
  median_mb_s: bytes / 1e6 / (median / 1e3),
  best_mb_s: bytes / 1e6 / (best / 1e3),
  series_points: points,
};
console.log(`${record.label}: median ${median.toFixed(2)} ms, best ${best.toFixed(2)} ms, ${bytes} bytes`);
console.log(JSON.stringify(record));
if (out) appendFileSync(out, JSON.stringify(record) + "\n");
