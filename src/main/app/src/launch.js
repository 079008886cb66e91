import { startLaunch } from "./auth.js";
import { t } from "./i18n.js";

const status = document.getElementById("launch-status");
// Without signal, signing in cannot work (and fhirclient, finding no server, would take it for an open one): say so
// instead. What this device kept is shown once signed in; a tab that was signed in keeps its session across reloads.
if (!navigator.onLine) {
  status.textContent = t("launch.offline");
} else {
  status.textContent = t("launch.signingIn");
  startLaunch().catch(() => {
    status.textContent = navigator.onLine ? t("launch.failed") : t("launch.offline");
  });
}
