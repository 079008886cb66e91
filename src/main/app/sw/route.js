// Which requests the service worker answers, and how. Pure (URL strings in, a word out) so node can test it; the
// build inlines it into sw.js. Only the app's own files under the service worker's scope (<context>/app/) are ever
// cached: the FHIR API (/fhir), sign-in (/auth) and the settings (app/config.json, read fresh and kept by config.js)
// always go to the network, and a page controlled by the worker sends those requests through it too, so the rule
// must say so explicitly.

/**
 * "cache-first" for the build's hashed files (assets/), "network-first" for the pages (the scope itself, index.html,
 * launch.html: a new build shows at once, the kept copy answers offline), "never" for everything else.
 */
export function route(url, scope, method = "GET") {
  if (method !== "GET") return "never";
  const target = new URL(url);
  const base = new URL(scope);
  if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) return "never";
  const path = target.pathname.slice(base.pathname.length);
  if (path.startsWith("assets/") && !path.includes("..")) return "cache-first";
  if (path === "" || path === "index.html" || path === "launch.html") return "network-first";
  return "never";
}

/** The kept page a navigation falls back to offline: the sign-in page for itself, the app's shell for the rest. */
export function shellFor(url, scope) {
  const path = new URL(url).pathname.slice(new URL(scope).pathname.length);
  return path === "launch.html" ? "launch.html" : "index.html";
}
