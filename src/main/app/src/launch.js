import { startLaunch } from "./auth.js";
import { t } from "./i18n.js";

const status = document.getElementById("launch-status");
status.textContent = t("launch.signingIn");
startLaunch().catch(() => {
  status.textContent = t("launch.failed");
});
