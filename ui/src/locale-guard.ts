// Imported first by browse/index.ts, before uPlot: uPlot builds an Intl.NumberFormat from
// navigator.language when its module loads. WebKitGTK reports the process locale as it is,
// so under LANG=C (or POSIX) navigator.language is "C", which Intl rejects with a RangeError
// and the whole page fails to start. An unusable tag is replaced by "en-US" on this page.

function usableTag(tag: string | undefined): boolean {
  if (!tag) {
    return false;
  }
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

if (!usableTag(navigator.language)) {
  Object.defineProperty(navigator, "language", { value: "en-US", configurable: true });
  Object.defineProperty(navigator, "languages", { value: ["en-US"], configurable: true });
}

export {};
