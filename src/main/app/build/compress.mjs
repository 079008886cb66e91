// Precompresses the built app (gzip, best compression) next to each file: name.js.gz beside name.js. The server's
// app.AppAssets filter sends the .gz to browsers that accept gzip, so nothing is compressed per request.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync, constants } from "node:zlib";

const outDir = resolve(import.meta.dirname, "../../../../target/app-web/app");
const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]);
}

for (const file of walk(outDir).filter((f) => COMPRESSIBLE.test(f))) {
  writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: constants.Z_BEST_COMPRESSION }));
}
