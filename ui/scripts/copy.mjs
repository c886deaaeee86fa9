// Copies the static files next to the bundle in dist/.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
mkdirSync(dist, { recursive: true });
for (const name of ["index.html", "styles.css"]) {
  copyFileSync(join(root, name), join(dist, name));
  console.log(`copied ${name} -> dist/${name}`);
}
// The browse area's stylesheet lives beside its code.
copyFileSync(join(root, "src/browse/browse.css"), join(dist, "browse.css"));
console.log("copied src/browse/browse.css -> dist/browse.css");
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
