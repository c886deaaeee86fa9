// The live track: each device's last five minutes of positions as a tail that fades with
// age, and a marker at its newest position (a boat pointing along its heading, or course,
// when known; hollow while the device is quiet). The view follows the boats with some
// hysteresis (frame.ts: followView), so it does not jump every second.

import { fitProjection, type Bounds, type Projection } from "../browse/scale";
import { themeColour } from "../theme";
import { drawLabel, drawScaleBar, prepare } from "./canvas";
import { followView } from "./frame";
import { CODE, type LiveDeviceData } from "./store";

export const TAIL_MS = 5 * 60_000;
const TAIL_SLICES = 5;
/** A pause longer than this between positions breaks the tail. */
const GAP_MS = 30_000;
/** A heading older than this beside the newest position is not drawn. */
const HEADING_MAX_AGE_MS = 30_000;
const MARGIN = 24;
/** Tail points closer than this (CSS px) to the last one drawn are skipped. */
const MIN_STEP_PX = 1;

/** The positions to draw of one device: [from, to) of its buffer, and the newest one. */
interface Tail {
  device: LiveDeviceData;
  t: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  from: number;
  to: number;
}

export class LiveTrack {
  private view: Bounds | null = null;
  private label = "";

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly colourOf: (device: LiveDeviceData) => string,
  ) {}

  /** Draws `devices` as of `end` (ms); `quiet` holds the serials with no data lately. */
  draw(devices: Iterable<LiveDeviceData>, end: number, quiet: ReadonlySet<string>): void {
    const surface = prepare(this.canvas);
    if (!surface) {
      return;
    }
    const { context, width, height } = surface;
    const tails: Tail[] = [];
    const names: string[] = [];
    let bounds: Bounds | null = null;
    for (const device of devices) {
      names.push(device.name);
      const history = device.channel(CODE.position)?.history;
      if (!history || history.length === 0) {
        continue;
      }
      const [lon, lat] = history.fields as [Float64Array, Float64Array];
      // The newest position is drawn however old it is; the tail only within five minutes.
      const to = history.tail;
      const from = Math.min(history.lowerBound(end - TAIL_MS), to - 1);
      tails.push({ device, t: history.t, lon, lat, from, to });
      for (let i = from; i < to; i++) {
        bounds = extend(bounds, lon[i]!, lat[i]!);
      }
    }
    this.view = followView(this.view, bounds);
    this.describe(names, tails.length > 0);
    const text = themeColour("--text", "#0f1b2d");
    const halo = themeColour("--surface", "#ffffff");
    if (!this.view || tails.length === 0) {
      context.fillStyle = themeColour("--muted", "#4a5a70");
      context.font = "14px system-ui, sans-serif";
      context.textAlign = "center";
      context.fillText("Waiting for positions…", width / 2, height / 2);
      return;
    }
    const projection = fitProjection(this.view, width, height, MARGIN);
    for (const tail of tails) {
      this.drawTail(context, projection, tail, end);
    }
    for (const tail of tails) {
      this.drawMarker(context, projection, tail, quiet.has(tail.device.serial), text, halo);
    }
    drawScaleBar(context, projection, height, text, halo);
  }

  /** Forgets the view (a new feed starts with a fresh fit). */
  reset(): void {
    this.view = null;
    this.label = "";
    const context = this.canvas.getContext("2d");
    context?.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  private describe(names: string[], any: boolean): void {
    const label = any
      ? `Live positions of ${names.join(", ")}: each boat's last five minutes of track and its newest position.`
      : `Live positions of ${names.join(", ") || "no devices"}: none yet.`;
    if (label !== this.label) {
      this.label = label;
      this.canvas.setAttribute("aria-label", label);
    }
  }

  /** The tail in slices by age (older: fainter), one path per slice; broken at pauses. */
  private drawTail(
    context: CanvasRenderingContext2D,
    projection: Projection,
    tail: Tail,
    end: number,
  ): void {
    const { t, lon, lat, from, to } = tail;
    const slices = Array.from({ length: TAIL_SLICES }, () => new Path2D());
    const start = end - TAIL_MS;
    let px = projection.x(lon[from]!);
    let py = projection.y(lat[from]!);
    for (let i = from + 1; i < to; i++) {
      const x = projection.x(lon[i]!);
      const y = projection.y(lat[i]!);
      if (t[i]! - t[i - 1]! > GAP_MS || t[i]! < start) {
        px = x;
        py = y;
        continue;
      }
      // Points within a pixel of the last one drawn wait for the next (the newest is
      // always drawn): at 10 Hz most of a tail is a few pixels apart, not a sample apart.
      if (i < to - 1 && Math.abs(x - px) < MIN_STEP_PX && Math.abs(y - py) < MIN_STEP_PX) {
        continue;
      }
      const slice = Math.floor(((t[i]! - start) / TAIL_MS) * TAIL_SLICES);
      const path = slices[Math.min(TAIL_SLICES - 1, Math.max(0, slice))]!;
      path.moveTo(px, py);
      path.lineTo(x, y);
      px = x;
      py = y;
    }
    context.save();
    context.lineWidth = 2.5;
    context.lineJoin = "round";
    context.lineCap = "round";
    context.strokeStyle = this.colourOf(tail.device);
    slices.forEach((path, slice) => {
      context.globalAlpha = 0.2 + (0.8 * (slice + 1)) / TAIL_SLICES;
      context.stroke(path);
    });
    context.restore();
  }

  private drawMarker(
    context: CanvasRenderingContext2D,
    projection: Projection,
    tail: Tail,
    quiet: boolean,
    text: string,
    halo: string,
  ): void {
    const last = tail.to - 1;
    const x = projection.x(tail.lon[last]!);
    const y = projection.y(tail.lat[last]!);
    const colour = this.colourOf(tail.device);
    const heading = headingOf(tail.device, tail.t[last]!);
    context.save();
    context.lineWidth = 2;
    context.strokeStyle = quiet ? colour : halo;
    context.fillStyle = quiet ? halo : colour;
    context.beginPath();
    if (heading === null) {
      context.arc(x, y, 6, 0, 2 * Math.PI);
    } else {
      // A boat shape: bow along the heading (degrees clockwise from north).
      const angle = (heading * Math.PI) / 180;
      const point = (ahead: number, right: number): [number, number] => [
        x + ahead * Math.sin(angle) + right * Math.cos(angle),
        y - ahead * Math.cos(angle) + right * Math.sin(angle),
      ];
      context.moveTo(...point(11, 0));
      context.lineTo(...point(-7, 6));
      context.lineTo(...point(-4, 0));
      context.lineTo(...point(-7, -6));
      context.closePath();
    }
    context.fill();
    context.stroke();
    drawLabel(context, tail.device.name, x + 12, y, halo, text);
    context.restore();
  }
}

function extend(bounds: Bounds | null, lon: number, lat: number): Bounds {
  if (bounds === null) {
    return { minLon: lon, maxLon: lon, minLat: lat, maxLat: lat };
  }
  bounds.minLon = Math.min(bounds.minLon, lon);
  bounds.maxLon = Math.max(bounds.maxLon, lon);
  bounds.minLat = Math.min(bounds.minLat, lat);
  bounds.maxLat = Math.max(bounds.maxLat, lat);
  return bounds;
}

/** The heading (else the course over ground) at about `time`, in degrees; null if none. */
function headingOf(device: LiveDeviceData, time: number): number | null {
  for (const code of [CODE.hdg, CODE.cog]) {
    const newest = device.value(code);
    if (newest && Math.abs(newest.t - time) <= HEADING_MAX_AGE_MS) {
      return newest.value;
    }
  }
  return null;
}
