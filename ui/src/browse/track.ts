// The track canvas: every device's positions drawn to scale (equirectangular, longitudes
// shrunk by cos(mid-latitude)), coloured by speed, with start (green) and end (red) markers,
// device names, a scale bar, and a cursor dot on a second canvas following the charts.

import type { TrackView } from "../api";
import { textElement } from "../dom";
import {
  fitProjection,
  gapThreshold,
  nearestIndex,
  rampColour,
  rampGradient,
  scaleBar,
  speedScaleMax,
  trackBounds,
  type Projection,
} from "./scale";

const MARGIN = 28;
/** Speed colours are drawn in this many steps, so runs of one colour share one stroke. */
const COLOUR_STEPS = 32;
const START_COLOUR = "#1f9d55";
const END_COLOUR = "#d64545";

export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Sizes a canvas to its CSS box at the screen's pixel ratio; returns a context in CSS px. */
export function prepare(
  canvas: HTMLCanvasElement,
): { context: CanvasRenderingContext2D; width: number; height: number } | null {
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const context = canvas.getContext("2d");
  if (!context || width === 0 || height === 0) {
    return null;
  }
  const ratio = window.devicePixelRatio || 1;
  const pixelWidth = Math.round(width * ratio);
  const pixelHeight = Math.round(height * ratio);
  if (canvas.width !== pixelWidth || canvas.height !== pixelHeight) {
    canvas.width = pixelWidth;
    canvas.height = pixelHeight;
  }
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  return { context, width, height };
}

/** Track points closer than this (CSS px) to the last one drawn are not drawn. */
const MIN_STEP_PX = 0.75;

/** The colour step of a speed (knots) on a scale up to `maxSpeed`; -1 when unknown. */
function speedStep(speed: number | null, maxSpeed: number): number {
  if (speed === null || !Number.isFinite(speed)) {
    return -1;
  }
  return Math.min(COLOUR_STEPS - 1, Math.floor((Math.max(0, speed) / maxSpeed) * COLOUR_STEPS));
}

export class TrackCanvas {
  private tracks: TrackView[] = [];
  private projection: Projection | null = null;
  private cursorTime: number | null = null;
  private cursorFrame = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly overlay: HTMLCanvasElement,
    private readonly legend: HTMLElement,
  ) {}

  /** Draws these tracks (replacing what was drawn). */
  render(tracks: readonly TrackView[]): void {
    this.tracks = tracks.filter((track) => track.t.length > 0);
    this.draw();
  }

  /** Redraws at the current size (after a resize, a theme change or a pixel-ratio change). */
  draw(): void {
    const surface = prepare(this.canvas);
    this.projection = null;
    if (!surface) {
      return;
    }
    const { context, width, height } = surface;
    const bounds = trackBounds(this.tracks);
    const text = cssVar("--text", "#0f1b2d");
    const halo = cssVar("--surface", "#ffffff");
    if (!bounds) {
      context.fillStyle = cssVar("--muted", "#4a5a70");
      context.font = "14px system-ui, sans-serif";
      context.textAlign = "center";
      context.fillText("No positions in this range.", width / 2, height / 2);
      this.canvas.setAttribute("aria-label", "Track: no positions in this range.");
      this.renderLegend(null);
      this.drawCursor();
      return;
    }
    const projection = fitProjection(bounds, width, height, MARGIN);
    this.projection = projection;
    const maxSpeed = speedScaleMax(this.tracks.map((track) => track.speed));
    for (const track of this.tracks) {
      this.drawLine(context, projection, track, maxSpeed);
    }
    for (const track of this.tracks) {
      this.drawEnds(context, projection, track, text, halo);
    }
    drawScaleBar(context, projection, height, text, halo);
    const names = this.tracks.map((track) => track.deviceName).join(", ");
    this.canvas.setAttribute(
      "aria-label",
      `Track of ${names}, to scale, coloured by speed from 0 to ${maxSpeed} knots; green marks the start, red the end.`,
    );
    this.renderLegend(maxSpeed);
    this.drawCursor();
  }

  /** Puts the cursor dot at `time` on every track (null hides it); drawn on the next frame. */
  setCursor(time: number | null): void {
    if (time === this.cursorTime) {
      return;
    }
    this.cursorTime = time;
    if (this.cursorFrame === 0) {
      this.cursorFrame = requestAnimationFrame(() => {
        this.cursorFrame = 0;
        this.drawCursor();
      });
    }
  }

  clear(): void {
    this.tracks = [];
    this.cursorTime = null;
    this.projection = null;
    for (const canvas of [this.canvas, this.overlay]) {
      canvas.getContext("2d")?.clearRect(0, 0, canvas.width, canvas.height);
    }
    this.legend.replaceChildren();
  }

  /** The track, each segment coloured by the speed at its end. Segments are gathered into
   *  one path per colour and stroked once each (a noisy speed would otherwise mean a stroke
   *  per segment), and points closer than [MIN_STEP_PX] to the last one drawn in the same
   *  colour are folded into the next segment. Nothing is drawn across a gap in time. */
  private drawLine(
    context: CanvasRenderingContext2D,
    projection: Projection,
    track: TrackView,
    maxSpeed: number,
  ): void {
    const gap = gapThreshold(track.t);
    const paths = new Map<number, { path: Path2D; x: number; y: number }>();
    const segment = (ax: number, ay: number, bx: number, by: number, step: number): void => {
      let run = paths.get(step);
      if (!run) {
        run = { path: new Path2D(), x: Number.NaN, y: Number.NaN };
        paths.set(step, run);
      }
      if (run.x !== ax || run.y !== ay) {
        run.path.moveTo(ax, ay);
      }
      run.path.lineTo(bx, by);
      run.x = bx;
      run.y = by;
    };
    let previous = -1;
    // The last point drawn to, and the last point seen (drawn or folded).
    let drawnX = 0;
    let drawnY = 0;
    let seenX = 0;
    let seenY = 0;
    let folded = false;
    let foldedStep = -1;
    for (let i = 0; i < track.t.length; i++) {
      const lon = track.lon[i]!;
      const lat = track.lat[i]!;
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
        continue;
      }
      const x = projection.x(lon);
      const y = projection.y(lat);
      if (previous < 0 || track.t[i]! - track.t[previous]! > gap) {
        if (folded) {
          segment(drawnX, drawnY, seenX, seenY, foldedStep);
        }
        folded = false;
        drawnX = x;
        drawnY = y;
      } else {
        const step = speedStep(track.speed[i] ?? null, maxSpeed);
        const close = Math.abs(x - drawnX) < MIN_STEP_PX && Math.abs(y - drawnY) < MIN_STEP_PX;
        if (close && (!folded || step === foldedStep)) {
          folded = true;
          foldedStep = step;
        } else {
          if (folded && step !== foldedStep) {
            segment(drawnX, drawnY, seenX, seenY, foldedStep);
            drawnX = seenX;
            drawnY = seenY;
          }
          segment(drawnX, drawnY, x, y, step);
          drawnX = x;
          drawnY = y;
          folded = false;
        }
      }
      seenX = x;
      seenY = y;
      previous = i;
    }
    if (folded) {
      segment(drawnX, drawnY, seenX, seenY, foldedStep);
    }
    context.lineWidth = 2.5;
    context.lineJoin = "round";
    context.lineCap = "round";
    for (const [step, run] of paths) {
      context.strokeStyle =
        step < 0 ? "rgb(128,128,128)" : `rgb(${rampColour((step + 0.5) / COLOUR_STEPS).join(",")})`;
      context.stroke(run.path);
    }
  }

  private drawEnds(
    context: CanvasRenderingContext2D,
    projection: Projection,
    track: TrackView,
    text: string,
    halo: string,
  ): void {
    const first = track.lon.findIndex(
      (lon, i) => Number.isFinite(lon) && Number.isFinite(track.lat[i]!),
    );
    let last = -1;
    for (let i = track.lon.length - 1; i >= 0; i--) {
      if (Number.isFinite(track.lon[i]!) && Number.isFinite(track.lat[i]!)) {
        last = i;
        break;
      }
    }
    if (first < 0 || last < 0) {
      return;
    }
    const sx = projection.x(track.lon[first]!);
    const sy = projection.y(track.lat[first]!);
    const ex = projection.x(track.lon[last]!);
    const ey = projection.y(track.lat[last]!);
    context.lineWidth = 2;
    context.strokeStyle = halo;
    // End: a red square; start: a green circle (shapes differ, not only colours).
    context.fillStyle = END_COLOUR;
    context.beginPath();
    context.rect(ex - 5.5, ey - 5.5, 11, 11);
    context.fill();
    context.stroke();
    context.fillStyle = START_COLOUR;
    context.beginPath();
    context.arc(sx, sy, 6, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
    drawLabel(context, track.deviceName, sx + 10, sy, halo, text);
  }

  private drawCursor(): void {
    const surface = prepare(this.overlay);
    const time = this.cursorTime;
    const projection = this.projection;
    if (!surface || time === null || projection === null) {
      return;
    }
    const { context } = surface;
    context.lineWidth = 2;
    context.strokeStyle = cssVar("--surface", "#ffffff");
    context.fillStyle = cssVar("--text", "#0f1b2d");
    for (const track of this.tracks) {
      const index = nearestIndex(track.t, time);
      if (index === null) {
        continue;
      }
      const lon = track.lon[index]!;
      const lat = track.lat[index]!;
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
        continue;
      }
      context.beginPath();
      context.arc(projection.x(lon), projection.y(lat), 5, 0, 2 * Math.PI);
      context.fill();
      context.stroke();
    }
  }

  /** Speed scale in knots plus the marker key, as text (null: nothing to explain). */
  private renderLegend(maxSpeed: number | null): void {
    if (maxSpeed === null) {
      this.legend.replaceChildren();
      return;
    }
    const bar = document.createElement("span");
    bar.className = "legend-ramp";
    bar.style.backgroundImage = rampGradient();
    const ticks = document.createElement("span");
    ticks.className = "legend-ticks";
    ticks.append(
      textElement("span", "0"),
      textElement("span", String(Math.round((maxSpeed / 2) * 10) / 10)),
      textElement("span", `${maxSpeed}+`),
    );
    const scale = document.createElement("span");
    scale.className = "legend-scale";
    scale.append(bar, ticks);
    this.legend.replaceChildren(
      textElement("span", "Speed (kn)", "legend-title"),
      scale,
      textElement("span", "start", "legend-start"),
      textElement("span", "end", "legend-end"),
    );
  }
}

/** A 1-2-5 scale bar at the bottom left, haloed so it reads over the track. */
/** A boat's name beside its mark, in `text` on a `halo` outline so it reads on any line. */
export function drawLabel(
  context: CanvasRenderingContext2D,
  label: string,
  x: number,
  y: number,
  halo: string,
  text: string,
): void {
  context.font = "600 12px system-ui, sans-serif";
  context.textAlign = "left";
  context.textBaseline = "middle";
  context.lineWidth = 3;
  context.strokeStyle = halo;
  context.strokeText(label, x, y);
  context.fillStyle = text;
  context.fillText(label, x, y);
}

export function drawScaleBar(
  context: CanvasRenderingContext2D,
  projection: Projection,
  height: number,
  text: string,
  halo: string,
): void {
  const bar = scaleBar(projection.metresPerPixel, 120);
  const x = 12;
  const y = height - 12;
  context.lineWidth = 4;
  context.strokeStyle = halo;
  context.beginPath();
  context.moveTo(x, y - 5);
  context.lineTo(x, y);
  context.lineTo(x + bar.pixels, y);
  context.lineTo(x + bar.pixels, y - 5);
  context.stroke();
  context.lineWidth = 1.5;
  context.strokeStyle = text;
  context.stroke();
  context.font = "11px system-ui, sans-serif";
  context.textAlign = "left";
  context.textBaseline = "bottom";
  context.fillStyle = text;
  context.fillText(bar.label, x + 4, y - 4);
}
