// Browsing a Riot server, which has no sessions and no groups: data is read by device and
// time, and only inside a device's data access windows (even for its owner). Shows the days
// with readable data as quick picks, each device's windows (in the user's own time and in
// UTC) with Close, "Open a window" per device, and "Register a device". After each change
// the catalog is read again.

import * as api from "../api";
import type { AccessWindowView, AppError, CatalogView, DeviceView } from "../api";
import { byId, textElement } from "../dom";
import type { SessionErrorHandler } from "./dataset";
import {
  DAY_MS,
  coveredDays,
  formatSpan,
  formatUtcDay,
  parseUtcInput,
  toUtcInput,
  windowTexts,
  type TimeRange,
} from "./format";

export interface RiotHooks {
  sessionEnded: SessionErrorHandler;
  /** The time range chosen now, if valid (it prefills "Open a window"). */
  range(): TimeRange | null;
  /** Makes `range` the chosen one (a day button). */
  pickRange(range: TimeRange): void;
  /** Reads the catalog again and redraws it. */
  reload(): Promise<void>;
}

export class RiotDevices {
  private readonly part = byId("riot-part", HTMLElement);
  private readonly days = byId("riot-days", HTMLUListElement);
  private readonly register = byId("register-device", HTMLFormElement);
  private readonly serial = byId("register-serial", HTMLInputElement);
  private readonly name = byId("register-name", HTMLInputElement);
  private readonly registerButton = byId("register-submit", HTMLButtonElement);
  private readonly status = byId("device-status", HTMLElement);
  private formCount = 0;

  constructor(private readonly hooks: RiotHooks) {
    this.register.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.registerDevice();
    });
  }

  /** Shows the Riot parts for a Riot catalog (hides them for the old API). */
  show(catalog: CatalogView): void {
    const riot = catalog.dialect === "riot";
    this.part.hidden = !riot;
    this.register.hidden = !riot;
    if (!riot) {
      this.days.replaceChildren();
      return;
    }
    const windows = catalog.devices.flatMap((device) => device.accessWindows);
    const days = coveredDays(windows, Date.now());
    this.days.replaceChildren(
      ...(days.length > 0
        ? days.map((day) => this.dayItem(day))
        : [
            textElement(
              "li",
              "None yet: no device has a data access window. Open one under a device.",
              "muted",
            ),
          ]),
    );
    this.markDay(this.hooks.range());
  }

  /** Marks the day button of `range` (when it is exactly one UTC day) as pressed. */
  markDay(range: TimeRange | null): void {
    for (const button of this.days.querySelectorAll<HTMLButtonElement>("button[data-day]")) {
      const day = Number(button.dataset.day);
      const pressed = range !== null && range.from === day && range.to === day + DAY_MS;
      button.setAttribute("aria-pressed", String(pressed));
    }
  }

  /** Forgets what was shown (sign-out, another account). */
  clear(): void {
    this.part.hidden = true;
    this.register.hidden = true;
    this.register.reset();
    this.days.replaceChildren();
    this.say("");
  }

  /** A device's data access windows with Close, and "Open a window". */
  windowsOf(device: DeviceView): HTMLElement {
    const box = document.createElement("div");
    box.className = "access-windows";
    const label = device.name || device.serial;
    if (device.accessWindows.length === 0) {
      box.append(
        textElement(
          "p",
          "No data access window: none of its data can be read. Open one to read it.",
          "windows-empty",
        ),
      );
    } else {
      const list = document.createElement("ul");
      list.className = "windows access-window-list";
      list.setAttribute("aria-label", `Data access windows of ${label}`);
      list.append(...device.accessWindows.map((window) => this.windowItem(label, window)));
      box.append(textElement("p", "Data access windows:", "windows-title"), list);
    }
    box.append(...this.openWindowControls(device));
    return box;
  }

  private dayItem(day: number): HTMLLIElement {
    const item = document.createElement("li");
    const button = textElement("button", formatUtcDay(day), "button button-quiet button-small day");
    button.type = "button";
    button.dataset.day = String(day);
    button.addEventListener("click", () => {
      this.hooks.pickRange({ from: day, to: day + DAY_MS });
      this.markDay(this.hooks.range());
    });
    item.append(button);
    return item;
  }

  private windowItem(label: string, window: AccessWindowView): HTMLLIElement {
    const item = document.createElement("li");
    item.className = "access-window";
    item.dataset.windowId = String(window.id);
    const texts = windowTexts(window.start, window.end);
    const words = document.createElement("span");
    words.className = "window-text";
    if (texts.local) {
      words.append(
        textElement("span", texts.local, "window-local"),
        textElement("span", texts.utc, "window-utc muted"),
      );
    } else {
      words.append(textElement("span", texts.utc, "window-utc"));
    }
    const actions = document.createElement("span");
    actions.className = "window-actions";
    const close = textElement("button", "Close", "button button-quiet button-small close-window");
    close.type = "button";
    close.setAttribute("aria-label", `Close the data access window ${texts.utc} of ${label}`);
    close.addEventListener("click", () => this.confirmClose(label, window, actions, close));
    actions.append(close);
    item.append(words, actions);
    return item;
  }

  /** Asks once more, in place: closing makes the window's data unreadable here. */
  private confirmClose(
    label: string,
    window: AccessWindowView,
    actions: HTMLElement,
    close: HTMLButtonElement,
  ): void {
    const question = textElement(
      "span",
      "Close it? Its data can no longer be read until a window covers it again.",
      "confirm-text",
    );
    const yes = textElement("button", "Close window", "button button-secondary button-small confirm-close");
    yes.type = "button";
    const keep = textElement("button", "Keep", "button button-quiet button-small");
    keep.type = "button";
    keep.addEventListener("click", () => {
      actions.replaceChildren(close);
      close.focus();
    });
    yes.addEventListener("click", () => void this.closeWindow(label, window, yes, keep));
    actions.replaceChildren(question, yes, keep);
    keep.focus();
  }

  private async closeWindow(
    label: string,
    window: AccessWindowView,
    yes: HTMLButtonElement,
    keep: HTMLButtonElement,
  ): Promise<void> {
    yes.disabled = true;
    keep.disabled = true;
    yes.textContent = "Closing…";
    try {
      await api.closeDataWindow(window.id);
    } catch (reason) {
      yes.disabled = false;
      keep.disabled = false;
      yes.textContent = "Close window";
      this.failed("The window could not be closed", reason);
      return;
    }
    this.say(`Closed the data access window ${formatSpan(window.start, window.end)} of ${label}.`);
    await this.hooks.reload();
    this.focusDevice(window.serial);
  }

  /** "Open a window…" and its form: from and to (UTC), defaulting to the chosen range. */
  private openWindowControls(device: DeviceView): HTMLElement[] {
    const label = device.name || device.serial;
    const id = `open-window-${++this.formCount}`;
    const toggle = textElement(
      "button",
      "Open a window…",
      "button button-quiet button-small open-window-toggle",
    );
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", id);
    toggle.setAttribute("aria-label", `Open a data access window for ${label}`);

    const form = document.createElement("form");
    form.className = "window-form";
    form.id = id;
    form.hidden = true;
    form.setAttribute("aria-label", `New data access window for ${label}`);
    const field = (text: string, className: string): HTMLInputElement => {
      const input = document.createElement("input");
      input.type = "datetime-local";
      input.step = "60";
      input.required = true;
      input.className = className;
      input.placeholder = "YYYY-MM-DDTHH:MM";
      const wrapper = document.createElement("label");
      wrapper.className = "range-field";
      wrapper.append(textElement("span", text), input);
      form.append(wrapper);
      return input;
    };
    const from = field("From (UTC)", "window-from");
    const to = field("To (UTC)", "window-to");
    const open = textElement("button", "Open window", "button button-secondary button-small");
    open.type = "submit";
    const cancel = textElement("button", "Cancel", "button button-quiet button-small");
    cancel.type = "button";
    const note = textElement("p", "", "hint window-note");
    note.setAttribute("aria-live", "polite");
    const buttons = document.createElement("div");
    buttons.className = "window-form-buttons";
    buttons.append(open, cancel);
    form.append(buttons, note);

    const describe = (): void => {
      const start = parseUtcInput(from.value);
      const end = parseUtcInput(to.value);
      if (start === null || end === null) {
        note.textContent = "Enter both times (UTC).";
      } else if (start >= end) {
        note.textContent = "The start must come before the end.";
      } else {
        const texts = windowTexts(start, end);
        note.textContent = texts.local ? `That is ${texts.local}.` : `That is ${texts.utc}.`;
      }
    };
    const show = (shown: boolean): void => {
      form.hidden = !shown;
      toggle.setAttribute("aria-expanded", String(shown));
      if (shown) {
        const range = this.hooks.range() ?? {
          from: Date.now() - DAY_MS,
          to: Date.now(),
        };
        from.value = toUtcInput(range.from);
        to.value = toUtcInput(range.to);
        describe();
        from.focus();
      } else {
        toggle.focus();
      }
    };
    toggle.addEventListener("click", () => show(form.hidden));
    cancel.addEventListener("click", () => show(false));
    from.addEventListener("input", describe);
    to.addEventListener("input", describe);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const start = parseUtcInput(from.value);
      const end = parseUtcInput(to.value);
      if (start === null || end === null || start >= end) {
        describe();
        return;
      }
      void this.openWindow(device, { from: start, to: end }, open);
    });
    return [toggle, form];
  }

  private async openWindow(
    device: DeviceView,
    range: TimeRange,
    button: HTMLButtonElement,
  ): Promise<void> {
    const label = device.name || device.serial;
    button.disabled = true;
    button.textContent = "Opening…";
    let window: AccessWindowView;
    try {
      window = await api.openDataWindow(device.serial, range.from, range.to);
    } catch (reason) {
      button.disabled = false;
      button.textContent = "Open window";
      this.failed(`No window could be opened for ${label}`, reason);
      return;
    }
    this.say(
      `Opened a data access window for ${label}: ${formatSpan(window.start, window.end)}.`,
    );
    await this.hooks.reload();
    this.focusDevice(device.serial);
  }

  private async registerDevice(): Promise<void> {
    const serial = this.serial.value.trim();
    const name = this.name.value.trim();
    if (serial === "") {
      this.say("Enter the device's serial number (as printed on it).", "refused");
      this.serial.focus();
      return;
    }
    this.registerButton.disabled = true;
    this.registerButton.textContent = "Registering…";
    try {
      await api.registerDevice(serial, name);
    } catch (reason) {
      this.failed(`${serial} could not be registered`, reason);
      return;
    } finally {
      this.registerButton.disabled = false;
      this.registerButton.textContent = "Register";
    }
    this.register.reset();
    this.say(
      `Registered ${serial}${name ? ` as ${name}` : ""}. Its data can be read once a data ` +
        "access window covers it: open one under the device.",
    );
    await this.hooks.reload();
    if (!this.focusDevice(serial)) {
      this.serial.focus();
    }
  }

  /** Puts focus on `serial`'s "Open a window…" after the list was redrawn. */
  private focusDevice(serial: string): boolean {
    for (const item of document.querySelectorAll<HTMLElement>("#devices li[data-serial]")) {
      if (item.dataset.serial === serial) {
        const toggle = item.querySelector<HTMLButtonElement>(".open-window-toggle");
        toggle?.focus();
        return toggle !== null;
      }
    }
    return false;
  }

  private failed(what: string, reason: unknown): void {
    const error: AppError = api.toAppError(reason);
    if (this.hooks.sessionEnded(error)) {
      return;
    }
    this.say(`${what}: ${error.message}`, error.kind);
  }

  /** The devices' status line: a plain notice, or an error of `kind`. */
  private say(text: string, kind: string = "info"): void {
    this.status.dataset.kind = kind;
    this.status.textContent = text;
  }
}
