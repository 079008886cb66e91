// The supervisor's queue: session notes of the peers they supervise that have no co-signature yet.
// Co-sign = a Provenance (profile session-cosignature: the peer as author, the supervisor as verifier, a
// signature) naming the signed versions. Return = a Provenance on the session's version with the activity
// "returned" (review-outcome), the supervisor as performer and the comment as its reason: a supervisor writes
// Provenance and nothing else (role rules), and a return names the version it is about, like a signature.
import { useEffect, useState, useCallback } from "preact/hooks";
import { html, PageTitle, Notice, Loading, BackButton, useNav } from "../ui.js";
import { t, codeLabel, formatDateTime } from "../i18n.js";
import { SYS, EXT, search, post, ref, humanName, extValue } from "../fhir.js";
import { myRoles, peerDirectory, modalityOf, unitsOf, focusCodes, stripVersion, returnsOf, RETURNED } from "../data.js";

export function SupervisorApp({ client, identity }) {
  const [view, go] = useNav({ page: "queue" });
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);

  const load = useCallback(async () => {
    try {
      const mine = await myRoles(client, identity.fhirUser);
      const mineRefs = mine.map(ref);
      const peers = (await peerDirectory(client)).filter((p) => p.supervisor && mineRefs.includes(p.supervisor));
      let items = [];
      if (peers.length) {
        const found = await search(client, `Encounter?participant=${peers.map((p) => p.ref).join(",")}&type=${encodeURIComponent(SYS.hcpcs + "|H0038")}`
          + `&_sort=-date&_count=100&_include=Encounter:subject&_revinclude=Procedure:encounter&_revinclude=Provenance:target`, 3);
        const byType = (type) => found.filter((r) => r.resourceType === type);
        const patients = new Map(byType("Patient").map((p) => [ref(p), p]));
        const notes = new Map(byType("Procedure").map((p) => [stripVersion(p.encounter?.reference), p]));
        const signed = new Set(byType("Provenance")
          .filter((p) => (p.agent || []).some((a) => (a.type?.coding || []).some((c) => c.code === "verifier")))
          .flatMap((p) => (p.target || []).map((x) => stripVersion(x.reference))));
        const returned = returnsOf(byType("Provenance"), byType("Encounter"));
        items = byType("Encounter")
          .filter((e) => e.status !== "entered-in-error" && !signed.has(ref(e)))
          .map((e) => ({
            encounter: e,
            note: notes.get(ref(e)),
            patient: patients.get(e.subject?.reference),
            peer: peers.find((p) => (e.participant || []).some((x) => x.individual?.reference === p.ref)),
            returned: returned.get(ref(e)),
          }));
      }
      setState({ supervisorRoles: mine, peers, items });
      setError(null);
    } catch (err) {
      setError(err.message);
    }
  }, [client, identity.fhirUser]);
  useEffect(() => { load(); }, []);

  const done = async (text, encounterId, returnedTask) => {
    // show the outcome at once (signed notes leave the queue, returned ones move to their list), then reload
    setState((s) => ({ ...s, items: s.items
      .filter((i) => returnedTask || i.encounter.id !== encounterId)
      .map((i) => (i.encounter.id === encounterId && returnedTask ? { ...i, returned: returnedTask } : i)) }));
    setNotice({ type: "ok", text });
    go({ page: "queue" });
    await load();
  };

  if (error && !state) return html`<main id="main"><${PageTitle}>${t("supervisor.queue")}<//><p class="notice notice-error" role="alert">${error}</p></main>`;
  if (!state) return html`<main id="main"><${PageTitle}>${t("supervisor.queue")}<//><${Loading} /></main>`;
  const item = view.page === "review" ? state.items.find((i) => i.encounter.id === view.id) : null;
  if (item) {
    return html`<${Review} client=${client} identity=${identity} item=${item} supervisorRole=${state.supervisorRoles[0]}
      onBack=${() => go({ page: "queue" })} onDone=${done} />`;
  }
  const waiting = state.items.filter((i) => !i.returned);
  const returned = state.items.filter((i) => i.returned);
  return html`<main id="main">
    <${PageTitle}>${t("supervisor.queue")}<//>
    <${Notice} notice=${notice} />
    <p class="muted">${t("supervisor.peers", { count: state.peers.length })}</p>
    ${waiting.length === 0 && html`<p class="muted" id="queue-empty">${t("supervisor.empty")}</p>`}
    <ul class="cards plain" id="queue">
      ${waiting.map((i) => html`<li><${QueueCard} item=${i} onOpen=${() => go({ page: "review", id: i.encounter.id })} /></li>`)}
    </ul>
    ${returned.length > 0 && html`<section aria-labelledby="returned-title">
      <h2 id="returned-title">${t("supervisor.returnedList")}</h2>
      <ul class="cards plain" id="returned">
        ${returned.map((i) => html`<li><${QueueCard} item=${i} onOpen=${() => go({ page: "review", id: i.encounter.id })} /></li>`)}
      </ul></section>`}
  </main>`;
}

function QueueCard({ item, onOpen }) {
  const e = item.encounter;
  return html`<button type="button" class="card" data-session=${e.id} onClick=${onOpen}>
    <span class="card-title">${humanName(item.patient)}</span>
    <span class="card-line">${formatDateTime(e.period?.start)} · ${item.peer?.name || ""}</span>
    ${item.returned && html`<span class="badge badge-pending">${t("supervisor.returnedBadge")}</span>`}
  </button>`;
}

function Review({ client, identity, item, supervisorRole, onBack, onDone }) {
  const [comment, setComment] = useState("");
  const [notice, setNotice] = useState(null);
  const [busy, setBusy] = useState(false);
  const e = item.encounter, note = item.note;
  const versioned = (r) => `${ref(r)}/_history/${r.meta?.versionId || 1}`;
  const now = () => new Date().toISOString();
  const supervisorRef = supervisorRole ? ref(supervisorRole) : identity.fhirUser;
  const peerRef = item.peer?.ref || e.participant?.[0]?.individual?.reference;

  const cosign = async () => {
    setBusy(true);
    const when = now();
    const statement = `${t("supervisor.signatureText")} ${identity.fhirUser} ${when}`;
    const provenance = {
      resourceType: "Provenance",
      target: [{ reference: versioned(e) }, ...(note ? [{ reference: versioned(note) }] : [])],
      recorded: when,
      agent: [
        { type: { coding: [{ system: SYS.provenanceType, code: "author" }] }, who: { reference: peerRef } },
        { type: { coding: [{ system: SYS.provenanceType, code: "verifier" }] }, who: { reference: supervisorRef } },
      ],
      signature: [{
        type: [{ system: "urn:iso-astm:E1762-95:2013", code: "1.2.840.10065.1.12.1.5" }],
        when, who: { reference: supervisorRef }, sigFormat: "text/plain",
        data: btoa(unescape(encodeURIComponent(statement))),
      }],
    };
    try {
      await post(client, "Provenance", provenance);
      await onDone(t("supervisor.cosigned"), e.id, null);
    } catch (err) {
      setNotice({ type: "error", text: err.message });
      setBusy(false);
    }
  };

  const giveBack = async (ev) => {
    ev.preventDefault();
    if (!comment.trim()) { setNotice({ type: "error", text: t("supervisor.needComment") }); return; }
    setBusy(true);
    const when = now();
    const provenance = {
      resourceType: "Provenance",
      target: [{ reference: versioned(e) }, ...(note ? [{ reference: versioned(note) }] : [])],
      recorded: when,
      activity: { coding: [RETURNED], text: "Returned to the peer for changes" },
      reason: [{ text: comment.trim() }],
      agent: [
        { type: { coding: [{ system: SYS.provenanceType, code: "author" }] }, who: { reference: peerRef } },
        { type: { coding: [{ system: SYS.provenanceType, code: "performer" }] }, who: { reference: supervisorRef } },
      ],
    };
    try {
      await post(client, "Provenance", provenance);
      await onDone(t("supervisor.returnedDone"), e.id, { comment: comment.trim() });
    } catch (err) {
      setNotice({ type: "error", text: err.message });
      setBusy(false);
    }
  };

  const modality = modalityOf(e);
  const group = extValue(e, EXT.groupSession).length > 0;
  return html`<main id="main">
    <${BackButton} onClick=${onBack} label=${t("supervisor.queue")} />
    <${PageTitle}>${t("supervisor.review", { name: humanName(item.patient) })}<//>
    <${Notice} notice=${notice} />
    <dl class="details" id="session-details">
      <div><dt>${t("supervisor.peer")}</dt><dd>${item.peer?.name || ""}</dd></div>
      <div><dt>${t("session.date")}</dt><dd>${formatDateTime(e.period?.start)} – ${formatDateTime(e.period?.end)}</dd></div>
      ${modality && html`<div><dt>${t("session.modality")}</dt><dd>${codeLabel("modality", modality)}${group ? " · " + t("supervisor.group") : ""}</dd></div>`}
      <div><dt>${t("supervisor.units")}</dt><dd>${unitsOf(e) ?? "–"}</dd></div>
      ${note && html`
        <div><dt>${t("session.focus")}</dt><dd>${focusCodes(note).map((c) => codeLabel("focus", c)).join(", ")}</dd></div>
        <div><dt>${t("session.whatWasDone")}</dt><dd>${note.note?.[0]?.text || ""}</dd></div>
        <div><dt>${t("session.response")}</dt><dd>${note.outcome?.text || ""}</dd></div>
        <div><dt>${t("session.nextSteps")}</dt><dd>${note.followUp?.[0]?.text || ""}</dd></div>`}
    </dl>
    ${item.returned && html`<p class="notice notice-warn">${t("supervisor.alreadyReturned")} ${item.returned.comment}</p>`}
    <div class="actions">
      <button type="button" class="primary" id="cosign" disabled=${busy} onClick=${cosign}>${t("supervisor.cosign")}</button>
    </div>
    <form class="stack panel" onSubmit=${giveBack}>
      <div class="field"><label for="return-comment">${t("supervisor.comment")}</label>
        <textarea id="return-comment" rows="3" maxlength="1000" value=${comment} onInput=${(ev) => setComment(ev.currentTarget.value)}></textarea></div>
      <button type="submit" id="return" disabled=${busy}>${t("supervisor.return")}</button>
    </form>
  </main>`;
}
