// Tests of the replay's arithmetic (src/browse/replay-clock.ts): the clock against
// wall-clock moments given by the test, speed steps, stepping and clamping, and the ring of
// frame times with its percentiles. Bundled by esbuild first, like helpers.test.mjs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "./load-ts.mjs";

const { BIG_STEP_MS, FrameRing, ReplayClock, SPEEDS, STEP_MS, clampTime, nextSpeed } = await loadTs(
  "src/browse/replay-clock.ts",
);

const FROM = Date.UTC(2025, 5, 21, 10, 0, 0);
const TO = FROM + 10 * 60_000;

/** A clock over [FROM, TO] at `time`, paused, its wall clock at 1000 ms. */
function clockAt(time = FROM) {
  const clock = new ReplayClock();
  clock.setSpan({ from: FROM, to: TO }, 1000);
  clock.seek(time, 1000);
  return clock;
}

test("times are kept inside the span", () => {
  const span = { from: 10, to: 20 };
  assert.equal(clampTime(5, span), 10);
  assert.equal(clampTime(15, span), 15);
  assert.equal(clampTime(25, span), 20);
});

test("speeds step through 1, 2, 5, 10, 20, 30 and 60 and stop at the ends", () => {
  assert.deepEqual([...SPEEDS], [1, 2, 5, 10, 20, 30, 60]);
  const up = [1];
  while (up.length < 10) {
    up.push(nextSpeed(up[up.length - 1], 1));
  }
  assert.deepEqual(up, [1, 2, 5, 10, 20, 30, 60, 60, 60, 60]);
  const down = [60];
  while (down.length < 9) {
    down.push(nextSpeed(down[down.length - 1], -1));
  }
  assert.deepEqual(down, [60, 30, 20, 10, 5, 2, 1, 1, 1]);
  // Between two steps: the next one in that direction.
  assert.equal(nextSpeed(3, 1), 5);
  assert.equal(nextSpeed(3, -1), 2);
  assert.equal(nextSpeed(0.5, -1), 1);
  assert.equal(nextSpeed(100, 1), 60);
});

test("no span: no time, and playing does nothing", () => {
  const clock = new ReplayClock();
  assert.equal(clock.time, null);
  clock.play(0);
  assert.equal(clock.playing, false);
  assert.equal(clock.advance(1000), null);
});

test("a new span starts paused at its start", () => {
  const clock = new ReplayClock();
  clock.setSpan({ from: FROM, to: TO }, 0);
  assert.equal(clock.time, FROM);
  assert.equal(clock.playing, false);
  assert.equal(clock.advance(5000), FROM, "paused time does not move");
});

test("playing follows the wall clock times the speed", () => {
  const clock = clockAt();
  clock.play(1000);
  assert.equal(clock.advance(11_000), FROM + 10_000);
  clock.setSpeed(60, 11_000);
  assert.equal(clock.advance(11_000), FROM + 10_000, "a change of speed does not jump");
  assert.equal(clock.advance(12_000), FROM + 70_000);
  clock.pause(13_000);
  assert.equal(clock.time, FROM + 130_000);
  assert.equal(clock.advance(60_000), FROM + 130_000, "paused, it stays");
  clock.play(60_000);
  assert.equal(clock.advance(60_500), FROM + 160_000, "it goes on at the speed chosen");
});

test("uneven frames add up to exactly the elapsed time: no drift", () => {
  const clock = clockAt();
  clock.setSpeed(5, 0);
  clock.play(0);
  let now = 0;
  let seed = 7;
  for (let i = 0; i < 5000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    now += 8 + (seed % 1700) / 100; // 8 to 25 ms apart, like a busy machine's frames
    clock.advance(now);
  }
  assert.ok(now * 5 < TO - FROM, "the test stays inside the span");
  assert.equal(clock.advance(now), FROM + now * 5);
});

test("a moment before the anchor does not run the replay backwards", () => {
  const clock = clockAt(FROM + 5000);
  clock.play(2000);
  assert.equal(clock.advance(1990), FROM + 5000);
  assert.equal(clock.advance(2100), FROM + 5100);
});

test("the end of the span pauses the replay there; playing again starts over", () => {
  const clock = clockAt(TO - 1000);
  clock.setSpeed(2, 0);
  clock.play(0);
  assert.equal(clock.advance(400), TO - 200);
  assert.equal(clock.playing, true);
  assert.equal(clock.advance(5000), TO);
  assert.equal(clock.playing, false);
  assert.equal(clock.advance(9000), TO);
  clock.play(9000);
  assert.equal(clock.time, FROM);
  assert.equal(clock.playing, true);
});

test("seeking clamps to the span and keeps playing from there", () => {
  const clock = clockAt();
  clock.play(0);
  clock.seek(FROM - 99_000, 500);
  assert.equal(clock.time, FROM);
  clock.seek(FROM + 60_000, 500);
  assert.equal(clock.playing, true);
  assert.equal(clock.advance(1500), FROM + 61_000);
  clock.seek(TO + 1, 2000);
  assert.equal(clock.time, TO);
  assert.equal(clock.playing, false, "sought to the end: nothing left to play");
  clock.seek(Number.NaN, 2000);
  assert.equal(clock.time, TO, "a time that is no number is ignored");
});

test("a step pauses and moves by its size, within the span", () => {
  const clock = clockAt(FROM + 30_000);
  clock.play(0);
  clock.step(STEP_MS, 1000);
  assert.equal(clock.playing, false);
  assert.equal(clock.time, FROM + 31_000 + STEP_MS, "one second played, then one stepped");
  clock.step(-BIG_STEP_MS, 5000);
  assert.equal(clock.time, FROM + 22_000);
  clock.step(-BIG_STEP_MS, 5000);
  clock.step(-BIG_STEP_MS, 5000);
  assert.equal(clock.time, FROM + 2000);
  clock.step(-BIG_STEP_MS, 5000);
  assert.equal(clock.time, FROM, "not before the span's start");
});

test("a speed that is no speed is ignored", () => {
  const clock = clockAt();
  for (const speed of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
    clock.setSpeed(speed, 0);
    assert.equal(clock.speed, 1);
  }
});

test("a new span keeps a time inside it and moves one outside to its start", () => {
  const clock = clockAt(FROM + 120_000);
  clock.play(0);
  clock.setSpan({ from: FROM + 60_000, to: FROM + 180_000 }, 1000);
  assert.equal(clock.time, FROM + 121_000, "inside: kept (with the second played)");
  assert.equal(clock.playing, true);
  clock.setSpan({ from: FROM + 300_000, to: FROM + 360_000 }, 1000);
  assert.equal(clock.time, FROM + 300_000, "outside: the start");
  assert.equal(clock.advance(3000), FROM + 302_000, "playing on from there");
  clock.setSpan(null, 3000);
  assert.equal(clock.time, null);
  assert.equal(clock.playing, false);
  clock.setSpan({ from: 10, to: 5 }, 3000);
  assert.equal(clock.time, null, "a span that ends before it starts is none");
});

test("the frame ring keeps the last values and gives nearest-rank percentiles", () => {
  const ring = new FrameRing(100);
  assert.equal(ring.percentile(50), null);
  for (let i = 1; i <= 100; i++) {
    ring.push(i);
  }
  assert.equal(ring.percentile(50), 50);
  assert.equal(ring.percentile(95), 95);
  assert.equal(ring.percentile(100), 100);
  assert.equal(ring.percentile(0), 1);
  // 50 more: the oldest 50 go, the newest 100 (51..150) stay.
  for (let i = 101; i <= 150; i++) {
    ring.push(i);
  }
  assert.equal(ring.total, 150);
  assert.equal(ring.percentile(50), 100);
  assert.equal(ring.percentile(95), 145);
  ring.push(Number.NaN);
  assert.equal(ring.total, 150, "a value that is no number is not counted");
  // Sorted as numbers, not as text (10 < 9 as text).
  const small = new FrameRing(4);
  for (const value of [9, 10, 16.7, 33.4]) {
    small.push(value);
  }
  assert.equal(small.percentile(50), 10);
  assert.equal(small.percentile(95), 33.4);
});
