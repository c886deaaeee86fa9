// 2D canvas helpers of the live track (track.ts): sizing a canvas to its box, a boat's name
// and a scale bar. (They were the data view's track canvas's until its map, browse/map.ts,
// took over.)

import { scaleBar, type Projection } from "../browse/scale";

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

/** A 1-2-5 scale bar at the bottom left, haloed so it reads over the track. */
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
