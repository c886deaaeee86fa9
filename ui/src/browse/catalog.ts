// The catalog: the chosen time range (presets anchored on the newest data, a UTC day, or
// custom UTC times), the account's devices (own and shared, with their windows), groups,
// sessions with Open buttons, and the resources (blocks of data) in the chosen range. On a
// Riot server (no sessions, no groups) the sessions list gives way to day picks and each
// device shows its data access windows (see riot.ts).

import * as api from "../api";
import type { CatalogView, LoadRequest, ResourceView, SessionView } from "../api";
import { byId, settleFocus, textElement } from "../dom";
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
      this.renderGroups(catalog);
      this.renderSessions(catalog.sessions);
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
        this.noteRow("Choose a valid range to see the data in it."),
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
    this.resourcesBody.replaceChildren(this.noteRow("Fetching the data in this range…"));
    try {
      const resources = await api.browseResources(range.from, range.to);
      if (generation === this.resourcesGeneration) {
        this.renderResources(resources);
      }
    } catch (reason) {
      const error = api.toAppError(reason);
      if (generation === this.resourcesGeneration && !this.hooks.sessionEnded(error)) {
        this.resourcesBody.replaceChildren(
          this.noteRow(`The data in this range could not be listed: ${error.message}`),
        );
      }
    } finally {
      if (generation === this.resourcesGeneration) {
        this.resourcesBody.removeAttribute("aria-busy");
      }
    }
  }

  private renderDevices(catalog: CatalogView): void {
    const items = catalog.devices.map((device) => {
      const item = document.createElement("li");
      item.dataset.serial = device.serial;
      item.dataset.owned = String(device.owned);
      const label = document.createElement("label");
      label.className = "device";
      const pick = document.createElement("input");
      pick.type = "checkbox";
      pick.className = "device-pick";
      pick.checked = !this.unticked.has(device.serial);
      label.append(
        pick,
        textElement("span", device.name || device.serial, "device-name"),
        " ",
        textElement("span", device.serial, "mono muted"),
      );
      item.append(label);
      if (catalog.dialect === "riot") {
        item.append(this.riot.windowsOf(device));
      } else if (!device.owned) {
        item.append(textElement("span", "shared with you", "tag"));
        const windows = document.createElement("ul");
        windows.className = "windows";
        for (const window of device.sharedWindows) {
          const recipient = window.recipient ? ` (to ${window.recipient})` : "";
          windows.append(textElement("li", `${formatSpan(window.start, window.end)}${recipient}`));
        }
        item.append(windows);
      }
      return item;
    });
    this.devices.replaceChildren(
      ...(items.length > 0
        ? items
        : [
            textElement(
              "li",
              catalog.dialect === "riot"
                ? "No devices yet. Register yours below; a device shows here once you own it or someone shares it with you."
                : "No devices can be read with this account.",
              "muted",
            ),
          ]),
    );
  }

  private renderGroups(catalog: CatalogView): void {
    const items = catalog.groups.map((group) => {
      const item = textElement("li", group.name);
      item.dataset.groupId = String(group.id);
      if (group.hidden) {
        item.append(" ", textElement("span", "hidden", "tag"));
      }
      return item;
    });
    this.groups.replaceChildren(
      ...(items.length > 0 ? items : [textElement("li", "No groups.", "muted")]),
    );
  }

  private renderSessions(sessions: SessionView[]): void {
    const items = sessions.map((session) => {
      const item = document.createElement("li");
      item.dataset.sessionId = String(session.id);
      item.className = "session";
      const text = document.createElement("div");
      const owner =
        session.ownerName ?? (session.ownerId !== null ? `user ${session.ownerId}` : "unknown");
      text.append(
        textElement("span", session.name || `Session ${session.id}`, "session-name"),
        textElement("span", formatSpan(session.start, session.end), "session-span"),
        textElement("span", `Owner: ${owner}`, "session-owner muted"),
      );
      const open = textElement(
        "button",
        "Open",
        "button button-secondary button-small open-session",
      );
      open.type = "button";
      open.setAttribute("aria-label", `Open session ${session.name || session.id}`);
      open.addEventListener("click", () => this.openSession(session));
      item.append(text, open);
      return item;
    });
    this.sessions.replaceChildren(
      ...(items.length > 0 ? items : [textElement("li", "No sessions.", "muted")]),
    );
  }

  private renderResources(resources: ResourceView[]): void {
    const rows = resources.map((resource) => {
      const row = document.createElement("tr");
      row.dataset.resourceId = String(resource.id);
      row.dataset.serial = resource.serial;
      const names = resource.typeNames.length > 0 ? resource.typeNames : resource.types.map(String);
      // A Riot window says nothing of the kinds of data in it.
      const kinds = names.length > 0 ? names.join(", ") : "any recorded";
      row.append(
        textElement("td", resource.deviceName || resource.serial),
        textElement("td", formatUtc(resource.start).replace(/ UTC$/, ""), "mono"),
        textElement("td", formatUtc(resource.end).replace(/ UTC$/, ""), "mono"),
        textElement("td", kinds),
      );
      return row;
    });
    this.resourcesBody.replaceChildren(
      ...(rows.length > 0 ? rows : [this.noteRow("No data recorded in this range.")]),
    );
  }

  private noteRow(text: string): HTMLTableRowElement {
    const row = document.createElement("tr");
    const cell = textElement("td", text, "muted");
    cell.colSpan = 4;
    row.append(cell);
    return row;
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
