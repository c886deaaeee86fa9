// What the charts show, apart from drawing it: series grouped one chart per channel in the
// order a sailor reads instruments, aligned on one time column for uPlot; the theme's
// colours; and the number format of the legends.

import uPlot from "uplot";
import type { ChannelView, SeriesView } from "../api";
import { themeColour } from "../theme";

/** One chart's worth of series: the same channel label over every device that has it. */
export interface ChartGroup {
  /** The channel label ("SOG", "SOG (src 100)"); also `data-channel`. */
  kind: string;
  channel: ChannelView;
  series: SeriesView[];
}

/** Colours the canvas needs, read from the page's CSS variables (light or dark theme). */
export interface Theme {
  muted: string;
  grid: string;
}

export function readTheme(): Theme {
  return {
    muted: themeColour("--muted", "#4a5a70"),
    grid: themeColour("--border", "#d3dce6"),
  };
}

/** The order a sailor reads instruments in: speeds and angles first (SOG, COG, HDG, STW, AWA,
 *  AWS, TWD, TWS), then the battery, then the rest by type code. */
const SAILING_ORDER: readonly number[] = [9, 6, 8, 10, 11, 12, 22, 23, 15];

function sailingRank(code: number): number {
  const rank = SAILING_ORDER.indexOf(code);
  return rank === -1 ? SAILING_ORDER.length + code : rank;
}

/** Groups series by channel label, ordered by [sailingRank], data source and field. */
export function groupSeries(series: readonly SeriesView[]): ChartGroup[] {
  const groups = new Map<string, ChartGroup>();
  for (const item of series) {
    const kind = item.channel.label;
    const group = groups.get(kind);
    if (group) {
      group.series.push(item);
    } else {
      groups.set(kind, { kind, channel: item.channel, series: [item] });
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      sailingRank(a.channel.code) - sailingRank(b.channel.code) ||
      a.channel.dsi - b.channel.dsi ||
      a.channel.field - b.channel.field ||
      a.kind.localeCompare(b.kind),
  );
}

/** One x column for every series of a group (uPlot.join); null stays a gap. */
export function alignedData(group: ChartGroup): uPlot.AlignedData {
  if (group.series.length === 1) {
    const only = group.series[0]!;
    return [only.t, only.v];
  }
  return uPlot.join(group.series.map((item): uPlot.AlignedData => [item.t, item.v]));
}

export function numberText(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return "–";
  }
  const size = Math.abs(value);
  return value.toFixed(size >= 100 ? 0 : size >= 10 ? 1 : 2);
}

