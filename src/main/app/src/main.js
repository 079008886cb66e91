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

boot();
