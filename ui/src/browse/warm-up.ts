// The first chart and the first track the page draws cost far more than any later ones:
// in the plot benchmark the first open's charts took 66-84 ms, as long for two charts as
// for three, and its track 29-33 ms, where later opens took 5-16 and 5-11 ms
// (bench/README.md, "The data view"): uPlot's and Leaflet's code run for the first time.
// So once the data area has loaded, while the user picks what to open, a chart and a map
// are drawn off screen from made-up data and thrown away.

import type { TrackView } from "../api";
import type { ChartGroup } from "./chart-data";
import { Charts } from "./charts";
import { TrackMap } from "./map";

/** About what a week's chart holds at a chart's width (four points a pixel column). */
const POINTS = 4800;
const HOUR_MS = 3_600_000;
/** Long enough after the data area appears for its own first paint to be done. */
const DELAY_MS = 300;

/** Draws and drops a chart and a map off screen, soon, when the page is idle. */
export function warmUpSoon(): void {
  window.setTimeout(() => {
    if ("requestIdleCallback" in window) {
      window.requestIdleCallback(() => warmUp(), { timeout: 2000 });
    } else {
      warmUp();
    }
  }, DELAY_MS);
}

function warmUp(): void {
  const to = Date.now();
  const from = to - 7 * 24 * HOUR_MS;
  offScreen(800, (host) => {
    const charts = new Charts(host, { zoom() {}, reset() {}, cursor() {} }, () => "#1f7fb4");
    try {
      charts.render([madeUpGroup(from, to)], from, to);
    } finally {
      charts.clear();
    }
  });
  offScreen(800, (host) => {
    host.style.height = "300px";
    warmUpMap(host, from, to);
  });
}

/** Runs `use` with a box laid out (charts and maps measure themselves) but off screen,
 *  never seen nor read out, and removes the box after. */
function offScreen(width: number, use: (host: HTMLDivElement) => void): void {
  const host = document.createElement("div");
  host.setAttribute("aria-hidden", "true");
  host.inert = true;
  host.style.cssText =
    `position: fixed; top: 0; left: -10000px; width: ${width}px; visibility: hidden`;
  document.body.append(host);
  try {
    use(host);
  } finally {
    host.remove();
  }
}

/** The track map (map.ts) with one boat's track, on a map without tiles (so nothing is
 *  fetched), taken down after. */
function warmUpMap(host: HTMLDivElement, from: number, to: number): void {
  const legend = document.createElement("div");
  host.append(legend);
  const map = new TrackMap(host, legend, () => "#1f7fb4", { tiles: false });
  try {
    map.render([madeUpTrack(from, to)]);
  } finally {
    map.remove();
  }
}

/** A boat sailing circles for a week, as `data_view` would answer it. */
function madeUpTrack(from: number, to: number): TrackView {
  const count = POINTS / 2;
  const step = (to - from) / count;
  const track: TrackView = {
    serial: "warm-up",
    deviceName: "warm-up",
    t: [],
    lon: [],
    lat: [],
    speed: [],
  };
  for (let i = 0; i < count; i++) {
    track.t.push(Math.round(from + i * step));
    track.lat.push(54.4 + 0.01 * Math.sin(i / 40));
    track.lon.push(10.2 + 0.02 * Math.cos(i / 40));
    track.speed.push(4 + 3 * Math.sin(i / 25));
  }
  return track;
}

/** A speed over a week with a gap in it, as `data_view` would answer it. */
function madeUpGroup(from: number, to: number): ChartGroup {
  const step = (to - from) / POINTS;
  const t: number[] = [];
  const v: (number | null)[] = [];
  for (let i = 0; i < POINTS; i++) {
    t.push(Math.round(from + i * step));
    v.push(i % 1200 === 600 ? null : 5 + 2 * Math.sin(i / 50));
  }
  const channel = {
    key: "9",
    code: 9,
    dsi: 0,
    field: 1,
    shortName: "SOG",
    name: "Speed over ground",
    unit: "kn",
    label: "SOG",
  };
  return {
    kind: "SOG",
    channel,
    series: [{ serial: "warm-up", deviceName: "warm-up", channel, t, v }],
  };
}
