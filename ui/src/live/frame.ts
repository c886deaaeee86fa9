// What a live frame shows, worked out without the DOM (tested by scripts/live.test.mjs):
// the track's view box, kept steady while the boats stay well inside it, and the charts'
// columns binned onto one time grid for uPlot (about a point per pixel).

import { METRES_PER_DEGREE, type Bounds } from "../browse/scale";

const shrinkOf = (bounds: Bounds): number =>
  Math.max(1e-6, Math.cos((((bounds.minLat + bounds.maxLat) / 2) * Math.PI) / 180));

/** The ground size of a box in metres: its longer side. */
export function boundsMetres(bounds: Bounds): number {
  const ns = bounds.maxLat - bounds.minLat;
  const ew = (bounds.maxLon - bounds.minLon) * shrinkOf(bounds);
  return Math.max(ns, ew) * METRES_PER_DEGREE;
}

/** `bounds` at least `minMetres` across both ways, then grown by `fraction` of its size on
 * every side, about the same centre. */
export function padBounds(bounds: Bounds, fraction: number, minMetres: number): Bounds {
  const minDegrees = minMetres / METRES_PER_DEGREE;
  const latSpan = Math.max(bounds.maxLat - bounds.minLat, minDegrees);
  const lonSpan = Math.max(bounds.maxLon - bounds.minLon, minDegrees / shrinkOf(bounds));
  const lat = (bounds.minLat + bounds.maxLat) / 2;
  const lon = (bounds.minLon + bounds.maxLon) / 2;
  const halfLat = latSpan * (0.5 + fraction);
  const halfLon = lonSpan * (0.5 + fraction);
  return {
    minLon: lon - halfLon,
    maxLon: lon + halfLon,
    minLat: lat - halfLat,
    maxLat: lat + halfLat,
  };
}

export function containsBounds(outer: Bounds, inner: Bounds): boolean {
  return (
    inner.minLon >= outer.minLon &&
    inner.maxLon <= outer.maxLon &&
    inner.minLat >= outer.minLat &&
    inner.maxLat <= outer.maxLat
  );
}

export interface FollowOptions {
  /** Room left around the boats when the view is fitted, as a fraction of their box. */
  pad: number;
  /** The smallest view across, in metres (one boat at its mooring). */
  minMetres: number;
  /** Fit again (closer) once the fitted box would be smaller than this part of the view. */
  zoomInBelow: number;
}

export const FOLLOW: FollowOptions = { pad: 0.3, minMetres: 200, zoomInBelow: 0.3 };

/**
 * The box the live track shows, with hysteresis: the `current` box is kept while every
 * position lies inside it and a fitted box would not be much smaller; otherwise the
 * positions' box, padded, becomes the view. So the view moves when a boat sails out of it
 * or the fleet gathers, not every second. No positions: the current box stays.
 */
export function followView(
  current: Bounds | null,
  data: Bounds | null,
  options: FollowOptions = FOLLOW,
): Bounds | null {
  if (data === null) {
    return current;
  }
  const fitted = padBounds(data, options.pad, options.minMetres);
  if (
    current !== null &&
    containsBounds(current, data) &&
    boundsMetres(fitted) >= options.zoomInBelow * boundsMetres(current)
  ) {
    return current;
  }
  return fitted;
}

/** One series for the charts: times and values, valid in [start, end). */
export interface Column {
  t: ArrayLike<number>;
  v: ArrayLike<number>;
  start: number;
  end: number;
}

/** uPlot's aligned data: one ascending x, a y per series (undefined: no sample there, the
 * line goes on; null: the line breaks). */
export interface Aligned {
  x: number[];
  ys: (number | null | undefined)[][];
}

/**
 * The columns over [from, to) on one shared grid of `buckets` time buckets (about one per
 * pixel), two slots each: a bucket's lowest and highest value in the order they came, so a
 * spike shows however many samples share its pixel. The grid is anchored to whole multiples
 * of its step, so a window that moves on does not shift what earlier buckets hold. What
 * uPlot gets is at most 2 × (buckets + 1) points per series, whatever the sample rate.
 * A series whose samples lie more than `gapMs` apart gets a null in the slot after the
 * earlier one, so its line breaks across the pause; a NaN value breaks it too.
 */
export function binColumns(
  columns: readonly Column[],
  from: number,
  to: number,
  buckets: number,
  gapMs: number,
): Aligned {
  const step = Math.max(1, Math.ceil((to - from) / Math.max(1, buckets)));
  const first = Math.floor(from / step);
  const count = Math.max(0, Math.floor((to - 1) / step) - first + 1);
  const x = new Array<number>(2 * count);
  for (let b = 0; b < count; b++) {
    const start = (first + b) * step;
    x[2 * b] = start + step / 4;
    x[2 * b + 1] = start + (3 * step) / 4;
  }
  const ys = columns.map((column) => {
    const y = new Array<number | null | undefined>(2 * count).fill(undefined);
    // The bucket being gathered (-1: none), its extremes and the order they came in.
    let bucket = -1;
    let low = 0;
    let high = 0;
    let lowAt = 0;
    let highAt = 0;
    /** The last slot written, and whether the line must break before the next value. */
    let lastSlot = -1;
    let broken = false;
    let previousTime = Number.NaN;
    const flush = (): void => {
      if (bucket < 0) {
        return;
      }
      const lowFirst = lowAt <= highAt;
      y[2 * bucket] = lowFirst ? low : high;
      lastSlot = 2 * bucket;
      if (low !== high) {
        y[2 * bucket + 1] = lowFirst ? high : low;
        lastSlot++;
      }
      bucket = -1;
    };
    for (let i = column.start; i < column.end; i++) {
      const t = column.t[i]!;
      const b = Math.floor(t / step) - first;
      const value = column.v[i]!;
      if (b < 0 || b >= count) {
        continue;
      }
      if (!Number.isFinite(value)) {
        broken = true;
        continue;
      }
      broken ||= t - previousTime > gapMs;
      previousTime = t;
      if (b !== bucket) {
        flush();
        // A break needs a free slot between the two values (a pause within one pixel
        // does not show anyway).
        if (broken && lastSlot >= 0 && lastSlot + 1 < 2 * b) {
          y[lastSlot + 1] = null;
        }
        broken = false;
        bucket = b;
        low = value;
        high = value;
        lowAt = i;
        highAt = i;
      } else if (value < low) {
        low = value;
        lowAt = i;
      } else if (value > high) {
        high = value;
        highAt = i;
      }
    }
    flush();
    return y;
  });
  return { x, ys };
}
