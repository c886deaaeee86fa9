// Pure helpers of the track map (map.ts): the speed colour runs, bearings, where a boat is
// at a time and which way it points, a series' value near a time. No DOM and no Leaflet,
// so scripts/map.test.mjs runs them in node.

import { rampColour } from "./scale";

/** Speed colours come in this many steps, so a run of one step is one stroke. */
export const COLOUR_STEPS = 32;
/** The colour of an unknown speed. */
export const UNKNOWN_SPEED_COLOUR = "rgb(128,128,128)";

/** A track's usable samples: finite time, longitude and latitude, in the order given. */
export interface Positions {
  t: number[];
  lon: number[];
  lat: number[];
  /** Knots; null where not known. */
  speed: (number | null)[];
}

/** The colour step of a speed (knots) on a scale of 0..`maxSpeed`; -1 when unknown. */
export function speedStep(speed: number | null | undefined, maxSpeed: number): number {
  if (speed === null || speed === undefined || !Number.isFinite(speed)) {
    return -1;
  }
  const fraction = maxSpeed > 0 ? Math.max(0, speed) / maxSpeed : 0;
  return Math.min(COLOUR_STEPS - 1, Math.floor(fraction * COLOUR_STEPS));
}

/** The CSS colour of a step from [speedStep]: the middle of its slice of the ramp. */
export function stepColour(step: number): string {
  if (step < 0) {
    return UNKNOWN_SPEED_COLOUR;
  }
  return `rgb(${rampColour((step + 0.5) / COLOUR_STEPS).join(",")})`;
}

/** The samples of a track with a finite time and position (the data view marks gaps
 *  with NaN; a hostile or broken one could put them anywhere). */
export function usablePositions(track: {
  t: readonly number[];
  lon: readonly number[];
  lat: readonly number[];
  speed: readonly (number | null)[];
}): Positions {
  const out: Positions = { t: [], lon: [], lat: [], speed: [] };
  const count = Math.min(track.t.length, track.lon.length, track.lat.length);
  for (let i = 0; i < count; i++) {
    const t = track.t[i]!;
    const lon = track.lon[i]!;
    const lat = track.lat[i]!;
    if (Number.isFinite(t) && Number.isFinite(lon) && Number.isFinite(lat)) {
      out.t.push(t);
      out.lon.push(lon);
      out.lat.push(lat);
      out.speed.push(track.speed[i] ?? null);
    }
  }
  return out;
}

/** Samples `from..=to` of a track drawn in one colour step. */
export interface ColourRun {
  step: number;
  from: number;
  to: number;
}

/**
 * The track cut into runs of one colour step. A segment takes the step of the speed at its
 * end; a pause longer than `gap` ms breaks the line (no run spans it). A run ends on the
 * sample the next one starts from, so the line stays joined where the colour changes.
 */
export function colourRuns(track: Positions, maxSpeed: number, gap: number): ColourRun[] {
  const runs: ColourRun[] = [];
  let current: ColourRun | null = null;
  for (let i = 1; i < track.t.length; i++) {
    if (!(track.t[i]! - track.t[i - 1]! <= gap)) {
      current = null;
      continue;
    }
    const step = speedStep(track.speed[i], maxSpeed);
    if (current !== null && current.step === step) {
      current.to = i;
    } else {
      current = { step, from: i - 1, to: i };
      runs.push(current);
    }
  }
  return runs;
}

/** Initial great-circle bearing from the first position to the second, in degrees clockwise
 *  from north in [0, 360); null for one and the same point or a non-finite one. */
export function bearing(lat1: number, lon1: number, lat2: number, lon2: number): number | null {
  const rad = Math.PI / 180;
  const phi1 = lat1 * rad;
  const phi2 = lat2 * rad;
  const dLambda = (lon2 - lon1) * rad;
  const y = Math.sin(dLambda) * Math.cos(phi2);
  const x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dLambda);
  if (!Number.isFinite(x) || !Number.isFinite(y) || (Math.abs(x) < 1e-12 && Math.abs(y) < 1e-12)) {
    return null;
  }
  const degrees = Math.atan2(y, x) / rad;
  return degrees < 0 ? degrees + 360 : degrees;
}

/** The last index whose time is at or before `time` in ascending `t`, clamped to the first
 *  sample (binary search, so a replay can ask every frame); -1 when `t` is empty. */
export function indexAt(t: readonly number[], time: number): number {
  const count = t.length;
  if (count === 0) {
    return -1;
  }
  if (!(time >= t[0]!)) {
    return 0;
  }
  let low = 0;
  let high = count - 1;
  if (time >= t[high]!) {
    return high;
  }
  // Invariant: t[low] <= time < t[high].
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (t[mid]! <= time) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return low;
}

/** Where a boat is at a time: a position and the sample at or before it. */
export interface Fix {
  lat: number;
  lon: number;
  index: number;
}

/** The position at `time`, interpolated between the samples around it unless they are more
 *  than `gap` ms apart; before the first sample the first, after the last the last. */
export function positionAt(track: Positions, time: number, gap: number): Fix | null {
  const index = indexAt(track.t, time);
  if (index < 0) {
    return null;
  }
  const next = index + 1;
  const t0 = track.t[index]!;
  if (next < track.t.length && time > t0) {
    const t1 = track.t[next]!;
    if (t1 - t0 <= gap && t1 > t0) {
      const f = Math.min(1, (time - t0) / (t1 - t0));
      return {
        lat: track.lat[index]! + (track.lat[next]! - track.lat[index]!) * f,
        lon: track.lon[index]! + (track.lon[next]! - track.lon[index]!) * f,
        index,
      };
    }
  }
  return { lat: track.lat[index]!, lon: track.lon[index]!, index };
}

/** How far back (in samples) a course looks for a position that differs from this one. */
const COURSE_LOOKBACK = 8;

/** The course over ground at sample `index`: the bearing from the nearest earlier sample at
 *  another place (within `gap` ms, a few samples back), else to the next such sample. */
export function courseAt(track: Positions, index: number, gap: number): number | null {
  const { t, lat, lon } = track;
  if (index < 0 || index >= t.length) {
    return null;
  }
  for (let i = index - 1; i >= Math.max(0, index - COURSE_LOOKBACK); i--) {
    if (!(t[index]! - t[i]! <= gap)) {
      break;
    }
    const course = bearing(lat[i]!, lon[i]!, lat[index]!, lon[index]!);
    if (course !== null) {
      return course;
    }
  }
  for (let i = index + 1; i < Math.min(t.length, index + 1 + COURSE_LOOKBACK); i++) {
    if (!(t[i]! - t[index]! <= gap)) {
      break;
    }
    const course = bearing(lat[index]!, lon[index]!, lat[i]!, lon[i]!);
    if (course !== null) {
      return course;
    }
  }
  return null;
}

/** The course over ground at `time`: of the leg between the samples around it when the boat
 *  is on one (see [positionAt]), else at the sample at or before it. */
export function courseAtTime(track: Positions, time: number, gap: number): number | null {
  const index = indexAt(track.t, time);
  const next = index + 1;
  if (
    index >= 0 &&
    next < track.t.length &&
    time > track.t[index]! &&
    track.t[next]! - track.t[index]! <= gap
  ) {
    return courseAt(track, next, gap);
  }
  return courseAt(track, index, gap);
}

/** The known value of a series nearest to `time`, at most `maxAge` ms away; null if none.
 *  `t` ascending; null values (gaps) and non-finite ones are passed over. */
export function valueNear(
  t: readonly number[],
  v: readonly (number | null)[],
  time: number,
  maxAge: number,
): number | null {
  const start = indexAt(t, time);
  if (start < 0) {
    return null;
  }
  let before = start;
  let after = start + 1;
  // Outwards from the samples around `time`, nearer side first, until both are too old.
  while (before >= 0 || after < t.length) {
    const beforeAge = before >= 0 ? Math.abs(time - t[before]!) : Infinity;
    const afterAge = after < t.length ? Math.abs(t[after]! - time) : Infinity;
    const age = Math.min(beforeAge, afterAge);
    if (!(age <= maxAge)) {
      return null;
    }
    const index = beforeAge <= afterAge ? before-- : after++;
    const value = v[index];
    if (value !== null && value !== undefined && Number.isFinite(value)) {
      return value;
    }
  }
  return null;
}

/** The parts of the trail from `from` to the boat's position at `to`: the samples in
 *  between as [lat, lon], broken where a pause is longer than `gap` ms. */
export function trailParts(
  track: Positions,
  from: number,
  to: number,
  gap: number,
): [number, number][][] {
  const end = positionAt(track, to, gap);
  if (end === null || !(from < to)) {
    return [];
  }
  let first = indexAt(track.t, from);
  if (track.t[first]! < from) {
    first++;
  }
  const parts: [number, number][][] = [];
  let part: [number, number][] = [];
  let previous = Number.NaN;
  for (let i = first; i <= end.index; i++) {
    const time = track.t[i]!;
    if (time > to) {
      break;
    }
    if (!(time - previous <= gap) && part.length > 0) {
      parts.push(part);
      part = [];
    }
    part.push([track.lat[i]!, track.lon[i]!]);
    previous = time;
  }
  const last = part[part.length - 1];
  if (last === undefined || last[0] !== end.lat || last[1] !== end.lon) {
    part.push([end.lat, end.lon]);
  }
  parts.push(part);
  return parts.filter((p) => p.length > 1);
}

/** Text for a place where the HTML of a library goes (Leaflet's attribution): `<`, `>`, `&`
 *  and quotes escaped, so what the backend says shows as it is and never as markup. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}
