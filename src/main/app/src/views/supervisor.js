// The supervisor's queue: session notes of the peers they supervise that have no co-signature yet, oldest first,
// with how long each has waited, filtered by peer, co-signed one at a time or several at once (each one the same
// co-signature record, sent one after the other: a refusal of one is shown on that note and does not stop the
// others). Co-sign = a Provenance (profile session-cosignature: the peer as author, the supervisor as verifier, a
// signature) naming the signed versions. Return = a Provenance on the session's version with the activity
// "returned" (review-outcome), the supervisor as performer and the comment as its reason: a supervisor writes
// Provenance and nothing else about people in care (role rules), and a return names the version it is about, like a
// signature. The same page shows, per peer and for this month, the H0038 units of their sessions and the hours of
// supervision they had; supervision sessions (a staff record, profile supervision-session) are recorded here too.
import { useEffect, useState, useCallback } from "preact/hooks";
import { html, PageTitle, Notice, Loading, BackButton, useNav } from "../ui.js";
import { t, codeLabel, formatDateTime, formatDate } from "../i18n.js";
import { SYS, EXT, search, post, ref, humanName, extValue } from "../fhir.js";
import { myRoles, peerDirectory, modalityOf, unitsOf, focusCodes, stripVersion, returnsOf, RETURNED } from "../data.js";
import { waitingSince, waitedWords, oldestFirst, monthOf, unitsByPeer, supervisionMinutesByPeer, hoursOf, TOPICS,
  SUPERVISION_TYPE, supervisionSession, cosignature, cosignEach } from "../supervision.js";
import { noteSections } from "../notes.js";

export function SupervisorApp({ client, identity }) {
  const [view, go] = useNav({ page: "queue" });
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [peerFilter, setPeerFilter] = useState("");
  const [selected, setSelected] = useState([]);
  const [results, setResults] = useState(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const mine = await myRoles(client, identity.fhirUser);
      const mineRefs = mine.map(ref);
      const peers = (await peerDirectory(client)).filter((p) => p.supervisor && mineRefs.includes(p.supervisor));
      const month = monthOf();
      let items = [];
      let units = new Map();
      let minutes = new Map();
      if (peers.length) {
        const peerRefs = peers.map((p) => p.ref);
        const h0038 = encodeURIComponent(SYS.hcpcs + "|H0038");
        const since = month.start.toISOString().replace(/\.\d{3}Z$/, "Z");
        const [found, thisMonth, supervision] = await Promise.all([
          search(client, `Encounter?participant=${peerRefs.join(",")}&type=${h0038}`
            + `&_sort=-date&_count=100&_include=Encounter:subject&_revinclude=Procedure:encounter&_revinclude=Provenance:target`, 3),
          search(client, `Encounter?participant=${peerRefs.join(",")}&type=${h0038}&date=ge${encodeURIComponent(since)}&_count=100`, 5),
          search(client, `Encounter?type=${encodeURIComponent(SUPERVISION_TYPE)}&date=ge${encodeURIComponent(since)}&_count=100`, 5),
        ]);
        const byType = (type) => found.filter((r) => r.resourceType === type);
        const patients = new Map(byType("Patient").map((p) => [ref(p), p]));
        const notes = new Map(byType("Procedure").map((p) => [stripVersion(p.encounter?.reference), p]));
        const signed = new Set(byType("Provenance")
          .filter((p) => (p.agent || []).some((a) => (a.type?.coding || []).some((c) => c.code === "verifier")))
          .flatMap((p) => (p.target || []).map((x) => stripVersion(x.reference))));
        const returned = returnsOf(byType("Provenance"), byType("Encounter"), byType("Procedure"));
        items = oldestFirst(byType("Encounter")
          .filter((e) => e.status !== "entered-in-error" && !signed.has(ref(e)))
          .map((e) => ({
            encounter: e,
            note: notes.get(ref(e)),
            patient: patients.get(e.subject?.reference),
            peer: peers.find((p) => (e.participant || []).some((x) => x.individual?.reference === p.ref)),
            returned: returned.get(ref(e)),
          })));
        units = unitsByPeer(thisMonth, peerRefs, month);
        minutes = supervisionMinutesByPeer(supervision, peerRefs, month);
      }
      setState({ supervisorRoles: mine, peers, items, units, minutes, month });
      setError(null);
    } catch (err) {
      setError(err.message);
    }
  }, [client, identity.fhirUser]);
  useEffect(() => { load(); }, []);

  const supervisorRef = () => (state.supervisorRoles[0] ? ref(state.supervisorRoles[0]) : identity.fhirUser);

  /** The one co-sign path: the same co-signature record, whether one note is signed or several. */
  const sign = (item) => post(client, "Provenance", cosignature({
    encounter: item.encounter,
    note: item.note,
    peerRef: item.peer?.ref || item.encounter.participant?.[0]?.individual?.reference,
    supervisorRef: supervisorRef(),
    statement: `${t("supervisor.signatureText")} ${identity.fhirUser} ${new Date().toISOString()}`,
    when: new Date().toISOString(),
  }));

  const done = async (text, encounterId, returnedTask) => {
    // show the outcome at once (signed notes leave the queue, returned ones move to their list), then reload
    setState((s) => ({ ...s, items: s.items
      .filter((i) => returnedTask || i.encounter.id !== encounterId)
      .map((i) => (i.encounter.id === encounterId && returnedTask ? { ...i, returned: returnedTask } : i)) }));
    setNotice({ type: "ok", text });
    setResults(null);
    go({ page: "queue" });
    await load();
  };

  const signSelected = async () => {
    const chosen = state.items.filter((i) => selected.includes(i.encounter.id));
    if (!chosen.length) return;
    setBusy(true);
    const outcome = await cosignEach(chosen, sign);
    const failed = outcome.filter((r) => !r.ok).length;
    setResults(outcome.map((r) => ({ id: r.item.encounter.id, name: humanName(r.item.patient), when: r.item.encounter.period?.start,
      ok: r.ok, message: r.ok ? t("supervisor.cosigned") : r.error.message })));
    setNotice(failed
      ? { type: "error", text: t("supervisor.cosignedSome", { signed: outcome.length - failed, failed }) }
      : { type: "ok", text: t("supervisor.cosignedAll", { count: outcome.length }) });
    setSelected([]);
    setBusy(false);
    await load();
  };

  const recorded = async (text) => {
    setNotice({ type: "ok", text });
    setResults(null);
    go({ page: "queue" });
    await load();
  };

  if (error && !state) return html`<main id="main"><${PageTitle}>${t("supervisor.queue")}<//><p class="notice notice-error" role="alert">${error}</p></main>`;
  if (!state) return html`<main id="main"><${PageTitle}>${t("supervisor.queue")}<//><${Loading} /></main>`;
  const item = view.page === "review" ? state.items.find((i) => i.encounter.id === view.id) : null;
  if (item) {
    return html`<${Review} client=${client} identity=${identity} item=${item} sign=${sign} supervisorRole=${state.supervisorRoles[0]}
      onBack=${() => go({ page: "queue" })} onDone=${done} />`;
  }
  if (view.page === "supervision") {
    return html`<${RecordSupervision} client=${client} peers=${state.peers} supervisorRef=${supervisorRef()}
      onBack=${() => go({ page: "queue" })} onDone=${recorded} />`;
  }
  const shown = state.items.filter((i) => !peerFilter || i.peer?.ref === peerFilter);
  const waiting = shown.filter((i) => !i.returned);
  const returned = shown.filter((i) => i.returned);
  const toggle = (id) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const chosen = selected.filter((id) => waiting.some((i) => i.encounter.id === id));
  return html`<main id="main">
    <${PageTitle}>${t("supervisor.queue")}<//>
    <${Notice} notice=${notice} />
    ${results && html`<ul class="plain bulk-results" id="bulk-results" aria-label=${t("supervisor.results")}>
      ${results.map((r) => html`<li data-result=${r.ok ? "ok" : "error"} data-session=${r.id}
        class=${"notice " + (r.ok ? "notice-ok" : "notice-error")}>
        <strong>${r.name} · ${formatDateTime(r.when)}</strong>: ${r.message}</li>`)}
    </ul>`}
    <p class="muted">${t("supervisor.peers", { count: state.peers.length })}</p>
    ${state.peers.length > 0 && html`<div class="field"><label for="peer-filter">${t("supervisor.filter")}</label>
      <select id="peer-filter" value=${peerFilter} onChange=${(e) => { setPeerFilter(e.currentTarget.value); setSelected([]); }}>
        <option value="">${t("supervisor.allPeers")}</option>
        ${state.peers.map((p) => html`<option value=${p.ref}>${p.name}</option>`)}
      </select></div>`}
    ${waiting.length === 0 && html`<p class="muted" id="queue-empty">${t("supervisor.empty")}</p>`}
    <ul class="cards plain" id="queue">
      ${waiting.map((i) => html`<li><div class="queue-item">
        <label class="check"><input type="checkbox" data-select=${i.encounter.id} checked=${selected.includes(i.encounter.id)}
          onChange=${() => toggle(i.encounter.id)} />
          <span class="visually-hidden">${t("supervisor.select", { name: humanName(i.patient), when: formatDateTime(i.encounter.period?.start) })}</span></label>
        <${QueueCard} item=${i} onOpen=${() => go({ page: "review", id: i.encounter.id })} /></div></li>`)}
    </ul>
    ${waiting.length > 0 && html`<div class="actions">
      <button type="button" class="primary" id="cosign-selected" disabled=${busy || chosen.length === 0} onClick=${signSelected}>
        ${t("supervisor.cosignSelected", { count: chosen.length })}</button>
    </div>`}
    ${returned.length > 0 && html`<section aria-labelledby="returned-title">
      <h2 id="returned-title">${t("supervisor.returnedList")}</h2>
      <ul class="cards plain" id="returned">
        ${returned.map((i) => html`<li><${QueueCard} item=${i} onOpen=${() => go({ page: "review", id: i.encounter.id })} /></li>`)}
      </ul></section>`}
    ${state.peers.length > 0 && html`<section aria-labelledby="month-title">
      <h2 id="month-title">${t("supervisor.thisMonth", { month: formatDate(state.month.start, { month: "long", year: "numeric" }) })}</h2>
      <table class="month-table" id="peer-month">
        <thead><tr><th scope="col">${t("supervisor.peer")}</th><th scope="col">${t("supervisor.units")}</th>
          <th scope="col">${t("supervision.hours")}</th></tr></thead>
        <tbody>${state.peers.map((p) => html`<tr data-peer=${p.ref}>
          <th scope="row">${p.name}</th>
          <td data-units>${state.units.get(p.ref) || 0}</td>
          <td data-hours>${t("supervision.hoursValue", { hours: hoursOf(state.minutes.get(p.ref) || 0), minutes: state.minutes.get(p.ref) || 0 })}</td>
        </tr>`)}</tbody>
      </table>
      <div class="actions">
        <button type="button" id="record-supervision" onClick=${() => { setResults(null); go({ page: "supervision" }); }}>${t("supervision.record")}</button>
      </div>
    </section>`}
  </main>`;
}

function QueueCard({ item, onOpen }) {
  const e = item.encounter;
  const waited = waitedWords(waitingSince(e));
  return html`<button type="button" class="card" data-session=${e.id} onClick=${onOpen}>
    <span class="card-title">${humanName(item.patient)}</span>
    <span class="card-line">${formatDateTime(e.period?.start)} · ${item.peer?.name || ""}</span>
    ${waited && html`<span class="card-line" data-waited=${waited.count}>${t(waited.key, { count: waited.count })}</span>`}
    ${item.returned && html`<span class="badge badge-pending">${t("supervisor.returnedBadge")}</span>`}
  </button>`;
}

/** A supervision session with one of the peers: date, minutes, in person or remote, topics, a short note. */
function RecordSupervision({ client, peers, supervisorRef, onBack, onDone }) {
  const today = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  const [form, setForm] = useState({ peer: peers[0]?.ref || "", date: `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`,
    minutes: "60", remote: false, topics: [], note: "" });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const update = (patch) => setForm((f) => ({ ...f, ...patch }));
  const toggleTopic = (code) => update({ topics: form.topics.includes(code) ? form.topics.filter((c) => c !== code) : [...form.topics, code] });

  const save = async (ev) => {
    ev.preventDefault();
    const minutes = Number(form.minutes);
    if (!form.peer) { setError(t("supervision.needPeer")); return; }
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 600) { setError(t("supervision.needMinutes")); return; }
    if (!form.topics.length) { setError(t("supervision.needTopic")); return; }
    setBusy(true);
    setError(null);
    try {
      // the date at noon local time: the month it counts in is the one the supervisor chose
      const start = new Date(`${form.date}T12:00:00`).toISOString();
      await post(client, "Encounter", supervisionSession({ supervisorRef, peerRef: form.peer, start, minutes,
        topics: form.topics, note: form.note, remote: form.remote }));
      await onDone(t("supervision.recorded"));
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };

  return html`<main id="main">
    <${BackButton} onClick=${onBack} label=${t("supervisor.queue")} />
    <${PageTitle}>${t("supervision.title")}<//>
    <p class="muted">${t("supervision.help")}</p>
    <form class="stack" onSubmit=${save} novalidate>
      <div class="field"><label for="supervision-peer">${t("supervisor.peer")}</label>
        <select id="supervision-peer" value=${form.peer} onChange=${(e) => update({ peer: e.currentTarget.value })}>
          ${peers.map((p) => html`<option value=${p.ref}>${p.name}</option>`)}
        </select></div>
      <div class="row when">
        <div class="field"><label for="supervision-date">${t("session.date")}</label>
          <input id="supervision-date" type="date" value=${form.date} onInput=${(e) => update({ date: e.currentTarget.value })} required /></div>
        <div class="field"><label for="supervision-minutes">${t("session.minutes")}</label>
          <input id="supervision-minutes" type="number" inputmode="numeric" min="1" max="600" value=${form.minutes}
            onInput=${(e) => update({ minutes: e.currentTarget.value })} required /></div>
      </div>
      <fieldset><legend>${t("supervision.how")}</legend>
        <div class="chips" role="radiogroup">
          ${[false, true].map((remote) => html`<label class=${"chip radio-chip" + (form.remote === remote ? " chip-on" : "")}>
            <input type="radio" name="supervision-mode" value=${remote ? "remote" : "in-person"} checked=${form.remote === remote}
              onChange=${() => update({ remote })} />
            ${t(remote ? "supervision.remote" : "supervision.inPerson")}</label>`)}
        </div>
      </fieldset>
      <fieldset><legend>${t("supervision.topics")}</legend>
        ${TOPICS.map((code) => html`<label class="check"><input type="checkbox" data-topic=${code} checked=${form.topics.includes(code)}
          onChange=${() => toggleTopic(code)} /> ${codeLabel("supervisionTopic", code)}</label>`)}
      </fieldset>
      <div class="field"><label for="supervision-note">${t("supervision.note")}</label>
        <textarea id="supervision-note" rows="3" maxlength="1000" value=${form.note} onInput=${(e) => update({ note: e.currentTarget.value })}></textarea></div>
      ${error && html`<p class="notice notice-error" role="alert" id="form-error">${error}</p>`}
      <button type="submit" class="primary" id="save-supervision" disabled=${busy}>${t("supervision.save")}</button>
    </form>
  </main>`;
}

function Review({ client, identity, item, sign, supervisorRole, onBack, onDone }) {
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
    try {
      await sign(item);
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
        ${noteSections(note).map((sec) => html`<div data-section=${sec.key}><dt>${t("noteSection." + sec.key)}</dt><dd>${sec.text}</dd></div>`)}`}
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
