// The UI tests' one way to import TypeScript: bundle a module with esbuild into a temporary
// folder (removed after the run), then import it. `path` is relative to ui/.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = mkdtempSync(join(tmpdir(), "telltale-ui-test-"));
after(() => rmSync(out, { recursive: true, force: true }));

export async function loadTs(path) {
  const outfile = join(out, `${path.replaceAll("/", "-")}.mjs`);
  await build({
    entryPoints: [join(root, path)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile,
    logLevel: "error",
  });
  return import(pathToFileURL(outfile).href);
}
