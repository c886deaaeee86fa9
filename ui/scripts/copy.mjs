// Copies the static files next to the bundle in dist/.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
mkdirSync(dist, { recursive: true });
for (const name of ["index.html", "styles.css"]) {
  copyFileSync(join(root, name), join(dist, name));
  console.log(`copied ${name} -> dist/${name}`);
}
