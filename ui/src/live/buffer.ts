// Bounded, append-only storage for the live view (pure: no DOM, tested by
// scripts/live.test.mjs). A channel's recent samples sit in typed arrays, contiguous
// between `head` and `tail`, so drawing walks plain memory and nothing grows without end:
// old samples are trimmed by time as new ones come, and a channel never holds more than
// its capacity (the oldest quarter makes room if a burst would pass it).

/** The most samples one channel holds, whatever its rate (10 Hz for 10 min is 6,000). */
export const MAX_CHANNEL_SAMPLES = 1 << 16;
const FIRST_CAPACITY = 256;

export class ChannelBuffer {
  /** Sample times (ms), ascending; valid in [head, tail). */
  t: Float64Array;
  /** One column per kept field, valid in [head, tail). */
  readonly fields: Float64Array[];
  head = 0;
  tail = 0;

  constructor(
    fieldCount: number,
    private readonly maxCapacity = MAX_CHANNEL_SAMPLES,
  ) {
    const capacity = Math.min(FIRST_CAPACITY, maxCapacity);
    this.t = new Float64Array(capacity);
    this.fields = Array.from({ length: fieldCount }, () => new Float64Array(capacity));
  }

  get length(): number {
    return this.tail - this.head;
  }

  get capacity(): number {
    return this.t.length;
  }

  /** The newest time held, or -Infinity when empty. */
  get newest(): number {
    return this.tail > this.head ? this.t[this.tail - 1]! : Number.NEGATIVE_INFINITY;
  }

  /** Appends a sample (the caller checks it is newer than `newest`). Returns how many of the
   * oldest samples were let go to stay within the capacity (0 nearly always). */
  push(time: number, values: readonly number[]): number {
    const dropped = this.tail === this.t.length ? this.makeRoom() : 0;
    const at = this.tail++;
    this.t[at] = time;
    for (let f = 0; f < this.fields.length; f++) {
      this.fields[f]![at] = values[f] ?? Number.NaN;
    }
    return dropped;
  }

  /** Lets go of every sample older than `cutoff`; returns how many. */
  trimBefore(cutoff: number): number {
    const keep = this.lowerBound(cutoff);
    const dropped = keep - this.head;
    this.head = keep;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    }
    return dropped;
  }

  /** The first index in [head, tail] whose time is at or after `time`. */
  lowerBound(time: number): number {
    let low = this.head;
    let high = this.tail;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.t[mid]! < time) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** The array is full at `tail`: move the live part to the front if at least a quarter is
   * free (amortised: that took a quarter's worth of pushes), else grow, else (at the
   * maximum) let the oldest quarter go. */
  private makeRoom(): number {
    const capacity = this.t.length;
    let dropped = 0;
    if (this.head < capacity / 4) {
      if (capacity < this.maxCapacity) {
        this.resize(Math.min(this.maxCapacity, capacity * 2));
        return 0;
      }
      dropped = Math.max(1, Math.ceil(capacity / 4) - this.head);
      this.head += dropped;
    }
    const count = this.tail - this.head;
    this.t.copyWithin(0, this.head, this.tail);
    for (const column of this.fields) {
      column.copyWithin(0, this.head, this.tail);
    }
    this.head = 0;
    this.tail = count;
    return dropped;
  }

  private resize(capacity: number): void {
    const count = this.tail - this.head;
    const move = (old: Float64Array): Float64Array => {
      const next = new Float64Array(capacity);
      next.set(old.subarray(this.head, this.tail));
      return next;
    };
    this.t = move(this.t);
    for (let f = 0; f < this.fields.length; f++) {
      this.fields[f] = move(this.fields[f]!);
    }
    this.head = 0;
    this.tail = count;
  }
}

/** The value at percentile `p` (0..100) of `values` by nearest rank; NaN when empty.
 * `values` need not be sorted (a sorted copy is made). */
export function percentile(values: ArrayLike<number>, p: number): number {
  const count = values.length;
  if (count === 0) {
    return Number.NaN;
  }
  return nearestRank(Float64Array.from(values).sort(), p);
}

/** Percentile `p` of ascending, non-empty `sorted` by nearest rank. */
function nearestRank(sorted: Float64Array, p: number): number {
  const count = sorted.length;
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * count);
  return sorted[Math.min(count - 1, Math.max(0, rank - 1))]!;
}

/** The last `size` values added (a ring), for rolling percentiles of the lag. */
export class RollingWindow {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(size: number) {
    this.values = new Float64Array(Math.max(1, size));
  }

  get length(): number {
    return this.filled;
  }

  add(value: number): void {
    if (!Number.isFinite(value)) {
      return;
    }
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
    this.filled = Math.min(this.filled + 1, this.values.length);
  }

  /** Percentiles of the values held, rounded to whole numbers; null when empty. */
  percentiles(...ps: number[]): number[] | null {
    if (this.filled === 0) {
      return null;
    }
    const sorted = this.values.slice(0, this.filled).sort();
    return ps.map((p) => Math.round(nearestRank(sorted, p)));
  }

  clear(): void {
    this.next = 0;
    this.filled = 0;
  }
}
