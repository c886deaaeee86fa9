// The live view's latest values: one row per device (`data-serial`) with SOG, COG, HDG,
// AWS, TWS, TWD, battery and the age of its newest sample, and the track's legend (each
// device's colour). Cells are rewritten only when their text changes.

import { formatValue } from "../browse/format";
import { textElement } from "../dom";
import { ageWords } from "./status";
import { CODE, type LiveDeviceData } from "./store";

/** The table's value columns, in the order of its header (index.html, #live-latest). */
const COLUMNS: readonly number[] = [
  CODE.sog,
  CODE.cog,
  CODE.hdg,
  CODE.aws,
  CODE.tws,
  CODE.twd,
  CODE.battery,
];

/** A value as the table shows it: the battery in whole percent, the rest as elsewhere. */
function cellText(value: number, code: number): string {
  return code === CODE.battery ? String(Math.round(value)) : formatValue(value, code, "");
}

interface Row {
  cells: HTMLTableCellElement[];
  /** What each cell shows now (values, then the age). */
  texts: string[];
}

export class LiveTable {
  private readonly rows = new Map<string, Row>();

  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly legend: HTMLElement,
    private readonly colourOf: (device: LiveDeviceData) => string,
  ) {}

  /** Shows the devices' newest values and ages as of `now` (ms). */
  render(devices: readonly LiveDeviceData[], now: number): void {
    if (devices.length !== this.rows.size || devices.some((d) => !this.rows.has(d.serial))) {
      this.build(devices);
    }
    for (const device of devices) {
      const row = this.rows.get(device.serial)!;
      COLUMNS.forEach((code, i) => {
        const newest = device.value(code);
        this.set(row, i, newest ? cellText(newest.value, code) : "–");
      });
      const newest = device.newestTime();
      this.set(row, COLUMNS.length, ageWords(Number.isFinite(newest) ? now - newest : null));
    }
  }

  clear(): void {
    this.rows.clear();
    this.body.replaceChildren();
    this.legend.replaceChildren();
  }

  private set(row: Row, index: number, text: string): void {
    if (row.texts[index] !== text) {
      row.texts[index] = text;
      row.cells[index]!.textContent = text;
    }
  }

  private build(devices: readonly LiveDeviceData[]): void {
    this.rows.clear();
    const rows = devices.map((device) => {
      const row = document.createElement("tr");
      row.dataset.serial = device.serial;
      const head = document.createElement("th");
      head.scope = "row";
      head.append(this.swatch(device), textElement("span", device.name));
      const cells = [...COLUMNS, -1].map((code) =>
        textElement("td", "–", code === -1 ? "number live-age" : "number"),
      );
      row.append(head, ...cells);
      this.rows.set(device.serial, { cells, texts: cells.map(() => "–") });
      return row;
    });
    this.body.replaceChildren(...rows);
    this.legend.replaceChildren(
      ...devices.map((device) => {
        const item = textElement("span", device.name, "live-legend-item");
        item.prepend(this.swatch(device));
        return item;
      }),
    );
  }

  private swatch(device: LiveDeviceData): HTMLSpanElement {
    const swatch = document.createElement("span");
    swatch.className = "live-swatch";
    swatch.setAttribute("aria-hidden", "true");
    swatch.style.backgroundColor = this.colourOf(device);
    return swatch;
  }
}
