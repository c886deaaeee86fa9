// The live charts (uPlot): SOG of every device over the last ten minutes, and wind speed
// (true, else apparent) when any device sends it. They scroll: the caller moves the time
// range once a second and gives them new data at most once per animation frame. Each
// update bins the devices' kept columns onto one time grid of about a point per pixel
// (frame.ts: binColumns), so what uPlot draws does not grow with the sample rate.

import uPlot from "uplot";
import { readTheme } from "../browse/chart-data";
import { formatUtc, formatValue, timeTickLabels } from "../browse/format";
import type { ChannelBuffer } from "./buffer";
import { binColumns, type Column } from "./frame";
import { CODE, type LiveDeviceData } from "./store";

export const CHART_WINDOW_MS = 10 * 60_000;
const CHART_HEIGHT = 170;
/** A pause longer than this breaks a line. */
const GAP_MS = 30_000;
const SYNC_KEY = "telltale-live";

/** What one device adds to a chart. */
interface Pick {
  buffer: ChannelBuffer;
  label: string;
}

interface Spec {
  kind: string;
  title: string;
  description: string;
  pick(device: LiveDeviceData): Pick | null;
}

/** A kept channel of `code` with samples, from the lowest data source. */
function kept(device: LiveDeviceData, code: number): ChannelBuffer | null {
  const history = device.channel(code)?.history;
  return history && history.length > 0 ? history : null;
}

const SPECS: readonly Spec[] = [
  {
    kind: "SOG",
    title: "SOG (kn)",
    description: "Speed over ground of each device, last 10 minutes",
    pick: (device) => {
      const buffer = kept(device, CODE.sog);
      return buffer ? { buffer, label: device.name } : null;
    },
  },
  {
    kind: "Wind",
    title: "Wind speed (kn)",
    description: "Wind speed of each device (true, else apparent), last 10 minutes",
    pick: (device) => {
      const tws = kept(device, CODE.tws);
      if (tws) {
        return { buffer: tws, label: `${device.name} (TWS)` };
      }
      const aws = kept(device, CODE.aws);
      return aws ? { buffer: aws, label: `${device.name} (AWS)` } : null;
    },
  },
];

interface Chart {
  signature: string;
  box: HTMLDivElement;
  plot: uPlot;
}

export class LiveCharts {
  private readonly charts = new Map<string, Chart>();
  private readonly waiting: HTMLParagraphElement;

  constructor(
    private readonly container: HTMLElement,
    private readonly colourOf: (device: LiveDeviceData) => string,
  ) {
    this.waiting = document.createElement("p");
    this.waiting.className = "hint live-charts-waiting";
    this.waiting.textContent = "Waiting for speeds…";
  }

  /** Shows [from, to]; with `data`, the devices' kept samples are handed over anew. */
  update(devices: readonly LiveDeviceData[], from: number, to: number, data: boolean): void {
    const boxes: HTMLElement[] = [];
    for (const spec of SPECS) {
      const picks = devices
        .map((device) => ({ device, pick: spec.pick(device) }))
        .filter((entry): entry is { device: LiveDeviceData; pick: Pick } => entry.pick !== null);
      let chart = this.charts.get(spec.kind);
      if (picks.length === 0) {
        if (chart) {
          this.remove(spec.kind, chart);
        }
        continue;
      }
      const signature = JSON.stringify(
        picks.map(({ device, pick }) => [device.serial, pick.label, this.colourOf(device)]),
      );
      let fresh = false;
      if (chart && chart.signature !== signature) {
        this.remove(spec.kind, chart);
        chart = undefined;
      }
      if (!chart) {
        chart = this.create(spec, picks, signature);
        this.charts.set(spec.kind, chart);
        fresh = true;
      }
      const plot = chart.plot;
      if (data || fresh) {
        const columns = picks.map(({ pick }): Column => {
          const buffer = pick.buffer;
          return {
            t: buffer.t,
            v: buffer.fields[0]!,
            start: buffer.lowerBound(from),
            end: buffer.tail,
          };
        });
        // About a point per pixel across, whatever the devices' rates.
        const { x, ys } = binColumns(columns, from, to, this.width(), GAP_MS);
        plot.batch(() => {
          plot.setData([x, ...ys]);
          plot.setScale("x", { min: from, max: to });
        });
      } else {
        plot.setScale("x", { min: from, max: to });
      }
      boxes.push(chart.box);
    }
    if (boxes.length === 0) {
      boxes.push(this.waiting);
    }
    const current = Array.from(this.container.children);
    if (current.length !== boxes.length || current.some((child, i) => child !== boxes[i])) {
      this.container.replaceChildren(...boxes);
    }
  }

  /** Follows the container's width. */
  resize(): void {
    const width = this.width();
    for (const { plot } of this.charts.values()) {
      if (Math.abs(plot.width - width) >= 1) {
        plot.setSize({ width, height: CHART_HEIGHT });
      }
    }
  }

  /** Drops every chart; the next update builds them again (with the theme's colours). */
  clear(): void {
    for (const [kind, chart] of this.charts) {
      this.remove(kind, chart);
    }
    this.container.replaceChildren();
  }

  private width(): number {
    return Math.max(240, Math.floor(this.container.clientWidth || 600));
  }

  private remove(kind: string, chart: Chart): void {
    chart.plot.destroy();
    chart.box.remove();
    this.charts.delete(kind);
  }

  private create(
    spec: Spec,
    picks: readonly { device: LiveDeviceData; pick: Pick }[],
    signature: string,
  ): Chart {
    const box = document.createElement("div");
    box.className = "chart";
    box.dataset.channel = spec.kind;
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", spec.description);
    const theme = readTheme();
    const axis = {
      stroke: theme.muted,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
    };
    const options: uPlot.Options = {
      width: this.width(),
      height: CHART_HEIGHT,
      title: spec.kind === "SOG" ? "SOG · Speed over ground" : "Wind speed",
      ms: 1,
      tzDate: (ms) => uPlot.tzDate(new Date(ms), "Etc/UTC"),
      scales: {
        x: { time: true },
        // Speeds from zero, with a little room above the fastest.
        y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil((max ?? 0) * 1.15))] },
      },
      cursor: { y: false, sync: { key: SYNC_KEY, setSeries: false }, drag: { x: false, y: false } },
      legend: { live: true },
      axes: [
        {
          ...axis,
          space: 80,
          values: (_u, splits, _axis, _space, step) => timeTickLabels(splits, step),
        },
        { ...axis, label: spec.title, labelSize: 18, size: 50 },
      ],
      series: [
        {
          label: "Time (UTC)",
          value: (_u, value) =>
            value === null || value === undefined ? "–" : formatUtc(value, true),
        },
        ...picks.map(({ device, pick }) => ({
          label: pick.label,
          stroke: this.colourOf(device),
          width: 1.5,
          spanGaps: false,
          points: { show: false },
          value: (_u: uPlot, value: number | null) =>
            value === null || value === undefined ? "–" : formatValue(value, CODE.sog, ""),
        })),
      ],
    };
    const empty: uPlot.AlignedData = [[], ...picks.map(() => [])];
    const plot = new uPlot(options, empty, box);
    return { signature, box, plot };
  }
}
