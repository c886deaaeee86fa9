// The sailing analysis of the opened data: each boat's tacks and gybes with what they
// cost, and its upwind and downwind legs (computed in Rust: `analyse_data`). A maneuver's
// time is a button that zooms the charts and map to it (the map to its boat) and replays it.

import * as api from "../api";
import type { AnalysisView, AppError, BoatAnalysis, WindSource } from "../api";
import { byId, textElement } from "../dom";
import { formatUtc, formatUtcTime } from "./format";
import type { ManeuverMark } from "./marks";
import { PolarPanel } from "./polar";

/** Shown around a maneuver when its time is pressed, ms. */
const AROUND_MS = 30_000;
/** Its replay starts this long before it, to show the approach, ms. */
const LEAD_IN_MS = 10_000;

/** What a maneuver's time button drives. */
export interface ManeuverView {
  /** Shows [from, to] on the charts and map; the map frames the track of the device
   *  `focus` when given. */
  zoom(from: number, to: number, focus?: string): void;
  /** Replays from `time` in real time. */
  replayFrom(time: number): void;
  /** Marks `marks` on the map and charts; `pick` replays one. */
  showManeuvers(marks: readonly ManeuverMark[], pick: (mark: ManeuverMark) => void): void;
}

const WIND_WORDS: Record<WindSource, string> = {
  measured: "its own true wind",
  derived: "true wind derived here from its apparent wind",
  fleet: "the other boats' wind (it has no wind instruments)",
  none: "no wind to be had, so no maneuvers",
};

function fixed(value: number | null, digits: number, unit: string): string {
  return value === null || !Number.isFinite(value) ? "–" : `${value.toFixed(digits)} ${unit}`;
}

export class AnalysisPanel {
  private readonly note = byId("analysis-note", HTMLElement);
  private readonly maneuvers = byId("maneuvers-body", HTMLTableSectionElement);
  private readonly legs = byId("legs-body", HTMLTableSectionElement);
  private readonly polar: PolarPanel;
  private generation = 0;
  /** The range analysed last (a new target polar analyses it again). */
  private range: { from: number; to: number } | null = null;

  constructor(
    private readonly view: ManeuverView,
    private readonly failed: (error: AppError) => boolean,
  ) {
    this.polar = new PolarPanel(() => {
      if (this.range) {
        void this.show(this.range.from, this.range.to);
      }
    }, failed);
  }

  /** Analyses the loaded data over [from, to] and shows it; stale answers are dropped. */
  async show(from: number, to: number): Promise<void> {
    const generation = ++this.generation;
    this.range = { from, to };
    this.note.textContent = "Looking for tacks and gybes…";
    let view: AnalysisView;
    try {
      view = await api.analyseData(from, to);
    } catch (reason) {
      const error = api.toAppError(reason);
      if (generation === this.generation && !this.failed(error)) {
        this.note.textContent = `The analysis could not be made: ${error.message}`;
        this.maneuvers.replaceChildren();
        this.legs.replaceChildren();
      }
      return;
    }
    if (generation === this.generation) {
      this.render(view);
    }
  }

  clear(): void {
    this.generation++;
    this.range = null;
    this.polar.clear();
    this.view.showManeuvers([], () => {});
    this.note.textContent = "";
    this.maneuvers.replaceChildren();
    this.legs.replaceChildren();
  }

  /** Zooms to `m`, the map to the track of its boat `serial`, and replays it: a coach
   *  watches it at real speed from its approach; the replay stops at the view's end, once
   *  the boat is up to speed again. */
  private replay(m: { startMs: number; endMs: number }, serial: string): void {
    this.view.zoom(m.startMs - AROUND_MS, m.endMs + AROUND_MS, serial);
    this.view.replayFrom(m.startMs - LEAD_IN_MS);
  }

  private render(view: AnalysisView): void {
    this.polar.show(view);
    const marks = view.boats.flatMap((boat) =>
      boat.maneuvers.map((m) => ({ ...m, serial: boat.serial, name: boat.name })),
    );
    this.view.showManeuvers(marks, (mark) => this.replay(mark, mark.serial));
    const boats = view.boats.filter((boat) => boat.legs.length > 0 || boat.maneuvers.length > 0);
    this.note.textContent =
      view.boats.length === 0
        ? "No boat logged speed or position here."
        : view.boats.map((boat) => `${boat.name}: ${WIND_WORDS[boat.wind]}`).join(" · ");
    const rows = boats.flatMap((boat) => this.maneuverRows(boat));
    this.maneuvers.replaceChildren(
      ...(rows.length > 0 ? rows : [note("No tacks or gybes in this range.", 8)]),
    );
    const legRows = boats.flatMap((boat) =>
      boat.legs.map((leg) => {
        const row = document.createElement("tr");
        row.append(
          textElement("th", boat.name),
          textElement("td", leg.kind === "upwind" ? "Upwind" : "Downwind"),
          textElement("td", formatUtcTime(leg.startMs, true), "mono"),
          textElement("td", formatUtcTime(leg.endMs, true), "mono"),
          textElement("td", fixed(leg.vmg, 2, "kn"), "number"),
          textElement("td", fixed(leg.madeGoodM, 0, "m"), "number"),
        );
        return row;
      }),
    );
    this.legs.replaceChildren(...(legRows.length > 0 ? legRows : [note("No legs in this range.", 6)]));
  }

  private maneuverRows(boat: BoatAnalysis): HTMLTableRowElement[] {
    return boat.maneuvers.map((m) => {
      const row = document.createElement("tr");
      row.dataset.maneuver = m.kind;
      row.dataset.at = String(m.atMs);
      const go = textElement("button", formatUtcTime(m.atMs, true), "button button-quiet button-small mono");
      go.type = "button";
      go.title = `Replay this maneuver (${formatUtc(m.atMs, true)}) on the charts and map`;
      go.addEventListener("click", () => this.replay(m, boat.serial));
      const when = document.createElement("td");
      when.append(go);
      const side = m.toSide > 0 ? "to starboard" : "to port";
      row.append(
        textElement("th", boat.name),
        textElement("td", `${m.kind === "tack" ? "Tack" : "Gybe"} ${side}`),
        when,
        textElement("td", `${((m.endMs - m.startMs) / 1000).toFixed(0)} s`, "number"),
        textElement("td", fixed(m.headingChange === null ? null : Math.abs(m.headingChange), 0, "°"), "number"),
        textElement("td", fixed(m.entrySpeed, 1, "kn"), "number"),
        textElement("td", fixed(m.speedLost, 1, "kn"), "number"),
        textElement("td", fixed(m.distanceLostM, 0, "m"), "number"),
      );
      return row;
    });
  }
}

function note(text: string, columns: number): HTMLTableRowElement {
  const row = document.createElement("tr");
  const cell = textElement("td", text, "muted");
  cell.colSpan = columns;
  row.append(cell);
  return row;
}
