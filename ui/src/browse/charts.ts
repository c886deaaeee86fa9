// Time series charts with uPlot: one chart per channel kind (all devices' SOG in one chart),
// cursors synced across charts, drag to zoom on x (the caller re-fetches the view), double
// click to reset. Times are ms (uPlot `ms: 1`) and shown in UTC.
//
// Only the charts on screen (or about to be) are drawn: a chart below the fold keeps its new
// data until an IntersectionObserver sees it come near, so opening a dataset of a dozen
// channels costs the three or four charts the user can see.

import uPlot from "uplot";
import type { ChannelView, SeriesView } from "../api";
import { axisLabel, formatUtc, timeTickLabels } from "./format";

/** All charts share this key, so one cursor moves them all. */
export const SYNC_KEY = "telltale-charts";

const CHART_HEIGHT = 190;
/** A chart this close (px) to the viewport counts as on screen and is drawn. */
const NEAR_PX = 300;

export interface ChartHooks {
  /** The user dragged across a chart: show [from, to]. */
  zoom(from: number, to: number): void;
  /** The user double-clicked a chart: show the whole loaded span. */
  reset(): void;
  /** The charts' cursor now points at `time` (null: off the charts). */
  cursor(time: number | null): void;
}

/** One chart's worth of series: the same channel label over every device that has it. */
export interface ChartGroup {
  /** The channel label ("SOG", "SOG (src 100)"); also `data-channel`. */
  kind: string;
  channel: ChannelView;
  series: SeriesView[];
}

interface Chart {
  /** Identity of what is plotted (kind + serials); a change means a new chart. */
  signature: string;
  group: ChartGroup;
  box: HTMLDivElement;
  /** Null until the chart first comes on screen. */
  plot: uPlot | null;
  /** Data not drawn yet (the chart was off screen when it came). */
  pendingData: uPlot.AlignedData | null;
  /** The shared x range changed while the chart was off screen. */
  pendingRange: boolean;
}

/** Colours the canvas needs, read from the page's CSS variables (light or dark theme). */
export interface Theme {
  muted: string;
  grid: string;
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const value = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback;
  return {
    muted: value("--muted", "#4a5a70"),
    grid: value("--border", "#d3dce6"),
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
function alignedData(group: ChartGroup): uPlot.AlignedData {
  if (group.series.length === 1) {
    const only = group.series[0]!;
    return [only.t, only.v];
  }
  return uPlot.join(group.series.map((item): uPlot.AlignedData => [item.t, item.v]));
}

function numberText(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return "–";
  }
  const size = Math.abs(value);
  return value.toFixed(size >= 100 ? 0 : size >= 10 ? 1 : 2);
}

export class Charts {
  private charts = new Map<string, Chart>();
  private range: { from: number; to: number } | null = null;
  private readonly observer: IntersectionObserver;

  constructor(
    private readonly container: HTMLElement,
    private readonly hooks: ChartHooks,
    private readonly colourOf: (serial: string) => string,
  ) {
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) {
            const kind = (entry.target as HTMLElement).dataset.channel ?? "";
            const chart = this.charts.get(kind);
            if (chart) {
              this.flush(chart);
            }
          }
        }
      },
      { rootMargin: `${NEAR_PX}px 0px` },
    );
  }

  /** Plots the groups over [from, to]: charts on screen now, the others when scrolled to.
   *  Charts whose content did not change are reused. */
  render(groups: readonly ChartGroup[], from: number, to: number): void {
    this.range = { from, to };
    const wanted = new Set(groups.map((group) => group.kind));
    for (const [kind, chart] of this.charts) {
      if (!wanted.has(kind)) {
        this.remove(kind, chart);
      }
    }
    const boxes: HTMLDivElement[] = [];
    for (const group of groups) {
      // What a chart is built with (names, units, devices, colours); only data and range
      // change on a chart that is kept.
      const signature = JSON.stringify([
        group.kind,
        group.channel.name,
        group.channel.unit,
        group.series.map((s) => [s.serial, s.deviceName, this.colourOf(s.serial)]),
      ]);
      let chart = this.charts.get(group.kind);
      if (chart && chart.signature !== signature) {
        this.remove(group.kind, chart);
        chart = undefined;
      }
      if (!chart) {
        chart = this.placeholder(group, signature);
        this.charts.set(group.kind, chart);
      }
      chart.group = group;
      chart.pendingData = alignedData(group);
      chart.pendingRange = true;
      boxes.push(chart.box);
    }
    // Re-inserting unchanged boxes would lay out and repaint every chart again.
    const current = Array.from(this.container.children);
    if (current.length !== boxes.length || current.some((child, i) => child !== boxes[i])) {
      this.container.replaceChildren(...boxes);
    }
    for (const chart of this.charts.values()) {
      if (this.isNear(chart.box)) {
        this.flush(chart);
      }
    }
  }

  /** Moves every chart to [from, to] at once, with the data it has (before the re-fetch). */
  setRange(from: number, to: number): void {
    this.range = { from, to };
    for (const chart of this.charts.values()) {
      chart.pendingRange = true;
      if (chart.plot && this.isNear(chart.box)) {
        this.flush(chart);
      }
    }
  }

  /** Follows the container's width (charts off screen catch up when they are drawn). */
  resize(): void {
    for (const chart of this.charts.values()) {
      if (chart.plot && this.isNear(chart.box)) {
        this.fitWidth(chart.plot);
      }
    }
  }

  /** How many charts there are, and how many of them are drawn with their latest data. */
  drawnCount(): { drawn: number; total: number } {
    let drawn = 0;
    for (const chart of this.charts.values()) {
      if (chart.plot && !chart.pendingData) {
        drawn++;
      }
    }
    return { drawn, total: this.charts.size };
  }

  /** Pixels across a chart's plotting area, for the downsampling width. */
  plotWidth(): number {
    for (const chart of this.charts.values()) {
      if (chart.plot) {
        return Math.round(chart.plot.bbox.width / uPlot.pxRatio);
      }
    }
    return this.chartWidth() - 80;
  }

  /** Drops every chart (new dataset, sign-out, or a theme change before a re-render). */
  clear(): void {
    for (const [kind, chart] of this.charts) {
      this.remove(kind, chart);
    }
    this.container.replaceChildren();
    this.range = null;
  }

  private chartWidth(): number {
    return Math.max(240, Math.floor(this.container.clientWidth || 600));
  }

  /** Whether `box` is on screen or within [NEAR_PX] of it. */
  private isNear(box: HTMLElement): boolean {
    const rect = box.getBoundingClientRect();
    const height = window.innerHeight || document.documentElement.clientHeight;
    return rect.bottom > -NEAR_PX && rect.top < height + NEAR_PX;
  }

  /** Draws what the chart is owed: creates its plot, or gives it its new data and range. */
  private flush(chart: Chart): void {
    const data = chart.pendingData;
    const range = chart.pendingRange ? this.range : null;
    chart.pendingData = null;
    chart.pendingRange = false;
    if (!chart.plot) {
      chart.plot = this.create(chart, data ?? alignedData(chart.group));
      return;
    }
    const plot = chart.plot;
    this.fitWidth(plot);
    if (data || range) {
      plot.batch(() => {
        if (data) {
          plot.setData(data);
        }
        if (range) {
          plot.setScale("x", { min: range.from, max: range.to });
        }
      });
    }
  }

  private fitWidth(plot: uPlot): void {
    const width = this.chartWidth();
    if (Math.abs(plot.width - width) >= 1) {
      plot.setSize({ width, height: CHART_HEIGHT });
    }
  }

  /** A chart's box, sized like a drawn chart, with nothing plotted yet. */
  private placeholder(group: ChartGroup, signature: string): Chart {
    const box = document.createElement("div");
    box.className = "chart";
    box.dataset.channel = group.kind;
    box.setAttribute("role", "group");
    box.setAttribute(
      "aria-label",
      `${group.channel.name || group.kind}: ${axisLabel(group.kind, group.channel.unit)}`,
    );
    box.style.minHeight = `${this.drawnHeight()}px`;
    this.observer.observe(box);
    return { signature, group, box, plot: null, pendingData: null, pendingRange: false };
  }

  /** The height of a drawn chart's box (title, plot and legend), to keep the page from
   *  jumping when a placeholder is drawn. */
  private drawnHeight(): number {
    for (const chart of this.charts.values()) {
      if (chart.plot && chart.box.offsetHeight > 0) {
        return chart.box.offsetHeight;
      }
    }
    return CHART_HEIGHT + 64;
  }

  private remove(kind: string, chart: Chart): void {
    this.observer.unobserve(chart.box);
    chart.plot?.destroy();
    chart.box.remove();
    this.charts.delete(kind);
  }

  private create(chart: Chart, data: uPlot.AlignedData): uPlot {
    const group = chart.group;
    const box = chart.box;
    const width = this.chartWidth();
    const theme = readTheme();
    const title = axisLabel(group.kind, group.channel.unit);
    const hooks = this.hooks;
    const axis = {
      stroke: theme.muted,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
    };
    const options: uPlot.Options = {
      width,
      height: CHART_HEIGHT,
      title:
        group.channel.name && group.channel.name !== group.kind
          ? `${group.kind} · ${group.channel.name}`
          : group.kind,
      ms: 1,
      tzDate: (ms) => uPlot.tzDate(new Date(ms), "Etc/UTC"),
      scales: { x: { time: true } },
      cursor: {
        y: false,
        sync: { key: SYNC_KEY, setSeries: false },
        drag: { x: true, y: false, setScale: false },
        bind: {
          dblclick: () => () => {
            hooks.reset();
            return null;
          },
        },
      },
      legend: { live: true },
      axes: [
        {
          ...axis,
          space: 80,
          values: (_u, splits, _axis, _space, step) => timeTickLabels(splits, step),
        },
        { ...axis, label: title, labelSize: 18, size: 56 },
      ],
      series: [
        {
          label: "Time (UTC)",
          value: (_u, value) =>
            value === null || value === undefined ? "–" : formatUtc(value, true),
        },
        ...group.series.map((item) => ({
          label: item.deviceName,
          stroke: this.colourOf(item.serial),
          width: 1,
          spanGaps: false,
          points: { show: false },
          value: (_u: uPlot, value: number | null) => numberText(value),
        })),
      ],
      hooks: {
        setSelect: [
          (u) => {
            const { left, width: span } = u.select;
            if (span < 2) {
              return;
            }
            const from = u.posToVal(left, "x");
            const to = u.posToVal(left + span, "x");
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            hooks.zoom(Math.round(from), Math.round(to));
          },
        ],
        setCursor: [
          (u) => {
            const left = u.cursor.left;
            hooks.cursor(left !== undefined && left >= 0 ? u.posToVal(left, "x") : null);
          },
        ],
      },
    };
    // Built empty, then data and range in one batch: one draw instead of two.
    const empty: uPlot.AlignedData = [[], ...group.series.map(() => [])];
    const plot = new uPlot(options, empty, box);
    box.style.minHeight = "";
    const range = this.range;
    plot.batch(() => {
      plot.setData(data);
      if (range) {
        plot.setScale("x", { min: range.from, max: range.to });
      }
    });
    return plot;
  }
}
