// Reading what the live commands answer (`live_start`, `live_next`), in the style of
// ../contract.ts: checks the shapes the live view relies on and fills in what is missing, so
// the view never meets `undefined`, and one unreadable channel never costs a batch its
// other samples. Field names as the backend sends them (snake_case); the camelCase
// spelling is read too. Kept here rather than in ../contract.ts so that it stays in the
// lazily loaded browse chunk: ../contract.ts is shared with the first screen's bundle.
// Pure (no DOM, no Tauri): tested by scripts/live.test.mjs.

import { finite, isRecord, list, text, unreadable } from "../contract";

/** A device in a live feed. */
export interface LiveDevice {
  serial: string;
  /** The serial again when the device's name is not known. */
  name: string;
}

/** `live_start`: the feed's id, its devices, and how much of the recent past the page keeps. */
export interface LiveStarted {
  id: number;
  devices: LiveDevice[];
  /** The page keeps this many ms of each channel (expect 10 min). */
  keep_ms: number;
}

/** The feed's connection to the server. */
export type LiveStatus =
  | { state: "connecting"; attempt: number }
  | { state: "live"; since_ms: number }
  | { state: "reconnecting"; in_ms: number; reason: string }
  | { state: "stopped"; reason: string; sign_in_again: boolean };

export type LiveState = LiveStatus["state"];

/** New samples of one channel (a type from one data source of one device), columnar:
 * `fields[f][i]` is field f of the sample at `t[i]`. App units (the catalog's type table). */
export interface LiveSamples {
  serial: string;
  code: number;
  dsi: number;
  t: number[];
  fields: number[][];
}

/** A device that has sent nothing since `since_ms` (null: nothing yet). */
export interface LiveQuiet {
  serial: string;
  since_ms: number | null;
}

/** Running totals of the feed. */
export interface LiveCounts {
  received: number;
  gap_filled: number;
  duplicates: number;
  foreign_frames: number;
  bad_frames: number;
  reconnects: number;
  /** Older than the kept window: not in the page, still on the server. */
  dropped_old: number;
  skipped_for_page: number;
}

export const LIVE_COUNT_NAMES: readonly (keyof LiveCounts)[] = [
  "received",
  "gap_filled",
  "duplicates",
  "foreign_frames",
  "bad_frames",
  "reconnects",
  "dropped_old",
  "skipped_for_page",
];

export interface LiveUpdate {
  seq: number;
  /** Null when the backend sent a state this page does not know: keep showing the last. */
  status: LiveStatus | null;
  samples: LiveSamples[];
  quiet: LiveQuiet[];
  counts: LiveCounts;
  /** New plain sentences since the previous update. */
  notes: string[];
}

/** What the page keeps when `keep_ms` is missing, and the bounds it keeps it within. */
export const LIVE_KEEP_DEFAULT_MS = 10 * 60_000;
export const LIVE_KEEP_MIN_MS = 60_000;
export const LIVE_KEEP_MAX_MS = 60 * 60_000;

/** `record[snake]`, or `record[camel]` when a camelCase backend sent it. */
function field(record: Record<string, unknown>, snake: string): unknown {
  if (snake in record) {
    return record[snake];
  }
  return record[snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())];
}

const count = (value: unknown): number => (finite(value) && value > 0 ? value : 0);

/** `live_start`: the feed's id is required; devices without a serial are left out, a
 * missing name is the serial, and `keep_ms` is kept within 1 min..1 h (10 min if missing). */
export function readLiveStarted(value: unknown): LiveStarted {
  if (!isRecord(value) || !finite(value.id)) {
    throw unreadable("the live feed");
  }
  const devices = list(value.devices)
    .filter(isRecord)
    .map((device): LiveDevice | null => {
      const serial = text(device.serial);
      if (!serial) {
        return null;
      }
      const name = text(device.name);
      return { serial, name: name && name.trim() !== "" ? name : serial };
    })
    .filter((device): device is LiveDevice => device !== null);
  const keep = field(value, "keep_ms");
  return {
    id: value.id,
    devices,
    keep_ms: finite(keep)
      ? Math.min(LIVE_KEEP_MAX_MS, Math.max(LIVE_KEEP_MIN_MS, keep))
      : LIVE_KEEP_DEFAULT_MS,
  };
}

function readLiveStatus(value: unknown): LiveStatus | null {
  if (!isRecord(value)) {
    return null;
  }
  const reason = text(field(value, "reason")) ?? "";
  switch (value.state) {
    case "connecting":
      return { state: "connecting", attempt: count(value.attempt) };
    case "live": {
      const since = field(value, "since_ms");
      return { state: "live", since_ms: finite(since) ? since : 0 };
    }
    case "reconnecting":
      return { state: "reconnecting", in_ms: count(field(value, "in_ms")), reason };
    case "stopped":
      return { state: "stopped", reason, sign_in_again: field(value, "sign_in_again") === true };
    default:
      return null;
  }
}

/** One channel's samples; null when it cannot be read. Columns are cut to the shortest
 * (a field shorter than `t` would leave samples without values); a value that is not a
 * number (null for "not known") becomes NaN. */
function readLiveSamples(value: unknown): LiveSamples | null {
  if (!isRecord(value) || !finite(value.code) || !Array.isArray(value.t)) {
    return null;
  }
  const serial = text(value.serial);
  const columns = list(value.fields).filter(Array.isArray);
  if (!serial || columns.length === 0) {
    return null;
  }
  const length = Math.min(value.t.length, ...columns.map((column) => column.length));
  const numbers = (column: unknown[]): number[] => {
    const out = new Array<number>(length);
    for (let i = 0; i < length; i++) {
      const x = column[i];
      out[i] = finite(x) ? x : Number.NaN;
    }
    return out;
  };
  const dsi = value.dsi;
  return {
    serial,
    code: value.code,
    dsi: finite(dsi) ? dsi : 0,
    t: numbers(value.t),
    fields: columns.map(numbers),
  };
}

/** `live_next`: `seq` is required; everything else is read as far as it can be, so one bad
 * channel never costs the batch its other samples. */
export function readLiveUpdate(value: unknown): LiveUpdate {
  if (!isRecord(value) || !finite(value.seq)) {
    throw unreadable("the live update");
  }
  const counts = isRecord(value.counts) ? value.counts : {};
  const totals = {} as LiveCounts;
  for (const name of LIVE_COUNT_NAMES) {
    totals[name] = count(field(counts, name));
  }
  return {
    seq: value.seq,
    status: readLiveStatus(value.status),
    samples: list(value.samples)
      .map(readLiveSamples)
      .filter((samples): samples is LiveSamples => samples !== null),
    quiet: list(value.quiet)
      .filter(isRecord)
      .map((quiet): LiveQuiet | null => {
        const serial = text(quiet.serial);
        const since = field(quiet, "since_ms");
        return serial ? { serial, since_ms: finite(since) ? since : null } : null;
      })
      .filter((quiet): quiet is LiveQuiet => quiet !== null),
    counts: totals,
    notes: list(value.notes).filter(
      (note): note is string => typeof note === "string" && note.trim() !== "",
    ),
  };
}
