// At the top of the clinician's pages: the "I'm worried" escalations about their patients that nobody has
// acknowledged yet. Acknowledging moves the Task on (accepted) and closes its Flag, in one transaction.
import { useEffect, useState, useCallback } from "preact/hooks";
import { html, Notice } from "../ui.js";
import { t, codeLabel, formatDateTime } from "../i18n.js";
import { get, post, search, ref, humanName, idOf } from "../fhir.js";
import { WORRIED } from "../data.js";

export function OpenWorries({ client, subjects }) {
  const [open, setOpen] = useState([]);
  const [notice, setNotice] = useState(null);
  const key = subjects.join(",");

  const load = useCallback(async () => {
    if (!subjects.length) { setOpen([]); return; }
    try {
      const found = await search(client, `Task?patient=${key}&code=${encodeURIComponent(WORRIED)}&status=requested,received&_include=Task:patient&_count=50`, 2);
      const patients = new Map(found.filter((r) => r.resourceType === "Patient").map((p) => [ref(p), p]));
      setOpen(found.filter((r) => r.resourceType === "Task")
        .map((task) => ({ task, patient: patients.get(task.for?.reference) }))
        .sort((a, b) => new Date(b.task.authoredOn || 0) - new Date(a.task.authoredOn || 0)));
    } catch (err) {
      setNotice({ type: "error", text: err.message });
    }
  }, [client, key]);
  useEffect(() => { load(); }, [key]);

  const acknowledge = async (task) => {
    const now = new Date().toISOString();
    const entries = [{
      resource: { ...task, status: "accepted", lastModified: now },
      request: { method: "PUT", url: `Task/${task.id}`, ifMatch: `W/"${task.meta?.versionId || 1}"` },
    }];
    try {
      if (task.focus?.reference?.startsWith("Flag/")) {
        const flag = await get(client, task.focus.reference);
        entries.push({ resource: { ...flag, status: "inactive", period: { ...flag.period, end: now } },
          request: { method: "PUT", url: `Flag/${idOf(task.focus.reference)}` } });
      }
      await post(client, client.state.serverUrl, { resourceType: "Bundle", type: "transaction", entry: entries });
      setNotice({ type: "ok", text: t("worry.acknowledgedDone") });
      await load();
    } catch (err) {
      setNotice({ type: "error", text: err.message });
    }
  };

  if (!open.length && !notice) return null;
  return html`<section class="worries" id="worries" aria-label=${t("worry.openRegion")}>
    ${open.length > 0 && html`<h2 id="worries-open-title">${t("worry.openTitle", { count: open.length })}</h2>`}
    <${Notice} notice=${notice} />
    <ul class="plain">
      ${open.map(({ task, patient }) => html`<li class="worry-item" data-worry=${task.id}>
        <p class="item-head"><strong>${humanName(patient)}</strong> · ${codeLabel("urgency", task.priority)} · ${formatDateTime(task.authoredOn)}</p>
        <p>${task.description}</p>
        <button type="button" class="primary" data-acknowledge=${task.id} onClick=${() => acknowledge(task)}>${t("worry.acknowledge")}</button>
      </li>`)}
    </ul>
  </section>`;
}
