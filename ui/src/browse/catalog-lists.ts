// The catalog's lists (catalog.ts): the items of the devices, groups and sessions lists and
// the rows of the resources table, built from what Rust answered; each list's words for
// being empty. Everything the server named goes in as text.

import type { CatalogView, DeviceView, ResourceView, SessionView } from "../api";
import { textElement } from "../dom";
import { formatSpan, formatUtc } from "./format";

/** The devices with a box to tick each (ticked unless in `unticked`). A Riot device shows
 *  its data access windows (`riotWindows`), a device shared on the old API its windows. */
export function deviceItems(
  catalog: CatalogView,
  unticked: ReadonlySet<string>,
  riotWindows: (device: DeviceView) => HTMLElement,
): HTMLElement[] {
  const items = catalog.devices.map((device) => {
    const item = document.createElement("li");
    item.dataset.serial = device.serial;
    item.dataset.owned = String(device.owned);
    const label = document.createElement("label");
    label.className = "device";
    const pick = document.createElement("input");
    pick.type = "checkbox";
    pick.className = "device-pick";
    pick.checked = !unticked.has(device.serial);
    // A device shared with you may come without a name: its serial then stands once.
    label.append(pick, textElement("span", device.name || device.serial, "device-name"));
    if (device.name && device.name !== device.serial) {
      label.append(" ", textElement("span", device.serial, "mono muted"));
    }
    item.append(label);
    if (catalog.dialect === "riot") {
      item.append(riotWindows(device));
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
  if (items.length > 0) {
    return items;
  }
  const none =
    catalog.dialect === "riot"
      ? "No devices yet. Register yours below; a device shows here once you own it or someone shares it with you."
      : "No devices can be read with this account.";
  return [textElement("li", none, "muted")];
}

/** The groups, a hidden one marked. */
export function groupItems(groups: CatalogView["groups"]): HTMLElement[] {
  const items = groups.map((group) => {
    const item = textElement("li", group.name);
    item.dataset.groupId = String(group.id);
    if (group.hidden) {
      item.append(" ", textElement("span", "hidden", "tag"));
    }
    return item;
  });
  return items.length > 0 ? items : [textElement("li", "No groups.", "muted")];
}

/** The sessions, each with an Open button that calls `open`. */
export function sessionItems(
  sessions: readonly SessionView[],
  open: (session: SessionView) => void,
): HTMLElement[] {
  const items = sessions.map((session) => {
    const item = document.createElement("li");
    item.dataset.sessionId = String(session.id);
    item.dataset.start = String(session.start);
    item.className = "session";
    const text = document.createElement("div");
    const owner =
      session.ownerName ?? (session.ownerId !== null ? `user ${session.ownerId}` : "unknown");
    text.append(
      textElement("span", session.name || `Session ${session.id}`, "session-name"),
      textElement("span", formatSpan(session.start, session.end), "session-span"),
      textElement("span", `Owner: ${owner}`, "session-owner muted"),
    );
    const button = textElement(
      "button",
      "Open",
      "button button-secondary button-small open-session",
    );
    button.type = "button";
    button.setAttribute("aria-label", `Open session ${session.name || session.id}`);
    button.addEventListener("click", () => open(session));
    item.append(text, button);
    return item;
  });
  return items.length > 0 ? items : [textElement("li", "No sessions.", "muted")];
}

/** The `count` sessions that started last, newest first. */
export function recentSessions(sessions: readonly SessionView[], count: number): SessionView[] {
  return [...sessions].sort((a, b) => b.start - a.start || b.id - a.id).slice(0, count);
}

/** The resources table's rows: device, start, end and the kinds of data. */
export function resourceRows(resources: readonly ResourceView[]): HTMLTableRowElement[] {
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
  return rows.length > 0 ? rows : [noteRow("No data recorded in this range.")];
}

/** A row of the resources table that says something instead of listing. */
export function noteRow(text: string): HTMLTableRowElement {
  const row = document.createElement("tr");
  const cell = textElement("td", text, "muted");
  cell.colSpan = 4;
  row.append(cell);
  return row;
}
