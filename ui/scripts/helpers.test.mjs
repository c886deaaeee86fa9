// Tests of the pure helpers (formatting, ranges, colours, projection, binary search, packed
// views; the newest sessions; Riot's data access windows; the first screen's grouping and sign-in words; what a
// rejected command carries), run with `npm test`. The TypeScript is bundled by esbuild into a
// temporary module first, then checked with node's built-in test runner.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "./load-ts.mjs";

const format = await loadTs("src/browse/format.ts");
const scale = await loadTs("src/browse/scale.ts");
const packed = await loadTs("src/browse/packed.ts");
const profiles = await loadTs("src/profiles.ts");
const api = await loadTs("src/api.ts");
const catalogLists = await loadTs("src/browse/catalog-lists.ts");

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

test("speed colours run from blue to red", () => {
  assert.deepEqual(scale.rampColour(0), [49, 54, 149]);
  assert.deepEqual(scale.rampColour(1), [200, 30, 40]);
  assert.deepEqual(scale.rampColour(7), [200, 30, 40]);
  assert.deepEqual(scale.rampColour(-1), [49, 54, 149]);
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


// ---- Riot: data access windows ---------------------------------------------------------

test("a window reads in the user's own time and in UTC", () => {
  const start = Date.UTC(2025, 5, 21, 10, 0);
  const end = Date.UTC(2025, 5, 21, 11, 5);
  assert.deepEqual(format.windowTexts(start, end, () => 120), {
    local: "2025-06-21 12:00 – 13:05 your time (UTC+2)",
    utc: "2025-06-21 10:00 – 11:05 UTC",
  });
  // In UTC the local line would only repeat it.
  assert.deepEqual(format.windowTexts(start, end, () => 0), {
    local: null,
    utc: "2025-06-21 10:00 – 11:05 UTC",
  });
  // West of Greenwich the local day can be the day before.
  assert.equal(
    format.windowTexts(Date.UTC(2025, 5, 21, 2, 0), Date.UTC(2025, 5, 21, 4, 0), () => -180).local,
    "2025-06-20 23:00 – 2025-06-21 01:00 your time (UTC-3)",
  );
  // Across a change of daylight saving both offsets are said.
  const spring = format.windowTexts(Date.UTC(2025, 2, 29, 12), Date.UTC(2025, 2, 30, 12), (ms) =>
    ms < Date.UTC(2025, 2, 30, 1) ? 60 : 120,
  );
  assert.equal(spring.local, "2025-03-29 13:00 – 2025-03-30 14:00 your time (UTC+1 / UTC+2)");
  assert.equal(format.formatZone(330), "UTC+5:30");
  assert.equal(format.formatZone(-570), "UTC-9:30");
  assert.equal(format.formatZone(0), "UTC");
});

test("days with readable data: the most recent, oldest first, none after now", () => {
  const day = (d) => Date.UTC(2025, 5, d);
  const windows = [
    { start: day(21) + 3_600_000, end: day(23) + 60_000 },
    { start: day(22), end: day(22) + 1000 },
    { start: day(27) + 5, end: day(40) }, // reaches past now
  ];
  const now = day(28) + 3_600_000;
  assert.deepEqual(format.coveredDays(windows, now), [day(21), day(22), day(23), day(27), day(28)]);
  assert.deepEqual(format.coveredDays(windows, now, 2), [day(27), day(28)]);
  assert.deepEqual(format.coveredDays([], now), []);
  // A window of a year is not walked day by day beyond what is shown.
  const year = [{ start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1) }];
  assert.equal(format.coveredDays(year, Date.UTC(2030, 0, 1)).length, 14);
  assert.equal(format.formatUtcDay(day(21)), "Sat 21 Jun 2025");
  assert.deepEqual(format.parseUtcDay("2025-06-21"), { from: day(21), to: day(22) });
  assert.equal(format.parseUtcDay("2025-02-30"), null);
  assert.equal(format.parseUtcDay(""), null);
  assert.equal(format.toUtcDateInput(day(21) + 86_399_999), "2025-06-21");
});

test("a failed device counts its time window once", () => {
  const error = (message) => ({ kind: "invalid_response", message });
  const failed = [
    { start: 0, end: 10, error: error("The answer for Tern could not be read.") },
    { start: 0, end: 10, error: error("The answer for Petrel could not be read.") },
    { start: 10, end: 20, error: error("The answer for Tern could not be read.") },
  ];
  const summary = format.failureSummary(failed, 4);
  assert.equal(summary.windows, 2);
  assert.match(summary.text, /^2 of 4 time windows could not be fetched \(The answer for Tern could not be read; The answer for Petrel could not be read\)\./);
  assert.deepEqual(format.failureSummary([], 3), {
    windows: 0,
    text: format.failedText(0, 3, null),
  });
  // More failures than chunks (several devices in one) never read "3 of 1".
  assert.match(format.failureSummary(failed.slice(0, 2), 0).text, /^1 of 1 time window /);
});

// ---- the first screen -----------------------------------------------------------------

const profile = (id, kind, server, name = id) => ({
  id,
  name,
  kind,
  server,
  usable: true,
  problem: null,
  methods: [],
});

test("the first screen: Riot servers, then the old API, then the demo", () => {
  const all = [
    profile("sapsailing", "riot", "https://wind.sapsailing.com", "Sailing Analytics wind service"),
    profile("igtimi", "igtimi", "https://www.igtimi.com"),
    profile("simulator", "igtimi", "http://127.0.0.1:4321"),
    profile("simulator-riot", "riot", "http://127.0.0.1:4321"),
    profile("club", "riot", "https://riot.club.example"),
    profile("abrp", "iternio", "https://api.iternio.com", "A Better Route Planner"),
  ];
  const groups = profiles.groupProfiles(all);
  assert.deepEqual(
    groups.map((group) => [group.id, group.profiles.map((p) => p.id)]),
    [
      ["riot", ["sapsailing", "club"]],
      ["old-api", ["igtimi", "abrp"]],
      ["demo", ["simulator", "simulator-riot"]],
    ],
  );
  for (const group of groups) {
    assert.ok(group.title && group.line && !group.line.includes("\n"), group.id);
  }
  assert.deepEqual(
    profiles.groupProfiles([all[0]]).map((group) => group.id),
    ["riot"],
    "empty groups are left out",
  );
  // Nothing says igtimi.com can be signed in to.
  assert.doesNotMatch(groups.map((g) => g.title + g.line).join(" "), /sign in (to|at) igtimi/i);
  assert.equal(profiles.isClosedIgtimiCloud("https://www.igtimi.com"), true);
  assert.equal(profiles.isClosedIgtimiCloud("https://yacht-bot.com:443"), true);
  assert.equal(profiles.isClosedIgtimiCloud("https://notigtimi.com"), false);
  assert.equal(profiles.isClosedIgtimiCloud("http://127.0.0.1:4321"), false);
});

test("sign-in words: the button, and where a password goes", () => {
  const riot = profile("sapsailing", "riot", "https://wind.sapsailing.com", "Sailing Analytics wind service");
  const old = profile("igtimi", "igtimi", "http://127.0.0.1:4321", "Igtimi-compatible server (old API)");
  const demo = profile("simulator-riot", "riot", "http://127.0.0.1:4321");
  const plain = profile("club", "riot", "http://riot.club.example");
  assert.equal(profiles.signInLabel(old), "Sign in at 127.0.0.1:4321");
  assert.equal(profiles.signInLabel(demo), "Sign in to the demo");
  assert.equal(profiles.signInLabel(profile("abrp", "iternio", "https://x", "A Better Route Planner")), "Sign in to A Better Route Planner");
  assert.equal(profiles.connection("https://wind.sapsailing.com"), "secure");
  assert.equal(profiles.connection("http://127.0.0.1:4321"), "this-computer");
  assert.equal(profiles.connection("http://[::1]:80"), "this-computer");
  assert.equal(profiles.connection("http://localhost"), "this-computer");
  assert.equal(profiles.connection("http://riot.club.example"), "plain");
  assert.equal(profiles.connection("nonsense"), "plain");
  assert.match(profiles.passwordHint(riot), /once to wind\.sapsailing\.com over a secure connection \(https\) and stores neither/);
  assert.match(profiles.passwordHint(demo), /to the demo server on this computer/);
  assert.match(profiles.passwordHint(plain), /not encrypted/);
  assert.equal(
    profiles.tokenPage(riot),
    "https://wind.sapsailing.com/security/api/restsecurity/access_token",
  );
  assert.match(profiles.tokenHint(riot), /system keychain/);
  assert.equal(profiles.serverHost("https://wind.sapsailing.com/"), "wind.sapsailing.com");
  assert.equal(profiles.serverHost(""), "");
  assert.equal(profiles.accountUserPart("simulator-riot/bob", "simulator-riot"), "bob");
  assert.equal(profiles.accountUserPart("sapsailing/a/b", "sapsailing"), "a/b");
  assert.equal(profiles.accountUserPart("igtimi/1373", "simulator"), null);
  assert.equal(profiles.accountUserPart("igtimi/", "igtimi"), null);
});

// ---- what a rejected command carries ---------------------------------------------------

test("a rejection becomes an AppError: the backend's as it is, anything else as internal", () => {
  const error = { kind: "timeout", message: "Slow.", extra: 1 };
  assert.deepEqual(api.toAppError(error), { kind: "timeout", message: "Slow." });
  assert.equal(api.isAppError(error), true);
  for (const reason of [null, undefined, 5, { kind: "timeout" }, { kind: 1, message: "m" }]) {
    assert.equal(api.isAppError(reason), false, String(reason));
    assert.deepEqual(api.toAppError(reason), {
      kind: "internal",
      message: "Something went wrong inside Telltale.",
    });
  }
  assert.equal(api.toAppError("command not allowed").message, "Something went wrong inside Telltale: command not allowed");
  assert.equal(api.toAppError(new Error("boom")).kind, "internal");
  assert.equal(api.isRetryable({ kind: "unreachable", message: "" }), true);
  assert.equal(api.isRetryable({ kind: "refused", message: "" }), false);
});

test("the newest sessions: latest start first, ties by id, at most the count asked", () => {
  const session = (id, start) => ({ id, name: `s${id}`, start, end: null, ownerId: 1, ownerName: null });
  const sessions = [session(1, 300), session(2, 100), session(3, 500), session(4, 300), session(5, 200)];
  const ids = (list) => list.map((s) => s.id);
  assert.deepEqual(ids(catalogLists.recentSessions(sessions, 3)), [3, 4, 1]);
  assert.deepEqual(ids(catalogLists.recentSessions(sessions, 10)), [3, 4, 1, 5, 2]);
  assert.deepEqual(catalogLists.recentSessions([], 5), []);
  // The catalog's own list keeps its order.
  assert.deepEqual(ids(sessions), [1, 2, 3, 4, 5]);
});
