// Copies the static files next to the bundle in dist/.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
mkdirSync(dist, { recursive: true });
copyFileSync(join(root, "index.html"), join(dist, "index.html"));
console.log("copied index.html -> dist/index.html");
// The start's stylesheet: the page's own, then the accounts' (one file, one request).
writeFileSync(
  join(dist, "styles.css"),
  readFileSync(join(root, "styles.css"), "utf8") +
    "\n" +
    readFileSync(join(root, "src/accounts.css"), "utf8"),
);
console.log("copied styles.css + src/accounts.css -> dist/styles.css");
// The browse area's stylesheet lives beside its code, with Live's. Leaflet's goes first in
// the same file (the map is in the browse area; one file, no extra request, and ours
// overrides it). Its images are only for layer switchers and default markers, which the map
// does not use.
writeFileSync(
  join(dist, "browse.css"),
  ["node_modules/leaflet/dist/leaflet.css", "src/browse/browse.css", "src/live/live.css"]
    .map((file) => readFileSync(join(root, file), "utf8"))
    .join("\n"),
);
console.log("copied leaflet.css + src/browse/browse.css + src/live/live.css -> dist/browse.css");
// uPlot's own stylesheet, linked from index.html (the CSP allows only our own style files).
copyFileSync(join(root, "node_modules/uplot/dist/uPlot.min.css"), join(dist, "uplot.css"));
console.log("copied uPlot.min.css -> dist/uplot.css");
// The header's mark is the app icon (a raster image: an inline SVG would make the first
// paint wait for WebKit's curve shaders on machines without a GPU).
copyFileSync(join(root, "../icons/64x64.png"), join(dist, "mark.png"));
console.log("copied icons/64x64.png -> dist/mark.png");
// The shipped bundle carries no source map (it would be embedded in the app binary); drop
// one left by an older build.
rmSync(join(dist, "app.js.map"), { force: true });
