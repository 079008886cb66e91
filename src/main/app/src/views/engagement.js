// Next to the open worries on the clinician's pages: the engagement alerts about their patients, opened by the
// server when a mentee has had no peer contact for their program's number of days. Nothing to acknowledge: each
// closes by itself when a peer contact is logged, so the list only shows what is open now.
import { useEffect, useState } from "preact/hooks";
import { html } from "../ui.js";
import { t, formatDate } from "../i18n.js";
import { search, ref, humanName, SYS } from "../fhir.js";
import { NO_PEER_CONTACT } from "../data.js";

function input(task, code) {
  const found = (task.input || []).find((i) => (i.type?.coding || []).some((c) => c.system === SYS.engagement && c.code === code));
  return found ? (found.valueDateTime ?? found.valueUnsignedInt) : null;
}

export function EngagementAlerts({ client, subjects }) {
  const [open, setOpen] = useState([]);
  const [error, setError] = useState(null);
  const key = subjects.join(",");

  useEffect(() => {
    if (!subjects.length) { setOpen([]); return; }
    (async () => {
      try {
        const found = await search(client, `Task?patient=${key}&code=${encodeURIComponent(NO_PEER_CONTACT)}&status=requested,received,accepted,in-progress&_include=Task:patient&_count=50`, 2);
        const patients = new Map(found.filter((r) => r.resourceType === "Patient").map((p) => [ref(p), p]));
        setOpen(found.filter((r) => r.resourceType === "Task")
          .map((task) => ({ task, patient: patients.get(task.for?.reference), since: input(task, "gap-start") }))
          .sort((a, b) => new Date(a.since || 0) - new Date(b.since || 0)));
      } catch (err) {
        setError(err.message);
      }
    })();
  }, [client, key]);

  if (!open.length && !error) return null;
  return html`<section class="worries" id="engagement-alerts" aria-label=${t("engagement.openRegion")}>
    ${open.length > 0 && html`<h2>${t("engagement.openTitle", { count: open.length })}</h2>`}
    ${error && html`<p class="notice notice-error" role="alert">${error}</p>`}
    <ul class="plain">
      ${open.map(({ task, patient, since }) => html`<li class="worry-item" data-engagement-alert=${task.id}>
        <p class="item-head"><strong>${humanName(patient)}</strong></p>
        <p>${t("engagement.since", { days: input(task, "threshold-days") ?? "", date: since ? formatDate(since) : "" })}</p>
      </li>`)}
    </ul>
    ${open.length > 0 && html`<p class="muted">${t("engagement.closesItself")}</p>`}
  </section>`;
}
