import { render } from "preact";
import { App } from "./app.js";
import { readyClient } from "./auth.js";
import { loadConfig } from "./config.js";
import "./style.css";

async function boot() {
  const [client] = await Promise.all([readyClient(), loadConfig()]);
  if (!client) {
    // no launch in this tab yet: start a standalone launch against this server
    window.location.replace(new URL("launch.html", document.baseURI).href);
    return;
  }
  render(App({ client }), document.getElementById("root"));
}

/**
 * The service worker keeps the app's own files (never the FHIR API's answers) so the app opens without signal.
 * Only in the build (the dev server has no sw.js) and only where the browser has one over http(s).
 */
function keepForOffline() {
  if (!import.meta.env.PROD || !("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  navigator.serviceWorker.register(new URL("sw.js", document.baseURI), { scope: new URL("./", document.baseURI).href })
    .catch(() => { /* no offline start: the app works as before */ });
}

keepForOffline();
boot();
