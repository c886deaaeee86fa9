// The webview's side of receiving a view, timed in Node on the files the Rust bench wrote:
// - unpacking target/bench/dataview.bin with the UI's own `unpackView`
//   (ui/src/browse/packed.ts, bundled here with esbuild), which is what the app does with
//   the bytes `data_view` sends;
// - JSON.parse of the same view as JSON (target/bench/dataview.json), what the app did
//   before, for comparison.
// Node runs V8; the Linux webview runs JavaScriptCore, so these are estimates; the in-app
// plot step (bench/plot.sh) measures the real thing.
//
// usage: node bench/js_parse.mjs <dataview.json> <dataview.bin> [--runs N] [--out results.jsonl]

import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const [jsonFile, packedFile] = args;
if (!jsonFile || !packedFile) {
  console.error("usage: node bench/js_parse.mjs <dataview.json> <dataview.bin> [--runs N] [--out file]");
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

/** Median and best of `runs` timed calls of `step` after three warm-ups, in ms. */
function time(step) {
  for (let i = 0; i < 3; i++) step();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    step();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = runs % 2 ? times[(runs - 1) / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
  return { median, best: times[0] };
}

function report(record) {
  console.log(
    `${record.label}: median ${record.median_ms.toFixed(2)} ms, best ${record.best_ms.toFixed(2)} ms, ${record.bytes} bytes`,
  );
  console.log(JSON.stringify(record));
  if (out) appendFileSync(out, JSON.stringify(record) + "\n");
}

// The UI's unpacker, bundled from its TypeScript source with the UI's own esbuild.
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { build } = createRequire(join(root, "ui/package.json"))("esbuild");
const work = mkdtempSync(join(tmpdir(), "telltale-bench-"));
const bundle = join(work, "packed.mjs");
await build({
  entryPoints: [join(root, "ui/src/browse/packed.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  outfile: bundle,
  logLevel: "error",
});
const { unpackView } = await import(pathToFileURL(bundle).href);
rmSync(work, { recursive: true, force: true });

const file = readFileSync(packedFile);
const packed = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
const unpacked = unpackView(packed);
const points = unpacked.series.reduce((n, s) => n + s.t.length, 0);
let timing = time(() => {
  if (unpackView(packed).series.length === 0) console.error("the view has no series");
});
report({
  id: "js.view_unpack",
  label: `view: unpackView of the packed bytes in Node ${process.version} (proxy)`,
  bytes: packed.byteLength,
  runs,
  median_ms: timing.median,
  best_ms: timing.best,
  series_points: points,
});

const text = readFileSync(jsonFile, "utf8");
timing = time(() => {
  if (JSON.parse(text).series.length === 0) console.error("the view has no series");
});
report({
  id: "js.view_parse",
  label: `view: JSON.parse of the same view as JSON in Node ${process.version} (comparison)`,
  bytes: Buffer.byteLength(text),
  runs,
  median_ms: timing.median,
  best_ms: timing.best,
  series_points: points,
});
