// Tests of the live view's pure helpers (src/live/): bounded channel buffers, percentiles,
// merging batches (values sent as null included), the status words, the track's steady
// view and the charts' aligned columns. Run with `npm test`; bundled by esbuild first, like
// scripts/helpers.test.mjs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "./load-ts.mjs";

const buffer = await loadTs("src/live/buffer.ts");
const store = await loadTs("src/live/store.ts");
const status = await loadTs("src/live/status.ts");
const frame = await loadTs("src/live/frame.ts");

const T = Date.UTC(2025, 5, 21, 14, 2, 11); // 2025-06-21 14:02:11 UTC
const MIN = 60_000;

/** The buffer's times, oldest first. */
const times = (b) => Array.from(b.t.subarray(b.head, b.tail));

// ---- buffers ---------------------------------------------------------------------------

test("a channel buffer appends, trims by time and finds times", () => {
  const b = new buffer.ChannelBuffer(2);
  assert.equal(b.length, 0);
  assert.equal(b.newest, -Infinity);
  for (let i = 0; i < 10; i++) {
    assert.equal(b.push(1000 * i, [i, -i]), 0);
  }
  assert.equal(b.length, 10);
  assert.equal(b.newest, 9000);
  assert.equal(b.lowerBound(2500), b.head + 3);
  assert.equal(b.lowerBound(-5), b.head);
  assert.equal(b.lowerBound(99_000), b.tail);
  assert.equal(b.trimBefore(4000), 4);
  assert.deepEqual(times(b), [4000, 5000, 6000, 7000, 8000, 9000]);
  assert.equal(b.fields[1][b.head], -4);
  assert.equal(b.trimBefore(4000), 0);
  assert.equal(b.trimBefore(1e9), 6);
  assert.equal(b.length, 0);
});

test("a channel buffer grows, compacts, and never passes its capacity", () => {
  const b = new buffer.ChannelBuffer(1, 16);
  assert.equal(b.capacity, 16);
  // Trimmed as it goes (a window of 6 samples): compaction, no growth.
  for (let i = 0; i < 1000; i++) {
    assert.equal(b.push(i, [i]), 0);
    b.trimBefore(i - 5);
  }
  assert.equal(b.capacity, 16);
  assert.deepEqual(times(b), [994, 995, 996, 997, 998, 999]);
  assert.deepEqual(Array.from(b.fields[0].subarray(b.head, b.tail)), times(b));

  // Never trimmed: grows to the cap, then lets the oldest quarter go each time it is full.
  const grown = new buffer.ChannelBuffer(1, 64);
  let dropped = 0;
  for (let i = 0; i < 200; i++) {
    dropped += grown.push(i, [i * 2]);
    assert.ok(grown.length <= 64);
  }
  assert.equal(grown.capacity, 64);
  assert.equal(dropped + grown.length, 200);
  assert.equal(grown.newest, 199);
  const kept = times(grown);
  assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => 200 - kept.length + i));
  assert.equal(grown.fields[0][grown.tail - 1], 398);

  const big = new buffer.ChannelBuffer(1);
  for (let i = 0; i < 5000; i++) {
    big.push(i, [i]);
  }
  assert.equal(big.length, 5000);
  assert.ok(big.capacity >= 5000 && big.capacity <= buffer.MAX_CHANNEL_SAMPLES);
});

test("percentiles by nearest rank; the rolling window keeps the last values", () => {
  assert.ok(Number.isNaN(buffer.percentile([], 50)));
  assert.equal(buffer.percentile([5], 95), 5);
  const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
  assert.equal(buffer.percentile(values, 50), 50);
  assert.equal(buffer.percentile(values, 95), 95);
  assert.equal(buffer.percentile(values, 100), 100);
  assert.equal(buffer.percentile(values, 0), 1);

  const window = new buffer.RollingWindow(4);
  assert.equal(window.percentiles(50, 95), null);
  for (const lag of [1000, 1000, 1000, 10.4, 20.6, 30, 40, Number.NaN]) {
    window.add(lag);
  }
  assert.equal(window.length, 4);
  assert.deepEqual(window.percentiles(50, 95), [21, 40]);
  window.clear();
  assert.equal(window.percentiles(50), null);
});

// ---- merging batches -------------------------------------------------------------------

const samples = (serial, code, t, ...fields) => ({ serial, code, dsi: 0, t, fields });

test("batches merge: newer samples only, lags per channel, latest values", () => {
  const s = new store.LiveStore([{ serial: "AA-1", name: "Tern" }], 10 * MIN);
  assert.equal(s.devices.get("AA-1").name, "Tern");
  const lags = s.apply(
    [
      samples("AA-1", 9, [T, T + 1000, T + 2000], [5, 6, 7]),
      samples("AA-1", 8, [T + 500], [270]),
      samples("AA-1", 1, [T, T + 1000, T + 2000], [10.5, NaN, 10.6], [54.5, NaN, 54.6]),
    ],
    T + 2040,
  );
  assert.deepEqual(lags, [40, 1540, 40]);
  assert.equal(s.applied, 7);
  const tern = s.devices.get("AA-1");
  assert.deepEqual(tern.value(9), { t: T + 2000, value: 7 });
  assert.deepEqual(tern.value(8), { t: T + 500, value: 270 });
  assert.equal(tern.value(22), null);
  assert.equal(tern.newestTime(), T + 2000);
  // A position without a fix counts as applied but is not drawn.
  assert.deepEqual(times(tern.channel(1).history), [T, T + 2000]);
  // Angles keep only their newest sample.
  assert.equal(tern.channel(8).history, null);

  // The same batch again changes nothing; an overlapping one adds only what is newer.
  assert.deepEqual(s.apply([samples("AA-1", 9, [T, T + 1000, T + 2000], [5, 6, 7])], T + 3000), []);
  assert.equal(s.refused, 3);
  assert.deepEqual(s.apply([samples("AA-1", 9, [T + 2000, T + 3000], [7, 8])], T + 3100), [100]);
  assert.deepEqual(times(tern.channel(9).history), [T, T + 1000, T + 2000, T + 3000]);
  assert.equal(s.applied, 8);

  // A device the feed did not list is added under its serial; the main sensor wins.
  s.apply([{ serial: "BB-2", code: 9, dsi: 3, t: [T], fields: [[4]] }], T);
  s.apply([{ serial: "BB-2", code: 9, dsi: 0, t: [T - 5000], fields: [[2]] }], T);
  const other = s.devices.get("BB-2");
  assert.equal(other.name, "BB-2");
  assert.equal(other.index, 1);
  assert.equal(other.value(9).value, 2);
  assert.equal(s.newestTime(), T + 3000);
});

test("a value sent as null (NaN in Rust) is held as NaN, never as 0", () => {
  const s = new store.LiveStore([{ serial: "AA-1", name: "Tern" }], 10 * MIN);
  s.apply([samples("AA-1", 9, [T, T + 1000], [5, null])], T + 1000);
  const sog = s.devices.get("AA-1").channel(9);
  assert.ok(Number.isNaN(sog.newest.values[0]), String(sog.newest.values[0]));
  assert.deepEqual(Array.from(sog.history.fields[0].subarray(sog.history.head, sog.history.tail)), [5, NaN]);
  assert.equal(s.devices.get("AA-1").value(9), null);
});

test("only the last keep_ms of each channel is held", () => {
  const s = new store.LiveStore([], 10 * MIN);
  // 30 minutes at 1 Hz, in 1-minute batches.
  for (let minute = 0; minute < 30; minute++) {
    const t = Array.from({ length: 60 }, (_, i) => T + minute * MIN + i * 1000);
    s.apply([samples("AA-1", 9, t, t.map(() => 6)), samples("AA-1", 6, t, t.map(() => 90))], 0);
  }
  const sog = s.devices.get("AA-1").channel(9).history;
  assert.equal(sog.length, 601); // 10 minutes and the sample at the edge
  assert.equal(sog.t[sog.head], T + 20 * MIN - 1000);
  assert.equal(s.applied, 3600);
  assert.equal(s.trimmed, 1800 - 601);
  assert.equal(s.held(), 601);
  assert.ok(sog.capacity <= 1024);
});

// ---- words -----------------------------------------------------------------------------

test("the connection in words, with the countdown and lag left out of what is spoken", () => {
  const connecting = status.statusWords({ state: "connecting", attempt: 1 }, 0, null);
  assert.equal(connecting.state, "connecting");
  assert.equal(connecting.lead + connecting.tick + connecting.rest, "Connecting…");
  const again = status.statusWords({ state: "connecting", attempt: 3 }, 0, null);
  assert.equal(again.spoken, "Connecting… (attempt 3)");

  const live = status.statusWords({ state: "live", since_ms: T }, 0, [40, 90]);
  assert.equal(live.lead + live.tick + live.rest, "Live · lag 40 ms (p95 90 ms)");
  assert.equal(live.spoken, "Live");
  assert.equal(status.statusWords({ state: "live", since_ms: T }, 0, null).tick, "");

  const reconnecting = { state: "reconnecting", in_ms: 5000, reason: "The server closed the connection." };
  const words = (elapsed) => {
    const w = status.statusWords(reconnecting, elapsed, [40, 90]);
    return w.lead + w.tick + w.rest;
  };
  assert.equal(words(0), "Reconnecting in 5 s — The server closed the connection.");
  assert.equal(words(1200), "Reconnecting in 4 s — The server closed the connection.");
  assert.equal(words(4999), "Reconnecting in 1 s — The server closed the connection.");
  assert.equal(words(7000), "Reconnecting now — The server closed the connection.");
  assert.equal(
    status.statusWords(reconnecting, 1200, null).spoken,
    "Reconnecting — The server closed the connection.",
  );

  const stopped = status.statusWords(
    { state: "stopped", reason: "The server refused the sign-in.", sign_in_again: true },
    0,
    null,
  );
  assert.equal(stopped.spoken, "Stopped — The server refused the sign-in.");
  assert.equal(status.statusWords({ state: "stopped", reason: " ", sign_in_again: false }, 0, null).spoken, "Stopped");
});

test("lag, quiet devices and ages", () => {
  assert.equal(status.lagWords(40, 90), "lag 40 ms (p95 90 ms)");
  assert.equal(status.durationWords(1234), "1.2 s");
  assert.equal(status.durationWords(42_400), "42 s");
  assert.equal(status.durationWords(-20), "-20 ms");
  assert.equal(status.durationWords(3 * MIN), "3 min");
  assert.equal(status.quietWords("Tern", T), "No data from Tern since 14:02:11 UTC");
  assert.equal(status.quietWords("Tern", null), "No data from Tern yet");
  assert.equal(status.ageWords(null), "–");
  assert.equal(status.ageWords(-300), "0 s");
  assert.equal(status.ageWords(12_900), "12 s");
  assert.equal(status.ageWords(3 * MIN + 5000), "3 min");
});

test("counts say what is kept and what was dropped", () => {
  const counts = {
    received: 12_000,
    gap_filled: 30,
    duplicates: 2,
    foreign_frames: 0,
    bad_frames: 1,
    reconnects: 1,
    dropped_old: 12_345,
    skipped_for_page: 0,
  };
  const words = status.countsWords(counts, 10 * MIN);
  assert.equal(
    words.kept,
    "Keeping the last 10 min; 12,345 older samples dropped — they remain on the server.",
  );
  assert.equal(words.skipped, null);
  assert.deepEqual(words.rows[0], ["Received", "12,000"]);
  assert.equal(words.rows.length, 6);
  const none = status.countsWords({ ...counts, dropped_old: 0, skipped_for_page: 1 }, 10 * MIN);
  assert.equal(none.kept, "Keeping the last 10 min.");
  assert.match(none.skipped, /^1 sample skipped .* remain on the server\.$/);
  assert.equal(
    status.pageWords({ applied: 1, held: 1, trimmed: 0, capped: 0 }),
    "This page applied 1 sample and holds 1 for the track and charts.",
  );
  assert.match(status.pageWords({ applied: 5000, held: 600, trimmed: 4400, capped: 0 }), /4,400 let go as they aged\.$/);
  assert.deepEqual(status.latestNotes(["a", "b"], ["c"], 2), ["b", "c"]);
  assert.deepEqual(status.latestNotes([], []), []);
});

// ---- the track's view and the charts' columns ------------------------------------------

test("the track's view stays put while the boats stay inside it", () => {
  const box = (minLon, maxLon, minLat, maxLat) => ({ minLon, maxLon, minLat, maxLat });
  const data = box(10, 10.01, 54, 54.005);
  const first = frame.followView(null, data);
  assert.ok(frame.containsBounds(first, data));
  assert.ok(first.maxLon - first.minLon > 0.01, "room around the boats");
  // A boat moves a little: the same view.
  assert.equal(frame.followView(first, box(10.001, 10.011, 54, 54.005)), first);
  // No positions: the view stays.
  assert.equal(frame.followView(first, null), first);
  assert.equal(frame.followView(null, null), null);
  // A boat sails out: a new view holding it.
  const out = box(10, 10.05, 54, 54.005);
  const moved = frame.followView(first, out);
  assert.notEqual(moved, first);
  assert.ok(frame.containsBounds(moved, out));
  // The fleet gathers in a corner: closer.
  const gathered = box(10.049, 10.0495, 54.001, 54.0012);
  const closer = frame.followView(moved, gathered);
  assert.ok(frame.boundsMetres(closer) < frame.boundsMetres(moved) / 2);
  // One boat at its mooring: at least the minimum size, and steady.
  const point = box(10, 10, 54, 54);
  const mooring = frame.followView(null, point);
  assert.ok(frame.boundsMetres(mooring) >= 200);
  assert.equal(frame.followView(mooring, point), mooring);
});

test("chart columns are binned onto one grid: extremes kept, in order, breaks at pauses", () => {
  const column = (t, v, start = 0) => ({ t: Float64Array.from(t), v: Float64Array.from(v), start, end: t.length });
  // 4 buckets of 10 ms over [100, 140): slots at 2.5 and 7.5 ms into each.
  const { x, ys } = frame.binColumns(
    [
      column([100, 103, 106, 109, 115, 131], [5, 9, 1, 4, 6, 2]),
      column([50, 121, 139, 140], [7, 3, 8, 9], 1),
    ],
    100,
    140,
    4,
    1000,
  );
  assert.deepEqual(x, [102.5, 107.5, 112.5, 117.5, 122.5, 127.5, 132.5, 137.5]);
  // The highest (9) came before the lowest (1): they keep that order.
  assert.deepEqual(ys[0], [9, 1, 6, undefined, undefined, undefined, 2, undefined]);
  // Before the window and after it: left out.
  assert.deepEqual(ys[1], [undefined, undefined, undefined, undefined, 3, undefined, 8, undefined]);

  // A pause longer than the gap, and a NaN, break the line in the next free slot.
  const paused = frame.binColumns([column([0, 10, 75, 85, 95], [1, 2, 3, NaN, 4])], 0, 100, 10, 30);
  assert.deepEqual(paused.ys[0], [
    1, undefined, 2, null, undefined, undefined, undefined, undefined, undefined, undefined,
    undefined, undefined, undefined, undefined, 3, null, undefined, undefined, 4, undefined,
  ]);
  // However many samples, at most two points per bucket.
  const t = Array.from({ length: 60_000 }, (_, i) => i * 10);
  const dense = frame.binColumns([column(t, t.map((v) => Math.sin(v)))], 0, 600_000, 700, 30_000);
  assert.ok(dense.x.length <= 2 * 701);
  assert.equal(dense.ys[0].length, dense.x.length);
  assert.deepEqual(frame.binColumns([], 0, 100, 10, 30).ys, []);
  assert.equal(frame.binColumns([column([], [])], 0, 100, 10, 30).ys[0].every((v) => v === undefined), true);
});
