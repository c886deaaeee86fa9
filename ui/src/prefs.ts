// The window's UI preferences (the colour theme, the pane sizes), kept by the backend in the
// config folder (telltale-core `prefs`): the web storage of this window is cleared at every
// start, with the sign-in window's. They arrive before the first paint as
// `window.__TELLTALE_PREFS__` (an initialization script) and each change goes back through
// `save_preference`. Only preferences, never tokens or account data. What is read back is
// untrusted text: theme.ts and split.ts parse it defensively.

import { call } from "./api";

export const THEME_KEY = "telltale.theme";
export const LAYOUT_KEY = "telltale.layout";

declare global {
  interface Window {
    __TELLTALE_PREFS__?: Readonly<Record<string, unknown>>;
  }
}

/** This run's view of the preferences: what the backend handed over, then each change. */
const current = new Map<string, string>();
const handed = typeof window === "undefined" ? undefined : window.__TELLTALE_PREFS__;
for (const [key, value] of Object.entries(handed ?? {})) {
  if (typeof value === "string") {
    current.set(key, value);
  }
}

/** The stored text under `key`; null when absent. */
export function loadPref(key: string): string | null {
  return current.get(key) ?? null;
}

/** Stores `value` under `key` (null removes it). It applies at once; if the backend cannot
 *  keep it, the preference lasts until the window closes. */
export function savePref(key: string, value: string | null): void {
  if (value === null) {
    current.delete(key);
  } else {
    current.set(key, value);
  }
  call("save_preference", { name: key, value }).catch((reason: unknown) => {
    console.warn("a preference was not kept", reason);
  });
}
