// "Your data": while signed in, the catalog in the sidebar under the account card and the
// main area beside it. Ties the catalog (what to open) to the dataset panel (loading and
// showing it) and to Live (../live/: watching devices as their data arrives), and follows
// the panes' sizes (window, splitters) and the colour theme. Loaded on first use by
// ../browse-loader.ts.

// First, before uPlot (imported by the dataset panel) reads navigator.language.
import "../locale-guard";
import * as api from "../api";
import type { AppError } from "../api";
import { byId } from "../dom";
import { installSplitters } from "../layout";
import { LivePanel } from "../live/panel";
import { LivePicker } from "../live/picker";
import { THEME_EVENT } from "../theme";
import { Catalog } from "./catalog";
import { DatasetPanel } from "./dataset";
import { warmUpSoon } from "./warm-up";

/** Kinds after which the sign-in is gone: the main window shows the signed-out view. */
const SESSION_ENDING = new Set(["token_rejected", "signed_out"]);

export class Browse {
  private readonly root = byId("browse", HTMLElement);
  /** The sidebar's part: the time range and the lists of devices, sessions and groups. */
  private readonly catalogPane = byId("catalog-pane", HTMLElement);
  private readonly dataset: DatasetPanel;
  private readonly catalog: Catalog;
  private readonly live: LivePanel;
  private readonly livePicker: LivePicker;
  private accountKey: string | null = null;

  /** `signedOut` is called with an error that ended the sign-in (e.g. token rejected). */
  constructor(signedOut: (error: AppError) => void) {
    const sessionEnded = (error: AppError): boolean => {
      if (!SESSION_ENDING.has(error.kind)) {
        return false;
      }
      signedOut(error);
      return true;
    };
    this.dataset = new DatasetPanel(sessionEnded);
    this.live = new LivePanel({ sessionEnded, closed: () => this.livePicker.focus() });
    this.livePicker = new LivePicker({ start: (serials) => void this.live.start(serials) });
    this.catalog = new Catalog({
      sessionEnded,
      open: (request, title) => void this.dataset.open(request, title),
      listed: (catalog) => this.livePicker.show(catalog),
    });

    let resizeFrame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(resizeFrame);
      resizeFrame = requestAnimationFrame(() => {
        this.dataset.viewer.resize();
        this.live.resize();
      });
    });
    observer.observe(byId("charts", HTMLElement));
    observer.observe(byId("track", HTMLElement));
    observer.observe(byId("live-charts", HTMLElement));
    observer.observe(byId("live-track", HTMLCanvasElement));
    const restyle = (): void => {
      this.dataset.viewer.restyle();
      this.live.restyle();
    };
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", restyle);
    window.addEventListener(THEME_EVENT, restyle);
    installSplitters();
    // A window moved to a screen with another pixel ratio: redraw the canvases sharply.
    const watchRatio = (): void => {
      window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`).addEventListener(
        "change",
        () => {
          restyle();
          watchRatio();
        },
        { once: true },
      );
    };
    watchRatio();
    // The first chart and map built are the slow ones; build throwaway ones before the user's.
    warmUpSoon();
  }

  /** Hears load progress (on the main window's channel); call before anything can start a
   *  load. */
  listen(): void {
    api.onLoadProgress((progress) => this.dataset.progress(progress));
  }

  /** Signed in as `accountKey` (who and where): show the area, fetching the catalog when the account is new. */
  enter(accountKey: string): void {
    this.show(true);
    if (this.accountKey !== accountKey) {
      this.leave();
      this.show(true);
      this.accountKey = accountKey;
      void this.catalog.refresh();
    }
  }

  /** Not signed in any more: hide the area and forget what it showed. */
  leave(): void {
    this.show(false);
    // A live feed belongs to the account: stopped with it.
    this.live.close();
    if (this.accountKey === null) {
      return;
    }
    this.accountKey = null;
    this.catalog.clear();
    this.livePicker.clear();
    this.dataset.clear();
  }

  /** The catalog in the sidebar and the main area come and go together. */
  private show(shown: boolean): void {
    this.root.hidden = !shown;
    this.catalogPane.hidden = !shown;
  }
}
