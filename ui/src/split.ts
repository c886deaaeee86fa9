// The sizes of the signed-in workspace's panes: the sidebar's width and the map's share of
// the opened data's height. Pure arithmetic for the splitters (layout.ts) and the start-up
// (main.ts): bounds, keyboard steps, and reading the stored sizes, which come from
// localStorage and are therefore untrusted (any text, any JSON, any number).

/** One splitter's sizes: bounds, the size without a stored one, and the keyboard's steps. */
export interface SplitRange {
  min: number;
  max: number;
  initial: number;
  /** An arrow key's step; with Shift, `bigStep`. */
  step: number;
  bigStep: number;
}

/** The sidebar's width, CSS px. Its CSS also keeps it under 45% of the window. */
export const SIDEBAR: SplitRange = { min: 240, max: 560, initial: 336, step: 16, bigStep: 64 };

/** The map pane's share of the opened data's height, percent; the charts get the rest. */
export const MAP: SplitRange = { min: 20, max: 80, initial: 50, step: 5, bigStep: 15 };

/** What the window remembers; an absent size means the initial one. */
export interface PaneSizes {
  sidebar?: number;
  map?: number;
}

export type PaneName = keyof PaneSizes;

export const RANGES: Readonly<Record<PaneName, SplitRange>> = { sidebar: SIDEBAR, map: MAP };

/** The CSS custom properties the stylesheets size the panes with. */
export const CSS_PROPERTY: Readonly<Record<PaneName, string>> = {
  sidebar: "--sidebar-width",
  map: "--map-share",
};

const UNIT: Readonly<Record<PaneName, string>> = { sidebar: "px", map: "%" };

/** `value` rounded and kept inside `range` (its min wins over a smaller max). Not a
 *  number: the initial size. */
export function clampSize(value: number, range: SplitRange): number {
  if (!Number.isFinite(value)) {
    return range.initial;
  }
  const max = Math.max(range.min, range.max);
  return Math.min(max, Math.max(range.min, Math.round(value)));
}

/** `range` with its max lowered to `max` (the sidebar may take at most part of the window). */
export function capped(range: SplitRange, max: number): SplitRange {
  return { ...range, max: Math.max(range.min, Math.min(range.max, Math.floor(max))) };
}

/**
 * The size after a key on a splitter, or null when the key is not the splitter's. A
 * vertical splitter (between side-by-side panes) moves with ← →, a horizontal one with ↑ ↓;
 * Home and End go to the first pane's least and largest size (the WAI-ARIA window splitter).
 */
export function keyedSize(
  key: string,
  shift: boolean,
  value: number,
  range: SplitRange,
  orientation: "vertical" | "horizontal",
): number | null {
  const [less, more] =
    orientation === "vertical" ? ["ArrowLeft", "ArrowRight"] : ["ArrowUp", "ArrowDown"];
  const step = shift ? range.bigStep : range.step;
  switch (key) {
    case less:
      return clampSize(value - step, range);
    case more:
      return clampSize(value + step, range);
    case "Home":
      return range.min;
    case "End":
      return Math.max(range.min, range.max);
    default:
      return null;
  }
}

/** The stored sizes: what is a number inside its bounds, or could be made one, is kept
 *  (clamped); anything else (not JSON, not an object, strings, NaN) is dropped. */
export function parseSizes(raw: string | null): PaneSizes {
  if (raw === null || raw.length > 1000) {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {};
  }
  const sizes: PaneSizes = {};
  for (const name of Object.keys(RANGES) as PaneName[]) {
    const size = Object.prototype.hasOwnProperty.call(value, name)
      ? (value as Record<string, unknown>)[name]
      : undefined;
    if (typeof size === "number" && Number.isFinite(size)) {
      sizes[name] = clampSize(size, RANGES[name]);
    }
  }
  return sizes;
}

/** The text to store for `sizes` (only the known, valid ones). */
export function serializeSizes(sizes: PaneSizes): string {
  return JSON.stringify(parseSizes(JSON.stringify(sizes)));
}

/** The CSS value of a pane's size, e.g. "336px" or "55%". */
export function cssSize(name: PaneName, size: number): string {
  return `${clampSize(size, RANGES[name])}${UNIT[name]}`;
}

/** Where the styles read sizes: a CSSStyleDeclaration (`document.documentElement.style`). */
export interface StyleTarget {
  setProperty(property: string, value: string): void;
  removeProperty(property: string): string;
}

/** Sets the stored sizes as CSS properties; an absent size falls back to the stylesheet's. */
export function applySizes(sizes: PaneSizes, style: StyleTarget): void {
  for (const name of Object.keys(RANGES) as PaneName[]) {
    const size = sizes[name];
    if (size === undefined) {
      style.removeProperty(CSS_PROPERTY[name]);
    } else {
      style.setProperty(CSS_PROPERTY[name], cssSize(name, size));
    }
  }
}
