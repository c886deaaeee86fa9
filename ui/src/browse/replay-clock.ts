// The replay's arithmetic, apart from the page: where the replay clock stands at a given
// moment, the speed steps, stepping and clamping, and the ring of frame times behind the
// benchmark's percentiles. No DOM and no timers: every moment comes in as an argument, so
// node tests it (scripts/replay.test.mjs) and replay.ts feeds it animation-frame times.

/** Replay speeds, as multiples of real time. */
export const SPEEDS: readonly number[] = [1, 2, 5, 10, 20, 30, 60];
/** An arrow key's (and a step button's) move, ms. */
export const STEP_MS = 1_000;
/** Shift with an arrow key moves this far, ms. */
export const BIG_STEP_MS = 10_000;

export interface Span {
  from: number;
  to: number;
}

/** `time` kept inside `span`. */
export function clampTime(time: number, span: Span): number {
  return Math.min(span.to, Math.max(span.from, time));
}

/** The speed one step faster (+1) or slower (-1) than `speed`; the ends of [SPEEDS] stay put.
 *  A speed between two steps goes to the next one in that direction. */
export function nextSpeed(speed: number, direction: 1 | -1): number {
  if (direction > 0) {
    return SPEEDS.find((step) => step > speed) ?? SPEEDS[SPEEDS.length - 1]!;
  }
  for (let i = SPEEDS.length - 1; i >= 0; i--) {
    if (SPEEDS[i]! < speed) {
      return SPEEDS[i]!;
    }
  }
  return SPEEDS[0]!;
}

/**
 * The replay time inside a span, paused or playing at a speed. While playing, the time is
 * computed from where it started (`anchorTime` at wall-clock `anchorNow`) and the elapsed
 * wall-clock time, never by adding up frame steps, so uneven frames cannot make it drift.
 * Reaching the span's end pauses it there.
 */
export class ReplayClock {
  private span: Span | null = null;
  private current = 0;
  private running = false;
  private rate = 1;
  private anchorTime = 0;
  private anchorNow = 0;

  /** The replay time, ms; null without a span. */
  get time(): number | null {
    return this.span ? this.current : null;
  }

  get playing(): boolean {
    return this.running;
  }

  get speed(): number {
    return this.rate;
  }

  get range(): Span | null {
    return this.span;
  }

  /** A new range to replay in (null: nothing). A time still inside it stays; one outside
   *  goes to the range's start. Playing goes on. */
  setSpan(span: Span | null, now: number): void {
    if (!span || !(span.to >= span.from)) {
      this.span = null;
      this.running = false;
      return;
    }
    this.advance(now);
    const inside = this.span !== null && this.current >= span.from && this.current <= span.to;
    this.span = { from: span.from, to: span.to };
    this.moveTo(inside ? this.current : span.from, now);
  }

  /** Starts playing; from the range's start when at its end (a replay that ended restarts). */
  play(now: number): void {
    const span = this.span;
    if (!span) {
      return;
    }
    if (this.current >= span.to) {
      this.current = span.from;
    }
    this.running = this.current < span.to;
    this.anchor(now);
  }

  pause(now: number): void {
    this.advance(now);
    this.running = false;
  }

  /** Moves to `time` (clamped to the range), playing on if it was. */
  seek(time: number, now: number): void {
    if (this.span && Number.isFinite(time)) {
      this.moveTo(clampTime(time, this.span), now);
    }
  }

  /** Pauses and moves `ms` earlier (negative) or later. */
  step(ms: number, now: number): void {
    this.pause(now);
    this.seek(this.current + ms, now);
  }

  /** Plays on at `speed` from where the replay is now (no jump). */
  setSpeed(speed: number, now: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) {
      return;
    }
    this.advance(now);
    this.rate = speed;
    this.anchor(now);
  }

  /** The replay time at wall-clock `now` (ms); pauses at the range's end. */
  advance(now: number): number | null {
    const span = this.span;
    if (!span) {
      return null;
    }
    if (this.running) {
      // A moment reported a little before the anchor (an event's clock and a frame's clock
      // differ) must not run the replay backwards.
      const elapsed = Math.max(0, now - this.anchorNow);
      this.current = Math.min(span.to, this.anchorTime + elapsed * this.rate);
      if (this.current >= span.to) {
        this.running = false;
      }
    }
    return this.current;
  }

  private moveTo(time: number, now: number): void {
    this.current = time;
    if (this.span && time >= this.span.to) {
      this.running = false;
    }
    this.anchor(now);
  }

  private anchor(now: number): void {
    this.anchorTime = this.current;
    this.anchorNow = now;
  }
}

/** The last `size` values of a measure (frame times, ms) and their percentiles. */
export class FrameRing {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;
  /** Values pushed since the ring was made, including those overwritten since. */
  total = 0;

  constructor(size: number) {
    this.values = new Float64Array(Math.max(1, Math.floor(size)));
  }

  push(value: number): void {
    if (!Number.isFinite(value)) {
      return;
    }
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
    this.filled = Math.min(this.filled + 1, this.values.length);
    this.total++;
  }

  /** The nearest-rank `p`th percentile (0 < p ≤ 100) of the values held; null when empty. */
  percentile(p: number): number | null {
    if (this.filled === 0) {
      return null;
    }
    const sorted = this.values.slice(0, this.filled).sort();
    const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
    return sorted[Math.max(0, rank - 1)]!;
  }
}
