// The workspace's two splitters: between the sidebar and the main area, and between the
// map and the charts. Each is dragged with the pointer or moved from the keyboard
// (role="separator": arrows, with Shift further; Home and End), and a double click puts the
// initial size back. A size goes to a CSS property on <html> (the stylesheets size the
// panes with it) and to localStorage. The map and the charts follow their boxes' new sizes
// through the browse area's ResizeObserver. Loaded with the browse area: nothing here is
// needed before the first sign-in shows the workspace.

import { byId } from "./dom";
import { LAYOUT_KEY, loadPref, savePref } from "./prefs";
import {
  CSS_PROPERTY,
  MAP,
  RANGES,
  SIDEBAR,
  capped,
  clampSize,
  cssSize,
  keyedSize,
  parseSizes,
  serializeSizes,
  type PaneName,
  type PaneSizes,
  type SplitRange,
} from "./split";

/** The sidebar takes at most this share of the window (as `45vw` in styles.css). */
const SIDEBAR_SHARE = 0.45;

interface SplitterSpec {
  name: PaneName;
  element: HTMLElement;
  orientation: "vertical" | "horizontal";
  /** The bounds now (the sidebar's largest width depends on the window's). */
  range(): SplitRange;
  /** The size laid out now, or null while the pane is not shown. */
  measured(): number | null;
  /** The size for a pointer at this place. */
  sizeAt(event: PointerEvent): number;
  /** The size in words, for aria-valuetext. */
  describe(size: number): string;
}

/** Wires the sidebar's and the map's splitters (their elements are in index.html). */
export function installSplitters(): void {
  const sidebar = byId("sidebar", HTMLElement);
  const panes = byId("dataset-panes", HTMLElement);
  const mapPane = byId("map-pane", HTMLElement);
  const sidebarRange = (): SplitRange => capped(SIDEBAR, window.innerWidth * SIDEBAR_SHARE);
  const sidebarSplitter = new Splitter({
    name: "sidebar",
    element: byId("sidebar-splitter", HTMLElement),
    orientation: "vertical",
    range: sidebarRange,
    measured: () => shownSize(sidebar.getBoundingClientRect().width),
    sizeAt: (event) => event.clientX - sidebar.getBoundingClientRect().left,
    describe: (size) => `Sidebar ${size} pixels wide`,
  });
  new Splitter({
    name: "map",
    element: byId("map-splitter", HTMLElement),
    orientation: "horizontal",
    range: () => MAP,
    measured: () => {
      const height = panes.getBoundingClientRect().height;
      return height > 0 ? (mapPane.getBoundingClientRect().height / height) * 100 : null;
    },
    sizeAt: (event) => {
      const box = panes.getBoundingClientRect();
      return box.height > 0 ? ((event.clientY - box.top) / box.height) * 100 : MAP.initial;
    },
    describe: (size) => `Map ${size}% of the height`,
  });
  // A narrower window lowers the sidebar's largest width: say so to assistive technology.
  window.addEventListener("resize", () => sidebarSplitter.showValue());
}

function shownSize(size: number): number | null {
  return size > 0 ? size : null;
}

class Splitter {
  /** The size asked for (stored or dragged); the layout may show less (a narrow window). */
  private size: number;

  constructor(private readonly spec: SplitterSpec) {
    const { element } = spec;
    this.size = storedSizes()[spec.name] ?? RANGES[spec.name].initial;
    element.addEventListener("keydown", (event) => this.key(event));
    element.addEventListener("pointerdown", (event) => this.drag(event));
    element.addEventListener("dblclick", () => this.reset());
    element.addEventListener("focus", () => this.showValue());
    this.showValue();
  }

  /** aria-valuenow/min/max/text from the size shown (or asked for, while hidden). */
  showValue(): void {
    const range = this.spec.range();
    const measured = this.spec.measured();
    const now = clampSize(measured ?? this.size, range);
    const element = this.spec.element;
    element.setAttribute("aria-valuemin", String(range.min));
    element.setAttribute("aria-valuemax", String(range.max));
    element.setAttribute("aria-valuenow", String(now));
    element.setAttribute("aria-valuetext", this.spec.describe(now));
  }

  private key(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const range = this.spec.range();
    const from = clampSize(this.spec.measured() ?? this.size, range);
    const size = keyedSize(event.key, event.shiftKey, from, range, this.spec.orientation);
    if (size === null) {
      return;
    }
    event.preventDefault();
    this.set(size, true);
  }

  /** Follows the pointer until it is let go; the size is stored then. */
  private drag(event: PointerEvent): void {
    if (event.button !== 0) {
      return;
    }
    // No text selection and no native drag while moving.
    event.preventDefault();
    const element = this.spec.element;
    element.setPointerCapture(event.pointerId);
    element.classList.add("dragging");
    let moved = false;
    const move = (at: PointerEvent): void => {
      moved = true;
      this.set(this.spec.sizeAt(at), false);
    };
    const end = (): void => {
      element.removeEventListener("pointermove", move);
      element.removeEventListener("lostpointercapture", end);
      element.classList.remove("dragging");
      // Stored as laid out: a pane's least content may have kept it larger than asked.
      if (moved) {
        this.set(this.spec.measured() ?? this.size, true);
      }
    };
    element.addEventListener("pointermove", move);
    element.addEventListener("lostpointercapture", end);
  }

  private set(size: number, store: boolean): void {
    this.size = clampSize(size, this.spec.range());
    const name = this.spec.name;
    document.documentElement.style.setProperty(CSS_PROPERTY[name], cssSize(name, this.size));
    if (store) {
      storeSize(name, this.size);
    }
    // The layout follows in the next frame; the value said is the size asked for.
    const element = this.spec.element;
    element.setAttribute("aria-valuenow", String(this.size));
    element.setAttribute("aria-valuetext", this.spec.describe(this.size));
  }

  /** Back to the stylesheet's size, and nothing stored. */
  private reset(): void {
    const name = this.spec.name;
    this.size = RANGES[name].initial;
    document.documentElement.style.removeProperty(CSS_PROPERTY[name]);
    storeSize(name, null);
    this.showValue();
  }
}

function storedSizes(): PaneSizes {
  return parseSizes(loadPref(LAYOUT_KEY));
}

function storeSize(name: PaneName, size: number | null): void {
  const sizes = storedSizes();
  if (size === null) {
    delete sizes[name];
  } else {
    sizes[name] = size;
  }
  const text = serializeSizes(sizes);
  savePref(LAYOUT_KEY, text === "{}" ? null : text);
}
