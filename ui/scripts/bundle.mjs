// Bundles the TypeScript into dist/: app.js, the page's module, and under dist/chunks/ the
// parts it imports on first use (the browse area with uPlot) and the code they share.
// Chunks from an earlier build are removed first, so none is embedded in the app.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(join(dist, "chunks"), { recursive: true, force: true });
const result = await build({
  entryPoints: { app: join(root, "src/main.ts") },
  bundle: true,
  splitting: true,
  format: "esm",
  target: "es2021",
  minify: true,
  outdir: dist,
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
  // Leaflet's package names its UMD build as main; its ES module build bundles cleaner.
  alias: { leaflet: join(root, "node_modules/leaflet/dist/leaflet-src.esm.js") },
});
for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
  console.log(`bundled ${file} (${bytes} bytes)`);
}
