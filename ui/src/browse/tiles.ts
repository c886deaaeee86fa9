// The track map's background (map.ts): tiles from the source Rust names (`map_tiles`), or,
// when it names none or no tile loads, a grid that moves with the map and a note saying
// the map is offline. Back online as soon as any tile loads.

import * as L from "leaflet";
import * as api from "../api";
import type { MapTiles } from "../api";
import { textElement } from "../dom";
import { escapeHtml } from "./geo";

export const OFFLINE_NOTE = "Map offline: showing the track on a grid";
/** The offline grid's cell in CSS px; the same as `background-size` of `.map-offline`. */
const GRID_PX = 40;

export class MapBackground {
  private tiles: L.TileLayer | null = null;
  private asking = false;
  private offline = false;
  /** The map has a view (Leaflet throws on asking where it is before). */
  private ready = false;
  private readonly note = textElement("p", "", "map-note");

  constructor(
    private readonly map: L.Map,
    private readonly container: HTMLElement,
    private readonly maxZoom: number,
  ) {
    this.note.setAttribute("role", "status");
    container.append(this.note);
    map.whenReady(() => {
      this.ready = true;
      this.moveGrid();
    });
    map.on("move zoom viewreset", () => this.moveGrid());
    window.addEventListener("online", () => this.retry());
  }

  /** Asks Rust for the tile source until it names one (a refusal means none for now), and
   *  while offline asks for the tiles again. */
  refresh(): void {
    this.retry();
    if (this.tiles || this.asking) {
      return;
    }
    this.asking = true;
    api.mapTiles().then(
      (source) => {
        this.asking = false;
        this.addTiles(source);
      },
      () => {
        this.asking = false;
        this.setOffline(true);
      },
    );
  }

  private addTiles(source: MapTiles): void {
    if (this.tiles) {
      return;
    }
    const tiles = L.tileLayer(source.url, {
      // Leaflet shows the attribution as HTML; the backend's words are text.
      attribution: escapeHtml(source.attribution),
      maxNativeZoom: source.maxZoom,
      maxZoom: this.maxZoom,
    });
    // Offline once every tile of a batch failed; online again with any tile that loads.
    let loaded = 0;
    tiles.on("loading", () => {
      loaded = 0;
    });
    tiles.on("tileload", () => {
      loaded++;
      this.setOffline(false);
    });
    tiles.on("tileerror", () => {
      if (loaded === 0) {
        this.setOffline(true);
      }
    });
    this.tiles = tiles.addTo(this.map);
  }

  /** Leaflet does not ask for a failed tile again: while offline, ask for them all. */
  private retry(): void {
    if (this.offline && this.tiles && this.ready) {
      this.tiles.redraw();
    }
  }

  private setOffline(offline: boolean): void {
    if (offline === this.offline) {
      return;
    }
    this.offline = offline;
    this.container.classList.toggle("map-offline", offline);
    this.note.textContent = offline ? OFFLINE_NOTE : "";
    this.moveGrid();
  }

  /** Keeps the offline grid fixed to the ground while the map pans. */
  private moveGrid(): void {
    if (!this.offline || !this.ready) {
      return;
    }
    const origin = this.map.getPixelBounds().min!;
    const offset = (value: number): number => -(((value % GRID_PX) + GRID_PX) % GRID_PX);
    this.container.style.backgroundPosition = `${offset(origin.x)}px ${offset(origin.y)}px`;
  }
}
