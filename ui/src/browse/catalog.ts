// The catalog: the chosen time range (presets anchored on the newest data, a UTC day, or
// custom UTC times), the account's devices (own and shared, with their windows), groups,
// sessions with Open buttons (the newest also in the empty main area), and the resources
// (blocks of data) in the chosen range. On a Riot server (no sessions, no groups) the
// sessions list gives way to day picks and each device shows its data access windows (see
// riot.ts). The lists' items: catalog-lists.ts.

import * as api from "../api";
import type { CatalogView, LoadRequest, SessionView } from "../api";
import { byId, settleFocus } from "../dom";
import {
  deviceItems,
  groupItems,
  noteRow,
  recentSessions,
  resourceRows,
  sessionItems,
} from "./catalog-lists";
import type { SessionErrorHandler } from "./dataset";
import {
  DAY_MS,
  WEEK_MS,
  formatSpan,
  formatUtc,
  parseUtcDay,
  parseUtcInput,
  presetRange,
  toUtcDateInput,
  toUtcInput,
  utcDayStart,
  type RangePreset,
  type TimeRange,
} from "./format";
import { RiotDevices } from "./riot";

const RESOURCES_DEBOUNCE_MS = 300;
/** How many of the newest sessions the empty main area offers. */
const RECENT_SESSIONS = 5;

export interface CatalogHooks {
  sessionEnded: SessionErrorHandler;
  /** Open this request; `title` names it on screen. */
  open(request: LoadRequest, title: string): void;
  /** The catalog was read (or forgotten: null), e.g. for Live's device list. */
  listed(catalog: CatalogView | null): void;
}

export class Catalog {
  private readonly preset = byId("range-preset", HTMLSelectElement);
  private readonly from = byId("range-from", HTMLInputElement);
  private readonly to = byId("range-to", HTMLInputElement);
  private readonly day = byId("range-day", HTMLInputElement);
  private readonly rangeNote = byId("range-note", HTMLElement);
  private readonly status = byId("catalog-status", HTMLElement);
  private readonly refreshButton = byId("refresh-catalog", HTMLButtonElement);
  private readonly devices = byId("devices", HTMLUListElement);
  private readonly groups = byId("groups", HTMLUListElement);
  private readonly sessions = byId("sessions", HTMLUListElement);
  private readonly sessionsPart = byId("sessions-part", HTMLElement);
  private readonly recent = byId("recent-sessions", HTMLUListElement);
  private readonly recentPart = byId("recent-part", HTMLElement);
  private readonly groupsPart = byId("groups-part", HTMLElement);
  private readonly resourcesHeading = byId("resources-heading", HTMLElement);
  private readonly resourcesTypes = byId("resources-types", HTMLElement);
  private readonly riot: RiotDevices;
  private readonly resourcesBody = byId("resources-body", HTMLTableSectionElement);
  private readonly openButton = byId("open-range", HTMLButtonElement);
  private readonly openHint = byId("open-hint", HTMLElement);

  private catalog: CatalogView | null = null;
  private range: TimeRange | null = null;
  /** Serials the user un-ticked; every other device starts ticked. */
  private readonly unticked = new Set<string>();
  /** Bumped by every catalog or resources request and by clear(). */
  private generation = 0;
  private resourcesGeneration = 0;
  private resourcesTimer = 0;

  constructor(private readonly hooks: CatalogHooks) {
    this.riot = new RiotDevices({
      sessionEnded: hooks.sessionEnded,
      range: () => this.range,
      pickRange: (range) => {
        this.setRange(range, "custom");
        this.scheduleResources(0);
      },
      reload: () => this.refresh(),
    });
    this.preset.addEventListener("change", () => this.presetChanged());
    this.day.addEventListener("change", () => this.dayChanged());
    for (const input of [this.from, this.to]) {
      input.addEventListener("change", () => this.inputsChanged());
    }
    this.refreshButton.addEventListener("click", () => void this.refresh());
    this.openButton.addEventListener("click", () => this.openRange());
    this.devices.addEventListener("change", (event) => {
      const target = event.target;
      if (target instanceof HTMLInputElement && target.classList.contains("device-pick")) {
        const serial = target.closest("li")?.dataset.serial;
        if (serial !== undefined) {
          if (target.checked) {
            this.unticked.delete(serial);
          } else {
            this.unticked.add(serial);
          }
        }
        this.openHint.textContent = "";
      }
    });
  }

  /** Fetches the catalog again (and the resources in the chosen range). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.refreshButton.disabled = true;
    this.status.removeAttribute("data-kind");
    this.status.textContent = "Fetching your devices…";
    try {
      const catalog = await api.browseCatalog();
      if (generation !== this.generation) {
        return;
      }
      this.catalog = catalog;
      this.status.textContent = "";
      this.showDialect(catalog);
      this.renderDevices(catalog);
      this.groups.replaceChildren(...groupItems(catalog.groups));
      this.sessions.replaceChildren(
        ...sessionItems(catalog.sessions, (session) => this.openSession(session)),
      );
      this.showRecent(catalog.sessions);
      this.riot.show(catalog);
      this.hooks.listed(catalog);
      if (this.preset.value === "custom" && this.range) {
        this.scheduleResources(0);
      } else {
        this.presetChanged();
      }
    } catch (reason) {
      const error = api.toAppError(reason);
      if (generation === this.generation && !this.hooks.sessionEnded(error)) {
        this.status.dataset.kind = error.kind;
        this.status.textContent = `Your devices could not be fetched: ${error.message} Use “Refresh lists” to try again.`;
      }
    } finally {
      if (generation === this.generation) {
        this.refreshButton.disabled = false;
        settleFocus(this.refreshButton);
      }
    }
  }

  /** Forgets the shown account's catalog (sign-out). */
  clear(): void {
    this.generation++;
    this.resourcesGeneration++;
    window.clearTimeout(this.resourcesTimer);
    this.catalog = null;
    this.range = null;
    this.unticked.clear();
    this.riot.clear();
    this.showDialect(null);
    this.showRecent([]);
    for (const list of [this.devices, this.groups, this.sessions, this.resourcesBody]) {
      list.replaceChildren();
    }
    this.status.textContent = "";
    this.openHint.textContent = "";
    this.rangeNote.textContent = "";
    this.preset.value = "day";
    this.from.value = "";
    this.to.value = "";
    this.day.value = "";
    this.refreshButton.disabled = false;
    this.hooks.listed(null);
  }

  /** Riot has no sessions and no groups: their lists give way to the Riot parts. */
  private showDialect(catalog: CatalogView | null): void {
    const riot = catalog?.dialect === "riot";
    document.getElementById("browse")?.setAttribute("data-dialect", catalog?.dialect ?? "");
    this.sessionsPart.hidden = riot;
    this.groupsPart.hidden = riot;
    this.resourcesHeading.textContent = riot
      ? "Readable data in this range (data access windows)"
      : "Data in this range";
    this.resourcesTypes.textContent = riot ? "Kinds" : "Types";
  }

  /** A UTC day was picked: the range becomes that whole day. */
  private dayChanged(): void {
    const range = parseUtcDay(this.day.value);
    if (range === null) {
      return;
    }
    this.setRange(range, "custom");
    this.scheduleResources(0);
  }
  private presetChanged(): void {
    const preset = this.preset.value as RangePreset;
    if (preset === "day" || preset === "week") {
      const newest = this.catalog?.newestDataMs ?? null;
      this.setRange(presetRange(preset, newest, Date.now()), preset);
      this.scheduleResources(0);
    } else {
      this.inputsChanged();
    }
  }

  /** The user edited a time: the range becomes custom. */
  private inputsChanged(): void {
    const from = parseUtcInput(this.from.value);
    const to = parseUtcInput(this.to.value);
    this.preset.value = "custom";
    if (from === null || to === null || from >= to) {
      this.range = null;
      this.day.value = "";
      this.riot.markDay(null);
      this.rangeNote.textContent =
        from === null || to === null
          ? "Enter both times (UTC)."
          : "The start must come before the end.";
      this.resourcesBody.replaceChildren(
        noteRow("Choose a valid range to see the data in it."),
      );
      return;
    }
    this.setRange({ from, to }, "custom");
    this.scheduleResources(RESOURCES_DEBOUNCE_MS);
  }

  private setRange(range: TimeRange, preset: RangePreset): void {
    this.range = range;
    this.preset.value = preset;
    this.from.value = toUtcInput(range.from);
    this.to.value = toUtcInput(range.to);
    const wholeDay = range.from === utcDayStart(range.from) && range.to === range.from + DAY_MS;
    this.day.value = wholeDay ? toUtcDateInput(range.from) : "";
    this.riot.markDay(range);
    const newest = this.catalog?.newestDataMs ?? null;
    this.rangeNote.textContent =
      preset === "custom"
        ? `${formatSpan(range.from, range.to)}.`
        : newest === null
          ? `No data found in the last 400 days; the range ends now (${formatUtc(range.to)}).`
          : `Ends at the newest data, ${formatUtc(newest)}.`;
  }

  private scheduleResources(delay: number): void {
    window.clearTimeout(this.resourcesTimer);
    this.resourcesTimer = window.setTimeout(() => void this.loadResources(), delay);
  }

  private async loadResources(): Promise<void> {
    const range = this.range;
    if (!range) {
      return;
    }
    const generation = ++this.resourcesGeneration;
    this.resourcesBody.setAttribute("aria-busy", "true");
    this.resourcesBody.replaceChildren(noteRow("Fetching the data in this range…"));
    try {
      const resources = await api.browseResources(range.from, range.to);
      if (generation === this.resourcesGeneration) {
        this.resourcesBody.replaceChildren(...resourceRows(resources));
      }
    } catch (reason) {
      const error = api.toAppError(reason);
      if (generation === this.resourcesGeneration && !this.hooks.sessionEnded(error)) {
        this.resourcesBody.replaceChildren(
          noteRow(`The data in this range could not be listed: ${error.message}`),
        );
      }
    } finally {
      if (generation === this.resourcesGeneration) {
        this.resourcesBody.removeAttribute("aria-busy");
      }
    }
  }

  private renderDevices(catalog: CatalogView): void {
    const items = deviceItems(catalog, this.unticked, (device) => this.riot.windowsOf(device));
    this.devices.replaceChildren(...items);
  }

  /** Serials whose box is ticked, in list order. */
  private ticked(): string[] {
    return [...this.devices.querySelectorAll<HTMLInputElement>("input.device-pick")]
      .filter((pick) => pick.checked)
      .map((pick) => pick.closest("li")?.dataset.serial)
      .filter((serial): serial is string => serial !== undefined);
  }

  private openRange(): void {
    const range = this.range;
    const serials = this.ticked();
    if (!range) {
      this.openHint.textContent = "Choose a valid time range first.";
      return;
    }
    if (serials.length === 0) {
      this.openHint.textContent = "Tick at least one device.";
      return;
    }
    this.openHint.textContent = "";
    this.hooks.open(
      { from: range.from, to: range.to, serials },
      `${this.deviceNames(serials)}, ${formatSpan(range.from, range.to)}`,
    );
  }

  /** Opens a session's span for the ticked devices (all devices when none is ticked). */
  /** The newest sessions in the empty main area (none: the part is hidden). */
  private showRecent(sessions: readonly SessionView[]): void {
    const recent = recentSessions(sessions, RECENT_SESSIONS);
    this.recentPart.hidden = recent.length === 0;
    this.recent.replaceChildren(
      ...(recent.length > 0 ? sessionItems(recent, (session) => this.openSession(session)) : []),
    );
  }

  private openSession(session: SessionView): void {
    const devices = this.catalog?.devices ?? [];
    const ticked = this.ticked();
    const serials = ticked.length > 0 ? ticked : devices.map((device) => device.serial);
    // A session still open runs up to the newest data, at least a day and at most a week.
    const newest = this.catalog?.newestDataMs ?? 0;
    const end =
      session.end ?? Math.min(session.start + WEEK_MS, Math.max(session.start + DAY_MS, newest));
    this.setRange({ from: session.start, to: end }, "custom");
    this.scheduleResources(0);
    this.hooks.open(
      { from: session.start, to: end, serials },
      session.name || `Session ${session.id}`,
    );
  }

  private deviceNames(serials: string[]): string {
    const names = new Map(
      (this.catalog?.devices ?? []).map((device) => [device.serial, device.name || device.serial]),
    );
    const shown = serials.slice(0, 3).map((serial) => names.get(serial) ?? serial);
    return serials.length > 3
      ? `${shown.join(", ")} and ${serials.length - 3} more`
      : shown.join(", ");
  }
}
