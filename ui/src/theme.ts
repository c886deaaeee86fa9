// The colour theme: System (the desktop's light or dark, through the stylesheet's
// light-dark() colours), Light or Dark, chosen in the header and remembered. main.ts applies
// the stored choice before the page is drawn (the CSP allows no inline script in the page);
// canvases read the theme's colours with themeColour and redraw on THEME_EVENT.

import { loadPref, savePref, THEME_KEY } from "./prefs";

export type ThemeChoice = "system" | "light" | "dark";

const CHOICES: readonly ThemeChoice[] = ["system", "light", "dark"];

/** Fired on `window` after the user chose another theme (the page's colours changed). */
export const THEME_EVENT = "telltale-theme";

/** A stored or picked value as a choice: anything unknown means System. */
export function parseTheme(raw: unknown): ThemeChoice {
  return CHOICES.find((choice) => choice === raw) ?? "system";
}

/** Puts `choice` on <html data-theme>, which styles.css reads. */
export function applyTheme(choice: ThemeChoice): void {
  document.documentElement.dataset.theme = choice;
}

/** The stored choice, applied; call before the first paint. */
export function applyStoredTheme(): ThemeChoice {
  const choice = parseTheme(loadPref(THEME_KEY));
  applyTheme(choice);
  return choice;
}

/** Wires the header's picker: shows the applied choice; a pick applies, stores and says so. */
export function wireThemePicker(select: HTMLSelectElement): void {
  select.value = parseTheme(document.documentElement.dataset.theme);
  select.addEventListener("change", () => {
    const choice = parseTheme(select.value);
    applyTheme(choice);
    savePref(THEME_KEY, choice === "system" ? null : choice);
    window.dispatchEvent(new Event(THEME_EVENT));
  });
}

/** An element that is never shown, whose computed colour resolves a variable for canvases. */
let probe: HTMLElement | null = null;

/** The colour the CSS variable `name` stands for now, as the browser computes it
 *  ("rgb(…)"): the stylesheet's colours are light-dark() pairs, which a canvas cannot read.
 *  `fallback` when the variable is not set. */
export function themeColour(name: string, fallback: string): string {
  if (!probe || !probe.isConnected) {
    probe = document.createElement("span");
    probe.hidden = true;
    probe.setAttribute("aria-hidden", "true");
    document.documentElement.append(probe);
  }
  probe.style.color = `var(${name}, ${fallback})`;
  return getComputedStyle(probe).color || fallback;
}
