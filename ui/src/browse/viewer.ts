// Shows the loaded dataset: asks Rust for a downsampled view of the visible range
// (`data_view`), draws the track and the charts, and handles zoom: a drag on a chart moves
// every chart to the new range at once, then (debounced) fetches that range at full detail
// from Rust; a double click goes back to the loaded span. Charts off screen are drawn when
// scrolled to (see charts.ts). Times the last full redraw into #plot-timing for the plot
// benchmark.

import * as api from "../api";
import type { AppError, DataView, LoadSummary } from "../api";
import { Charts } from "./charts";
import { groupSeries } from "./chart-data";
import { formatSpan } from "./format";
import { Replay } from "./replay";
import { TrackMap } from "./map";
import type { ManeuverMark } from "./marks";

/** Device colours in the charts, in load order; readable on light and dark surfaces. */
export const PALETTE = [
  "#1f7fb4",
  "#d1495b",
  "#2e9e5b",
  "#d08a1c",
  "#7b5ea7",
  "#c4572c",
  "#3f8f8f",
  "#b0417a",
];
const ZOOM_DEBOUNCE_MS = 180;
/** Zooming in further than this shows nothing more. */
const MIN_SPAN_MS = 5_000;

export interface ViewerElements {
  charts: HTMLElement;
  track: HTMLElement;
  legend: HTMLElement;
  zoomRange: HTMLElement;
  resetZoom: HTMLButtonElement;
  panEarlier: HTMLButtonElement;
  panLater: HTMLButtonElement;
  timing: HTMLElement;
}

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

export class Viewer {
  private readonly charts: Charts;
  private readonly replay: Replay;
  private readonly track: TrackMap;
  private colours = new Map<string, string>();
  private loaded: { from: number; to: number } | null = null;
  private visible: { from: number; to: number } | null = null;
  /** The view of the whole loaded span, kept so a reset needs no round trip. */
  private fullView: DataView | null = null;
  private lastView: DataView | null = null;
  /** The device whose track the map frames (a maneuver picked); null: every track. */
  private focus: string | null = null;
  /** Bumped by every request and by clear(); late answers with an old number are dropped. */
  private sequence = 0;
  private zoomTimer = 0;
  /** The downsampling width of the last fetch. */
  private fetchedWidth = 0;

  constructor(
    private readonly elements: ViewerElements,
    private readonly report: (error: AppError) => void,
  ) {
    this.charts = new Charts(
      elements.charts,
      {
        zoom: (from, to) => this.zoom(from, to),
        reset: () => this.reset(),
        cursor: (time) => this.replay.pointer(time),
      },
      (serial) => this.colours.get(serial) ?? PALETTE[0]!,
    );
    this.track = new TrackMap(
      elements.track,
      elements.legend,
      (serial) => this.colours.get(serial) ?? PALETTE[0]!,
    );
    // The replay time is the one cursor of the charts and the map, in step both ways.
    const track = this.track;
    this.replay = new Replay(
      {
        cursor: (time) => {
          this.charts.setCursor(time);
          track.setCursor(time);
        },
        trail: (ms) => track.setTrail(ms),
      },
      elements.timing,
    );
    // Taking hold of a chart (to drag a zoom) pauses the replay.
    elements.charts.addEventListener("pointerdown", () => this.replay.pause());
    elements.resetZoom.addEventListener("click", () => this.reset());
    elements.panEarlier.addEventListener("click", () => this.pan(-1));
    elements.panLater.addEventListener("click", () => this.pan(1));
    // Arrow keys pan while the charts have the focus (or the pointer is over them).
    elements.charts.tabIndex = 0;
    elements.charts.addEventListener("keydown", (event) => {
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        event.preventDefault();
        this.pan(event.key === "ArrowLeft" ? -1 : 1);
      }
    });
  }

  /** The range shown now (what Export saves); null before a dataset is shown. */
  get visibleRange(): { from: number; to: number } | null {
    return this.visible;
  }

  /** Replays from `time` in real time (a maneuver, after a zoom to it). */
  replayFrom(time: number): void {
    this.replay.playFrom(time);
  }

  /** Marks the maneuvers on the map and across the charts; `pick` replays one. */
  showManeuvers(marks: readonly ManeuverMark[], pick: (mark: ManeuverMark) => void): void {
    this.track.showManeuvers(marks, pick);
    this.charts.setMarks(marks.map((mark) => mark.atMs));
  }

  /** Shows a freshly loaded dataset over its whole span. Resolves once drawn (or failed). */
  async open(summary: LoadSummary): Promise<boolean> {
    // Charts of the same channels and devices are kept and given the new data (building a
    // chart costs far more than redrawing one); the others are replaced when drawn.
    this.forget({ keepCharts: true });
    summary.devices.forEach((device, index) => {
      this.colours.set(device.serial, PALETTE[index % PALETTE.length]!);
    });
    this.loaded = { from: summary.from, to: summary.to };
    this.visible = { ...this.loaded };
    this.showRange();
    return this.fetch(summary.from, summary.to, true);
  }

  /** Shows [from, to] (clamped to the loaded span) now, and fetches its detail shortly;
   *  the map then frames the track of the device `focus`, when given. */
  zoom(from: number, to: number, focus?: string): void {
    const loaded = this.loaded;
    if (!loaded) {
      return;
    }
    this.focus = focus ?? null;
    let start = Math.max(loaded.from, Math.min(from, to));
    let end = Math.min(loaded.to, Math.max(from, to));
    if (end - start < MIN_SPAN_MS) {
      const middle = (start + end) / 2;
      start = Math.max(loaded.from, Math.round(middle - MIN_SPAN_MS / 2));
      end = Math.min(loaded.to, start + MIN_SPAN_MS);
    }
    this.visible = { from: start, to: end };
    this.charts.setRange(start, end);
    this.showRange();
    window.clearTimeout(this.zoomTimer);
    const sequence = ++this.sequence;
    this.zoomTimer = window.setTimeout(() => {
      if (sequence === this.sequence) {
        void this.fetch(start, end, false);
      }
    }, ZOOM_DEBOUNCE_MS);
  }

  /** Moves a zoomed view by half its span, earlier (-1) or later (+1), within the loaded span. */
  pan(direction: -1 | 1): void {
    const { visible, loaded } = this;
    if (!visible || !loaded) {
      return;
    }
    const span = visible.to - visible.from;
    const step = Math.round((span / 2) * direction);
    const from = Math.max(loaded.from, Math.min(loaded.to - span, visible.from + step));
    if (from !== visible.from) {
      this.zoom(from, from + span);
    }
  }

  /** Back to the whole loaded span, from the kept view when there is one. */
  reset(): void {
    const loaded = this.loaded;
    if (!loaded) {
      return;
    }
    window.clearTimeout(this.zoomTimer);
    this.sequence++;
    this.focus = null;
    this.visible = { ...loaded };
    this.showRange();
    if (this.fullView && this.fullView.from === loaded.from && this.fullView.to === loaded.to) {
      void this.draw(this.fullView);
    } else {
      void this.fetch(loaded.from, loaded.to, true);
    }
  }

  /** Follows a change of the window's size: charts resize, the track redraws, and a much
   *  wider or narrower plot fetches its range again at the new width. */
  resize(): void {
    if (!this.lastView) {
      return;
    }
    this.charts.resize();
    this.track.draw();
    const width = this.width();
    if (Math.abs(width - this.fetchedWidth) > this.fetchedWidth / 4 && this.visible) {
      this.fullView = null;
      this.zoom(this.visible.from, this.visible.to);
    }
  }

  /** Redraws with the current theme's colours (charts read them when built). */
  restyle(): void {
    const view = this.lastView;
    if (!view) {
      return;
    }
    this.charts.clear();
    void this.draw(view);
  }

  /** Forgets everything shown (sign-out, a failed load). With `keepCharts` (a new load
   *  starting) the chart objects stay for [open] to reuse; the dataset is hidden meanwhile. */
  clear({ keepCharts } = { keepCharts: false }): void {
    this.forget({ keepCharts });
  }

  private forget({ keepCharts }: { keepCharts: boolean }): void {
    window.clearTimeout(this.zoomTimer);
    this.sequence++;
    if (!keepCharts) {
      this.charts.clear();
      this.track.clear();
    }
    this.colours.clear();
    this.loaded = null;
    this.visible = null;
    this.fullView = null;
    this.lastView = null;
    this.focus = null;
    this.replay.clear();
    this.elements.zoomRange.textContent = "";
    this.elements.resetZoom.hidden = true;
    this.elements.panEarlier.hidden = true;
    this.elements.panLater.hidden = true;
  }

  private showRange(): void {
    const { visible, loaded } = this;
    if (!visible || !loaded) {
      return;
    }
    this.replay.setRange(visible.from, visible.to);
    const zoomed = visible.from !== loaded.from || visible.to !== loaded.to;
    this.elements.zoomRange.textContent = `${zoomed ? "Zoomed to" : "Showing"} ${formatSpan(visible.from, visible.to)}.`;
    this.elements.resetZoom.hidden = !zoomed;
    this.elements.panEarlier.hidden = !zoomed;
    this.elements.panLater.hidden = !zoomed;
    this.elements.panEarlier.disabled = visible.from <= loaded.from;
    this.elements.panLater.disabled = visible.to >= loaded.to;
  }

  /** Downsampling width: the charts' plotting area in pixels, as the contract allows. */
  private width(): number {
    return Math.min(8192, Math.max(100, this.charts.plotWidth()));
  }

  private async fetch(from: number, to: number, full: boolean): Promise<boolean> {
    const sequence = ++this.sequence;
    const started = performance.now();
    // Reading the charts' width lays the page out first, when it changed (a section just
    // shown): timed apart for the benchmark.
    const width = this.width();
    const layoutMs = performance.now() - started;
    let view: DataView;
    try {
      view = await api.dataView({ from, to, width });
    } catch (reason) {
      if (sequence === this.sequence) {
        this.report(api.toAppError(reason));
      }
      return false;
    }
    const viewMs = performance.now() - started;
    if (sequence !== this.sequence) {
      return false;
    }
    this.fetchedWidth = width;
    const loaded = this.loaded;
    if (full || (loaded && from === loaded.from && to === loaded.to)) {
      this.fullView = view;
    }
    this.elements.timing.dataset.viewMs = viewMs.toFixed(1);
    this.elements.timing.dataset.layoutMs = layoutMs.toFixed(1);
    await this.draw(view);
    return true;
  }

  /** setData on every chart and a track redraw, timed until the next animation frame. */
  private async draw(view: DataView): Promise<void> {
    const started = performance.now();
    this.lastView = view;
    this.visible = { from: view.from, to: view.to };
    this.charts.render(groupSeries(view.series), view.from, view.to);
    const charted = performance.now();
    this.track.render(view.tracks, view.series, this.focus);
    const tracked = performance.now();
    this.showRange();
    await nextFrame();
    const timing = this.elements.timing.dataset;
    timing.renderMs = (performance.now() - started).toFixed(1);
    // The parts, for the benchmark: charts' setData, the track, then layout and paint.
    timing.chartsMs = (charted - started).toFixed(1);
    timing.trackMs = (tracked - charted).toFixed(1);
    timing.points = String(
      view.series.reduce((sum, item) => sum + item.t.length, 0) +
        view.tracks.reduce((sum, item) => sum + item.t.length, 0),
    );
    // Charts below the fold are drawn when scrolled to; this says how many were drawn now.
    const { drawn, total } = this.charts.drawnCount();
    timing.chartsDrawn = `${drawn}/${total}`;
    timing.redraws = String(Number(timing.redraws ?? "0") + 1);
  }
}
