// The live view's words (pure: no DOM, tested by scripts/live.test.mjs): the connection
// state, the lag, quiet devices, ages, and the feed's counts. Times are UTC, as everywhere
// in the browse area.

import type { LiveCounts, LiveState, LiveStatus } from "./api";
import { formatCount, formatDuration, formatUtcTime } from "../browse/format";

/** The status line in parts: on screen `lead + tick + rest`; a screen reader is told
 * `spoken` (no countdown or lag numbers, so it is not read out every second). */
export interface StatusWords {
  state: LiveState;
  lead: string;
  tick: string;
  rest: string;
  spoken: string;
}

/** "40 ms", "1.2 s", "42 s", "3 min": a short duration for the lag (negative: a clock ahead). */
export function durationWords(ms: number): string {
  if (ms < 0) {
    return `-${durationWords(-ms)}`;
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  if (ms < 9950) {
    return `${(ms / 1000).toFixed(1)} s`;
  }
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : formatDuration(ms);
}

/** "lag 40 ms (p95 90 ms)" from the median and the 95th percentile. */
export function lagWords(p50: number, p95: number): string {
  return `lag ${durationWords(p50)} (p95 ${durationWords(p95)})`;
}

/**
 * The connection in words: "Connecting…", "Live · lag 40 ms (p95 90 ms)", "Reconnecting in
 * 4 s — <reason>" (counting down from when the status came, `elapsedMs` ago), "Stopped —
 * <reason>". `lag` is [p50, p95] in ms, or null before any sample.
 */
export function statusWords(
  status: LiveStatus,
  elapsedMs: number,
  lag: readonly number[] | null,
): StatusWords {
  const because = (reason: string): string => (reason.trim() ? ` — ${reason.trim()}` : "");
  let lead: string;
  let tick = "";
  let rest = "";
  switch (status.state) {
    case "connecting":
      lead = "Connecting…";
      rest = status.attempt > 1 ? ` (attempt ${status.attempt})` : "";
      break;
    case "live":
      lead = "Live";
      tick = lag && lag.length >= 2 ? ` · ${lagWords(lag[0]!, lag[1]!)}` : "";
      break;
    case "reconnecting": {
      const seconds = Math.ceil(Math.max(0, status.in_ms - Math.max(0, elapsedMs)) / 1000);
      lead = "Reconnecting";
      tick = seconds > 0 ? ` in ${seconds} s` : " now";
      rest = because(status.reason);
      break;
    }
    case "stopped":
      lead = "Stopped";
      rest = because(status.reason);
      break;
  }
  return { state: status.state, lead, tick, rest, spoken: lead + rest };
}

/** "No data from Tern since 14:02:11 UTC", or "No data from Tern yet". */
export function quietWords(name: string, sinceMs: number | null): string {
  return sinceMs === null
    ? `No data from ${name} yet`
    : `No data from ${name} since ${formatUtcTime(sinceMs, true)} UTC`;
}

/** How old the newest sample is: "0 s", "12 s", "3 min", "2 h 5 min"; "–" without one. */
export function ageWords(ageMs: number | null): string {
  if (ageMs === null || !Number.isFinite(ageMs)) {
    return "–";
  }
  const age = Math.max(0, ageMs);
  return age < 60_000 ? `${Math.floor(age / 1000)} s` : formatDuration(age);
}

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${formatCount(count)} ${count === 1 ? one : many}`;

/** The feed's counts for the details: what is kept and what was dropped (in sentences),
 * and the totals as label-value rows. */
export function countsWords(
  counts: LiveCounts,
  keepMs: number,
): { kept: string; skipped: string | null; rows: [string, string][] } {
  const window = `Keeping the last ${formatDuration(keepMs)}`;
  const kept =
    counts.dropped_old > 0
      ? `${window}; ${plural(counts.dropped_old, "older sample")} dropped — they remain on the server.`
      : `${window}.`;
  const skipped =
    counts.skipped_for_page > 0
      ? `${plural(counts.skipped_for_page, "sample")} skipped while this page fell behind — they remain on the server.`
      : null;
  const rows: [string, string][] = [
    ["Received", formatCount(counts.received)],
    ["Filled in after gaps", formatCount(counts.gap_filled)],
    ["Duplicates", formatCount(counts.duplicates)],
    ["Frames of other devices", formatCount(counts.foreign_frames)],
    ["Unreadable frames", formatCount(counts.bad_frames)],
    ["Reconnects", formatCount(counts.reconnects)],
  ];
  return { kept, skipped, rows };
}

/** What the page itself holds and let go. */
export function pageWords(page: {
  applied: number;
  held: number;
  trimmed: number;
  capped: number;
}): string {
  const parts = [
    `This page applied ${plural(page.applied, "sample")} and holds ${formatCount(page.held)} for the track and charts`,
  ];
  if (page.trimmed > 0) {
    parts.push(`${formatCount(page.trimmed)} let go as they aged`);
  }
  if (page.capped > 0) {
    parts.push(`${formatCount(page.capped)} let go in bursts too fast to keep`);
  }
  return `${parts.join("; ")}.`;
}

/** The latest `max` notes: `earlier` followed by `added`, oldest first. */
export function latestNotes(
  earlier: readonly string[],
  added: readonly string[],
  max = 5,
): string[] {
  return [...earlier, ...added].slice(-max);
}
