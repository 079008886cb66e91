// The app's service worker (served at <context>/app/sw.js, scope <context>/app/): the app opens without signal.
// The build (build/precache.mjs) puts route.js above this and the list of the build's files in PRECACHE. It keeps
// only the app's own files: pages and scripts, no patient data (what the pages read is kept by offline.js, encrypted).
/* global PRECACHE, CACHE, route, shellFor */

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(PRECACHE.map((file) => new Request(new URL(file, self.registration.scope), { cache: "reload" }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // an earlier build's files are of no use to this one's pages
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith("alongside-app-") && n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const how = route(request.url, self.registration.scope, request.method);
  if (how === "cache-first") event.respondWith(cacheFirst(request));
  else if (how === "network-first") event.respondWith(networkFirst(request));
  // "never": not answered here, the browser asks the network as if there were no worker
});

async function cacheFirst(request) {
  const kept = await caches.match(request, { cacheName: CACHE });
  return kept || fetch(request);
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    const cache = await caches.open(CACHE);
    const kept = await cache.match(new URL(shellFor(request.url, self.registration.scope), self.registration.scope).href);
    if (kept) return kept;
    throw offline;
  }
}
