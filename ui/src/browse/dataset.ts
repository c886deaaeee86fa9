// Opening data: runs `load_data` with progress (chunks and bytes from `load-progress`),
// Cancel and Retry; then shows the dataset (title, track and charts through the Viewer,
// latest values per device, tacks, gybes and legs, exports of the visible range).
// `body[data-dataset]` says where things stand: idle, loading, loaded, partial or failed.

import * as api from "../api";
import type { AppError, LatestView, LoadProgress, LoadRequest, LoadSummary } from "../api";
import { byId, settleFocus, textElement } from "../dom";
import {
  failureSummary,
  formatBytes,
  formatCount,
  formatDuration,
  formatSpan,
  formatUtc,
  formatValue,
  progressText,
} from "./format";
import { AnalysisPanel } from "./analysis";
import { Viewer } from "./viewer";

export type DatasetState = "idle" | "loading" | "loaded" | "partial" | "failed";

/** Errors that end the sign-in go to the main window; the rest are shown where they happen. */
export type SessionErrorHandler = (error: AppError) => boolean;

export class DatasetPanel {
  private readonly loader = byId("loader", HTMLElement);
  private readonly bar = byId("load-bar", HTMLProgressElement);
  private readonly barText = byId("load-text", HTMLElement);
  private readonly status = byId("load-status", HTMLElement);
  private readonly cancelButton = byId("cancel-load", HTMLButtonElement);
  private readonly retryButton = byId("retry-load", HTMLButtonElement);
  private readonly section = byId("dataset", HTMLElement);
  private readonly title = byId("dataset-title", HTMLElement);
  private readonly meta = byId("dataset-meta", HTMLElement);
  private readonly notes = byId("load-notes", HTMLElement);
  private readonly notesList = byId("load-notes-list", HTMLUListElement);
  private readonly latestBody = byId("latest-body", HTMLTableSectionElement);
  private readonly exportGpx = byId("export-gpx", HTMLButtonElement);
  private readonly exportCsv = byId("export-csv", HTMLButtonElement);
  private readonly exportResult = byId("export-result", HTMLElement);
  readonly viewer: Viewer;
  private readonly analysis: AnalysisPanel;

  private request: LoadRequest | null = null;
  private requestTitle = "";
  private summary: LoadSummary | null = null;
  /** Bumped by every load and by clear(); stale answers are dropped. */
  private generation = 0;
  /** Highest load id seen in progress events since the current load began. */
  private progressId = -1;
  private loading = false;

  constructor(private readonly sessionEnded: SessionErrorHandler) {
    this.viewer = new Viewer(
      {
        charts: byId("charts", HTMLElement),
        track: byId("track", HTMLElement),
        legend: byId("track-legend", HTMLElement),
        zoomRange: byId("zoom-range", HTMLElement),
        resetZoom: byId("reset-zoom", HTMLButtonElement),
        panEarlier: byId("pan-earlier", HTMLButtonElement),
        panLater: byId("pan-later", HTMLButtonElement),
        timing: byId("plot-timing", HTMLElement),
      },
      (error) => this.showProblem(error),
    );
    this.analysis = new AnalysisPanel(
      this.viewer,
      (error) => this.sessionEnded(error),
    );
    this.cancelButton.addEventListener("click", () => void this.cancel());
    this.retryButton.addEventListener("click", () => {
      if (this.request) {
        void this.open(this.request, this.requestTitle);
      }
    });
    this.exportGpx.addEventListener("click", () => void this.export("gpx", this.exportGpx));
    this.exportCsv.addEventListener("click", () => void this.export("csv", this.exportCsv));
    this.setState("idle");
  }

  /** Loads `request` (cancelling any running load) and shows it. */
  async open(request: LoadRequest, title: string): Promise<void> {
    const generation = ++this.generation;
    this.request = request;
    this.requestTitle = title;
    this.loading = true;
    this.progressId = -1;
    this.setState("loading");
    this.section.hidden = true;
    this.viewer.clear({ keepCharts: true });
    this.loader.hidden = false;
    this.retryButton.hidden = true;
    this.cancelButton.hidden = false;
    this.cancelButton.disabled = false;
    this.bar.removeAttribute("value");
    this.barText.textContent = "Finding the data…";
    this.status.textContent = `Opening ${title}.`;
    this.status.removeAttribute("data-kind");

    let summary: LoadSummary;
    try {
      summary = await api.loadData(request);
    } catch (reason) {
      if (generation === this.generation) {
        this.loading = false;
        await this.loadFailed(api.toAppError(reason));
      }
      return;
    }
    if (generation !== this.generation) {
      return;
    }
    this.loading = false;
    this.summary = summary;
    // A chunk counts once however many devices failed in it (Riot reports each device).
    const failure = failureSummary(summary.failed, summary.chunksTotal);
    const failed = Math.min(failure.windows, summary.chunksTotal);
    this.setState(failure.windows > 0 ? "partial" : "loaded");
    this.cancelButton.hidden = true;
    this.bar.max = Math.max(1, summary.chunksTotal);
    this.bar.value = summary.chunksTotal - failed;
    this.barText.textContent = progressText({
      chunksDone: summary.chunksTotal - failed,
      chunksTotal: summary.chunksTotal,
      chunksFailed: failed,
      bytes: summary.bytes,
      retrying: false,
    });
    if (failure.windows > 0) {
      this.status.dataset.kind = summary.failed[0]!.error.kind;
      this.status.textContent = failure.text;
      this.retryButton.hidden = false;
    } else {
      this.loader.hidden = true;
      this.status.textContent = "";
    }
    await this.show(summary, title, generation);
  }

  /** Stops the running load; the previous dataset (if Rust still holds it) comes back. */
  async cancel(): Promise<void> {
    if (!this.loading) {
      return;
    }
    this.cancelButton.disabled = true;
    this.status.textContent = "Cancelling…";
    try {
      await api.cancelLoad();
    } catch (reason) {
      this.showProblem(api.toAppError(reason));
      this.cancelButton.disabled = false;
    }
    // `load_data` now rejects with `cancelled`; loadFailed() takes it from there.
  }

  /** A `load-progress` event. Events of an older load are ignored. */
  progress(progress: LoadProgress): void {
    if (!this.loading || progress.loadId < this.progressId) {
      return;
    }
    this.progressId = progress.loadId;
    if (progress.chunksTotal > 0) {
      this.bar.max = progress.chunksTotal;
      this.bar.value = progress.chunksDone;
    }
    this.barText.textContent = progressText(progress);
  }

  /** Forgets everything (sign-out, another account). */
  clear(): void {
    if (this.loading) {
      // Nobody will look at it any more.
      api.cancelLoad().catch(() => undefined);
    }
    this.generation++;
    this.loading = false;
    this.request = null;
    this.summary = null;
    this.viewer.clear();
    this.analysis.clear();
    this.section.hidden = true;
    this.loader.hidden = true;
    this.latestBody.replaceChildren();
    this.exportResult.textContent = "";
    this.showNotes([]);
    this.setState("idle");
  }

  /** What the load wants known that is not a failure (e.g. a device with no data access
   * window over the range), above the results. */
  private showNotes(notes: readonly string[]): void {
    this.notesList.replaceChildren(...notes.map((note) => textElement("li", note)));
    this.notes.hidden = notes.length === 0;
  }

  private setState(state: DatasetState): void {
    document.body.dataset.dataset = state;
  }

  private async loadFailed(error: AppError): Promise<void> {
    this.cancelButton.hidden = true;
    if (this.sessionEnded(error)) {
      this.clear();
      return;
    }
    if (error.kind === "cancelled") {
      this.status.dataset.kind = "cancelled";
      this.status.textContent = "Loading was cancelled.";
      this.retryButton.hidden = false;
      // Show the previous dataset again if Rust still has it.
      const previous = this.summary;
      if (previous) {
        this.setState(previous.failed.length > 0 ? "partial" : "loaded");
        this.section.hidden = false;
        if (await this.viewer.open(previous)) {
          settleFocus(this.retryButton);
          return;
        }
        this.section.hidden = true;
      }
      this.summary = null;
      this.setState("idle");
      settleFocus(this.retryButton);
      return;
    }
    this.setState("failed");
    this.summary = null;
    this.status.dataset.kind = error.kind;
    this.status.textContent = `The data could not be loaded: ${error.message}`;
    this.retryButton.hidden = false;
    settleFocus(this.retryButton);
  }

  private async show(summary: LoadSummary, title: string, generation: number): Promise<void> {
    this.title.textContent = title;
    const names = summary.devices.map((device) => device.name || device.serial).join(", ");
    const channelCount = new Set(
      summary.devices.flatMap((device) => device.channels.map((c) => c.label)),
    ).size;
    this.meta.textContent =
      `${names || "No devices"} · ${formatSpan(summary.from, summary.to)} (${formatDuration(summary.to - summary.from)}) · ` +
      `${formatCount(summary.samples)} samples in ${channelCount} channel${channelCount === 1 ? "" : "s"} · ` +
      `${formatBytes(summary.bytes)}` +
      (summary.chunksFromCache > 0
        ? ` · ${summary.chunksFromCache} of ${summary.chunksTotal} chunks from the cache`
        : "");
    this.exportResult.textContent = "";
    this.showNotes(summary.notes);
    this.latestBody.replaceChildren(this.noteRow("Fetching the latest values…"));
    this.section.hidden = false;
    // The user asked to see this: bring it on screen (the charts in view are drawn first).
    this.section.scrollIntoView({ block: "start" });
    settleFocus(this.title);
    const serials = summary.devices.map((device) => device.serial);
    // The charts and the map first, then the latest values and the analysis: asked for at
    // the same time, their work shared the two cores with the view's and their answers
    // took the page's thread before it (the plot benchmark's opens took 16-31 ms for a view
    // that alone takes 7).
    await this.viewer.open(summary);
    if (generation !== this.generation) {
      return;
    }
    await Promise.all([
      this.loadLatest(serials, generation),
      this.analysis.show(summary.from, summary.to),
    ]);
  }

  private async loadLatest(serials: string[], generation: number): Promise<void> {
    let latest: LatestView[];
    try {
      latest = serials.length > 0 ? await api.latestValues(serials) : [];
    } catch (reason) {
      const error = api.toAppError(reason);
      if (generation === this.generation && !this.sessionEnded(error)) {
        this.latestBody.replaceChildren(
          this.noteRow(`The latest values could not be fetched: ${error.message}`),
        );
      }
      return;
    }
    if (generation !== this.generation) {
      return;
    }
    const rows: HTMLTableRowElement[] = [];
    for (const device of latest) {
      device.values.forEach((value, index) => {
        const row = document.createElement("tr");
        if (index === 0) {
          const head = textElement("th", device.deviceName || device.serial);
          head.scope = "rowgroup";
          head.rowSpan = device.values.length;
          row.append(head);
        }
        row.append(
          textElement("td", value.channel.label),
          textElement(
            "td",
            formatValue(value.value, value.channel.code, value.channel.unit),
            "number",
          ),
          textElement("td", formatUtc(value.time, true), "mono"),
        );
        rows.push(row);
      });
    }
    this.latestBody.replaceChildren(
      ...(rows.length > 0 ? rows : [this.noteRow("No latest values for these devices.")]),
    );
  }

  private noteRow(text: string): HTMLTableRowElement {
    const row = document.createElement("tr");
    const cell = textElement("td", text, "muted");
    cell.colSpan = 4;
    row.append(cell);
    return row;
  }

  private async export(format: api.ExportFormat, button: HTMLButtonElement): Promise<void> {
    const range = this.viewer.visibleRange;
    if (!range) {
      return;
    }
    const label = button.textContent ?? "";
    button.disabled = true;
    button.textContent = "Exporting…";
    this.exportResult.textContent = "";
    this.exportResult.removeAttribute("data-kind");
    try {
      const result = await api.exportData(format, range.from, range.to);
      if (result) {
        this.exportResult.dataset.kind = "info";
        this.exportResult.textContent = `Saved ${formatCount(result.rows)} ${format === "gpx" ? "track points" : "rows"} (${formatSpan(range.from, range.to)}) to ${result.path}`;
      }
    } catch (reason) {
      const error = api.toAppError(reason);
      if (!this.sessionEnded(error)) {
        this.exportResult.dataset.kind = error.kind;
        this.exportResult.textContent = `Export failed: ${error.message}`;
      }
    } finally {
      button.disabled = false;
      button.textContent = label;
      settleFocus(button);
    }
  }

  /** A failure while viewing (e.g. `data_view`): said in the loader's status line. */
  private showProblem(error: AppError): void {
    if (this.sessionEnded(error)) {
      this.clear();
      return;
    }
    this.loader.hidden = false;
    this.cancelButton.hidden = true;
    this.status.dataset.kind = error.kind;
    this.status.textContent = error.message;
  }
}
