// Pure formatting and time-range helpers for the browse screens (no DOM, easy to test).
// Every time is shown in UTC and says so: the data is recorded in UTC, on boats in any zone.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

export type RangePreset = "day" | "week" | "custom";

export interface TimeRange {
  from: number;
  to: number;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, "0");

/** "2025-06-21" (UTC). */
export function formatUtcDate(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** "10:05" or, with seconds, "10:05:09" (UTC). */
export function formatUtcTime(ms: number, seconds = false): string {
  const date = new Date(ms);
  const hm = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
  return seconds ? `${hm}:${pad(date.getUTCSeconds())}` : hm;
}

/** "2025-06-21 10:05 UTC" (with seconds when asked). */
export function formatUtc(ms: number, seconds = false): string {
  return `${formatUtcDate(ms)} ${formatUtcTime(ms, seconds)} UTC`;
}

/**
 * A time span in few words: "2025-06-21 10:00 – 18:30 UTC" within one day,
 * "2025-06-21 10:00 – 2025-06-22 08:00 UTC" across days, "from … (still open)" without an end.
 */
export function formatSpan(start: number, end: number | null): string {
  if (end === null) {
    return `from ${formatUtc(start)} (still open)`;
  }
  const head = `${formatUtcDate(start)} ${formatUtcTime(start)}`;
  const tail =
    formatUtcDate(start) === formatUtcDate(end)
      ? formatUtcTime(end)
      : `${formatUtcDate(end)} ${formatUtcTime(end)}`;
  return `${head} – ${tail} UTC`;
}

/** "2 h 30 min", "3 d 4 h", "45 s": how long a span lasts, roughly. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (days > 0) {
    return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  }
  if (hours > 0) {
    return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  return minutes > 0 ? `${minutes} min` : `${total} s`;
}

/** The value of an `<input type="datetime-local">` showing `ms` in UTC: "2025-06-21T10:05". */
export function toUtcInput(ms: number): string {
  return `${formatUtcDate(ms)}T${formatUtcTime(ms)}`;
}

/** Reads a datetime-local value as UTC; null when it is not a complete date and time. */
export function parseUtcInput(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(
    value.trim(),
  );
  if (!match) {
    return null;
  }
  const field = (index: number): number => Number(match[index] ?? "0");
  const year = field(1);
  const month = field(2);
  const day = field(3);
  const hour = field(4);
  const minute = field(5);
  const second = field(6);
  const millis = Number((match[7] ?? "").padEnd(3, "0"));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(ms);
  // Reject times that do not exist (2025-02-30 would roll over into March).
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null;
  }
  return ms;
}

/**
 * The range a preset stands for: the last day or week of data, ending at the newest data
 * (or now, when there is none), rounded up to the minute so the inputs show it exactly.
 */
export function presetRange(
  preset: "day" | "week",
  newestDataMs: number | null,
  now: number,
): TimeRange {
  const end = newestDataMs ?? now;
  const to = Math.ceil(end / MINUTE_MS) * MINUTE_MS;
  return { from: to - (preset === "day" ? DAY_MS : WEEK_MS), to };
}

/** "0 B", "512 B", "4.1 kB", "4.1 MB", "1.20 GB" (decimal units). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1000) {
    return `${Math.max(0, Math.round(bytes || 0))} B`;
  }
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = "B";
  for (const next of units) {
    if (value < 1000) {
      break;
    }
    value /= 1000;
    unit = next;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/** "1,234,567". */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString("en-US");
}

/** "3 of 12 chunks · 4.1 MB", with failures and retries when there are any. */
export function progressText(progress: {
  chunksDone: number;
  chunksTotal: number;
  chunksFailed: number;
  bytes: number;
  retrying: boolean;
}): string {
  const parts = [
    `${progress.chunksDone} of ${progress.chunksTotal} chunk${progress.chunksTotal === 1 ? "" : "s"}`,
    formatBytes(progress.bytes),
  ];
  if (progress.chunksFailed > 0) {
    parts.push(`${progress.chunksFailed} failed`);
  }
  if (progress.retrying) {
    parts.push("retrying…");
  }
  return parts.join(" · ");
}

/** What to say when some time windows failed: how many, and that the rest is shown. */
export function failedText(failed: number, total: number, firstReason: string | null): string {
  const windows = `${failed} of ${total} time window${total === 1 ? "" : "s"}`;
  const reason = firstReason ? ` (${firstReason.replace(/\.$/, "")})` : "";
  return `${windows} could not be fetched${reason}. The rest is shown; Retry fetches only the missing ${failed === 1 ? "window" : "windows"}.`;
}

/** A measured value for a table: positions keep 6 decimals, others 0–2 by size. */
export function formatValue(value: number, code: number, unit: string): string {
  if (!Number.isFinite(value)) {
    return "–";
  }
  let digits: number;
  if (code === 1) {
    digits = 6;
  } else {
    const size = Math.abs(value);
    digits = size >= 100 ? 0 : size >= 10 ? 1 : 2;
  }
  const text = value.toFixed(digits);
  return unit ? `${text} ${unit}` : text;
}

/** A chart's axis title: "SOG (kn)", or just the label without a unit. */
export function axisLabel(label: string, unit: string): string {
  return unit ? `${label} (${unit})` : label;
}

/**
 * Labels for a time axis (UTC, 24 h): "14:30" (seconds when ticks are closer than a minute),
 * "06-21" for day steps; the date (or year) is added on a second line at the first tick
 * and wherever it changes.
 */
export function timeTickLabels(ticks: readonly number[], step: number): string[] {
  let previousDay = "";
  let previousYear = "";
  return ticks.map((tick) => {
    const day = formatUtcDate(tick);
    const year = day.slice(0, 4);
    let label: string;
    if (step >= DAY_MS) {
      label = day.slice(5);
      if (year !== previousYear) {
        label += `\n${year}`;
      }
    } else {
      label = formatUtcTime(tick, step < MINUTE_MS);
      if (day !== previousDay) {
        label += `\n${previousYear === year ? day.slice(5) : day}`;
      }
    }
    previousDay = day;
    previousYear = year;
    return label;
  });
}

// ---- Riot: data access windows and the days they cover --------------------------------

/** "UTC+2", "UTC+5:30", "UTC-3", "UTC" for an offset east of UTC in minutes. */
export function formatZone(offsetMinutes: number): string {
  if (offsetMinutes === 0) {
    return "UTC";
  }
  const sign = offsetMinutes > 0 ? "+" : "-";
  const size = Math.abs(Math.round(offsetMinutes));
  const minutes = size % 60;
  return `UTC${sign}${Math.floor(size / 60)}${minutes ? `:${pad(minutes)}` : ""}`;
}

/** The local zone's offset east of UTC at `ms`, in minutes (daylight saving included). */
export function localOffset(ms: number): number {
  const offset = -new Date(ms).getTimezoneOffset();
  return offset === 0 ? 0 : offset;
}

/** A window in words: in the user's own time (null where that is UTC anyway) and in UTC. */
export interface WindowTexts {
  local: string | null;
  utc: string;
}

/**
 * A data access window as a sailor reads it: "2025-06-21 12:00 – 13:05 your time (UTC+2)"
 * and "2025-06-21 10:00 – 11:05 UTC". `offsetOf` gives the local offset at a moment (the
 * browser's zone unless a test says otherwise).
 */
export function windowTexts(
  start: number,
  end: number,
  offsetOf: (ms: number) => number = localOffset,
): WindowTexts {
  const utc = formatSpan(start, end);
  const startOffset = offsetOf(start);
  const endOffset = offsetOf(end);
  if (startOffset === 0 && endOffset === 0) {
    return { local: null, utc };
  }
  const shiftedStart = start + startOffset * MINUTE_MS;
  const shiftedEnd = end + endOffset * MINUTE_MS;
  const head = `${formatUtcDate(shiftedStart)} ${formatUtcTime(shiftedStart)}`;
  const tail =
    formatUtcDate(shiftedStart) === formatUtcDate(shiftedEnd)
      ? formatUtcTime(shiftedEnd)
      : `${formatUtcDate(shiftedEnd)} ${formatUtcTime(shiftedEnd)}`;
  const zone =
    startOffset === endOffset
      ? formatZone(startOffset)
      : `${formatZone(startOffset)} / ${formatZone(endOffset)}`;
  return { local: `${head} – ${tail} your time (${zone})`, utc };
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Sat 21 Jun 2025": a UTC day, for a day button. */
export function formatUtcDay(ms: number): string {
  const date = new Date(ms);
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** The start (UTC midnight) of the day holding `ms`. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * The UTC days that windows cover, up to `now` (later days hold no data yet): the most
 * recent `limit`, oldest first, as the ms of their midnight.
 */
export function coveredDays(
  windows: readonly { start: number; end: number }[],
  now: number,
  limit = 14,
): number[] {
  const days = new Set<number>();
  for (const window of windows) {
    const last = utcDayStart(Math.min(window.end, now));
    const first = Math.max(utcDayStart(window.start), last - (limit - 1) * DAY_MS);
    for (let day = first; day <= last && window.start <= window.end; day += DAY_MS) {
      days.add(day);
    }
  }
  return [...days].sort((a, b) => a - b).slice(-limit);
}

/** The value of an `<input type="date">` for the UTC day holding `ms`: "2025-06-21". */
export function toUtcDateInput(ms: number): string {
  return formatUtcDate(ms);
}

/** Reads an `<input type="date">` value as a UTC day: its range, or null. */
export function parseUtcDay(value: string): TimeRange | null {
  const from = parseUtcInput(`${value.trim()}T00:00`);
  return from === null ? null : { from, to: from + DAY_MS };
}

/**
 * What to say when parts of a load failed: per time window (a window counts once however
 * many devices failed in it), with the distinct reasons (two at most).
 */
export function failureSummary(
  failed: readonly { start: number; end: number; error: { message: string } }[],
  chunksTotal: number,
): { windows: number; text: string } {
  const windows = new Set(failed.map((chunk) => `${chunk.start}:${chunk.end}`)).size;
  const reasons = [...new Set(failed.map((chunk) => chunk.error.message.replace(/\.$/, "")))];
  const reason =
    reasons.length === 0
      ? null
      : reasons.length <= 2
        ? reasons.join("; ")
        : `${reasons.slice(0, 2).join("; ")}; and ${reasons.length - 2} more`;
  return { windows, text: failedText(windows, Math.max(chunksTotal, windows), reason) };
}
