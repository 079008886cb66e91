// The peer specialist's pages, phone first: My people, one person, log a session, record encouragement.
import { useEffect, useState, useCallback, useRef } from "preact/hooks";
import { html, PageTitle, Notice, Loading, BackButton, Chip, useNav } from "../ui.js";
import { t, codeLabel, formatDate, formatDateTime, languageName } from "../i18n.js";
import { config } from "../config.js";
import { billingUnits } from "../billing.js";
import * as vault from "../vault.js";
import * as outbox from "../outbox.js";
import { GOAL_STATUSES, goalUpdatePatch, goalNotes, statusOf } from "../goals.js";
import { SYS, ref, idOf, humanName, isPeerRole, uuid, ServerError } from "../fhir.js";
import {
  myRoles, caseload, personDetail,
  modalityOf, unitsOf, focusCodes, clinicOf, escalationsOf, isOpenEscalation, safetyPlanOf, reachOf, textingNumber,
} from "../data.js";
import { CrisisLines, WorriedForm } from "./crisis.js";
import { RecoveryForm, RecoverySection } from "./recovery.js";
import { triage, contactPlan, daysSince, nextContactTask, localDay } from "../triage.js";
import { DictateButton } from "../dictation.js";
import { readOrKeep, personDetailKept, revivePeople } from "../offline.js";
import { FORMATS, missingFields, lastNextSteps, noteSections, noteValues, formatOf, editedNote } from "../notes.js";

export const FOCUS_AREAS = ["cravings", "setback-relapse", "goal-setting", "belonging", "relationships",
  "creative-outlets", "practical-advice", "celebrating-progress", "housing-employment", "wellness-self-care",
  "crisis-support"];
export const MODALITIES = ["in-person", "phone", "video", "text"];
export const CATEGORIES = ["encouragement", "advice", "check-in", "celebration", "reminder"];
const FLUSH_EVERY_MS = 15000;
const RELOAD_EVERY_MS = 5 * 60000; // the caseload follows mentorships that start or end elsewhere
const QUIET_DAYS = [3, 7, 14, 30];

export function PeerApp({ client, identity, online }) {
  const owner = identity.fhirUser;
  const [view, go, back] = useNav({ page: "people" });
  const [roles, setRoles] = useState(null);
  const [people, setPeople] = useState(null);
  const [crisis, setCrisis] = useState([]);
  const [noteFormat, setNoteFormat] = useState("free");
  const [pending, setPending] = useState([]);
  const [notice, setNotice] = useNotice(view);
  const [loadError, setLoadError] = useState(null);
  const [asOf, setAsOf] = useState(null);

  const refreshPending = useCallback(() => outbox.pending(owner).then(setPending), [owner]);

  const load = useCallback(async () => {
    try {
      // the caseload and the clinic's settings are kept on the device (encrypted) for reading without signal
      const got = await readOrKeep(owner, "caseload", async () => {
        const mine = (await myRoles(client, owner)).filter(isPeerRole);
        return { roles: mine, people: await caseload(client, mine) };
      });
      const mine = got.value.roles;
      setRoles(mine);
      readOrKeep(owner, "clinic", () => clinicOf(client, mine)).then(({ value }) => {
        setCrisis(value.crisis); setNoteFormat(value.noteFormat);
      }, () => setCrisis([]));
      setPeople(revivePeople(got.value.people));
      setAsOf(got.asOf);
      setLoadError(null);
    } catch (err) {
      setLoadError(err.message);
    }
  }, [client, owner]);

  const flush = useCallback(async (opts) => {
    const before = (await outbox.pending(owner)).length;
    const result = await outbox.flush(client, owner, opts);
    if (result.sent > 0) {
      setNotice({ type: "ok", text: t("outbox.sent", { count: result.sent }) });
      load();
    } else if (before > 0 && result.offline) {
      setNotice({ type: "info", text: t("outbox.stillOffline") });
    }
    return result;
  }, [client, owner, load]);

  useEffect(() => {
    load();
    refreshPending();
    const off = outbox.onChange(refreshPending);
    flush();
    const timer = setInterval(() => flush(), FLUSH_EVERY_MS);
    const reload = setInterval(() => load(), RELOAD_EVERY_MS);
    const onVisible = () => { if (document.visibilityState === "visible") load(); };
    document.addEventListener("visibilitychange", onVisible);
    return () => { off(); clearInterval(timer); clearInterval(reload); document.removeEventListener("visibilitychange", onVisible); };
  }, []);

  useEffect(() => { if (online) flush(); }, [online]);

  const person = view.id && people ? people.find((p) => p.id === view.id) : null;
  const ctx = { client, identity, owner, roles, people, pending, crisis, noteFormat, asOf, go, back, setNotice, flush, reload: load };

  let page;
  if (loadError && !people) {
    page = html`<main id="main"><${PageTitle}>${t("peer.myPeople")}<//><p class="notice notice-error" role="alert">${loadError}</p>
      <button type="button" onClick=${load}>${t("common.retry")}</button></main>`;
  } else if (!people) {
    page = html`<main id="main"><${PageTitle}>${t("peer.myPeople")}<//><${Loading} /></main>`;
  } else if (view.page === "person" && person) {
    page = html`<${PersonPage} key=${"p" + person.id} ctx=${ctx} person=${person} />`;
  } else if (view.page === "session" && person) {
    page = html`<${SessionForm} key=${"s" + person.id} ctx=${ctx} person=${person} />`;
  } else if (view.page === "note" && person) {
    page = html`<${NoteEditForm} key=${"n" + view.session} ctx=${ctx} person=${person} sessionId=${view.session} />`;
  } else if (view.page === "worried" && person) {
    page = html`<${WorriedForm} key=${"w" + person.id} ctx=${ctx} person=${person} />`;
  } else if (view.page === "recovery" && person) {
    page = html`<${RecoveryForm} key=${"r" + person.id} ctx=${ctx} person=${person} submitQueued=${submitQueued} keptNotice=${keptNotice} />`;
  } else if (view.page === "message" && person) {
    page = html`<${MessageForm} key=${"m" + person.id} ctx=${ctx} person=${person} />`;
  } else {
    page = html`<${PeopleList} ctx=${ctx} />`;
  }
  return html`<div class="peer">
    <${Notice} notice=${notice} />
    ${page}
  </div>`;
}

/**
 * The notice about the last action. It stays for the page the action leads to (a save goes back to the person's
 * page) and is gone on the page after that: "Session saved" must not greet the user again elsewhere.
 */
function useNotice(view) {
  const [notice, setNotice] = useState(null);
  const shownOn = useRef(view);
  useEffect(() => {
    if (shownOn.current === view) return;
    shownOn.current = view;
    setNotice((n) => (n && n.fresh ? { ...n, fresh: false } : null));
  }, [view]);
  const say = useCallback((n) => setNotice(n && { ...n, fresh: true }), []);
  return [notice, say];
}

const OUTBOX_LABELS = { session: "outbox.session", note: "outbox.note", message: "outbox.message", goal: "outbox.goal", assessment: "outbox.assessment",
  "next-contact": "outbox.nextContact" };

function PendingPanel({ ctx, onlyFor }) {
  const items = ctx.pending.filter((p) => !onlyFor || (p.summary?.patients || []).includes(onlyFor));
  if (!items.length) return null;
  return html`<section class="pending" aria-labelledby="pending-title">
    <h2 id="pending-title">${t("outbox.title", { count: items.length })}</h2>
    <ul class="plain">
      ${items.map((item) => html`<li class="pending-item" data-pending=${item.type}>
        <span class="badge badge-pending">${item.error ? t("outbox.refused") : t("outbox.waiting")}</span>
        <span>${t(OUTBOX_LABELS[item.type] || "outbox.message", { name: item.summary?.name || "" })}${" · "}${formatDateTime(item.summary?.when || item.queuedAt)}</span>
        ${item.error && html`<p class="notice notice-error">${item.error}</p>
          <div class="row">
            <button type="button" onClick=${() => ctx.flush({ retryRefused: true })}>${t("common.retry")}</button>
            <button type="button" class="danger" onClick=${() => outbox.discard(item.id)}>${t("outbox.discard")}</button>
          </div>`}
      </li>`)}
    </ul>
  </section>`;
}

/** Marks what is shown as the device's copy, read from the server at asOf (no signal, or the server unreachable). */
function AsOf({ asOf }) {
  if (!asOf) return null;
  return html`<p class="notice notice-warn as-of" role="status" id="as-of">${t("offline.asOf", { time: formatDateTime(asOf) })}</p>`;
}

/** When the next contact is due, in words: overdue, today, or the day (and whether the peer planned it). */
function DueLine({ plan }) {
  if (!plan.due) return null;
  const text = plan.state === "overdue" ? t("peer.overdueSince", { date: formatDate(plan.due) })
    : plan.state === "today" ? t("peer.dueToday") : t("peer.nextContact", { date: formatDate(plan.due) });
  return html`<span class="card-line" data-due=${plan.state} data-scheduled=${plan.scheduled}>${text}${plan.scheduled ? " · " + t("peer.planned") : ""}</span>`;
}

/**
 * My people as a work list: find by name, keep only the people a filter names, overdue first. The search and the
 * filters stay while the page is open (the back button returns to the same list).
 */
function PeopleList({ ctx }) {
  const { overdueDays } = config();
  const [query, setQuery] = useState("");
  const [filters, setFilters] = useState({ overdue: false, quiet: false, quietDays: 7, returned: false, worried: false });
  const set = (name, value) => setFilters((f) => ({ ...f, [name]: value }));
  const rows = triage(ctx.people, { query, overdue: filters.overdue, quietDays: filters.quiet ? filters.quietDays : null,
    returned: filters.returned, worried: filters.worried }, overdueDays);
  return html`<main id="main">
    <${PageTitle}>${t("peer.myPeople")}<//>
    <${AsOf} asOf=${ctx.asOf} />
    <${PendingPanel} ctx=${ctx} />
    ${ctx.people.length === 0 && html`<p class="muted">${t("peer.noPeople")}</p>`}
    ${ctx.people.length > 0 && html`<div class="triage">
      <div class="field"><label for="people-search">${t("peer.search")}</label>
        <input id="people-search" type="search" autocomplete="off" value=${query} placeholder=${t("peer.searchHint")}
          onInput=${(e) => setQuery(e.currentTarget.value)} /></div>
      <fieldset class="filters">
        <legend>${t("peer.filters")}</legend>
        ${[["overdue", "peer.filter.overdue"], ["returned", "peer.filter.returned"], ["worried", "peer.filter.worried"]].map(([name, label]) => html`
          <label class="chip" data-filter=${name}><input type="checkbox" checked=${filters[name]} onChange=${(e) => set(name, e.currentTarget.checked)} /> ${t(label)}</label>`)}
        <span class="quiet">
          <label class="chip" data-filter="quiet"><input type="checkbox" checked=${filters.quiet} onChange=${(e) => set("quiet", e.currentTarget.checked)} /> ${t("peer.filter.quiet")}</label>
          <label class="visually-hidden" for="quiet-days">${t("peer.filter.quietDays")}</label>
          <select id="quiet-days" value=${filters.quietDays} onChange=${(e) => { set("quietDays", Number(e.currentTarget.value)); set("quiet", true); }}>
            ${QUIET_DAYS.map((d) => html`<option value=${d}>${t("peer.filter.days", { days: d })}</option>`)}
          </select>
        </span>
      </fieldset>
      <p class="muted small" id="people-shown" aria-live="polite">${t("peer.shown", { count: rows.length, total: ctx.people.length })}</p>
    </div>`}
    ${ctx.people.length > 0 && rows.length === 0 && html`<p class="muted">${t("peer.noneMatch")}</p>`}
    <ul class="cards plain" aria-label=${t("peer.myPeople")}>
      ${rows.map(({ person: p, plan, days }) => html`<li>
          <button type="button" class=${"card person-card" + (plan.state === "overdue" ? " overdue" : "")} data-person=${p.id}
              onClick=${() => ctx.go({ page: "person", id: p.id })}>
            <span class="card-title">${p.name}</span>
            ${plan.state === "overdue" && html`<span class="badge badge-overdue">${t("peer.overdue")}</span>`}
            ${p.openWorries > 0 && html`<span class="badge badge-overdue" data-badge="worry">${t("peer.badgeWorry")}</span>`}
            ${p.returnedNotes > 0 && html`<span class="badge badge-pending" data-badge="returned">${t("peer.badgeReturned")}</span>`}
            <span class="card-line" data-days=${days ?? ""}>${days == null ? t("peer.noContactYet")
              : days === 0 ? t("peer.lastContactToday") : t("peer.lastContactDays", { days })}</span>
            <${DueLine} plan=${plan} />
          </button>
        </li>`)}
    </ul>
    <p class="muted small">${t("peer.overdueRule", { days: overdueDays })}</p>
  </main>`;
}

/** The next contact: when it is due, and a day the peer picks (sent through the outbox, like a session). */
function NextContact({ ctx, person }) {
  const { overdueDays } = config();
  const plan = contactPlan(person, overdueDays);
  const inDays = (n) => localDate(new Date(Date.now() + n * 86400000));
  const [day, setDay] = useState(inDays(7));
  const [busy, setBusy] = useState(false);
  const save = async (e) => {
    e.preventDefault();
    if (!day || day < inDays(0)) { ctx.setNotice({ type: "error", text: t("nextContact.pickDay") }); return; }
    setBusy(true);
    const roleRef = person.assignment.performer?.[0]?.reference || ref(ctx.roles[0]);
    const planned = nextContactTask({ roleRef, patientRef: person.ref, day });
    try {
      await outbox.queueNextContact(ctx.owner, planned, { name: person.name, patients: [person.ref], when: planned.task.authoredOn });
      const outcome = await submitQueued(ctx, planned.key);
      ctx.setNotice(outcome.refused ? { type: "error", text: outcome.refused }
        : outcome.sent ? { type: "ok", text: t("nextContact.saved", { date: formatDate(localDay(day)) }) } : keptNotice(outcome));
      person.nextContact = planned.task; // shown at once; the caseload reloads after a send
    } catch (_) {
      ctx.setNotice({ type: "error", text: t("error.device") });
    }
    setBusy(false);
  };
  return html`<section aria-labelledby="next-contact-title" id="next-contact">
    <h2 id="next-contact-title">${t("nextContact.title")}</h2>
    <p><${DueLine} plan=${plan} /></p>
    <form class="row" onSubmit=${save}>
      <div class="field"><label for="next-contact-day">${t("nextContact.label")}</label>
        <input id="next-contact-day" type="date" min=${inDays(0)} value=${day} onInput=${(e) => setDay(e.currentTarget.value)} /></div>
      <button type="submit" id="save-next-contact" disabled=${busy}>${t("nextContact.save")}</button>
    </form>
  </section>`;
}

function PersonPage({ ctx, person }) {
  const [detail, setDetail] = useState(null);
  const [error, setError] = useState(null);
  const [worries, setWorries] = useState([]);
  const load = () => {
    personDetailKept(ctx.client, ctx.owner, person.ref, ctx.roles).then(setDetail, (err) => setError(err.message));
    escalationsOf(ctx.client, person.ref).then(setWorries, () => setWorries([]));
  };
  useEffect(() => { load(); }, [person.id, ctx.pending.length]);
  return html`<main id="main">
    <${BackButton} onClick=${() => ctx.go({ page: "people" })} label=${t("peer.myPeople")} />
    <${PageTitle}>${person.name}<//>
    <${AsOf} asOf=${detail?.asOf} />
    <div class="actions">
      <button type="button" class="primary" id="log-session" onClick=${() => ctx.go({ page: "session", id: person.id })}>${t("peer.logSession")}</button>
      <button type="button" id="send-encouragement" onClick=${() => ctx.go({ page: "message", id: person.id })}>${t("peer.sendEncouragement")}</button>
      <button type="button" class="danger" id="worried" onClick=${() => ctx.go({ page: "worried", id: person.id })}>${t("worry.button")}</button>
    </div>
    <${Worries} worries=${worries} />
    ${detail && html`<${Reach} patient=${detail.patient} />`}
    <${LogContact} ctx=${ctx} person=${person} />
    <${NextContact} ctx=${ctx} person=${person} />
    <${PendingPanel} ctx=${ctx} onlyFor=${person.ref} />
    ${error && html`<p class="notice notice-error" role="alert">${error}</p>`}
    ${!detail && !error && html`<${Loading} />`}
    ${detail && html`
      <${Goals} ctx=${ctx} person=${person} goals=${detail.goals} onSaved=${load} />
      <${RecoverySection} ctx=${ctx} person=${person} />
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">${t("peer.recent")}</h2>
        ${detail.timeline.length === 0 && html`<p class="muted">${t("peer.nothingYet")}</p>`}
        <ol class="timeline plain">
          ${detail.timeline.map((item) => item.kind === "session"
            ? html`<${SessionItem} item=${item} onEdit=${() => ctx.go({ page: "note", id: person.id, session: item.encounter.id })} />`
            : html`<${MessageItem} item=${item} />`)}
        </ol>
      </section>
      <${SafetyPlan} plan=${safetyPlanOf(detail.carePlans)} />`}
    <${CrisisLines} lines=${ctx.crisis} />
  </main>`;
}

/** Phone numbers with one-tap call and text, when they like to be called, and the language they prefer. */
function Reach({ patient }) {
  const { phones, language } = reachOf(patient);
  return html`<section aria-labelledby="reach-title" id="reach">
    <h2 id="reach-title">${t("reach.title")}</h2>
    ${phones.length === 0 && html`<p class="muted">${t("reach.noPhone")}</p>`}
    <ul class="plain">
      ${phones.map((p) => html`<li class="phone" data-phone=${p.dial}>
        <span>${p.use ? codeLabel("phoneUse", p.use) : t("reach.phone")}: ${p.value}</span>
        <a class="button-link" href=${"tel:" + p.dial}>${t("reach.call")}</a>
        ${p.texts && html`<a class="button-link" href=${"sms:" + p.dial}>${t("reach.text")}</a>`}
        ${p.times && html`<p class="small">${t("reach.times", { times: p.times })}</p>`}
      </li>`)}
    </ul>
    ${language && html`<p id="reach-language">${t("reach.language", { language: languageName(language.code, language.text) })}</p>`}
  </section>`;
}

const CONTACT_KINDS = {
  call: { medium: "PHONE", status: "completed" },
  text: { medium: "ONLINEWRIT", status: "completed" },
  missed: { medium: "PHONE", status: "not-done" },
};

/**
 * A contact without a session note: a check-in call, a text, or a call nobody answered. Recorded as a check-in
 * Communication (a missed call with status not-done), so it counts for "last contact"; sent through the outbox.
 */
function LogContact({ ctx, person }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const log = async (kind) => {
    setBusy(true);
    const { medium, status } = CONTACT_KINDS[kind];
    const sent = new Date().toISOString();
    const communication = {
      resourceType: "Communication", status,
      ...(status === "not-done" ? { statusReason: { text: "No answer" } } : {}),
      identifier: [{ system: SYS.messageKey, value: uuid() }],
      basedOn: [{ reference: ref(person.assignment) }],
      category: [{ coding: [{ system: SYS.messageCategory, code: "check-in" }] }],
      medium: [{ coding: [{ system: SYS.participationMode, code: medium }] }],
      subject: { reference: person.ref }, recipient: [{ reference: person.ref }],
      sender: { reference: person.assignment.performer?.[0]?.reference || ref(ctx.roles[0]) }, sent,
      payload: [{ contentString: note.trim() || t("contact." + kind) }],
    };
    try {
      const key = communication.identifier[0].value;
      await outbox.queueMessage(ctx.owner, communication, { name: person.name, patients: [person.ref], when: sent });
      const outcome = await submitQueued(ctx, key);
      ctx.setNotice(outcome.refused ? { type: "error", text: outcome.refused }
        : outcome.sent ? { type: "ok", text: t("contact.logged") } : keptNotice(outcome));
      setNote("");
    } catch (_) {
      ctx.setNotice({ type: "error", text: t("error.device") });
    }
    setBusy(false);
  };
  return html`<section aria-labelledby="log-contact-title" id="log-contact">
    <h2 id="log-contact-title">${t("contact.title")}</h2>
    <div class="field"><label for="contact-note">${t("contact.note")}</label>
      <input id="contact-note" maxlength="300" value=${note} onInput=${(e) => setNote(e.currentTarget.value)} /></div>
    <div class="row">
      ${Object.keys(CONTACT_KINDS).map((kind) => html`<button type="button" data-contact=${kind} disabled=${busy}
        onClick=${() => log(kind)}>${t("contact." + kind)}</button>`)}
    </div>
  </section>`;
}

/** The plan's goals with their status in plain words and the latest note; each can be updated from here. */
function Goals({ ctx, person, goals, onSaved }) {
  const [editing, setEditing] = useState(null);
  return html`<section aria-labelledby="goals-title">
    <h2 id="goals-title">${t("peer.goals")}</h2>
    ${goals.length === 0 ? html`<p class="muted">${t("peer.noGoals")}</p>` : html`<ul class="goals plain">
      ${goals.map((g) => {
        const status = statusOf(g);
        const last = goalNotes(g)[0];
        return html`<li data-goal=${g.id}>
          <p class="item-head"><strong>${g.description?.text}</strong>
            <span class="badge" data-status=${status || ""}>${status ? t("goalStatus." + status) : t("goal.noStatus")}</span></p>
          ${last && html`<p class="small muted">${t("goal.lastNote", { date: last.when ? formatDate(last.when) : "", text: last.text })}</p>`}
          ${editing === g.id
            ? html`<${GoalUpdate} ctx=${ctx} person=${person} goal=${g} onDone=${(saved) => { setEditing(null); if (saved) onSaved(); }} />`
            : html`<button type="button" data-update-goal=${g.id} onClick=${() => setEditing(g.id)}>${t("goal.update")}</button>`}
        </li>`;
      })}
    </ul>`}
  </section>`;
}

/** A new status and what happened, saved through the outbox (offline too) as a patch of the goal. */
function GoalUpdate({ ctx, person, goal, onDone }) {
  const [status, setStatus] = useState(statusOf(goal) || "in-progress");
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const save = async (event) => {
    event.preventDefault();
    setBusy(true);
    const clientKey = uuid();
    const when = new Date().toISOString();
    const author = ctx.owner; // the peer's Practitioner (fhirUser): an Annotation's author cannot be a role
    try {
      const operations = goalUpdatePatch(goal, { status, text: text.trim(), author, when, key: clientKey });
      await outbox.queueGoalUpdate(ctx.owner, { goal: ref(goal), version: goal.meta?.versionId, operations, clientKey },
        { name: person.name, patients: [person.ref], when });
      const outcome = await submitQueued(ctx, clientKey);
      ctx.setNotice(outcome.refused ? { type: "error", text: outcome.refused }
        : outcome.sent ? { type: "ok", text: t("goal.saved") } : keptNotice(outcome));
      onDone(!outcome.refused);
    } catch (_) {
      ctx.setNotice({ type: "error", text: t("error.device") });
      setBusy(false);
    }
  };
  const titleId = "goal-update-" + goal.id;
  return html`<form class="goal-update" aria-labelledby=${titleId} onSubmit=${save}>
    <p id=${titleId} class="small"><strong>${t("goal.updateTitle", { goal: goal.description?.text || "" })}</strong></p>
    <div class="field"><label for=${titleId + "-status"}>${t("goal.status")}</label>
      <select id=${titleId + "-status"} name="goal-status" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
        ${GOAL_STATUSES.map((code) => html`<option value=${code}>${t("goalStatus." + code)}</option>`)}
      </select></div>
    <div class="field"><label for=${titleId + "-note"}>${t("goal.note")}</label>
      <textarea id=${titleId + "-note"} name="goal-note" rows="2" maxlength="500" value=${text}
        onInput=${(e) => setText(e.currentTarget.value)}></textarea></div>
    <div class="row">
      <button type="submit" class="primary" disabled=${busy}>${t("goal.save")}</button>
      <button type="button" onClick=${() => onDone(false)}>${t("goal.cancel")}</button>
    </div>
  </form>`;
}

/** The peer's escalations about this person: open ones wait for the care team, the others were acknowledged. */
function Worries({ worries }) {
  if (!worries.length) return null;
  return html`<section aria-labelledby="worries-title" class="worries-peer">
    <h2 id="worries-title">${t("worry.raised")}</h2>
    <ul class="plain">
      ${worries.slice(0, 3).map((task) => {
        const open = isOpenEscalation(task);
        return html`<li class=${"worry-item" + (open ? " worry-open" : "")} data-worry=${task.id} data-open=${open ? "true" : "false"}>
          <p class="item-head"><strong>${open ? t("worry.waiting") : t("worry.acknowledged", { date: formatDateTime(task.lastModified || task.meta?.lastUpdated) })}</strong></p>
          <p>${formatDateTime(task.authoredOn)} · ${codeLabel("urgency", task.priority)}: ${task.description}</p>
        </li>`;
      })}
    </ul>
  </section>`;
}

/** The safety plan the care team keeps (CarePlan, category safety-plan): one step per activity. */
function SafetyPlan({ plan }) {
  if (!plan) return null;
  return html`<section aria-labelledby="safety-title" id="safety-plan">
    <h2 id="safety-title">${t("safety.title")}</h2>
    <dl class="safety-steps">
      ${(plan.activity || []).map((a) => html`<div><dt>${a.detail?.code?.text || t("safety.step")}</dt><dd>${a.detail?.description}</dd></div>`)}
    </dl>
  </section>`;
}

function minutesOf(encounter) {
  const s = encounter?.period?.start, e = encounter?.period?.end;
  return s && e ? Math.round((new Date(e) - new Date(s)) / 60000) : null;
}

function SessionItem({ item, onEdit }) {
  const e = item.encounter, note = item.note;
  const modality = modalityOf(e);
  return html`<li class="timeline-item session-item" data-session=${e.id}>
    <p class="item-head"><strong>${t("peer.session")}</strong> · ${formatDateTime(e.period?.start)}
      ${modality && html` · ${codeLabel("modality", modality)}`}
      ${minutesOf(e) != null && html` · ${t("session.minutesShort", { minutes: minutesOf(e) })}`}
      ${unitsOf(e) != null && html` · ${t("session.unitsShort", { units: unitsOf(e) })}`}</p>
    ${note && html`<p class="chips-inline">${focusCodes(note).map((c) => html`<span class="tag">${codeLabel("focus", c)}</span>`)}</p>
      ${noteSections(note).map((sec, i) => html`<p data-section=${sec.key}>${i > 0 || sec.key !== "whatWasDone"
        ? html`<span class="label">${t("noteSection." + sec.key)}:</span> ` : ""}${sec.text}</p>`)}`}
    ${item.returned && html`<p class="notice notice-warn" data-returned="true"><strong>${t("peer.returned")}</strong> ${item.returned.comment}</p>
      ${note && onEdit && html`<button type="button" data-edit-note=${e.id} onClick=${onEdit}>${t("note.edit")}</button>`}`}
  </li>`;
}

function MessageItem({ item }) {
  const c = item.communication;
  const category = c.category?.[0]?.coding?.[0]?.code;
  return html`<li class="timeline-item message-item" data-message=${c.id}>
    <p class="item-head"><strong>${category ? codeLabel("category", category) : t("peer.message")}</strong> · ${formatDateTime(c.sent)}
      ${c.medium?.[0]?.coding?.[0]?.code && html` · ${codeLabel("medium", c.medium[0].coding[0].code)}`}
      ${c.status === "not-done" && html` <span class="badge badge-pending">${t("contact.notReached")}</span>`}</p>
    <p>${c.payload?.[0]?.contentString}</p>
  </li>`;
}

/** Keeps a form's content encrypted on the device as it is typed; restores it when the form opens again. */
function useDraft(id, owner, initial) {
  const [value, setValue] = useState(null);
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    if (!id) return undefined;
    let live = true;
    vault.get(id).then((saved) => {
      if (!live) return;
      if (saved) { setValue(saved); setRestored(true); } else { setValue(initial()); }
    }, () => live && setValue(initial()));
    return () => { live = false; };
  }, [id]);
  const timer = useRef(null);
  const update = useCallback((patch) => {
    setValue((prev) => {
      const next = { ...prev, ...patch };
      clearTimeout(timer.current);
      timer.current = setTimeout(() => vault.put(id, "draft", owner, next), 250);
      return next;
    });
  }, [id, owner]);
  const clear = useCallback(async () => { clearTimeout(timer.current); await vault.remove(id); }, [id]);
  const saveNow = useCallback(async (v) => { clearTimeout(timer.current); await vault.put(id, "draft", owner, v); }, [id, owner]);
  return [value, update, clear, restored, saveNow];
}

function pad(n) { return String(n).padStart(2, "0"); }
function localDate(d) { return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`; }
function localTime(d) { return `${pad(d.getHours())}:${pad(d.getMinutes())}`; }

/** Submits a queued record and tells the user what happened; a refusal comes back to the form. */
async function submitQueued(ctx, clientKey) {
  const result = await ctx.flush();
  const left = (await outbox.pending(ctx.owner)).find((p) => p.clientKey === clientKey);
  if (!left) return { sent: true };
  if (left.error) {
    await outbox.discard(left.id);
    return { refused: left.error };
  }
  return { pending: true, offline: result.offline, signIn: result.signIn };
}

/** What the user is told when a record stays on the device instead of reaching the server. */
function keptNotice(outcome) {
  const key = outcome.signIn ? "outbox.keptSignIn" : outcome.offline ? "outbox.keptOffline" : "outbox.keptServer";
  return { type: "info", text: t(key) };
}

function SessionForm({ ctx, person }) {
  const { billingUnitMinutes, billingMinimumMinutes } = config();
  const [detail, setDetail] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    personDetailKept(ctx.client, ctx.owner, person.ref, ctx.roles).then(setDetail, () => setDetail({ goals: [], lastSession: null, offline: true }));
  }, [person.id]);
  const initial = () => {
    const last = detail?.lastSession?.encounter;
    const minutes = minutesOf(last) || 30;
    const start = new Date(Date.now() - minutes * 60000);
    start.setMinutes(Math.floor(start.getMinutes() / 5) * 5);
    return {
      clientKey: uuid(), date: localDate(start), time: localTime(start), minutes,
      modality: (last && modalityOf(last)) || "in-person",
      focus: [], goals: [], others: [], whatWasDone: "", response: "", nextSteps: "", goalNote: "",
      format: ctx.noteFormat,
    };
  };
  const [form, update, clearDraft, restored, saveNow] = useDraftWhen(detail, `draft:session:${person.id}`, ctx.owner, initial);
  if (!form) return html`<main id="main"><${PageTitle}>${t("session.title", { name: person.name })}<//><${Loading} /></main>`;

  const units = billingUnits(Number(form.minutes), billingUnitMinutes, billingMinimumMinutes);
  const toggle = (field, code) => update({ [field]: form[field].includes(code) ? form[field].filter((c) => c !== code) : [...form[field], code] });
  const others = ctx.people.filter((p) => p.id !== person.id);
  const group = form.others.length > 0;
  const format = form.format || "free";
  const previous = lastNextSteps((detail?.timeline || []).filter((i) => i.kind === "session"));

  const submit = async (e) => {
    e.preventDefault();
    const problems = [];
    if (!form.date || !form.time) problems.push(t("session.needWhen"));
    if (!(Number(form.minutes) > 0)) problems.push(t("session.needMinutes"));
    if (form.focus.length === 0) problems.push(t("session.needFocus"));
    if (missingFields(format, form).length) problems.push(t("session.needTexts." + format));
    if (problems.length) { setError(problems.join(" ")); return; }
    setError(null);
    setBusy(true);
    const start = new Date(`${form.date}T${form.time}`);
    const end = new Date(start.getTime() + Number(form.minutes) * 60000);
    const patients = [person, ...others.filter((o) => form.others.includes(o.id))];
    const peerRef = person.assignment.performer?.[0]?.reference || ref(ctx.roles[0]);
    const parameters = { resourceType: "Parameters", parameter: [
      ...patients.map((p) => ({ name: "patient", valueReference: { reference: p.ref } })),
      { name: "peer", valueReference: { reference: peerRef } },
      { name: "start", valueDateTime: start.toISOString() },
      { name: "end", valueDateTime: end.toISOString() },
      { name: "modality", valueString: form.modality },
      ...form.focus.map((code) => ({ name: "focus", valueCoding: { system: SYS.focus, code } })),
      ...(group ? [] : form.goals.map((g) => ({ name: "goal", valueReference: { reference: `Goal/${g}` } }))),
      { name: "whatWasDone", valueString: form.whatWasDone.trim() },
      { name: "response", valueString: form.response.trim() },
      { name: "nextSteps", valueString: form.nextSteps.trim() },
      ...(format !== "free" ? [{ name: "format", valueCode: format }] : []),
      ...(format === "girp" ? [{ name: "goalNote", valueString: form.goalNote.trim() }] : []),
      { name: "clientKey", valueString: form.clientKey },
    ] };
    try {
      await saveNow(form);
      await outbox.queueSession(ctx.owner, parameters, { name: patients.map((p) => p.name).join(", "), patients: patients.map((p) => p.ref), when: start.toISOString() });
      const outcome = await submitQueued(ctx, form.clientKey);
      if (outcome.refused) { setError(outcome.refused); setBusy(false); return; }
      await clearDraft();
      ctx.setNotice(outcome.sent ? { type: "ok", text: t("session.saved", { units }) } : keptNotice(outcome));
      ctx.go({ page: "person", id: person.id });
    } catch (err) {
      setError(err instanceof ServerError ? err.message : t("error.device"));
      setBusy(false);
    }
  };

  return html`<main id="main">
    <${BackButton} onClick=${() => ctx.go({ page: "person", id: person.id })} label=${person.name} />
    <${PageTitle}>${t("session.title", { name: person.name })}<//>
    ${restored && html`<p class="notice notice-info" role="status" id="draft-restored">${t("draft.restored")}</p>`}
    <${AsOf} asOf=${detail?.asOf} />
    ${previous && html`<section class="last-steps" id="last-next-steps" aria-labelledby="last-steps-title">
      <h2 id="last-steps-title">${t("session.lastNextSteps", { date: formatDate(previous.when) })}</h2>
      <p>${previous.text}</p>
    </section>`}
    <form class="stack session-form" onSubmit=${submit} novalidate>
      <div class="row when">
        <div class="field"><label for="session-date">${t("session.date")}</label>
          <input id="session-date" type="date" value=${form.date} onInput=${(e) => update({ date: e.currentTarget.value })} required /></div>
        <div class="field"><label for="session-time">${t("session.start")}</label>
          <input id="session-time" type="time" value=${form.time} onInput=${(e) => update({ time: e.currentTarget.value })} required /></div>
        <div class="field"><label for="session-minutes">${t("session.minutes")}</label>
          <input id="session-minutes" type="number" inputmode="numeric" min="1" max="600" value=${form.minutes}
            onInput=${(e) => update({ minutes: e.currentTarget.value })} required /></div>
      </div>
      <p class="units" id="units" aria-live="polite">${t("session.units", { units, unit: billingUnitMinutes, minimum: billingMinimumMinutes })}</p>
      <fieldset><legend>${t("session.modality")}</legend>
        <div class="chips" role="radiogroup">
          ${MODALITIES.map((m) => html`<label class=${"chip radio-chip" + (form.modality === m ? " chip-on" : "")}>
            <input type="radio" name="modality" value=${m} checked=${form.modality === m} onChange=${() => update({ modality: m })} />
            ${codeLabel("modality", m)}</label>`)}
        </div>
      </fieldset>
      <fieldset><legend>${t("session.focus")}</legend>
        <div class="chips">
          ${FOCUS_AREAS.map((code) => html`<${Chip} pressed=${form.focus.includes(code)} data-focus=${code}
            onToggle=${() => toggle("focus", code)}>${codeLabel("focus", code)}<//>`)}
        </div>
      </fieldset>
      ${!group && detail?.goals?.length > 0 && html`<fieldset><legend>${t("session.goals")}</legend>
        ${detail.goals.map((g) => html`<label class="check"><input type="checkbox" data-goal=${g.id} checked=${form.goals.includes(g.id)}
          onChange=${() => toggle("goals", g.id)} /> ${g.description?.text}</label>`)}
      </fieldset>`}
      <${NoteFields} format=${format} values=${form} update=${update} />
      ${others.length > 0 && html`<details class="group" open=${group}>
        <summary>${t("session.group")}</summary>
        <p class="muted small">${t("session.groupHelp")}</p>
        ${others.map((o) => html`<label class="check"><input type="checkbox" data-other=${o.id} checked=${form.others.includes(o.id)}
          onChange=${() => toggle("others", o.id)} /> ${o.name}</label>`)}
      </details>`}
      ${error && html`<p class="notice notice-error" role="alert" id="form-error">${error}</p>`}
      <button type="submit" class="primary" id="save-session" disabled=${busy}>${t("session.save", { units })}</button>
    </form>
  </main>`;
}

const FIELD_IDS = { whatWasDone: "what", response: "response", nextSteps: "next-steps", goalNote: "goal-note" };

/** The note's text fields in the clinic's format: free (what we did, response, next steps), DAP or GIRP. */
function NoteFields({ format, values, update }) {
  return html`<div class="note-fields stack" data-format=${format}>
    ${format !== "free" && html`<p class="muted small" id="note-format">${t("noteFormat." + format)}</p>`}
    ${FORMATS[format].map((s) => html`<div class="field"><div class="label-row"><label for=${FIELD_IDS[s.field]}>${t("noteSection." + s.key)}</label>
        <${DictateButton} target=${FIELD_IDS[s.field]} label=${t("noteSection." + s.key)} value=${values[s.field] || ""}
          onText=${(text) => update({ [s.field]: text })} /></div>
      <textarea id=${FIELD_IDS[s.field]} rows="2" maxlength="2000" value=${values[s.field] || ""}
        onInput=${(e) => update({ [s.field]: e.currentTarget.value })}></textarea></div>`)}
  </div>`;
}

/**
 * The edit of a note the supervisor returned: the same sections in the note's own format, with the supervisor's
 * comment above them. Saved through the outbox as a new version of the note (PUT with If-Match of the version
 * read); the return names the old version, so the session waits for co-signature again.
 */
function NoteEditForm({ ctx, person, sessionId }) {
  const [item, setItem] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    personDetailKept(ctx.client, ctx.owner, person.ref, ctx.roles).then(
      (d) => setItem(d.timeline.find((i) => i.kind === "session" && i.encounter.id === sessionId) || { missing: true }),
      (err) => setError(err.message));
  }, [sessionId]);
  const note = item?.note;
  const [form, update, clearDraft, restored, saveNow] = useDraftWhen(note, `draft:note:${note?.id}:${note?.meta?.versionId}`,
    ctx.owner, () => ({ ...noteValues(note), clientKey: uuid() }));
  const title = t("note.editTitle", { name: person.name });
  if (error || item?.missing) return html`<main id="main"><${PageTitle}>${title}<//><p class="notice notice-error" role="alert">${error || t("note.gone")}</p></main>`;
  if (!form) return html`<main id="main"><${PageTitle}>${title}<//><${Loading} /></main>`;
  const format = formatOf(note);
  const submit = async (e) => {
    e.preventDefault();
    if (missingFields(format, form).length) { setError(t("session.needTexts." + format)); return; }
    setError(null);
    setBusy(true);
    try {
      await saveNow(form);
      await outbox.queueNoteEdit(ctx.owner, { note: editedNote(note, form, new Date().toISOString()), version: note.meta?.versionId,
        clientKey: form.clientKey }, { name: person.name, patients: [person.ref], when: item.encounter.period?.start });
      const outcome = await submitQueued(ctx, form.clientKey);
      if (outcome.refused) { setError(outcome.refused); setBusy(false); return; }
      await clearDraft();
      ctx.setNotice(outcome.sent ? { type: "ok", text: t("note.resubmitted") } : keptNotice(outcome));
      ctx.go({ page: "person", id: person.id });
    } catch (err) {
      setError(err instanceof ServerError ? err.message : t("error.device"));
      setBusy(false);
    }
  };
  return html`<main id="main">
    <${BackButton} onClick=${() => ctx.go({ page: "person", id: person.id })} label=${person.name} />
    <${PageTitle}>${title}<//>
    ${restored && html`<p class="notice notice-info" role="status" id="draft-restored">${t("draft.restored")}</p>`}
    <p class="muted">${t("note.of", { date: formatDateTime(item.encounter.period?.start) })}</p>
    ${item.returned && html`<p class="notice notice-warn" id="return-comment"><strong>${t("peer.returned")}</strong> ${item.returned.comment}</p>`}
    <form class="stack session-form" onSubmit=${submit} novalidate>
      <${NoteFields} format=${format} values=${form} update=${update} />
      ${error && html`<p class="notice notice-error" role="alert" id="form-error">${error}</p>`}
      <button type="submit" class="primary" id="save-note" disabled=${busy}>${t("note.save")}</button>
      <p class="muted small">${t("note.saveHelp")}</p>
    </form>
  </main>`;
}

/** useDraft, but the initial value may depend on data still loading (waits for ready to be truthy). */
function useDraftWhen(ready, id, owner, initial) {
  const [value, update, clear, restored, saveNow] = useDraft(ready ? id : null, owner, initial);
  return [ready ? value : null, update, clear, restored, saveNow];
}

const STARTERS = {
  "cravings": "starter.cravings", "setback-relapse": "starter.setback", "goal-setting": "starter.goal",
  "belonging": "starter.belonging", "relationships": "starter.relationships", "creative-outlets": "starter.creative",
  "practical-advice": "starter.practical", "celebrating-progress": "starter.celebrating",
  "housing-employment": "starter.housing", "wellness-self-care": "starter.wellness", "crisis-support": "starter.crisis",
};

function MessageForm({ ctx, person }) {
  const [detail, setDetail] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    personDetailKept(ctx.client, ctx.owner, person.ref, ctx.roles).then(setDetail, () => setDetail({ goals: [] }));
  }, [person.id]);
  const initial = () => ({ clientKey: uuid(), category: "encouragement", focus: [], goal: "", text: "", medium: "ONLINEWRIT" });
  const [form, update, clearDraft, restored, saveNow] = useDraftWhen(detail, `draft:message:${person.id}`, ctx.owner, initial);
  if (!form) return html`<main id="main"><${PageTitle}>${t("message.title", { name: person.name })}<//><${Loading} /></main>`;
  const toggleFocus = (code) => update({ focus: form.focus.includes(code) ? form.focus.filter((c) => c !== code) : [...form.focus, code] });
  const starters = (form.focus.length ? form.focus : ["celebrating-progress", "cravings", "belonging"]).map((c) => t(STARTERS[c]));

  const submit = async (e) => {
    e.preventDefault();
    if (!form.text.trim()) { setError(t("message.needText")); return; }
    setError(null);
    setBusy(true);
    const peerRef = person.assignment.performer?.[0]?.reference || ref(ctx.roles[0]);
    const sent = new Date().toISOString();
    const communication = {
      resourceType: "Communication", status: "completed",
      identifier: [{ system: SYS.messageKey, value: form.clientKey }],
      basedOn: [{ reference: ref(person.assignment) }],
      category: [{ coding: [{ system: SYS.messageCategory, code: form.category }] }],
      medium: [{ coding: [{ system: SYS.participationMode, code: form.medium }] }],
      subject: { reference: person.ref }, recipient: [{ reference: person.ref }],
      sender: { reference: peerRef }, sent,
      ...(form.goal ? { about: [{ reference: `Goal/${form.goal}` }] } : {}),
      ...(form.focus.length ? { reasonCode: form.focus.map((code) => ({ coding: [{ system: SYS.focus, code }] })) } : {}),
      payload: [{ contentString: form.text.trim() }],
    };
    try {
      await saveNow(form);
      await outbox.queueMessage(ctx.owner, communication, { name: person.name, patients: [person.ref], when: sent });
      const outcome = await submitQueued(ctx, form.clientKey);
      if (outcome.refused) { setError(outcome.refused); setBusy(false); return; }
      await clearDraft();
      const number = form.medium === "ONLINEWRIT" ? textingNumber(person.patient) : null;
      const sms = number && { href: `sms:${number}?body=${encodeURIComponent(communication.payload[0].contentString)}`, label: t("message.openMessages") };
      ctx.setNotice({ ...(outcome.sent ? { type: "ok", text: t("message.saved") } : keptNotice(outcome)), ...(sms ? { link: sms } : {}) });
      ctx.go({ page: "person", id: person.id });
    } catch (err) {
      setError(err instanceof ServerError ? err.message : t("error.device"));
      setBusy(false);
    }
  };

  return html`<main id="main">
    <${BackButton} onClick=${() => ctx.go({ page: "person", id: person.id })} label=${person.name} />
    <${PageTitle}>${t("message.title", { name: person.name })}<//>
    ${restored && html`<p class="notice notice-info" role="status" id="draft-restored">${t("draft.restored")}</p>`}
    <form class="stack" onSubmit=${submit} novalidate>
      <fieldset><legend>${t("message.category")}</legend>
        <div class="chips" role="radiogroup">
          ${CATEGORIES.map((c) => html`<label class=${"chip radio-chip" + (form.category === c ? " chip-on" : "")}>
            <input type="radio" name="category" value=${c} checked=${form.category === c} onChange=${() => update({ category: c })} />
            ${codeLabel("category", c)}</label>`)}
        </div>
      </fieldset>
      <fieldset><legend>${t("message.focus")}</legend>
        <div class="chips">
          ${FOCUS_AREAS.map((code) => html`<${Chip} pressed=${form.focus.includes(code)} data-focus=${code}
            onToggle=${() => toggleFocus(code)}>${codeLabel("focus", code)}<//>`)}
        </div>
      </fieldset>
      <fieldset><legend>${t("message.starters")}</legend>
        <div class="starters">
          ${starters.map((s, i) => html`<button type="button" class="starter" data-starter=${i} onClick=${() => update({ text: s })}>${s}</button>`)}
        </div>
      </fieldset>
      <div class="field"><label for="message-text">${t("message.text")}</label>
        <textarea id="message-text" rows="3" maxlength="1000" value=${form.text} onInput=${(e) => update({ text: e.currentTarget.value })}></textarea></div>
      ${detail?.goals?.length > 0 && html`<div class="field"><label for="message-goal">${t("message.goal")}</label>
        <select id="message-goal" value=${form.goal} onChange=${(e) => update({ goal: e.currentTarget.value })}>
          <option value="">${t("message.noGoal")}</option>
          ${detail.goals.map((g) => html`<option value=${g.id}>${g.description?.text}</option>`)}
        </select></div>`}
      <div class="field"><label for="message-medium">${t("message.medium")}</label>
        <select id="message-medium" value=${form.medium} onChange=${(e) => update({ medium: e.currentTarget.value })}>
          ${["ONLINEWRIT", "PHONE", "FACE"].map((m) => html`<option value=${m}>${codeLabel("medium", m)}</option>`)}
        </select></div>
      ${error && html`<p class="notice notice-error" role="alert" id="form-error">${error}</p>`}
      <button type="submit" class="primary" id="save-message" disabled=${busy}>${t("message.save")}</button>
      <p class="muted small">${form.medium === "ONLINEWRIT" && textingNumber(person.patient) ? t("message.recordsThenText") : t("message.recordsOnly")}</p>
    </form>
  </main>`;
}

export { idOf, humanName };
