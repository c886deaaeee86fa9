// Tests of the browse screens' pure helpers (formatting, ranges, colours, projection,
// binary search, packed views), run with `npm test`. The TypeScript is bundled by esbuild into a
// temporary module first, then checked with node's built-in test runner.
import { build } from "esbuild";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = mkdtempSync(join(tmpdir(), "telltale-ui-test-"));
after(() => rmSync(out, { recursive: true, force: true }));

async function load(name) {
  const outfile = join(out, `${name}.mjs`);
  await build({
    entryPoints: [join(root, "src/browse", `${name}.ts`)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile,
    logLevel: "error",
  });
  return import(pathToFileURL(outfile).href);
}

const format = await load("format");
const scale = await load("scale");
const packed = await load("packed");

const T = Date.UTC(2025, 5, 21, 10, 5, 9); // 2025-06-21 10:05:09 UTC

test("UTC formatting says UTC and ignores the local zone", () => {
  assert.equal(format.formatUtc(T), "2025-06-21 10:05 UTC");
  assert.equal(format.formatUtc(T, true), "2025-06-21 10:05:09 UTC");
  assert.equal(format.formatSpan(T, T + 3 * 3600_000), "2025-06-21 10:05 – 13:05 UTC");
  assert.equal(format.formatSpan(T, T + 86_400_000), "2025-06-21 10:05 – 2025-06-22 10:05 UTC");
  assert.equal(format.formatSpan(T, null), "from 2025-06-21 10:05 UTC (still open)");
  assert.equal(format.formatDuration(2.5 * 3600_000), "2 h 30 min");
  assert.equal(format.formatDuration(45_000), "45 s");
  assert.equal(format.formatDuration(3 * 86_400_000 + 4 * 3600_000), "3 d 4 h");
});

test("datetime-local values round-trip as UTC and bad ones are refused", () => {
  assert.equal(format.toUtcInput(T), "2025-06-21T10:05");
  assert.equal(format.parseUtcInput("2025-06-21T10:05"), Date.UTC(2025, 5, 21, 10, 5));
  assert.equal(format.parseUtcInput("2025-06-21T10:05:09"), Date.UTC(2025, 5, 21, 10, 5, 9));
  assert.equal(format.parseUtcInput("2025-06-21T10:05:09.5"), Date.UTC(2025, 5, 21, 10, 5, 9, 500));
  assert.equal(format.parseUtcInput("2025-02-30T10:05"), null);
  assert.equal(format.parseUtcInput("2025-06-21T24:00"), null);
  assert.equal(format.parseUtcInput("2025-06-21"), null);
  assert.equal(format.parseUtcInput(""), null);
});

test("presets end at the newest data, rounded up to the minute", () => {
  const day = format.presetRange("day", T, 0);
  assert.equal(day.to, Date.UTC(2025, 5, 21, 10, 6));
  assert.equal(day.to - day.from, format.DAY_MS);
  const week = format.presetRange("week", null, T);
  assert.equal(week.to, Date.UTC(2025, 5, 21, 10, 6));
  assert.equal(week.to - week.from, format.WEEK_MS);
  const exact = format.presetRange("day", Date.UTC(2025, 5, 21, 10, 0), 0);
  assert.equal(exact.to, Date.UTC(2025, 5, 21, 10, 0));
});

test("bytes, progress and failure texts", () => {
  assert.equal(format.formatBytes(0), "0 B");
  assert.equal(format.formatBytes(999), "999 B");
  assert.equal(format.formatBytes(4_100_000), "4.1 MB");
  assert.equal(format.formatBytes(123_456_789), "123 MB");
  const progress = {
    chunksDone: 3,
    chunksTotal: 12,
    chunksFailed: 0,
    bytes: 4_100_000,
    retrying: false,
  };
  assert.equal(format.progressText(progress), "3 of 12 chunks · 4.1 MB");
  assert.equal(
    format.progressText({ ...progress, chunksFailed: 1, retrying: true }),
    "3 of 12 chunks · 4.1 MB · 1 failed · retrying…",
  );
  const failed = format.failedText(2, 12, "The server did not answer.");
  assert.match(
    failed,
    /^2 of 12 time windows could not be fetched \(The server did not answer\)\./,
  );
  assert.match(failed, /The rest is shown/);
});

test("values keep sensible precision", () => {
  assert.equal(format.formatValue(7.456, 9, "kn"), "7.46 kn");
  assert.equal(format.formatValue(245.4, 4, "deg"), "245 deg");
  assert.equal(format.formatValue(-36.8485001, 1, "deg"), "-36.848500 deg");
  assert.equal(format.formatValue(Number.NaN, 9, "kn"), "–");
  assert.equal(format.axisLabel("SOG", "kn"), "SOG (kn)");
  assert.equal(format.axisLabel("Count", ""), "Count");
});

test("speed colours run from blue to red and grey for unknown", () => {
  assert.deepEqual(scale.rampColour(0), [49, 54, 149]);
  assert.deepEqual(scale.rampColour(1), [200, 30, 40]);
  assert.deepEqual(scale.rampColour(7), [200, 30, 40]);
  assert.deepEqual(scale.rampColour(-1), [49, 54, 149]);
  assert.equal(scale.speedColour(null, 10), "rgb(128,128,128)");
  assert.equal(scale.speedColour(20, 10), "rgb(200,30,40)");
  assert.match(scale.rampGradient(), /^linear-gradient\(to right, rgb\(49,54,149\) 0%, .* 100%\)$/);
});

test("speed scale ignores a lone spike", () => {
  const speeds = [Array.from({ length: 200 }, (_, i) => (i % 10) + 0.5)];
  speeds[0][17] = 90;
  assert.equal(scale.speedScaleMax(speeds), 10);
  assert.equal(scale.speedScaleMax([[null, null]]), 1);
  assert.equal(scale.speedScaleMax([]), 1);
});

test("projection is to scale: longitude shrinks by cos(mid-latitude)", () => {
  const bounds = { minLon: 10, maxLon: 10.02, minLat: 59.99, maxLat: 60.01 }; // mid-latitude 60°
  const p = scale.fitProjection(bounds, 400, 400, 20);
  const dx = p.x(10.02) - p.x(10);
  const dy = p.y(59.99) - p.y(60.01);
  assert.ok(Math.abs(dx / dy - 0.5) < 1e-9, `east-west ${dx} px vs north-south ${dy} px`);
  assert.ok(Math.abs(dy - 360) < 1e-9, "the taller side fills the canvas minus margins");
  assert.ok(Math.abs((p.x(10) + p.x(10.02)) / 2 - 200) < 1e-9, "centred");
  assert.ok(p.y(60.01) < p.y(59.99), "north is up");
  assert.ok(Math.abs(p.metresPerPixel - (0.02 * scale.METRES_PER_DEGREE) / 360) < 1e-9);
  const point = scale.fitProjection({ minLon: 5, maxLon: 5, minLat: 0, maxLat: 0 }, 300, 200, 10);
  assert.ok(Number.isFinite(point.x(5)) && Number.isFinite(point.scale));
  assert.deepEqual(
    scale.trackBounds([
      { lon: [1, Number.NaN, 3], lat: [4, 9, -2] },
      { lon: [], lat: [] },
    ]),
    { minLon: 1, maxLon: 3, minLat: -2, maxLat: 4 },
  );
  assert.equal(scale.trackBounds([{ lon: [Number.NaN], lat: [1] }]), null);
});

test("nearest sample by binary search", () => {
  const t = [0, 10, 20, 30, 40];
  assert.equal(scale.nearestIndex(t, 0), 0);
  assert.equal(scale.nearestIndex(t, 14), 1);
  assert.equal(scale.nearestIndex(t, 16), 2);
  assert.equal(scale.nearestIndex(t, 15), 1);
  assert.equal(scale.nearestIndex(t, 40), 4);
  assert.equal(scale.nearestIndex(t, 41), null);
  assert.equal(scale.nearestIndex(t, -1), null);
  assert.equal(scale.nearestIndex([], 5), null);
  assert.equal(scale.nearestIndex([7], 7), 0);
  const long = Array.from({ length: 100_001 }, (_, i) => i * 1000);
  assert.equal(scale.nearestIndex(long, 12_345_678), 12_346);
});

test("scale bar picks 1-2-5 lengths that fit", () => {
  assert.deepEqual(scale.scaleBar(10, 120), { pixels: 100, label: "1 km" });
  assert.deepEqual(scale.scaleBar(3, 120), { pixels: 200 / 3, label: "200 m" });
  assert.deepEqual(scale.scaleBar(50, 120), { pixels: 100, label: "5 km" });
  assert.deepEqual(scale.scaleBar(0.001, 120), { pixels: 1000, label: "1 m" });
});

test("track gaps: at least a minute, else 20 typical steps", () => {
  assert.equal(scale.gapThreshold([0, 1000, 2000, 3000]), 60_000);
  assert.equal(scale.gapThreshold(Array.from({ length: 100 }, (_, i) => i * 10_000)), 200_000);
});

test("time axis labels are UTC, 24 h, with the date where it changes", () => {
  const h = 3600_000;
  const start = Date.UTC(2025, 5, 21, 20, 0);
  assert.deepEqual(
    format.timeTickLabels([start, start + 2 * h, start + 4 * h, start + 6 * h], 2 * h),
    ["20:00\n2025-06-21", "22:00", "00:00\n06-22", "02:00"],
  );
  assert.deepEqual(format.timeTickLabels([start, start + 10_000], 10_000), [
    "20:00:00\n2025-06-21",
    "20:00:10",
  ]);
  const day = Date.UTC(2025, 11, 31);
  assert.deepEqual(format.timeTickLabels([day, day + 86_400_000], 86_400_000), [
    "12-31\n2025",
    "01-01\n2026",
  ]);
});


/** A packed view as crates/telltale-core/src/browse/packed.rs writes it. */
function packView(header, numbers) {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((8 + json.length) / 8) * 8;
  const bytes = new ArrayBuffer(start + 8 * numbers.length);
  const u8 = new Uint8Array(bytes);
  u8.set(new TextEncoder().encode("TTV1"), 0);
  new DataView(bytes).setUint32(4, json.length, true);
  u8.set(json, 8);
  const view = new DataView(bytes);
  numbers.forEach((x, i) => view.setFloat64(start + 8 * i, x, true));
  return bytes;
}

test("packed views: columns in order, NaN becomes a gap, bad bytes are refused", () => {
  const channel = { key: "9", code: 9, dsi: 0, field: 1, shortName: "SOG", name: "Speed", unit: "kn", label: "SOG" };
  const header = {
    from: 1000,
    to: 5000,
    series: [{ serial: "AA-1", deviceName: "Tern", channel, len: 3 }],
    tracks: [{ serial: "AA-1", deviceName: "Tern", len: 2 }],
  };
  const numbers = [1000, 2000, 3000, 4.5, NaN, 5.25, 1000, 3000, 10.5, 10.25, 54.5, 54.75, NaN, 3.5];
  const view = packed.unpackView(packView(header, numbers));
  assert.equal(view.from, 1000);
  assert.equal(view.to, 5000);
  assert.deepEqual(view.series[0].t, [1000, 2000, 3000]);
  assert.deepEqual(view.series[0].v, [4.5, null, 5.25]);
  assert.equal(view.series[0].channel.unit, "kn");
  assert.ok(Array.isArray(view.series[0].v), "plain arrays for uPlot");
  assert.deepEqual(view.tracks[0].lon, [10.5, 10.25]);
  assert.deepEqual(view.tracks[0].lat, [54.5, 54.75]);
  assert.deepEqual(view.tracks[0].speed, [null, 3.5]);

  const good = packView(header, numbers);
  assert.throws(() => packed.unpackView(good.slice(0, good.byteLength - 8)), /promises/);
  assert.throws(() => packed.unpackView(new ArrayBuffer(4)), /4 bytes/);
  const wrong = good.slice(0);
  new Uint8Array(wrong)[0] = 0x58;
  assert.throws(() => packed.unpackView(wrong), /not a packed view/);
});
