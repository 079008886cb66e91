import { defineConfig } from "vite";
import { resolve } from "node:path";
import { precache } from "./build/precache.mjs";

// Built into target/app-web/app; Maven copies target/app-web into the WAR, so the pages are served at
// <context root>/app/. The build uses relative asset URLs ("./assets/..."), because the context root is the
// host server's choice (/ standalone, e.g. /alongside embedded: docs/operations.md). The dev server keeps /app/.
export default defineConfig(({ command }) => ({
  base: command === "build" ? "./" : "/app/",
  // sw.js: the service worker that keeps the app's own files for a start without signal (build/precache.mjs)
  plugins: [precache()],
  build: {
    outDir: resolve(import.meta.dirname, "../../../target/app-web/app"),
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, "index.html"),
        launch: resolve(import.meta.dirname, "launch.html"),
      },
      output: {
        // preact, the words (en, es) and the clinician's and supervisor's pages in chunks of their own: every script
        // stays under the server's 32 KB response buffer, past which Liberty sends it chunked, without its length
        // (AppShellIT checks the entry script)
        manualChunks(id) {
          if (/node_modules[\\/](preact|htm)[\\/]/.test(id)) return "preact";
          if (/src[\\/]messages[\\/]/.test(id)) return "messages";
          return /src[\\/](views[\\/](clinician|supervisor|worries|engagement)|matching|supervision)\.js$/.test(id) ? "staff" : undefined;
        },
      },
    },
  },
  server: {
    port: 5173,
    // the FHIR server in development: mvn -DskipTests package liberty:run
    proxy: { "/fhir": "http://localhost:9080", "/auth": "http://localhost:9080", "/app/config.json": "http://localhost:9080" },
  },
}));
