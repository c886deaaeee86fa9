// Tacks and gybes marked where and when they happened (issue 18): on the map a small
// lettered mark at the boat's position at the maneuver's time, a button that replays it;
// across the charts a thin line at that time. The analysis (analysis.ts) hands them over.

import * as L from "leaflet";
import type uPlot from "uplot";
import { formatUtcTime } from "./format";

/** One maneuver, as the map and the charts mark it. */
export interface ManeuverMark {
  serial: string;
  /** The boat's name, for the mark's label. */
  name: string;
  kind: "tack" | "gybe";
  atMs: number;
  startMs: number;
  endMs: number;
}

/** The words a mark is named by (screen readers, the pointer's tooltip). */
export function markLabel(mark: ManeuverMark): string {
  const kind = mark.kind === "tack" ? "Tack" : "Gybe";
  return `${kind} of ${mark.name} at ${formatUtcTime(mark.atMs, true)} UTC: replay it`;
}

/** The marks on the map, in a layer of their own above the tracks. */
export class MapMarks {
  private readonly layer = L.layerGroup();

  constructor(map: L.Map) {
    this.layer.addTo(map);
  }

  /** Shows `marks` where `positionOf` puts them (none when it cannot); `pick` replays one. */
  show(
    marks: readonly ManeuverMark[],
    positionOf: (serial: string, time: number) => L.LatLngTuple | null,
    pick: (mark: ManeuverMark) => void,
  ): void {
    this.layer.clearLayers();
    for (const mark of marks) {
      const at = positionOf(mark.serial, mark.atMs);
      if (!at) {
        continue;
      }
      const marker = L.marker(at, {
        icon: L.divIcon({
          className: `map-maneuver map-maneuver-${mark.kind}`,
          // A fixed letter: no text of the data goes into HTML.
          html: mark.kind === "tack" ? "T" : "G",
          iconSize: [16, 16],
        }),
        title: markLabel(mark),
        alt: markLabel(mark),
        keyboard: true,
      });
      marker.on("click", () => pick(mark));
      this.layer.addLayer(marker);
    }
  }
}

/** Draws a dashed line across `u`'s plot at each of `times` inside its x range (a uPlot
 *  `draw` hook: after the series, so the lines sit on top). */
export function drawTimeLines(u: uPlot, times: readonly number[], colour: string): void {
  const min = u.scales.x?.min;
  const max = u.scales.x?.max;
  if (times.length === 0 || min === undefined || max === undefined) {
    return;
  }
  const { top, height } = u.bbox;
  const context = u.ctx;
  context.save();
  context.strokeStyle = colour;
  context.lineWidth = Math.max(1, window.devicePixelRatio || 1);
  context.setLineDash([4, 4]);
  context.beginPath();
  for (const time of times) {
    if (time < min || time > max) {
      continue;
    }
    const x = Math.round(u.valToPos(time, "x", true)) + 0.5;
    context.moveTo(x, top);
    context.lineTo(x, top + height);
  }
  context.stroke();
  context.restore();
}
