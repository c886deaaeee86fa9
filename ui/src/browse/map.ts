// The track map (issue 18): each device's track on a map, coloured by speed, with start and
// end marks, every boat as an arrow along its heading at the charts' cursor or a replay's
// time (at its last position otherwise), an optional trail behind it, the true wind
// (map-wind.ts), a scale bar and the tiles' attribution. Without tiles (no source, or none
// loads) the tracks show on a grid and a note says so (tiles.ts).
//
// Why Leaflet: the main window is painted without GPU compositing (src-tauri/src/rendering.rs),
// so MapLibre GL's WebGL would be missing or drawn in software. Leaflet draws with the DOM
// and a 2D canvas, is ~40 KB gzipped, and costs nothing at start-up: it is in the browse
// chunk, loaded when the data view is first needed.

import * as L from "leaflet";
import type { SeriesView, TrackView } from "../api";
import { textElement } from "../dom";
import {
  colourRuns,
  courseAtTime,
  positionAt,
  stepColour,
  trailParts,
  usablePositions,
  valueNear,
  type Positions,
} from "./geo";
import { gapThreshold, speedScaleMax, trackBounds } from "./scale";
import { MapMarks, type ManeuverMark } from "./marks";
import { speedLegend } from "./map-legend";
import { MapWind } from "./map-wind";
import { MapBackground } from "./tiles";

/** Igtimi type code of true heading (HDG). */
const HDG = 8;
/** A heading sample further than this from the time shown is not used. */
const HEADING_MAX_AGE_MS = 30_000;
const FIT_PADDING = 28;
/** Fitting a single position zooms no closer than this (about 1 km across). */
const FIT_MAX_ZOOM = 17;
const MAX_ZOOM = 20;
/** The speed track's opacity while a trail is shown over it. */
const DIMMED = 0.35;

/** One device on the map and what moves with the cursor. */
interface Boat {
  serial: string;
  positions: Positions;
  gap: number;
  heading: SeriesView | null;
  runs: L.Polyline[];
  arrow: L.Marker;
  pointer: HTMLElement;
  /** The rotation shown, whole degrees; null: no heading (a dot). */
  angle: number | null;
  trail: L.Polyline;
}

export class TrackMap {
  private readonly map: L.Map;
  private readonly layers = L.layerGroup();
  private readonly trailRenderer: L.Canvas;
  private boats: Boat[] = [];
  private bounds: L.LatLngBounds | null = null;
  private viewSet = false;
  private fitPending = false;
  private cursorTime: number | null = null;
  private trailMs: number | null = null;
  /** The tiles (null on a map drawn only to warm the code up: nothing is fetched). */
  private readonly background: MapBackground | null;
  private readonly maneuvers: MapMarks;
  private marked: { marks: readonly ManeuverMark[]; pick: (mark: ManeuverMark) => void } = {
    marks: [],
    pick: () => {},
  };
  private readonly wind: MapWind;
  /** When the wind is shown without a cursor: the tracks' end. */
  private windTime = 0;
  private readonly empty = textElement("p", "", "map-empty");

  constructor(
    private readonly container: HTMLElement,
    private readonly legend: HTMLElement,
    private readonly colourOf: (serial: string) => string,
    { tiles } = { tiles: true },
  ) {
    // No animations: every frame of one is painted in software.
    this.map = L.map(container, {
      preferCanvas: true,
      attributionControl: false,
      fadeAnimation: false,
      zoomAnimation: false,
      markerZoomAnimation: false,
      keyboard: true,
      maxZoom: MAX_ZOOM,
      // Fitting a race snaps to quarter zoom levels: at whole ones a J/70 course used half
      // the map's height at 1280x820, at quarters about three quarters of it.
      zoomSnap: 0.25,
    });
    this.map.createPane("trails");
    this.trailRenderer = L.canvas({ pane: "trails" });
    this.layers.addTo(this.map);
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(this.map);
    // Plain text: Leaflet's default prefix is a link (it would take the window away) and an
    // inline SVG flag.
    L.control.attribution({ prefix: "Leaflet", position: "bottomright" }).addTo(this.map);
    this.wind = new MapWind(this.map);
    this.background = tiles ? new MapBackground(this.map, container, MAX_ZOOM) : null;
    this.maneuvers = new MapMarks(this.map);
    container.append(this.empty);
  }

  /** Draws these tracks (replacing what was drawn) and fits the map to them, or to the
   *  track of the device `focus` when it has one (a maneuver seen up close). `series` may
   *  hold each boat's heading (HDG) and the true wind direction (TWD). */
  render(
    tracks: readonly TrackView[],
    series: readonly SeriesView[] = [],
    focus: string | null = null,
  ): void {
    this.removeBoats();
    const shown = tracks
      .map((track) => ({ track, positions: usablePositions(track) }))
      .filter(({ positions }) => positions.t.length > 0);
    const focused = shown.find(({ track }) => track.serial === focus) ?? null;
    const box = trackBounds((focused ? [focused] : shown).map(({ positions }) => positions));
    this.bounds = box && L.latLngBounds([box.minLat, box.minLon], [box.maxLat, box.maxLon]);
    // The view first: a layer is projected when added and again at every change of view.
    this.fit();
    const maxSpeed = speedScaleMax(shown.map(({ positions }) => positions.speed));
    for (const { track, positions } of shown) {
      this.boats.push(this.addBoat(track, positions, series, maxSpeed));
    }
    this.wind.use(series);
    this.windTime = Math.max(...shown.map(({ positions }) => positions.t[positions.t.length - 1]!));
    this.empty.textContent = shown.length === 0 ? "No positions in this range." : "";
    this.describe(
      shown.map(({ track }) => track.deviceName),
      shown.length > 0 ? maxSpeed : null,
      focused?.track.deviceName ?? null,
    );
    this.place();
    this.placeManeuvers();
    this.background?.refresh();
  }

  /** Follows a change of the container's size; fits the tracks if that waited for a size. */
  draw(): void {
    if (this.viewSet) {
      this.map.invalidateSize({ animate: false });
    }
    if (this.fitPending) {
      this.fit();
    }
  }

  /** Puts the boats at `time` (null: at their ends), now: the caller (the replay) calls at
   *  most once per animation frame, so the boats move in the same frame as the charts'
   *  cursor and the replay's frame time counts this work. Cheap enough for every frame:
   *  markers move and the trails redraw on their own canvas. */
  setCursor(time: number | null): void {
    if (time === this.cursorTime) {
      return;
    }
    this.cursorTime = time;
    this.place();
  }

  /** Shows the last `ms` of each boat's track before its arrow over a dimmed track (a
   *  replay's trail); null hides the trails. */
  setTrail(ms: number | null): void {
    const trail = ms !== null && Number.isFinite(ms) && ms > 0 ? ms : null;
    if (trail === this.trailMs) {
      return;
    }
    const shown = (trail === null) !== (this.trailMs === null);
    this.trailMs = trail;
    if (shown) {
      for (const boat of this.boats) {
        this.showTrail(boat);
      }
    }
    this.place();
  }

  /** Marks `marks` where each boat was at the time (again after each render: the
   *  analysis may answer before the tracks are drawn); `pick` replays one. */
  showManeuvers(marks: readonly ManeuverMark[], pick: (mark: ManeuverMark) => void): void {
    this.marked = { marks, pick };
    this.placeManeuvers();
  }

  /** Takes the map down for good (the warm-up's map). */
  remove(): void {
    this.map.remove();
  }

  /** Forgets the tracks and marks (the map and its tiles stay). */
  clear(): void {
    this.showManeuvers([], () => {});
    this.removeBoats();
    this.bounds = null;
    this.fitPending = false;
    this.cursorTime = null;
    this.wind.clear();
    this.empty.textContent = "";
    this.legend.replaceChildren();
  }

  private addBoat(
    track: TrackView,
    positions: Positions,
    series: readonly SeriesView[],
    maxSpeed: number,
  ): Boat {
    const gap = gapThreshold(positions.t);
    // One polyline of many parts per colour step, so few layers however noisy the speed.
    const parts = new Map<number, L.LatLngTuple[][]>();
    for (const run of colourRuns(positions, maxSpeed, gap)) {
      const line: L.LatLngTuple[] = [];
      for (let i = run.from; i <= run.to; i++) {
        line.push([positions.lat[i]!, positions.lon[i]!]);
      }
      const list = parts.get(run.step);
      if (list) {
        list.push(line);
      } else {
        parts.set(run.step, [line]);
      }
    }
    const opacity = this.trailMs === null ? 1 : DIMMED;
    const runs = [...parts].map(([step, lines]) =>
      L.polyline(lines, { color: stepColour(step), weight: 3, opacity, interactive: false }),
    );
    for (const run of runs) {
      this.layers.addLayer(run);
    }
    const last = positions.t.length - 1;
    this.layers.addLayer(mark("map-start", positions.lat[0]!, positions.lon[0]!));
    this.layers.addLayer(mark("map-end", positions.lat[last]!, positions.lon[last]!));
    const colour = this.colourOf(track.serial);
    const pointer = document.createElement("span");
    pointer.className = "map-boat-arrow";
    pointer.style.setProperty("--boat", colour);
    const icon = document.createElement("span");
    icon.append(pointer, textElement("span", track.deviceName, "map-boat-name"));
    const arrow = L.marker([positions.lat[last]!, positions.lon[last]!], {
      icon: L.divIcon({ className: "map-boat", html: icon, iconSize: [22, 22] }),
      interactive: false,
      keyboard: false,
      zIndexOffset: 1000,
    });
    this.layers.addLayer(arrow);
    const heading =
      series.find(
        (s) => s.serial === track.serial && s.channel.code === HDG && s.channel.field === 1,
      ) ?? null;
    const trail = L.polyline([], {
      renderer: this.trailRenderer,
      color: colour,
      weight: 4,
      interactive: false,
    });
    const boat: Boat = {
      serial: track.serial,
      positions,
      gap,
      heading,
      runs,
      arrow,
      pointer,
      angle: null,
      trail,
    };
    this.showTrail(boat);
    return boat;
  }

  private placeManeuvers(): void {
    // Only inside the track shown (a zoomed view): positionAt holds the ends beyond it.
    const positionOf = (serial: string, time: number): L.LatLngTuple | null => {
      const boat = this.boats.find((b) => b.serial === serial);
      const t = boat?.positions.t ?? [];
      if (!boat || !(time >= t[0]! && time <= t[t.length - 1]!)) {
        return null;
      }
      const fix = positionAt(boat.positions, time, boat.gap);
      return fix ? [fix.lat, fix.lon] : null;
    };
    this.maneuvers.show(this.marked.marks, positionOf, this.marked.pick);
  }

  private removeBoats(): void {
    this.layers.clearLayers();
    for (const boat of this.boats) {
      boat.trail.remove();
    }
    this.boats = [];
  }

  private showTrail(boat: Boat): void {
    if (this.trailMs === null) {
      boat.trail.remove();
    } else {
      boat.trail.addTo(this.map);
    }
    const opacity = this.trailMs === null ? 1 : DIMMED;
    for (const run of boat.runs) {
      run.setStyle({ opacity });
    }
  }

  /** Moves every arrow (and trail) to the cursor's time, and the wind arrow with them. */
  private place(): void {
    const time = this.cursorTime;
    for (const boat of this.boats) {
      const { positions, gap } = boat;
      const at = time ?? positions.t[positions.t.length - 1]!;
      const fix = positionAt(positions, at, gap);
      if (fix === null) {
        continue;
      }
      boat.arrow.setLatLng([fix.lat, fix.lon]);
      const measured = boat.heading
        ? valueNear(boat.heading.t, boat.heading.v, at, HEADING_MAX_AGE_MS)
        : null;
      const heading = measured ?? courseAtTime(positions, at, gap);
      const angle = heading === null ? null : ((Math.round(heading) % 360) + 360) % 360;
      if (angle !== boat.angle) {
        boat.angle = angle;
        boat.pointer.classList.toggle("no-heading", angle === null);
        boat.pointer.style.transform = angle === null ? "" : `rotate(${angle}deg)`;
      }
      if (this.trailMs !== null) {
        boat.trail.setLatLngs(trailParts(positions, at - this.trailMs, at, gap));
      }
    }
    this.wind.at(time ?? this.windTime);
  }

  private fit(): void {
    const bounds = this.bounds;
    if (!bounds) {
      this.fitPending = false;
      return;
    }
    // Hidden (a load in progress): fit once a size is known (see draw()).
    if (this.container.clientWidth === 0 || this.container.clientHeight === 0) {
      this.fitPending = true;
      return;
    }
    if (this.viewSet) {
      this.map.invalidateSize({ animate: false });
    }
    this.map.fitBounds(bounds, {
      padding: [FIT_PADDING, FIT_PADDING],
      maxZoom: FIT_MAX_ZOOM,
      animate: false,
    });
    this.viewSet = true;
    this.fitPending = false;
  }

  /** The map's name for assistive technology, and the speed legend on it. */
  private describe(names: string[], maxSpeed: number | null, focus: string | null): void {
    const keys = "Arrow keys pan, plus and minus zoom.";
    if (maxSpeed === null) {
      this.container.setAttribute("aria-label", `Map: no positions in this range. ${keys}`);
      this.legend.replaceChildren();
      return;
    }
    this.container.setAttribute(
      "aria-label",
      `Map of the tracks of ${names.join(", ")}, coloured by speed from 0 to ${maxSpeed} knots; ` +
        `green marks the start, red the end, an arrow each boat. ` +
        (focus === null ? "" : `Framed on ${focus}'s track. `) +
        keys,
    );
    this.legend.replaceChildren(...speedLegend(maxSpeed));
  }
}

/** A start or end mark: a DOM marker styled by `className` (a circle or a square). */
function mark(className: string, lat: number, lon: number): L.Marker {
  return L.marker([lat, lon], {
    icon: L.divIcon({ className: `map-mark ${className}`, iconSize: [12, 12] }),
    interactive: false,
    keyboard: false,
  });
}
