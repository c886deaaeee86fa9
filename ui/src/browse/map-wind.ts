// The track map's true wind (map.ts): an arrow in the map's corner pointing where the wind
// blows to, and the direction it comes from in words, from the true wind direction (TWD,
// measured or derived) nearest the time shown.

import * as L from "leaflet";
import type { SeriesView } from "../api";
import { valueNear } from "./geo";

/** Igtimi type code of true wind direction (TWD). */
const TWD = 22;
/** A wind sample further than this from the time shown is not used. */
const WIND_MAX_AGE_MS = 30 * 60_000;

export class MapWind {
  private series: SeriesView[] = [];
  /** The whole degrees shown; null: none (the box is hidden). */
  private shown: number | null = null;
  private readonly box = document.createElement("div");
  private readonly arrow = document.createElement("span");
  private readonly text = document.createElement("span");

  constructor(map: L.Map) {
    this.box.className = "map-wind";
    this.box.setAttribute("role", "img");
    this.box.hidden = true;
    this.arrow.className = "map-wind-arrow";
    this.box.append(this.arrow, this.text);
    const control = new L.Control({ position: "topright" });
    control.onAdd = () => this.box;
    control.addTo(map);
  }

  /** Takes the wind from `series` (its TWD series, if any); nothing is shown until [at]. */
  use(series: readonly SeriesView[]): void {
    this.series = series.filter((s) => s.channel.code === TWD && s.channel.field === 1);
    this.shown = null;
  }

  /** Shows the wind at `time`. */
  at(time: number): void {
    let from: number | null = null;
    for (const series of this.series) {
      from = valueNear(series.t, series.v, time, WIND_MAX_AGE_MS);
      if (from !== null) {
        break;
      }
    }
    const degrees = from === null ? null : ((Math.round(from) % 360) + 360) % 360;
    if (degrees === this.shown) {
      return;
    }
    this.shown = degrees;
    this.box.hidden = degrees === null;
    if (degrees !== null) {
      // The arrow points where the wind blows to; the text says where it comes from.
      this.arrow.style.transform = `rotate(${degrees + 180}deg)`;
      this.text.textContent = `Wind ${degrees}°`;
      this.box.setAttribute("aria-label", `True wind from ${degrees}°`);
    }
  }

  /** Forgets the wind and hides the arrow. */
  clear(): void {
    this.series = [];
    this.shown = null;
    this.box.hidden = true;
  }
}
