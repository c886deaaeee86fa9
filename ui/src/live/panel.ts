// The live panel (#live): starts a feed, polls it (`live_next` in a loop, each answer
// applied at once and never dropped), and draws at most once per animation frame: the
// status in words, quiet devices and the latest values, plus a details disclosure with the
// feed's counts and notes; the track and the charts at most four times a second. A
// one-second tick moves the clocks (countdown, ages, the charts' window) between answers.
//
// For tests and the benchmark, #live carries data-live-state, data-live-samples (samples
// applied), and data-lag-p50 / data-lag-p95 (ms, over the last 1000 channel updates).

import { isRetryable, toAppError } from "../api";
import type { SessionErrorHandler } from "../browse/dataset";
import { PALETTE } from "../browse/viewer";
import { byId, settleFocus } from "../dom";
import * as live from "./api";
import type { LiveStatus, LiveUpdate } from "./api";
import { RollingWindow } from "./buffer";
import { CHART_WINDOW_MS, LiveCharts } from "./charts";
import { LiveDetails } from "./details";
import { statusWords, type StatusWords } from "./status";
import { LiveStore, type LiveDeviceData } from "./store";
import { LiveTable } from "./table";
import { LiveTrack } from "./track";

/** Lags kept for the percentiles. */
const LAG_WINDOW = 1000;
const TICK_MS = 1000;
/** The panel (status, table, track, charts) is drawn at most this often: a 10-minute
 * chart moves a pixel in about a second, a boat's tail a pixel or two. */
const DRAW_MS = 250;
/** The charts are drawn at most this often: ten minutes across a chart is about a second
 * per pixel, and at 4 Hz the charts were most of what the web process still spent with
 * ten boats at 10 Hz (bench/README.md, "Live"). */
const CHARTS_MS = 1000;
/** Least time between two polls' starts. At 10 devices x 10 Hz frames come 100 times a
 * second; polling after each one cost the web process more than a core (bench/README.md,
 * "Live"). A 20 ms pace batches them for at most 20 ms more lag. */
const POLL_GAP_MS = 20;
const RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;

export interface LiveHooks {
  sessionEnded: SessionErrorHandler;
  /** The user stopped live: where focus goes back to. */
  closed(): void;
}

export class LivePanel {
  private readonly root = byId("live", HTMLElement);
  private readonly title = byId("live-title", HTMLElement);
  private readonly status = byId("live-status", HTMLElement);
  private readonly stopButton = byId("live-stop", HTMLButtonElement);
  private readonly signInButton = byId("live-sign-in", HTMLButtonElement);
  private readonly details = new LiveDetails();
  private readonly track: LiveTrack;
  private readonly charts: LiveCharts;
  private readonly table: LiveTable;
  /** The status line's ticking part (countdown, lag): on screen, not read out. */
  private readonly tick = document.createElement("span");

  /** Bumped by every start and by close(); a loop or answer of an older one stops. */
  private generation = 0;
  private active = false;
  private id: number | null = null;
  /** Starts run one after another, so an older one can never replace a newer feed. */
  private starting: Promise<unknown> = Promise.resolve();
  private store: LiveStore | null = null;
  private readonly lags = new RollingWindow(LAG_WINDOW);
  /** [p50, p95] of the lags, or null before any sample. */
  private lag: number[] | null = null;
  private liveStatus: LiveStatus = { state: "connecting", attempt: 0 };
  /** When `liveStatus` came (performance.now()), for the countdown. */
  private statusAt = 0;
  private spoken = "";
  private dataDirty = false;
  private frame = 0;
  private ticker = 0;
  /** When the track and charts were last drawn (performance.now()); a timer for the next. */
  private drawnAt = 0;
  /** The connection state last drawn: a new one is drawn at once. */
  private drawnState = "";
  private drawTimer = 0;
  /** When the charts were last drawn (performance.now()); 0 draws them at the next draw. */
  private chartsAt = 0;
  private pauseTimer = 0;
  private wake: (() => void) | null = null;

  constructor(private readonly hooks: LiveHooks) {
    const colourOf = (device: LiveDeviceData): string =>
      PALETTE[device.index % PALETTE.length]!;
    this.track = new LiveTrack(byId("live-track", HTMLCanvasElement), colourOf);
    this.charts = new LiveCharts(byId("live-charts", HTMLElement), colourOf);
    this.table = new LiveTable(
      byId("live-latest-body", HTMLTableSectionElement),
      byId("live-legend", HTMLElement),
      colourOf,
    );
    this.tick.setAttribute("aria-hidden", "true");
    this.stopButton.addEventListener("click", () => {
      this.close();
      this.hooks.closed();
    });
    this.signInButton.addEventListener("click", () => {
      const reason = this.liveStatus.state === "stopped" ? this.liveStatus.reason.trim() : "";
      const ended = this.hooks.sessionEnded({
        kind: "signed_out",
        message: `${reason ? `${reason} ` : ""}Sign in again to watch live.`,
      });
      if (ended) {
        this.close();
      }
    });
  }

  /** Watches `serials` (replacing a feed that runs). */
  async start(serials: string[]): Promise<void> {
    const generation = this.reset();
    this.active = true;
    this.root.hidden = false;
    this.setStatus({ state: "connecting", attempt: 0 });
    this.root.dataset.liveSamples = "0";
    this.root.scrollIntoView({ block: "start" });
    settleFocus(this.title);
    const attempt = this.starting.then(() => live.liveStart(serials));
    this.starting = attempt.catch(() => undefined);
    let started: live.LiveStarted;
    try {
      started = await attempt;
    } catch (reason) {
      if (generation === this.generation) {
        const error = toAppError(reason);
        this.setStatus({
          state: "stopped",
          reason: `Live could not start: ${error.message}`,
          sign_in_again: false,
        });
        this.hooks.sessionEnded(error);
      }
      return;
    }
    if (generation !== this.generation) {
      // Closed meanwhile: nobody watches this feed. (Started again: that start replaces it.)
      if (!this.active) {
        live.liveStop(started.id).catch(() => undefined);
      }
      return;
    }
    this.id = started.id;
    const devices =
      started.devices.length > 0
        ? started.devices
        : serials.map((serial) => ({ serial, name: serial }));
    this.store = new LiveStore(devices, started.keep_ms);
    this.dataDirty = true;
    this.ticker = window.setInterval(() => this.schedule(), TICK_MS);
    this.schedule();
    void this.poll(started.id, generation);
  }

  /** Stops the feed and hides the panel (Stop live, sign-out, another account). */
  close(): void {
    const id = this.id;
    this.reset();
    this.active = false;
    this.root.hidden = true;
    this.root.dataset.liveState = "stopped";
    if (id !== null) {
      live.liveStop(id).catch(() => undefined);
    }
  }

  /** The window or a canvas changed size. */
  resize(): void {
    this.charts.resize();
    this.drawnAt = 0;
    this.chartsAt = 0;
    this.schedule();
  }

  /** The colour theme changed: charts are built again with its colours. */
  restyle(): void {
    this.charts.clear();
    this.dataDirty = true;
    this.drawnAt = 0;
    this.chartsAt = 0;
    this.schedule();
  }

  /** Forgets the running feed (without stopping it at the backend); returns the new generation. */
  private reset(): number {
    this.generation++;
    this.id = null;
    window.clearInterval(this.ticker);
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    window.clearTimeout(this.drawTimer);
    this.drawTimer = 0;
    this.drawnAt = 0;
    this.chartsAt = 0;
    window.clearTimeout(this.pauseTimer);
    this.wake?.();
    this.store = null;
    this.lags.clear();
    this.lag = null;
    this.spoken = "";
    this.statusAt = 0;
    this.track.reset();
    this.charts.clear();
    this.table.clear();
    this.details.clear();
    for (const name of ["lagP50", "lagP95"]) {
      delete this.root.dataset[name];
    }
    return this.generation;
  }

  /** Asks for updates until the feed stops or another generation begins. */
  private async poll(id: number, generation: number): Promise<void> {
    let after = 0;
    let failures = 0;
    let polledAt = 0;
    while (generation === this.generation) {
      const early = polledAt + POLL_GAP_MS - performance.now();
      if (early > 0) {
        await this.pause(early);
        if (generation !== this.generation) {
          return;
        }
      }
      polledAt = performance.now();
      let update: LiveUpdate;
      try {
        update = await live.liveNext(id, after);
      } catch (reason) {
        if (generation !== this.generation) {
          return;
        }
        const error = toAppError(reason);
        if (error.kind === live.LIVE_STOPPED) {
          this.setStatus({ state: "stopped", reason: error.message, sign_in_again: false });
          return;
        }
        if (this.hooks.sessionEnded(error)) {
          // The main window shows the signed-out view (which closes this panel).
          if (generation === this.generation) {
            this.setStatus({ state: "stopped", reason: error.message, sign_in_again: true });
          }
          return;
        }
        failures++;
        const wait = isRetryable(error)
          ? RETRY_MS
          : Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** (failures - 1));
        this.details.showProblem(error, wait);
        await this.pause(wait);
        continue;
      }
      if (generation !== this.generation) {
        return;
      }
      failures = 0;
      this.details.showProblem(null);
      this.apply(update);
      after = update.seq;
      if (update.status?.state === "stopped") {
        return;
      }
    }
  }

  /** Merges an answer into the store and the page's attributes; drawing waits for a frame. */
  private apply(update: LiveUpdate): void {
    const store = this.store;
    if (!store) {
      return;
    }
    const lags = store.apply(update.samples, Date.now());
    if (lags.length > 0) {
      for (const lag of lags) {
        this.lags.add(lag);
      }
      this.lag = this.lags.percentiles(50, 95);
      this.dataDirty = true;
    }
    if (update.status) {
      this.setStatus(update.status);
    }
    this.details.take(update);
    this.schedule();
  }

  /** A status the same as the one shown keeps its time: every answer repeats the status, and
   * a countdown ("Reconnecting in 4 s") runs from when it first came. */
  private setStatus(status: LiveStatus): void {
    if (JSON.stringify(status) !== JSON.stringify(this.liveStatus) || this.statusAt === 0) {
      this.statusAt = performance.now();
    }
    this.liveStatus = status;
    // Only a change is written: any write to the page, even an attribute nobody styles,
    // makes WebKit composite the window again, which without a GPU costs a core at the
    // rate answers come (bench/README.md, "Live").
    if (this.root.dataset.liveState !== status.state) {
      this.root.dataset.liveState = status.state;
    }
    const hideSignIn = !(status.state === "stopped" && status.sign_in_again);
    if (this.signInButton.hidden !== hideSignIn) {
      this.signInButton.hidden = hideSignIn;
    }
    const stopWords = status.state === "stopped" ? "Close live" : "Stop live";
    if (this.stopButton.textContent !== stopWords) {
      this.stopButton.textContent = stopWords;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.frame === 0 && this.active) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  /** Draws at most every DRAW_MS (a new connection state at once): status, table, track
   * and charts. Instruments update at 1-10 Hz; repainting at the display's rate cost the
   * web process most of a core under software rendering (bench/README.md, "Live"). */
  private render(): void {
    const state = this.liveStatus?.state ?? "";
    const since = performance.now() - this.drawnAt;
    if (since >= DRAW_MS || state !== this.drawnState) {
      this.drawnAt = performance.now();
      this.drawnState = state;
      this.draw();
    } else if (this.drawTimer === 0) {
      this.drawTimer = window.setTimeout(() => {
        this.drawTimer = 0;
        this.schedule();
      }, DRAW_MS - since);
    }
  }

  private draw(): void {
    // The figures the benchmark reads, written with the rest of the panel.
    const figures: [string, string | null][] = [
      ["lagP50", this.lag ? String(this.lag[0]) : null],
      ["lagP95", this.lag ? String(this.lag[1]) : null],
      ["liveSamples", this.store ? String(this.store.applied) : null],
    ];
    for (const [name, value] of figures) {
      if (value !== null && this.root.dataset[name] !== value) {
        this.root.dataset[name] = value;
      }
    }
    this.renderStatus(
      statusWords(this.liveStatus, performance.now() - this.statusAt, this.lag),
    );
    const store = this.store;
    if (!store) {
      return;
    }
    const now = Date.now();
    const devices = [...store.devices.values()];
    const quiet = this.details.render(store);
    // The window ends now; a clock running behind the devices' (negative lags) moves it on.
    const end = now + Math.max(0, -(this.lag?.[0] ?? 0));
    this.table.render(devices, now);
    this.track.draw(devices, end, quiet);
    if (performance.now() - this.chartsAt >= CHARTS_MS) {
      this.chartsAt = performance.now();
      this.charts.update(devices, end - CHART_WINDOW_MS, end, this.dataDirty);
      this.dataDirty = false;
    }
  }

  /** The status line; rebuilt (and so announced) only when its words change, not its numbers. */
  private renderStatus(words: StatusWords): void {
    if (words.spoken !== this.spoken || !this.status.contains(this.tick)) {
      this.spoken = words.spoken;
      this.tick.textContent = words.tick;
      this.status.replaceChildren(words.lead, this.tick, words.rest);
    } else if (this.tick.textContent !== words.tick) {
      this.tick.textContent = words.tick;
    }
  }

  /** Waits `ms`, or less when the feed is reset meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        resolve();
      };
      this.pauseTimer = window.setTimeout(() => this.wake?.(), ms);
    });
  }
}
