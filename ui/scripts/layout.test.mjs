// Tests of the workspace's pure parts: the splitters' arithmetic and the reading of stored
// pane sizes (src/split.ts; localStorage is untrusted, so hostile values too), the theme
// choice (src/theme.ts), and the stylesheet's one palette of light-dark() colours. Bundled by
// esbuild first, like helpers.test.mjs.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadTs, root } from "./load-ts.mjs";

const split = await loadTs("src/split.ts");
const theme = await loadTs("src/theme.ts");
const { SIDEBAR, MAP } = split;

test("sizes are rounded and kept inside their bounds", () => {
  assert.equal(split.clampSize(300.4, SIDEBAR), 300);
  assert.equal(split.clampSize(10, SIDEBAR), SIDEBAR.min);
  assert.equal(split.clampSize(10_000, SIDEBAR), SIDEBAR.max);
  assert.equal(split.clampSize(Number.NaN, MAP), MAP.initial);
  assert.equal(split.clampSize(Number.POSITIVE_INFINITY, MAP), MAP.initial);
  assert.equal(split.clampSize(12.5, { ...MAP, min: 0 }), 13);
});

test("a window too narrow for the sidebar's max leaves its min", () => {
  assert.deepEqual(split.capped(SIDEBAR, 1000), { ...SIDEBAR, max: 560 });
  assert.equal(split.capped(SIDEBAR, 405.7).max, 405);
  assert.equal(split.capped(SIDEBAR, 100).max, SIDEBAR.min);
  assert.equal(split.clampSize(500, split.capped(SIDEBAR, 100)), SIDEBAR.min);
});

test("arrows move a splitter along its own axis only; Shift moves further", () => {
  const at = (key, value, orientation, shift = false, range = SIDEBAR) =>
    split.keyedSize(key, shift, value, range, orientation);
  assert.equal(at("ArrowLeft", 336, "vertical"), 320);
  assert.equal(at("ArrowRight", 336, "vertical"), 352);
  assert.equal(at("ArrowRight", 336, "vertical", true), 400);
  assert.equal(at("ArrowUp", 336, "vertical"), null);
  assert.equal(at("ArrowDown", 55, "horizontal", false, MAP), 60);
  assert.equal(at("ArrowUp", 55, "horizontal", true, MAP), 40);
  assert.equal(at("ArrowLeft", 55, "horizontal", false, MAP), null);
  assert.equal(at(" ", 55, "horizontal", false, MAP), null);
  assert.equal(at("Enter", 336, "vertical"), null);
});

test("steps stop at the bounds; Home and End go to them", () => {
  const min = SIDEBAR.min;
  assert.equal(split.keyedSize("ArrowLeft", false, min + 3, SIDEBAR, "vertical"), min);
  assert.equal(split.keyedSize("ArrowDown", true, 79, MAP, "horizontal"), MAP.max);
  assert.equal(split.keyedSize("Home", false, 400, SIDEBAR, "vertical"), SIDEBAR.min);
  assert.equal(split.keyedSize("End", false, 400, SIDEBAR, "vertical"), SIDEBAR.max);
  assert.equal(split.keyedSize("End", false, 50, MAP, "horizontal"), MAP.max);
  const narrow = split.capped(SIDEBAR, 300);
  assert.equal(split.keyedSize("End", false, 250, narrow, "vertical"), 300);
  assert.equal(split.keyedSize("ArrowRight", true, 250, narrow, "vertical"), 300);
});

test("stored sizes are read back, clamped, and unknown or bad parts dropped", () => {
  assert.deepEqual(split.parseSizes('{"sidebar":400,"map":30}'), { sidebar: 400, map: 30 });
  assert.deepEqual(split.parseSizes('{"sidebar":1e9,"map":-4}'), { sidebar: 560, map: 20 });
  assert.deepEqual(split.parseSizes('{"sidebar":"400","map":null,"x":3}'), {});
  assert.deepEqual(split.parseSizes('{"map":41.6}'), { map: 42 });
  assert.deepEqual(split.parseSizes(null), {});
  assert.deepEqual(split.parseSizes(""), {});
  assert.deepEqual(split.parseSizes("not json"), {});
  assert.deepEqual(split.parseSizes("[400, 30]"), {});
  assert.deepEqual(split.parseSizes("400"), {});
  assert.deepEqual(split.parseSizes("null"), {});
  assert.deepEqual(split.parseSizes('"{\\"map\\":30}"'), {});
  // Inherited keys are not sizes.
  assert.deepEqual(split.parseSizes('{"__proto__":{"sidebar":400}}'), {});
  assert.deepEqual(split.parseSizes(`{"map":30,"pad":"${"x".repeat(2000)}"}`), {});
});

test("anything stored reads as valid sizes, never throws (random texts)", () => {
  // A small deterministic generator: the same cases on every run.
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  const pick = (list) => list[Math.floor(next() * list.length)];
  const keys = ['"sidebar"', '"map"', '"__proto__"', '"constructor"', '"x"', '""'];
  const values = ["1e400", "-1", "0", "33.3", "NaN", "null", "true", '"400"', "[]", "{}",
    "9007199254740993", "-1e-300", "560.5", "1e9", "-0", '{"map":30}'];
  const noise = ["{", "}", '"', "\\", ",", ":", "\u0000", " "];
  let parsed = 0;
  for (let i = 0; i < 5000; i++) {
    const count = Math.floor(next() * 4);
    const entries = Array.from({ length: count }, () => `${pick(keys)}:${pick(values)}`);
    let text = `{${entries.join(",")}}`;
    // Some texts are damaged: cut short, or with a stray character inside.
    const damage = next();
    if (damage < 0.15) {
      text = text.slice(0, Math.floor(next() * text.length));
    } else if (damage < 0.3) {
      const at = Math.floor(next() * text.length);
      text = text.slice(0, at) + pick(noise) + text.slice(at);
    }
    const sizes = split.parseSizes(text);
    for (const [name, size] of Object.entries(sizes)) {
      const range = split.RANGES[name];
      assert.ok(range, `unknown pane ${name} from ${JSON.stringify(text)}`);
      const inside = Number.isInteger(size) && size >= range.min && size <= range.max;
      assert.ok(inside, `${name}=${size}`);
      parsed++;
    }
  }
  // The generator does make valid sizes now and then: the check above ran on some.
  assert.ok(parsed > 0);
});

test("sizes round-trip through storage and become CSS values", () => {
  const text = split.serializeSizes({ sidebar: 999, map: 33.3, other: 1 });
  assert.equal(text, '{"sidebar":560,"map":33}');
  assert.deepEqual(split.parseSizes(text), { sidebar: 560, map: 33 });
  assert.equal(split.cssSize("sidebar", 300), "300px");
  assert.equal(split.cssSize("map", 90), "80%");
});

test("applying sizes sets the stored ones and clears the rest", () => {
  const set = new Map([["--map-share", "70%"]]);
  const style = {
    setProperty: (name, value) => set.set(name, value),
    removeProperty: (name) => {
      set.delete(name);
      return "";
    },
  };
  split.applySizes({ sidebar: 400 }, style);
  assert.deepEqual([...set], [["--sidebar-width", "400px"]]);
  split.applySizes({}, style);
  assert.equal(set.size, 0);
});

test("a theme choice is one of three; anything else means System", () => {
  assert.equal(theme.parseTheme("dark"), "dark");
  assert.equal(theme.parseTheme("light"), "light");
  assert.equal(theme.parseTheme("system"), "system");
  for (const bad of [null, undefined, "", "Dark", " dark", "auto", 1, {}, ["dark"]]) {
    assert.equal(theme.parseTheme(bad), "system", String(bad));
  }
});

test("each colour of the stylesheet is one light-dark() pair, written once", () => {
  const css = readFileSync(join(root, "styles.css"), "utf8");
  const start = css.indexOf(":root {");
  assert.notEqual(start, -1, "no :root block");
  const body = css.slice(start, css.indexOf("}", start));
  const variables = [...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)];
  const notColours = ["--radius", "--font", "--mono"];
  const colours = variables.filter(([, name]) => !notColours.includes(name));
  assert.ok(colours.length >= 20, `only ${colours.length} colours`);
  const pair = /^light-dark\(#[0-9a-f]{6}, #[0-9a-f]{6}\)$/;
  for (const [, name, value] of colours) {
    assert.match(value, pair, `${name}: ${value}`);
  }
  // Nowhere else is a colour set again (a second palette, as a dark block had been).
  const names = new Set(colours.map(([, name]) => name));
  const elsewhere = css.slice(0, start) + css.slice(css.indexOf("}", start));
  const again = [...elsewhere.matchAll(/(--[\w-]+):/g)].map(([, name]) => name);
  assert.deepEqual(again.filter((name) => names.has(name)), []);
  assert.doesNotMatch(css, /prefers-color-scheme/);
});
