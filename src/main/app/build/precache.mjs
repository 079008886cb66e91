// A Vite plugin that writes the service worker (sw/sw.js, with sw/route.js inlined) into the build, with the list
// of every file the build emitted (the pages and the hashed scripts and styles) to keep on install. The cache's name
// carries a digest of that list, so a new build gets a new cache and the old one is deleted when it takes over.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createHash } from "node:crypto";

const here = resolve(import.meta.dirname, "../sw");

export function precache() {
  return {
    name: "alongside-precache",
    apply: "build",
    writeBundle(options, bundle) {
      const files = Object.keys(bundle).filter((f) => f.endsWith(".html") || f.startsWith("assets/")).sort();
      const digest = createHash("sha256").update(files.join("\n")).digest("hex").slice(0, 12);
      const route = readFileSync(join(here, "route.js"), "utf8").replace(/^export /gm, "");
      const worker = readFileSync(join(here, "sw.js"), "utf8");
      writeFileSync(join(options.dir, "sw.js"), `"use strict";\nconst CACHE = "alongside-app-${digest}";\n`
        + `const PRECACHE = ${JSON.stringify(files)};\n${route}\n${worker}`);
    },
  };
}
