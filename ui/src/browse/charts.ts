// Time series charts with uPlot: one chart per channel kind (all devices' SOG in one chart),
// cursors synced across charts, drag to zoom on x (the caller re-fetches the view), double
// click to reset. Times are ms (uPlot `ms: 1`) and shown in UTC.
//
// Only the charts on screen (or about to be) are drawn: a chart below the fold keeps its new
// data until an IntersectionObserver sees it come near, so opening a dataset of a dozen
// channels costs the three or four charts the user can see.

import uPlot from "uplot";
import { alignedData, numberText, readTheme, type ChartGroup } from "./chart-data";
import { axisLabel, formatUtc, timeTickLabels } from "./format";
import { drawTimeLines } from "./marks";

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
  /** On screen or close to it, as the IntersectionObserver last said (unset: not yet). */
  near?: boolean;
}

export class Charts {
  private charts = new Map<string, Chart>();
  private range: { from: number; to: number } | null = null;
  /** Where the cursor is put by [setCursor] (the replay time). */
  private cursorTime: number | null = null;
  /** Set while this code changes a chart ([quietly]): the cursor hook is then muted. */
  private moving = false;
  /** Times marked across every chart (the maneuvers), ms. */
  private marks: readonly number[] = [];
  private readonly observer: IntersectionObserver;
  /** Where the charts scroll (data-scroll-pane in index.html); null: the window. */
  private readonly scrollPane: HTMLElement | null;

  constructor(
    private readonly container: HTMLElement,
    private readonly hooks: ChartHooks,
    private readonly colourOf: (serial: string) => string,
  ) {
    this.scrollPane = container.closest<HTMLElement>("[data-scroll-pane]");
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const kind = (entry.target as HTMLElement).dataset.channel ?? "";
          const chart = this.charts.get(kind);
          if (chart) {
            chart.near = entry.isIntersecting;
            if (entry.isIntersecting) {
              this.flush(chart);
            }
          }
        }
      },
      { root: this.scrollPane, rootMargin: `${NEAR_PX}px 0px` },
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

  /** Marks `times` with a line across every chart (drawn now on the charts drawn, later on
   *  the others). */
  setMarks(times: readonly number[]): void {
    this.marks = times;
    for (const chart of this.charts.values()) {
      chart.plot?.redraw(false, false);
    }
  }

  /** Puts the cursor of every chart on screen at `time` (null hides it), without firing
   *  the cursor hook: the replay drives the charts and must not hear itself back. Charts
   *  drawn later get it when drawn. */
  setCursor(time: number | null): void {
    this.cursorTime = time;
    for (const chart of this.charts.values()) {
      if (chart.plot && chart.near) {
        this.placeCursor(chart.plot, false);
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

  /** Whether `box` is in its pane's view (or the window's) or within [NEAR_PX] of it, as the
   *  IntersectionObserver judges it. */
  private isNear(box: HTMLElement): boolean {
    const rect = box.getBoundingClientRect();
    const view = this.scrollPane?.getBoundingClientRect() ?? {
      top: 0,
      bottom: window.innerHeight || document.documentElement.clientHeight,
    };
    return rect.bottom > view.top - NEAR_PX && rect.top < view.bottom + NEAR_PX;
  }

  /** Draws what the chart is owed: creates its plot, or gives it its new data and range. */
  private flush(chart: Chart): void {
    const data = chart.pendingData;
    const range = chart.pendingRange ? this.range : null;
    chart.pendingData = null;
    chart.pendingRange = false;
    if (!chart.plot) {
      chart.plot = this.quietly(() => this.create(chart, data ?? alignedData(chart.group)));
      return;
    }
    const plot = chart.plot;
    this.fitWidth(plot);
    if (data || range) {
      this.quietly(() => {
        plot.batch(() => {
          if (data) {
            plot.setData(data);
          }
          if (range) {
            plot.setScale("x", { min: range.from, max: range.to });
          }
        });
        return plot;
      });
    }
  }

  private fitWidth(plot: uPlot): void {
    const width = this.chartWidth();
    if (Math.abs(plot.width - width) >= 1) {
      // Batched: uPlot moves its cursor now, while quiet, instead of in a microtask.
      this.quietly(() => {
        plot.batch(() => plot.setSize({ width, height: CHART_HEIGHT }));
        return plot;
      });
    }
  }

  /** Runs `change` (new data, range or size) with the cursor hook muted: uPlot moves its
   *  cursor along and fires the hook, which is no pointer move. Then the cursor goes back to
   *  [cursorTime]. */
  private quietly(change: () => uPlot): uPlot {
    const moving = this.moving;
    this.moving = true;
    try {
      const plot = change();
      this.placeCursor(plot, true);
      return plot;
    } finally {
      this.moving = moving;
    }
  }

  /** The cursor at [cursorTime] on `plot`; hidden when that is off its x range. Unless
   *  `force`d, a cursor already on that pixel is left alone (uPlot draws it on whole
   *  pixels): a slow replay then costs the charts nothing on most frames. */
  private placeCursor(plot: uPlot, force: boolean): void {
    const time = this.cursorTime;
    const x = time === null ? Number.NaN : plot.valToPos(time, "x");
    const left = x >= 0 && x <= plot.bbox.width / uPlot.pxRatio ? x : -10;
    if (!force && Math.round(plot.cursor.left ?? -10) === Math.round(left)) {
      return;
    }
    plot.setCursor({ left, top: Math.max(0, plot.cursor.top ?? 0) }, false);
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
        draw: [(u) => drawTimeLines(u, this.marks, theme.muted)],
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
            if (this.moving) {
              return;
            }
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
