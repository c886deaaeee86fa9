// Pure geometry and colour helpers for the track and charts (no DOM, easy to test).

/** Speed colours from slow to fast: deep blue, sea, green, yellow, orange, red. */
const SPEED_STOPS: readonly (readonly [number, number, number])[] = [
  [49, 54, 149],
  [33, 145, 180],
  [52, 168, 83],
  [230, 200, 40],
  [240, 120, 30],
  [200, 30, 40],
];

/** Colour for a fraction 0..1 of the speed range (clamped), as [r, g, b]. */
export function rampColour(fraction: number): [number, number, number] {
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const position = clamped * (SPEED_STOPS.length - 1);
  const index = Math.min(SPEED_STOPS.length - 2, Math.floor(position));
  const within = position - index;
  const low = SPEED_STOPS[index]!;
  const high = SPEED_STOPS[index + 1]!;
  return [0, 1, 2].map((channel) =>
    Math.round(low[channel]! + (high[channel]! - low[channel]!) * within),
  ) as [number, number, number];
}

/** CSS gradient stops for the legend, slow (left) to fast (right). */
export function rampGradient(): string {
  const stops = SPEED_STOPS.map(
    ([r, g, b], index) =>
      `rgb(${r},${g},${b}) ${Math.round((index / (SPEED_STOPS.length - 1)) * 100)}%`,
  );
  return `linear-gradient(to right, ${stops.join(", ")})`;
}

/**
 * The top of the speed scale in knots: the 98th percentile of the known speeds (so one
 * spike does not wash out the colours), rounded up to a whole knot, at least 1.
 */
export function speedScaleMax(speeds: readonly (number | null)[][]): number {
  const known: number[] = [];
  for (const list of speeds) {
    for (const speed of list) {
      if (speed !== null && Number.isFinite(speed) && speed >= 0) {
        known.push(speed);
      }
    }
  }
  if (known.length === 0) {
    return 1;
  }
  known.sort((a, b) => a - b);
  const at = known[Math.min(known.length - 1, Math.floor(known.length * 0.98))]!;
  return Math.max(1, Math.ceil(at));
}

export interface Bounds {
  minLon: number;
  maxLon: number;
  minLat: number;
  maxLat: number;
}

/** The box around every finite position of every track; null when there are none. */
export function trackBounds(
  tracks: readonly { lon: readonly number[]; lat: readonly number[] }[],
): Bounds | null {
  let bounds: Bounds | null = null;
  for (const track of tracks) {
    const count = Math.min(track.lon.length, track.lat.length);
    for (let i = 0; i < count; i++) {
      const lon = track.lon[i]!;
      const lat = track.lat[i]!;
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
        continue;
      }
      if (bounds === null) {
        bounds = { minLon: lon, maxLon: lon, minLat: lat, maxLat: lat };
      } else {
        bounds.minLon = Math.min(bounds.minLon, lon);
        bounds.maxLon = Math.max(bounds.maxLon, lon);
        bounds.minLat = Math.min(bounds.minLat, lat);
        bounds.maxLat = Math.max(bounds.maxLat, lat);
      }
    }
  }
  return bounds;
}

/** Metres per degree of latitude (mean Earth radius 6371 km). */
export const METRES_PER_DEGREE = (6_371_000 * Math.PI) / 180;

export interface Projection {
  /** Canvas x (CSS pixels) of a longitude. */
  x(lon: number): number;
  /** Canvas y (CSS pixels, down) of a latitude. */
  y(lat: number): number;
  /** Pixels per degree of latitude. */
  scale: number;
  /** Ground metres one CSS pixel stands for. */
  metresPerPixel: number;
}

/**
 * Equirectangular projection to scale: longitudes shrink by cos(mid-latitude), the box is
 * fitted into width x height minus `margin` on every side, centred, north up.
 */
export function fitProjection(
  bounds: Bounds,
  width: number,
  height: number,
  margin: number,
): Projection {
  const midLat = (bounds.minLat + bounds.maxLat) / 2;
  const shrink = Math.max(1e-6, Math.cos((midLat * Math.PI) / 180));
  // A single point (or a straight north-south line) still needs a finite scale: ~100 m.
  const minSpan = 100 / METRES_PER_DEGREE;
  const spanX = Math.max((bounds.maxLon - bounds.minLon) * shrink, minSpan);
  const spanY = Math.max(bounds.maxLat - bounds.minLat, minSpan);
  const innerWidth = Math.max(1, width - 2 * margin);
  const innerHeight = Math.max(1, height - 2 * margin);
  const scale = Math.min(innerWidth / spanX, innerHeight / spanY);
  const midLon = (bounds.minLon + bounds.maxLon) / 2;
  const centreX = width / 2;
  const centreY = height / 2;
  return {
    x: (lon) => centreX + (lon - midLon) * shrink * scale,
    y: (lat) => centreY - (lat - midLat) * scale,
    scale,
    metresPerPixel: METRES_PER_DEGREE / scale,
  };
}

/** A round ground length (1, 2 or 5 × 10^n metres) drawn at most `maxPixels` long. */
export function scaleBar(
  metresPerPixel: number,
  maxPixels: number,
): { pixels: number; label: string } {
  const maxMetres = metresPerPixel * maxPixels;
  // The power of ten at or below the longest allowed bar (at least 1 m), then 5, 2 or 1 of it.
  const power = 10 ** Math.floor(Math.log10(Math.max(maxMetres, 1)));
  const step = [5, 2, 1].find((candidate) => candidate * power <= maxMetres) ?? 1;
  const metres = step * power;
  const label = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
  return { pixels: metres / metresPerPixel, label };
}

/** How long a pause between track samples breaks the line: 60 s, or 20 typical steps. */
export function gapThreshold(t: readonly number[]): number {
  if (t.length < 3) {
    return 60_000;
  }
  const steps: number[] = [];
  const stride = Math.max(1, Math.floor(t.length / 500));
  for (let i = stride; i < t.length; i += stride) {
    steps.push((t[i]! - t[i - stride]!) / stride);
  }
  steps.sort((a, b) => a - b);
  const median = steps[Math.floor(steps.length / 2)] ?? 0;
  return Math.max(60_000, 20 * median);
}
