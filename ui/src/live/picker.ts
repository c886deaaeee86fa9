// The way into Live: "Live…" (#live-open) opens a short form listing the catalog's devices
// (#live-devices, every one ticked at first: all are the user's own or shared with them)
// and "Start live" (#live-start) starts watching the ticked ones. Ticks the user took away
// are remembered while the account is shown.

import type { CatalogView, DeviceView } from "../api";
import { byId, textElement } from "../dom";

export interface PickerHooks {
  /** Watch these devices. */
  start(serials: string[]): void;
}

export class LivePicker {
  private readonly opener = byId("live-open", HTMLButtonElement);
  private readonly form = byId("live-picker", HTMLFormElement);
  private readonly list = byId("live-devices", HTMLUListElement);
  private readonly startButton = byId("live-start", HTMLButtonElement);
  private readonly cancel = byId("live-cancel", HTMLButtonElement);
  private readonly hint = byId("live-hint", HTMLElement);
  /** Null until the catalog is read. */
  private devices: DeviceView[] | null = null;
  private readonly unticked = new Set<string>();

  constructor(private readonly hooks: PickerHooks) {
    this.opener.addEventListener("click", () => this.toggle(this.form.hidden));
    this.cancel.addEventListener("click", () => this.toggle(false));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.list.addEventListener("change", (event) => {
      const target = event.target;
      if (target instanceof HTMLInputElement && target.type === "checkbox") {
        if (target.checked) {
          this.unticked.delete(target.value);
        } else {
          this.unticked.add(target.value);
        }
        this.hint.textContent = "";
      }
    });
  }

  /** The catalog was read (or forgotten: null): its devices are the ones to pick from. */
  show(catalog: CatalogView | null): void {
    this.devices = catalog ? catalog.devices : null;
    this.render();
  }

  /** Back to the start (sign-out, another account). */
  clear(): void {
    this.unticked.clear();
    this.devices = null;
    this.form.hidden = true;
    this.opener.setAttribute("aria-expanded", "false");
    this.hint.textContent = "";
    this.render();
  }

  /** Focus back on "Live…" (after Stop live). */
  focus(): void {
    this.opener.focus();
  }

  private toggle(open: boolean): void {
    this.form.hidden = !open;
    this.opener.setAttribute("aria-expanded", String(open));
    this.hint.textContent = "";
    if (open) {
      this.render();
      (this.list.querySelector<HTMLInputElement>("input") ?? this.startButton).focus();
    } else {
      this.opener.focus();
    }
  }

  private render(): void {
    const devices = this.devices;
    this.startButton.disabled = !devices || devices.length === 0;
    if (!devices || devices.length === 0) {
      this.list.replaceChildren(
        textElement(
          "li",
          devices ? "No devices can be watched with this account." : "Fetching your devices…",
          "muted",
        ),
      );
      return;
    }
    this.list.replaceChildren(
      ...devices.map((device) => {
        const item = document.createElement("li");
        item.dataset.serial = device.serial;
        const label = document.createElement("label");
        label.className = "device";
        const pick = document.createElement("input");
        pick.type = "checkbox";
        pick.value = device.serial;
        pick.checked = !this.unticked.has(device.serial);
        label.append(
          pick,
          textElement("span", device.name || device.serial, "device-name"),
          " ",
          textElement("span", device.serial, "mono muted"),
        );
        if (!device.owned) {
          label.append(textElement("span", "shared with you", "tag"));
        }
        item.append(label);
        return item;
      }),
    );
  }

  private submit(): void {
    const serials = [
      ...this.list.querySelectorAll<HTMLInputElement>("input[type=checkbox]"),
    ]
      .filter((pick) => pick.checked)
      .map((pick) => pick.value);
    if (serials.length === 0) {
      this.hint.textContent = "Tick at least one device.";
      return;
    }
    this.form.hidden = true;
    this.opener.setAttribute("aria-expanded", "false");
    this.hooks.start(serials);
  }
}
