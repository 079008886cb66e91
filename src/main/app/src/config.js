// Settings the server exposes to the app (GET /app/config.json, no patient data); defaults mirror the server's.
const defaults = {
  clientId: "alongside-app",
  overdueDays: 7,
  caseloadLimit: 15,
  billingUnitMinutes: 15,
  billingMinimumMinutes: 8,
  groupsClaim: "groups",
};

const CACHE_KEY = "alongside.config";
let loaded = { ...defaults, ...cached() };

function cached() {
  try { return JSON.parse(localStorage.getItem(CACHE_KEY) || "{}"); } catch (_) { return {}; }
}

export async function loadConfig() {
  try {
    const resp = await fetch(new URL("config.json", document.baseURI), { cache: "no-store" });
    if (resp.ok) {
      const fresh = await resp.json();
      loaded = { ...defaults, ...fresh };
      try { localStorage.setItem(CACHE_KEY, JSON.stringify(fresh)); } catch (_) { /* not cached */ }
    }
  } catch (_) {
    // offline: keep the defaults (or what an earlier load gave)
  }
  return loaded;
}

export function config() {
  return loaded;
}
