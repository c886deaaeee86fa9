// The polar of the opened range: each boat's speed against true wind angle (both sides
// folded onto one half), one dot per 5° bin and band of true wind speed, from the Rust
// analysis (`analyse_data`). A target polar table loaded from a file (read in Rust:
// `set_target_polar`) adds its curves and each band's percentage of target.
// Drawn as SVG: a few hundred dots at most, crisp at any size, and every dot carries its
// figures as a <title> for screen readers and the pointer.

import * as api from "../api";
import type { AnalysisView, AppError, BoatAnalysis, PolarBin, TargetPolar } from "../api";
import { byId, textElement } from "../dom";

const SVG = "http://www.w3.org/2000/svg";
/** The wind bands of telltale-analysis `TWS_BANDS`, knots, with their colours (light to
 *  dark with the wind, readable on light and dark surfaces). */
export const BANDS: readonly { label: string; colour: string }[] = [
  { label: "under 6 kn", colour: "#6baed6" },
  { label: "6–10 kn", colour: "#2e9e5b" },
  { label: "10–14 kn", colour: "#d08a1c" },
  { label: "14–18 kn", colour: "#d1495b" },
  { label: "18 kn and over", colour: "#7b5ea7" },
];
const SIZE = 320;
const PAD = 28;

/** Where a point at true wind angle `twa` (degrees, 0 up, 180 down, drawn to the right)
 *  and speed `speed` falls, for a radius of `scale` px per knot around (cx, cy). */
export function polarXY(twa: number, speed: number, scale: number, cx: number, cy: number) {
  const rad = (twa * Math.PI) / 180;
  return { x: cx + Math.sin(rad) * speed * scale, y: cy - Math.cos(rad) * speed * scale };
}

/** Each band's seconds and its time-weighted mean percentage of target (bins without a
 *  target are left out of the percentage); null percentage when none had one. */
export function percentOfTarget(bins: readonly PolarBin[]): { seconds: number; percent: number | null }[] {
  return BANDS.map((_, band) => {
    let seconds = 0;
    let weighted = 0;
    let covered = 0;
    for (const bin of bins) {
      if (bin.band !== band) {
        continue;
      }
      seconds += bin.count;
      if (bin.target !== null && bin.target > 0) {
        weighted += (bin.mean / bin.target) * bin.count;
        covered += bin.count;
      }
    }
    return { seconds, percent: covered > 0 ? (100 * weighted) / covered : null };
  });
}

function svg<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  return element;
}

export class PolarPanel {
  private readonly plot = byId("polar-plot", HTMLElement);
  private readonly boatSelect = byId("polar-boat", HTMLSelectElement);
  private readonly file = byId("polar-file", HTMLInputElement);
  private readonly loadButton = byId("polar-load", HTMLButtonElement);
  private readonly clearButton = byId("polar-clear", HTMLButtonElement);
  private readonly note = byId("polar-note", HTMLElement);
  private readonly bands = byId("polar-bands", HTMLTableSectionElement);
  private view: AnalysisView | null = null;

  constructor(
    /** Analyses the shown range again (after the target changed). */
    private readonly reanalyse: () => void,
    private readonly failed: (error: AppError) => boolean,
  ) {
    this.boatSelect.addEventListener("change", () => this.draw());
    // The file input stays hidden; a real button opens its dialog from the keyboard too.
    this.loadButton.addEventListener("click", () => this.file.click());
    this.file.addEventListener("change", () => void this.loadTarget());
    this.clearButton.addEventListener("click", () => void this.setTarget(null, ""));
  }

  /** Shows the polar of `view` (the analysis of the range shown). */
  show(view: AnalysisView): void {
    this.view = view;
    const boats = view.boats.filter((boat) => boat.polar.length > 0);
    const chosen = this.boatSelect.value;
    this.boatSelect.replaceChildren(
      ...boats.map((boat) => {
        const option = textElement("option", boat.name);
        option.value = boat.serial;
        return option;
      }),
    );
    if (boats.some((boat) => boat.serial === chosen)) {
      this.boatSelect.value = chosen;
    }
    this.boatSelect.disabled = boats.length === 0;
    this.clearButton.hidden = view.target === null;
    this.draw();
  }

  clear(): void {
    this.view = null;
    this.plot.replaceChildren();
    this.bands.replaceChildren();
    this.boatSelect.replaceChildren();
  }

  private boat(): BoatAnalysis | null {
    return this.view?.boats.find((boat) => boat.serial === this.boatSelect.value) ?? null;
  }

  private draw(): void {
    const boat = this.boat();
    const target = this.view?.target ?? null;
    if (!boat) {
      this.plot.replaceChildren(textElement("p", "No boat here sailed with a known true wind.", "hint"));
      this.bands.replaceChildren();
      return;
    }
    this.plot.replaceChildren(drawPolar(boat, target));
    const rows = percentOfTarget(boat.polar).map(({ seconds, percent }, band) => {
      const row = document.createElement("tr");
      const swatch = textElement("span", "", "polar-swatch");
      swatch.style.background = BANDS[band]!.colour;
      const name = document.createElement("th");
      name.append(swatch, BANDS[band]!.label);
      row.append(
        name,
        textElement("td", seconds > 0 ? `${Math.round(seconds / 60)} min` : "–", "number"),
        textElement("td", percent === null ? "–" : `${percent.toFixed(0)} %`, "number"),
      );
      return row;
    });
    this.bands.replaceChildren(...rows);
  }

  private async loadTarget(): Promise<void> {
    const file = this.file.files?.[0];
    this.file.value = "";
    if (!file) {
      return;
    }
    // The table is read and checked in Rust; the page only passes the text on.
    await this.setTarget(await file.text(), file.name);
  }

  private async setTarget(text: string | null, name: string): Promise<void> {
    try {
      await api.setTargetPolar(text);
    } catch (reason) {
      const error = api.toAppError(reason);
      if (!this.failed(error)) {
        this.note.textContent = error.message;
      }
      return;
    }
    this.note.textContent = text === null ? "No target polar." : `Target polar: ${name}.`;
    this.reanalyse();
  }
}

/** The SVG of one boat's polar, with the target's curves when there is one. */
function drawPolar(boat: BoatAnalysis, target: TargetPolar | null): SVGSVGElement {
  const top = Math.max(
    1,
    ...boat.polar.map((bin) => bin.p90),
    ...(target?.speed.flat().filter((v): v is number => v !== null) ?? []),
  );
  const rings = Math.ceil(top / 2) * 2;
  const radius = SIZE - 2 * PAD;
  const scale = radius / rings;
  const cx = PAD;
  const cy = SIZE / 2 + PAD / 2;
  const height = 2 * radius + PAD * 1.5;
  const root = svg("svg", {
    viewBox: `0 0 ${SIZE} ${height + PAD}`,
    class: "polar",
    role: "img",
    "aria-label": `Polar of ${boat.name}: boat speed against true wind angle, by wind band`,
  });
  const grid = svg("g", { class: "polar-grid" });
  for (let knots = 2; knots <= rings; knots += 2) {
    const r = knots * scale;
    grid.append(svg("path", { d: `M ${cx} ${cy - r} A ${r} ${r} 0 0 1 ${cx} ${cy + r}` }));
    const label = svg("text", { x: cx - 4, y: cy - r + 4, "text-anchor": "end" });
    label.textContent = `${knots}`;
    grid.append(label);
  }
  for (let twa = 0; twa <= 180; twa += 30) {
    const end = polarXY(twa, rings, scale, cx, cy);
    grid.append(svg("line", { x1: cx, y1: cy, x2: end.x, y2: end.y }));
    const at = polarXY(twa, rings + 0.6, scale, cx, cy);
    const label = svg("text", { x: at.x, y: at.y + 4, "text-anchor": "middle" });
    label.textContent = `${twa}°`;
    grid.append(label);
  }
  root.append(grid);
  if (target) {
    target.tws.forEach((tws, column) => {
      const band = bandOf(tws);
      const points = target.twa
        .map((twa, row) => ({ twa, speed: target.speed[row]?.[column] ?? null }))
        .filter((p): p is { twa: number; speed: number } => p.speed !== null)
        .map((p) => polarXY(p.twa, p.speed, scale, cx, cy));
      if (points.length > 1) {
        const line = svg("polyline", {
          class: "polar-target",
          points: points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" "),
        });
        line.dataset.band = String(band);
        line.setAttribute("stroke", BANDS[band]!.colour);
        const title = svg("title", {});
        title.textContent = `Target at ${tws} kn of wind`;
        line.append(title);
        root.append(line);
      }
    });
  }
  for (const bin of boat.polar) {
    const at = polarXY(bin.twa, bin.mean, scale, cx, cy);
    const dot = svg("circle", {
      class: "polar-dot",
      cx: at.x.toFixed(1),
      cy: at.y.toFixed(1),
      r: Math.min(6, 2 + Math.log2(1 + bin.count / 30)).toFixed(1),
    });
    dot.dataset.band = String(bin.band);
    dot.setAttribute("fill", BANDS[bin.band]?.colour ?? "currentColor");
    const title = svg("title", {});
    const ofTarget = bin.target ? `, ${((100 * bin.mean) / bin.target).toFixed(0)} % of target` : "";
    title.textContent = `${bin.twa}° in ${BANDS[bin.band]?.label ?? "?"}: ${bin.mean.toFixed(2)} kn (p90 ${bin.p90.toFixed(2)}) over ${bin.count} s${ofTarget}`;
    dot.append(title);
    root.append(dot);
  }
  return root;
}

/** The band of a wind speed, as telltale-analysis bands it. */
function bandOf(tws: number): number {
  const lows = [0, 6, 10, 14, 18];
  let band = 0;
  lows.forEach((low, i) => {
    if (tws >= low) {
      band = i;
    }
  });
  return band;
}
