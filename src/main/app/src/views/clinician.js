// The clinician's desktop view: care plans, therapy and peer support side by side, and the peer mentor
// workflow ($assign-peer-mentor, $transfer-peer-mentor, $end-peer-mentorship) with a caseload picker.
import { useEffect, useState, useCallback } from "preact/hooks";
import { html, PageTitle, Notice, Loading, BackButton, useNav } from "../ui.js";
import { RecoveryChart } from "./recovery.js";
import { points, signed } from "../recovery.js";
import { t, codeLabel, formatDate, formatDateTime, languageName } from "../i18n.js";
import { config } from "../config.js";
import { SYS, REFERRAL, get, post, search, ref, humanName, hasCoding, isPeerSession } from "../fhir.js";
import { myRoles, peerDirectory, rankedPeers, modalityOf, unitsOf, focusCodes } from "../data.js";
import { findPlans, PLAN_SORTS, isAgainst, languageOfReason, assignmentDates } from "../matching.js";
import { OpenWorries } from "./worries.js";
import { EngagementAlerts } from "./engagement.js";

const END_REASONS = ["goals-met", "patient-request", "peer-unavailable", "disengaged", "other"];

export function ClinicianApp({ client, identity }) {
  const [view, go] = useNav({ page: "plans" });
  const [plans, setPlans] = useState(null);
  const [subjects, setSubjects] = useState([]);
  const [error, setError] = useState(null);

  useEffect(() => {
    (async () => {
      try {
        let subjects;
        if (identity.patient) {
          subjects = [`Patient/${identity.patient}`];
        } else {
          const roles = await myRoles(client, identity.fhirUser).catch(() => []);
          const members = [identity.fhirUser, ...roles.map(ref)].join(",");
          const teams = await search(client, `CareTeam?participant=${members}&status=active&_count=200`, 5);
          subjects = [...new Set(teams.map((team) => team.subject?.reference).filter((r) => r && r.startsWith("Patient/")))];
        }
        setSubjects(subjects);
        if (!subjects.length) { setPlans([]); return; }
        const found = await search(client, `CarePlan?subject=${subjects.join(",")}&status=active,draft,on-hold&_include=CarePlan:subject&_count=200`, 5);
        const patients = new Map(found.filter((r) => r.resourceType === "Patient").map((p) => [ref(p), p]));
        const list = found.filter((r) => r.resourceType === "CarePlan")
          .map((plan) => ({ plan, patient: patients.get(plan.subject?.reference) }));
        setPlans(list);
        if (identity.patient && list.length === 1 && !(history.state && history.state.alongside && history.state.alongside.page === "plan")) {
          go({ page: "plan", id: list[0].plan.id });
        }
      } catch (err) {
        setError(err.message);
      }
    })();
  }, []);

  // one per page: its notice ("Acknowledged") belongs to the page where the clinician acknowledged
  const worries = html`<${OpenWorries} key=${view.page + ":" + (view.id || "")} client=${client} subjects=${subjects} />
    <${EngagementAlerts} key=${"alerts:" + view.page + ":" + (view.id || "")} client=${client} subjects=${subjects} />`;
  if (view.page === "plan") {
    return html`${worries}<${SideBySide} key=${view.id} client=${client} identity=${identity} planId=${view.id} onBack=${() => go({ page: "plans" })} />`;
  }
  return html`${worries}<main id="main" class="wide">
    <${PageTitle}>${t("clinician.plans")}<//>
    ${error && html`<p class="notice notice-error" role="alert">${error}</p>`}
    ${!plans && !error && html`<${Loading} />`}
    ${plans && plans.length === 0 && html`<p class="muted">${t("clinician.noPlans")}</p>`}
    ${plans && plans.length > 0 && html`<${PlanList} plans=${plans} open=${(id) => go({ page: "plan", id })} />`}
  </main>`;
}

/** The care plans, found by name or title and sorted as the clinician chooses (kept while the page is open). */
function PlanList({ plans, open }) {
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState("name");
  const items = plans.map(({ plan, patient }) => ({ plan, patient, name: humanName(patient) }));
  const shown = findPlans(items, query, sort);
  return html`<div class="plan-tools row">
      <div class="field"><label for="plan-search">${t("clinician.search")}</label>
        <input id="plan-search" type="search" value=${query} placeholder=${t("clinician.searchHint")} autocomplete="off"
          onInput=${(e) => setQuery(e.currentTarget.value)} /></div>
      <div class="field"><label for="plan-sort">${t("clinician.sortBy")}</label>
        <select id="plan-sort" value=${sort} onChange=${(e) => setSort(e.currentTarget.value)}>
          ${PLAN_SORTS.map((s) => html`<option value=${s}>${t("clinician.sort." + s)}</option>`)}
        </select></div>
    </div>
    <p class="muted small" id="plans-shown" aria-live="polite">${t("clinician.plansShown", { count: shown.length, total: items.length })}</p>
    ${shown.length === 0 && html`<p class="muted">${t("clinician.noPlansFound", { query: query.trim() })}</p>`}
    <ul class="cards plain">
      ${shown.map(({ plan, name }) => html`<li>
        <button type="button" class="card" data-plan=${plan.id} onClick=${() => open(plan.id)}>
          <span class="card-title">${name}</span>
          <span class="card-line">${plan.title || t("clinician.untitledPlan")} · ${codeLabel("planStatus", plan.status)}</span>
        </button></li>`)}
    </ul>`;
}

function param(summary, name) {
  return (summary?.parameter || []).filter((p) => p.name === name);
}

function isPeerRecord(r) {
  switch (r.resourceType) {
    case "Encounter": return isPeerSession(r);
    case "Procedure": return hasCoding([r.code], SYS.hcpcs, "H0038");
    case "Communication": return hasCoding(r.category, SYS.messageCategory);
    case "ServiceRequest": return hasCoding([r.code], SYS.snomed, REFERRAL);
    case "Task": return hasCoding([r.code], SYS.taskCode, "fulfill");
    default: return false;
  }
}

function whenOf(r) {
  switch (r.resourceType) {
    case "Encounter": return r.period?.start;
    case "Procedure": return r.performedPeriod?.start || r.performedDateTime;
    case "Communication": return r.sent;
    case "ServiceRequest": return r.occurrencePeriod?.start || r.authoredOn; // an assignment dates from its start
    case "Task": return r.authoredOn;
    default: return r.meta?.lastUpdated;
  }
}

function SideBySide({ client, identity, planId, onBack }) {
  const [data, setData] = useState(null);
  const [peers, setPeers] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [action, setAction] = useState(null); // { kind: assign|transfer|end, from? }
  const [actionError, setActionError] = useState(null); // shown next to the form that caused it
  const [ranking, setRanking] = useState(null); // $match-peer-mentor's answer for the open picker, or { failed }
  const openPicker = (next) => {
    setActionError(null);
    setAction(next);
    setRanking(null);
    rankedPeers(client, planId).then(setRanking, () => setRanking({ failed: true }));
  };

  const load = useCallback(async () => {
    try {
      const [bundle, directory] = await Promise.all([
        get(client, `CarePlan/${planId}/$side-by-side`),
        peerDirectory(client).catch(() => []),
      ]);
      const resources = (bundle.entry || []).map((e) => e.resource);
      const summary = resources.find((r) => r.resourceType === "Parameters");
      const plan = resources.find((r) => r.resourceType === "CarePlan");
      const goals = resources.filter((r) => r.resourceType === "Goal");
      const timeline = resources.filter((r) => !["Parameters", "CarePlan", "Goal"].includes(r.resourceType));
      const patient = plan?.subject?.reference ? await get(client, plan.subject.reference).catch(() => null) : null;
      setData({ summary, plan, goals, timeline, patient });
      setPeers(directory);
      setError(null);
    } catch (err) {
      setError(err.message);
    }
  }, [client, planId]);
  useEffect(() => { load(); }, [planId]);

  const peerName = (reference) => peers?.find((p) => p.ref === reference)?.name || t("clinician.peerMentor");
  const run = async (operation, parameters, success) => {
    try {
      await post(client, `CarePlan/${planId}/${operation}`, { resourceType: "Parameters", parameter: parameters });
      setAction(null);
      setActionError(null);
      setNotice({ type: "ok", text: success });
      await load();
    } catch (err) {
      setActionError(err.message);
    }
  };
  const assigner = { name: "assigner", valueReference: { reference: identity.fhirUser } };

  if (error && !data) {
    return html`<main id="main" class="wide"><${BackButton} onClick=${onBack} label=${t("clinician.plans")} />
      <${PageTitle}>${t("clinician.sideBySide")}<//><p class="notice notice-error" role="alert">${error}</p></main>`;
  }
  if (!data) return html`<main id="main" class="wide"><${PageTitle}>${t("clinician.sideBySide")}<//><${Loading} /></main>`;

  const { summary, plan, goals, timeline, patient } = data;
  const mentors = param(summary, "activePeerMentor").map((p) => p.valueReference?.reference);
  const sessionNotes = new Map(timeline.filter((r) => r.resourceType === "Procedure" && isPeerRecord(r)).map((p) => [p.encounter?.reference, p]));
  const tasks = timeline.filter((r) => r.resourceType === "Task");
  const rows = timeline
    .filter((r) => !(r.resourceType === "Procedure" && isPeerRecord(r) && r.encounter)) // shown with its session
    .filter((r) => r.resourceType !== "Task" && r.resourceType !== "Observation") // scores: in the chart above
    .map((r) => ({ r, peer: isPeerRecord(r), when: whenOf(r) }))
    .sort((a, b) => new Date(b.when || 0) - new Date(a.when || 0));
  const figure = (name) => param(summary, name)[0];
  const last = figure("lastContact")?.valueDateTime;
  const days = figure("daysSinceLastContact")?.valueInteger;
  const therapyPlanned = (plan.activity || []).map((a) => a.detail?.description).filter(Boolean);

  return html`<main id="main" class="wide side-by-side">
    <${BackButton} onClick=${onBack} label=${t("clinician.plans")} />
    <${PageTitle}>${t("clinician.planOf", { name: humanName(patient) })}<//>
    <p class="muted">${plan.title || t("clinician.untitledPlan")} · ${codeLabel("planStatus", plan.status)}</p>
    <${Notice} notice=${notice} />
    <section aria-labelledby="summary-title">
      <h2 id="summary-title">${t("clinician.summary")}</h2>
      <dl class="figures" id="figures">
        <div><dt>${t("clinician.lastContact")}</dt><dd data-figure="lastContact">${last ? formatDate(last) : t("clinician.none")}</dd></div>
        <div><dt>${t("clinician.daysSince")}</dt><dd data-figure="daysSinceLastContact">${days ?? "–"}</dd></div>
        <div><dt>${t("clinician.sessionsThisMonth")}</dt><dd data-figure="sessionsThisMonth">${figure("sessionsThisMonth")?.valueInteger ?? 0}</dd></div>
        <div><dt>${t("clinician.unitsThisMonth")}</dt><dd data-figure="unitsThisMonth">${figure("unitsThisMonth")?.valueInteger ?? 0}</dd></div>
        <div><dt>${t("clinician.sessionsTotal")}</dt><dd data-figure="sessionsTotal">${figure("sessionsTotal")?.valueInteger ?? 0}</dd></div>
        ${figure("recoveryScoreLatest") && html`<div><dt>${t("clinician.recoveryScore")}</dt><dd data-figure="recoveryScoreLatest">${figure("recoveryScoreLatest").valueInteger}
          ${figure("recoveryScoreCount")?.valueInteger > 1 && html` (${signed(figure("recoveryScoreChange").valueInteger)})`}</dd></div>`}
      </dl>
    </section>
    <section aria-labelledby="recovery-title" id="recovery">
      <h2 id="recovery-title">${t("recovery.title")}</h2>
      <${RecoveryChart} pts=${points(timeline)} />
    </section>
    <div class="columns">
      <section aria-labelledby="goals-title">
        <h2 id="goals-title">${t("peer.goals")}</h2>
        ${goals.length ? html`<ul>${goals.map((g) => html`<li>${g.description?.text}</li>`)}</ul>` : html`<p class="muted">${t("peer.noGoals")}</p>`}
        ${therapyPlanned.length > 0 && html`<h3>${t("clinician.plannedTherapy")}</h3><ul>${therapyPlanned.map((d) => html`<li>${d}</li>`)}</ul>`}
      </section>
      <section aria-labelledby="mentors-title" id="mentors">
        <h2 id="mentors-title">${t("clinician.peerMentors")}</h2>
        ${mentors.length === 0 && html`<p class="muted">${t("clinician.noMentor")}</p>`}
        <ul class="plain">
          ${mentors.map((m) => html`<li class="mentor" data-mentor=${m}>
            <span class="mentor-name">${peerName(m)}</span>
            <div class="row">
              <button type="button" data-action="transfer" onClick=${() => openPicker({ kind: "transfer", from: m })}>${t("clinician.transfer")}</button>
              <button type="button" data-action="end" onClick=${() => { setActionError(null); setAction({ kind: "end", from: m }); }}>${t("clinician.end")}</button>
            </div></li>`)}
        </ul>
        <button type="button" class="primary" id="assign" onClick=${() => openPicker({ kind: "assign" })}>${t("clinician.assign")}</button>
        ${action && (action.kind === "end"
          ? html`<${EndForm} name=${peerName(action.from)} onCancel=${() => setAction(null)}
              onSubmit=${(reason, note) => run("$end-peer-mentorship", [
                { name: "peer", valueReference: { reference: action.from } },
                { name: "reason", valueCoding: { system: SYS.endReason, code: reason } }, assigner,
                ...(note ? [{ name: "note", valueString: note }] : [])], t("clinician.ended"))} />`
          : html`<${Picker} peers=${peers || []} ranking=${ranking} exclude=${mentors} kind=${action.kind} from=${action.from && peerName(action.from)}
              organization=${patient?.managingOrganization?.reference}
              onCancel=${() => setAction(null)}
              onSubmit=${(to, note) => action.kind === "assign"
                ? run("$assign-peer-mentor", [{ name: "peer", valueReference: { reference: to } }, assigner,
                    ...(note ? [{ name: "note", valueString: note }] : [])], t("clinician.assigned"))
                : run("$transfer-peer-mentor", [{ name: "from", valueReference: { reference: action.from } },
                    { name: "to", valueReference: { reference: to } }, assigner,
                    ...(note ? [{ name: "note", valueString: note }] : [])], t("clinician.transferred"))} />`)}
        ${action && actionError && html`<p class="notice notice-error" role="alert" id="action-error">${actionError}</p>`}
      </section>
    </div>
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">${t("clinician.timeline")}</h2>
      <table class="timeline-table" id="timeline">
        <caption class="visually-hidden">${t("clinician.timelineCaption")}</caption>
        <thead><tr><th scope="col">${t("clinician.when")}</th><th scope="col">${t("clinician.therapy")}</th><th scope="col">${t("clinician.peerSupport")}</th></tr></thead>
        <tbody>
          ${rows.length === 0 && html`<tr><td colspan="3" class="muted">${t("peer.nothingYet")}</td></tr>`}
          ${rows.map(({ r, peer, when }) => html`<tr data-kind=${peer ? "peer" : "therapy"} data-type=${r.resourceType}>
            <td data-label=${t("clinician.when")}>${when ? formatDateTime(when) : "–"}</td>
            <td data-label=${t("clinician.therapy")}>${peer ? "" : html`<${Describe} r=${r} peerName=${peerName} />`}</td>
            <td data-label=${t("clinician.peerSupport")}>${peer ? html`<${Describe} r=${r} note=${sessionNotes.get(ref(r))} tasks=${tasks} peerName=${peerName} />` : ""}</td>
          </tr>`)}
        </tbody>
      </table>
    </section>
  </main>`;
}

function Describe({ r, note, tasks = [], peerName }) {
  switch (r.resourceType) {
    case "Encounter": {
      if (!isPeerSession(r)) return html`${r.type?.[0]?.text || r.type?.[0]?.coding?.[0]?.display || t("clinician.encounter")}`;
      const modality = modalityOf(r), units = unitsOf(r);
      return html`<strong>${t("peer.session")}</strong>${modality ? " · " + codeLabel("modality", modality) : ""}${units != null ? " · " + t("session.unitsShort", { units }) : ""}
        ${note && html`<br /><span class="small">${focusCodes(note).map((c) => codeLabel("focus", c)).join(", ")}: ${note.note?.[0]?.text || ""}</span>`}`;
    }
    case "Communication": {
      const category = r.category?.[0]?.coding?.[0]?.code;
      return html`<strong>${category ? codeLabel("category", category) : t("peer.message")}</strong>: ${r.payload?.[0]?.contentString || ""}`;
    }
    case "ServiceRequest":
      if (hasCoding([r.code], SYS.snomed, REFERRAL)) {
        const { start, end, endReason } = assignmentDates(r, tasks);
        return html`<strong>${t("clinician.assignment")}</strong>: ${peerName(r.performer?.[0]?.reference)} (${codeLabel("requestStatus", r.status)})
          ${start && html`<br /><span class="small" data-assignment-since>${t("clinician.assignmentSince", { date: formatDate(start) })}</span>`}
          ${end && html`<br /><span class="small" data-assignment-ended>${t("clinician.assignmentEnded", { date: formatDate(end) })}${endReason ? ": " + codeLabel("endReason", endReason) : ""}</span>`}`;
      }
      return html`${r.code?.text || r.code?.coding?.[0]?.display || t("clinician.request")}`;
    case "Procedure":
      return html`${r.code?.text || r.code?.coding?.[0]?.display || t("clinician.procedure")}${r.note?.[0]?.text ? ": " + r.note[0].text : ""}`;
    default:
      return html`${r.resourceType}`;
  }
}

/**
 * Choose a peer: ranked by $match-peer-mentor, best first, each with the reasons, languages, lived experience and a
 * caseload count (never who the mentees are). Peers at the caseload limit are left out by the ranking and counted
 * below it. Should the ranking fail, the peers of the person's organisation are listed by caseload instead.
 */
function Picker({ peers, ranking, exclude, kind, from, organization, onCancel, onSubmit }) {
  const limit = ranking?.caseloadLimit ?? config().caseloadLimit;
  const [choice, setChoice] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState(null);
  const byRef = new Map(peers.map((p) => [p.ref, p]));
  const ofOrganization = peers.filter((p) => !exclude.includes(p.ref) && (!organization || !p.organization || p.organization === organization));
  const options = ranking && !ranking.failed
    ? ranking.matches.filter((m) => !exclude.includes(m.ref)).map((m) => ({ ...byRef.get(m.ref), ...m, name: byRef.get(m.ref)?.name || m.ref }))
    : ofOrganization.slice().sort((a, b) => a.caseload - b.caseload);
  const full = ofOrganization.filter((p) => p.caseload >= limit && !options.some((o) => o.ref === p.ref)).length;
  return html`<form class="stack panel" id="picker" onSubmit=${(e) => {
      e.preventDefault();
      if (!choice) { setError(t("clinician.pickPeer")); return; }
      onSubmit(choice, note.trim());
    }}>
    <fieldset>
      <legend>${kind === "assign" ? t("clinician.pickAssign") : t("clinician.pickTransfer", { name: from })}</legend>
      ${!ranking && html`<${Loading} />`}
      ${ranking && !ranking.failed && html`<p class="muted small" id="ranked-by">${t("clinician.rankedBy")}</p>`}
      ${ranking?.failed && html`<p class="notice notice-info" id="ranking-unavailable">${t("clinician.rankingUnavailable")}</p>`}
      ${ranking && options.length === 0 && html`<p class="muted">${t("clinician.noPeers")}</p>`}
      ${ranking && options.map((p) => {
        const isFull = p.caseload >= limit;
        return html`<label class=${"pick" + (isFull ? " pick-full" : "")} data-peer=${p.ref} data-rank=${p.rank ?? ""}>
          <input type="radio" name="peer" value=${p.ref} disabled=${isFull} checked=${choice === p.ref} onChange=${() => setChoice(p.ref)} />
          <span class="pick-name">${p.name}</span>
          ${p.score != null && html`<span class="pick-score" data-score=${p.score}>${t("clinician.matchScore", { percent: Math.round(p.score * 100) })}</span>`}
          ${p.reasons?.length > 0 && html`<ul class="reasons plain" aria-label=${t("clinician.reasons")}>
            ${p.reasons.map((r) => html`<li class=${isAgainst(r) ? "reason reason-against" : "reason"} data-reason=${r.code}>
              ${codeLabel("matchReason", r.code)}${languageOfReason(r) ? ": " + languageName(languageOfReason(r)) : ""}</li>`)}
          </ul>`}
          ${p.languages?.length > 0 && html`<span class="pick-facts" data-languages>${t("clinician.speaks", { languages: p.languages.map((l) => languageName(l)).join(", ") })}</span>`}
          ${p.lived?.length > 0 && html`<span class="pick-facts" data-lived>${t("clinician.lived", { areas: p.lived.map((a) => codeLabel("lived", a)).join(", ") })}</span>`}
          <span class="caseload" data-caseload=${p.caseload}>${t("clinician.caseload", { count: p.caseload, limit })}</span>
          <meter min="0" max=${limit} low=${Math.floor(limit * 0.7)} high=${limit - 1} optimum="0" value=${p.caseload}
            aria-label=${t("clinician.caseload", { count: p.caseload, limit })}></meter>
          ${isFull && html`<span class="badge badge-overdue">${t("clinician.full")}</span>`}
        </label>`;
      })}
      ${ranking && full > 0 && html`<p class="muted small" id="full-not-listed">${t("clinician.fullNotListed", { count: full })}</p>`}
    </fieldset>
    <div class="field"><label for="assign-note">${t("clinician.note")}</label>
      <input id="assign-note" value=${note} maxlength="500" onInput=${(e) => setNote(e.currentTarget.value)} /></div>
    ${error && html`<p class="notice notice-error" role="alert">${error}</p>`}
    <div class="row">
      <button type="submit" class="primary" id="confirm-peer">${kind === "assign" ? t("clinician.assign") : t("clinician.transfer")}</button>
      <button type="button" onClick=${onCancel}>${t("common.cancel")}</button>
    </div>
  </form>`;
}

function EndForm({ name, onCancel, onSubmit }) {
  const [reason, setReason] = useState("goals-met");
  const [note, setNote] = useState("");
  return html`<form class="stack panel" id="end-form" onSubmit=${(e) => { e.preventDefault(); onSubmit(reason, note.trim()); }}>
    <p><strong>${t("clinician.endFor", { name })}</strong></p>
    <div class="field"><label for="end-reason">${t("clinician.reason")}</label>
      <select id="end-reason" value=${reason} onChange=${(e) => setReason(e.currentTarget.value)}>
        ${END_REASONS.map((r) => html`<option value=${r}>${codeLabel("endReason", r)}</option>`)}
      </select></div>
    <div class="field"><label for="end-note">${t("clinician.note")}</label>
      <input id="end-note" value=${note} maxlength="500" onInput=${(e) => setNote(e.currentTarget.value)} /></div>
    <div class="row">
      <button type="submit" class="danger" id="confirm-end">${t("clinician.end")}</button>
      <button type="button" onClick=${onCancel}>${t("common.cancel")}</button>
    </div>
  </form>`;
}
