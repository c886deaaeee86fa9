// Tests of the track map's pure helpers (src/browse/geo.ts: speed colour runs, bearings,
// where a boat is at a time and which way it points, a series' value near a time, the
// trail). Run with `npm test`; bundled by esbuild first, like scripts/helpers.test.mjs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "./load-ts.mjs";

const geo = await loadTs("src/browse/geo.ts");
const scale = await loadTs("src/browse/scale.ts");

/** A small deterministic random source (mulberry32), so a failure can be replayed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A track from [t, lat, lon, speed] rows. */
const track = (rows) => ({
  t: rows.map((r) => r[0]),
  lat: rows.map((r) => r[1]),
  lon: rows.map((r) => r[2]),
  speed: rows.map((r) => (r[3] === undefined ? null : r[3])),
});

const close = (actual, expected, tolerance, what) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected}`);

test("speed steps clamp to the scale, unknown speeds are grey, colours come from the ramp", () => {
  assert.equal(geo.speedStep(null, 10), -1);
  assert.equal(geo.speedStep(Number.NaN, 10), -1);
  assert.equal(geo.speedStep(-3, 10), 0);
  assert.equal(geo.speedStep(0, 10), 0);
  assert.equal(geo.speedStep(5, 10), geo.COLOUR_STEPS / 2);
  assert.equal(geo.speedStep(10, 10), geo.COLOUR_STEPS - 1);
  assert.equal(geo.speedStep(99, 10), geo.COLOUR_STEPS - 1);
  assert.equal(geo.speedStep(3, 0), 0);
  assert.equal(geo.stepColour(-1), geo.UNKNOWN_SPEED_COLOUR);
  const [r, g, b] = scale.rampColour(0.5 / geo.COLOUR_STEPS);
  assert.equal(geo.stepColour(0), `rgb(${r},${g},${b})`);
  assert.notEqual(geo.stepColour(0), geo.stepColour(geo.COLOUR_STEPS - 1));
});

test("unusable samples (a NaN time or position) are dropped with their speed", () => {
  const positions = geo.usablePositions({
    t: [0, 1, Number.NaN, 3, 4],
    lat: [50, Number.NaN, 50.2, 50.3, 50.4],
    lon: [1, 1.1, 1.2, Number.POSITIVE_INFINITY, 1.4],
    speed: [1, 2, 3, 4, null],
  });
  assert.deepEqual(positions, { t: [0, 4], lat: [50, 50.4], lon: [1, 1.4], speed: [1, null] });
});

test("colour runs join where the colour changes and break at a pause", () => {
  const positions = track([
    [0, 50, 1, 1],
    [1, 50, 1.001, 1], // step of 1 kn
    [2, 50, 1.002, 1],
    [3, 50, 1.003, 9], // faster
    [200, 50, 1.004, 9], // after a pause: no segment
    [201, 50, 1.005, null], // unknown speed
  ]);
  const runs = geo.colourRuns(positions, 10, 60);
  const one = geo.speedStep(1, 10);
  const nine = geo.speedStep(9, 10);
  assert.deepEqual(runs, [
    { step: one, from: 0, to: 2 },
    { step: nine, from: 2, to: 3 },
    { step: -1, from: 4, to: 5 },
  ]);
  assert.deepEqual(geo.colourRuns(track([[0, 50, 1, 3]]), 10, 60), []);
  assert.deepEqual(geo.colourRuns(track([]), 10, 60), []);
});

test("colour runs cover every segment within the gap once, in the step of its end", () => {
  const next = random(18);
  for (let round = 0; round < 200; round++) {
    const rows = [];
    let t = 0;
    for (let i = 0; i < 1 + Math.floor(next() * 60); i++) {
      t += next() < 0.1 ? 100 + next() * 100 : next() * 10;
      rows.push([t, 50 + next(), 1 + next(), next() < 0.1 ? null : next() * 12]);
    }
    const positions = track(rows);
    const expected = [];
    for (let i = 1; i < rows.length; i++) {
      if (rows[i][0] - rows[i - 1][0] <= 60) {
        expected.push(`${i - 1}-${i}:${geo.speedStep(rows[i][3], 8)}`);
      }
    }
    const runs = geo.colourRuns(positions, 8, 60);
    const covered = runs.flatMap((run) => {
      assert.ok(run.from < run.to, "a run has a segment");
      const segments = [];
      for (let i = run.from + 1; i <= run.to; i++) {
        segments.push(`${i - 1}-${i}:${run.step}`);
      }
      return segments;
    });
    assert.deepEqual(covered, expected, `round ${round}`);
    // Neighbouring runs that touch differ in colour (else they would be one run).
    for (let i = 1; i < runs.length; i++) {
      if (runs[i].from === runs[i - 1].to) {
        assert.notEqual(runs[i].step, runs[i - 1].step);
      }
    }
  }
});

test("bearings run clockwise from north", () => {
  close(geo.bearing(0, 0, 1, 0), 0, 1e-9, "north");
  close(geo.bearing(0, 0, 0, 1), 90, 1e-9, "east");
  close(geo.bearing(1, 0, 0, 0), 180, 1e-9, "south");
  close(geo.bearing(0, 1, 0, 0), 270, 1e-9, "west");
  // London to Paris: 148.1° (initial great-circle bearing).
  close(geo.bearing(51.5074, -0.1278, 48.8566, 2.3522), 148.1, 0.2, "London to Paris");
  // Across the antimeridian, east is still east.
  close(geo.bearing(0, 179.9, 0, -179.9), 90, 1e-6, "over 180°");
  assert.equal(geo.bearing(50, 1, 50, 1), null);
  assert.equal(geo.bearing(Number.NaN, 1, 50, 1), null);
});

test("the index at a time is the last sample at or before it, clamped to the first", () => {
  assert.equal(geo.indexAt([], 5), -1);
  const t = [10, 20, 20, 30, 45];
  assert.equal(geo.indexAt(t, 0), 0);
  assert.equal(geo.indexAt(t, 10), 0);
  assert.equal(geo.indexAt(t, 19.9), 0);
  assert.equal(geo.indexAt(t, 44), 3);
  assert.equal(geo.indexAt(t, 45), 4);
  assert.equal(geo.indexAt(t, 1e12), 4);
  assert.equal(geo.indexAt(t, Number.NaN), 0);
  const next = random(7);
  for (let round = 0; round < 300; round++) {
    const times = [];
    let at = next() * 100;
    for (let i = 0; i < 1 + Math.floor(next() * 40); i++) {
      at += Math.floor(next() * 3);
      times.push(at);
    }
    const time = times[0] - 5 + next() * (times[times.length - 1] - times[0] + 10);
    let expected = 0;
    times.forEach((value, i) => {
      if (value <= time) {
        expected = i;
      }
    });
    assert.equal(geo.indexAt(times, time), expected, `${time} in ${times}`);
  }
});

test("a boat's position is interpolated between samples, not across a pause", () => {
  const positions = track([
    [0, 50, 1],
    [10, 50.1, 1.2],
    [500, 51, 2],
  ]);
  const middle = geo.positionAt(positions, 5, 60);
  close(middle.lat, 50.05, 1e-9, "lat");
  close(middle.lon, 1.1, 1e-9, "lon");
  assert.equal(middle.index, 0);
  // In the pause the boat stays at its last sample.
  assert.deepEqual(geo.positionAt(positions, 200, 60), { lat: 50.1, lon: 1.2, index: 1 });
  assert.deepEqual(geo.positionAt(positions, -5, 60), { lat: 50, lon: 1, index: 0 });
  assert.deepEqual(geo.positionAt(positions, 900, 60), { lat: 51, lon: 2, index: 2 });
  assert.equal(geo.positionAt(track([]), 5, 60), null);
});

test("the course comes from the leg being sailed, past samples at the same place", () => {
  const positions = track([
    [0, 0, 0],
    [10, 0, 0.001], // east
    [20, 0, 0.001], // stopped
    [30, 0.001, 0.001], // north
    [400, 0.001, 0.002], // east, after a pause
  ]);
  close(geo.courseAtTime(positions, 5, 60), 90, 1e-6, "on the first leg");
  // At a stop the course is the leg that led there (the bearing looks past equal samples).
  close(geo.courseAtTime(positions, 15, 60), 90, 1e-6, "at the stop");
  close(geo.courseAtTime(positions, 25, 60), 0, 1e-6, "on the leg north");
  close(geo.courseAtTime(positions, 0, 60), 90, 1e-6, "at the start: towards the next");
  // After a pause no leg joins the samples: the first sample after it has no course.
  close(geo.courseAtTime(positions, 200, 60), 0, 1e-6, "in the pause: the last leg");
  assert.equal(geo.courseAtTime(positions, 400, 60), null);
  assert.equal(geo.courseAtTime(track([[0, 1, 1]]), 0, 60), null);
  assert.equal(geo.courseAtTime(track([]), 0, 60), null);
});

test("a series' value near a time passes over gaps and stops at the age limit", () => {
  const t = [0, 10, 20, 30, 40];
  const v = [100, null, Number.NaN, 130, 140];
  assert.equal(geo.valueNear(t, v, 0, 5), 100);
  assert.equal(geo.valueNear(t, v, 19, 100), 130); // 11 to 30 is nearer than 19 to 0
  assert.equal(geo.valueNear(t, v, 14, 100), 100);
  assert.equal(geo.valueNear(t, v, 20, 5), null);
  assert.equal(geo.valueNear(t, v, 90, 60), 140);
  assert.equal(geo.valueNear(t, v, 90, 40), null);
  assert.equal(geo.valueNear([], [], 5, 100), null);
  // No known value at all, however old may do: null, not an endless search.
  assert.equal(geo.valueNear([0, 1, 2], [null, null, null], 1, Number.POSITIVE_INFINITY), null);
  assert.equal(geo.valueNear(t, v, Number.NaN, 100), null);
});

test("the trail runs from its start to the boat, broken at a pause", () => {
  const positions = track([
    [0, 50, 1],
    [10, 50.1, 1],
    [20, 50.2, 1],
    [200, 50.3, 1],
    [210, 50.4, 1],
  ]);
  // 5..15: the sample at 10, then the boat half way to 20.
  const parts = geo.trailParts(positions, 5, 15, 60);
  assert.equal(parts.length, 1);
  assert.deepEqual(parts[0][0], [50.1, 1]);
  close(parts[0][1][0], 50.15, 1e-9, "the boat's latitude");
  assert.equal(parts[0].length, 2);
  // Over the pause: two parts, the first ending at 20, the second at the boat.
  const across = geo.trailParts(positions, 0, 205, 60);
  assert.deepEqual(across[0], [
    [50, 1],
    [50.1, 1],
    [50.2, 1],
  ]);
  assert.equal(across.length, 2);
  assert.deepEqual(across[1][0], [50.3, 1]);
  close(across[1][1][0], 50.35, 1e-9, "the boat after the pause");
  // Exactly on a sample: no point twice.
  assert.deepEqual(geo.trailParts(positions, 0, 20, 60), [
    [
      [50, 1],
      [50.1, 1],
      [50.2, 1],
    ],
  ]);
  assert.deepEqual(geo.trailParts(positions, 300, 400, 60), []);
  assert.deepEqual(geo.trailParts(positions, 15, 15, 60), []);
  assert.deepEqual(geo.trailParts(track([]), 0, 10, 60), []);
});

test("attribution text is escaped, so it shows as text in Leaflet's HTML", () => {
  assert.equal(
    geo.escapeHtml(`© <a href="x">OSM</a> & 'co'`),
    "© &lt;a href=&quot;x&quot;&gt;OSM&lt;/a&gt; &amp; &#39;co&#39;",
  );
  assert.equal(geo.escapeHtml("OpenStreetMap contributors"), "OpenStreetMap contributors");
});

test("hostile tracks (NaN, infinities, times out of order) never throw or leave the map", () => {
  const next = random(99);
  const odd = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e308, null];
  const pick = (normal) => (next() < 0.15 ? odd[Math.floor(next() * odd.length)] : normal);
  for (let round = 0; round < 300; round++) {
    const count = Math.floor(next() * 30);
    const raw = { t: [], lat: [], lon: [], speed: [] };
    for (let i = 0; i < count; i++) {
      raw.t.push(pick(next() * 1000));
      raw.lat.push(pick(next() * 180 - 90));
      raw.lon.push(pick(next() * 360 - 180));
      raw.speed.push(pick(next() * 20));
    }
    const positions = geo.usablePositions(raw);
    assert.ok(positions.t.every(Number.isFinite) && positions.lat.every(Number.isFinite));
    const gap = scale.gapThreshold(positions.t);
    for (const run of geo.colourRuns(positions, 10, gap)) {
      assert.ok(run.from >= 0 && run.to < positions.t.length && run.from < run.to);
    }
    const time = pick(next() * 1200 - 100) ?? 0;
    const fix = geo.positionAt(positions, time, gap);
    if (positions.t.length === 0) {
      assert.equal(fix, null);
    } else {
      assert.ok(Number.isFinite(fix.lat) && Number.isFinite(fix.lon), JSON.stringify(fix));
    }
    const course = geo.courseAtTime(positions, time, gap);
    assert.ok(course === null || (course >= 0 && course < 360), String(course));
    for (const part of geo.trailParts(positions, time - 300, time, gap)) {
      assert.ok(part.length > 1 && part.flat().every(Number.isFinite));
    }
    const value = geo.valueNear(raw.t, raw.speed, time, 100);
    assert.ok(value === null || Number.isFinite(value));
  }
});
