// The supervisor's rules, pure (no DOM, no server), checked by test/supervision.test.js: how long a note has
// waited, the queue's order, units and supervision hours per peer for a month, and the records a supervisor writes
// (a co-signature Provenance, a supervision session Encounter). The server's twin of the hours rule is
// org.alongside.supervision.SupervisionHours.

export const SUPERVISION = "http://alongside.health/fhir/CodeSystem/supervision";
export const SUPERVISION_ROLE = "http://alongside.health/fhir/CodeSystem/supervision-role";
export const SUPERVISION_TOPIC = "http://alongside.health/fhir/CodeSystem/supervision-topic";
export const SUPERVISION_NOTE = "http://alongside.health/fhir/StructureDefinition/supervision-note";
const BILLING_UNITS = "http://alongside.health/fhir/StructureDefinition/billing-units";
const ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
const PROVENANCE_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

/** The topics a supervision session can cover (code system supervision-topic), in the order the form shows them. */
export const TOPICS = ["caseload-review", "documentation", "ethics-boundaries", "crisis-response", "skill-development",
  "peer-wellbeing", "career-certification"];

/** The search token of supervision sessions (Encounter.type). */
export const SUPERVISION_TYPE = `${SUPERVISION}|supervision-session`;

const DAY = 86400000;

/** When a note started waiting for its co-signature: the end of the session it records (the date of service). */
export function waitingSince(encounter) {
  return encounter?.period?.end || encounter?.period?.start || null;
}

/**
 * Calendar days from then to now in the device's time zone (never negative): a note from last night has waited
 * 1 day this morning, as a person would say it.
 */
export function waitedDays(since, now = new Date()) {
  if (!since) return null;
  const then = new Date(since);
  const day = (d) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.max(0, Math.round((day(now) - day(then)) / DAY));
}

/** The words for how long a note has waited: a message key and its count ("waiting 3 days"). */
export function waitedWords(since, now = new Date()) {
  const days = waitedDays(since, now);
  if (days === null) return null;
  if (days === 0) return { key: "supervisor.waitedToday", count: 0 };
  if (days === 1) return { key: "supervisor.waitedDay", count: 1 };
  return { key: "supervisor.waitedDays", count: days };
}

/** Oldest first: the note that has waited longest leads the queue (ties: by id, so the order is stable). */
export function oldestFirst(items) {
  const time = (i) => new Date(waitingSince(i.encounter) || 0).getTime();
  return [...items].sort((a, b) => time(a) - time(b) || String(a.encounter.id).localeCompare(String(b.encounter.id)));
}

/** The first moment of the month `now` falls in (local time), and of the next one. */
export function monthOf(now = new Date()) {
  const start = new Date(now.getFullYear(), now.getMonth(), 1);
  const end = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  return { start, end };
}

function inMonth(when, month) {
  if (!when) return false;
  const t = new Date(when).getTime();
  return t >= month.start.getTime() && t < month.end.getTime();
}

function participantRefs(encounter) {
  return (encounter.participant || []).map((p) => String(p.individual?.reference || "").replace(/\/_history\/.*$/, ""));
}

/**
 * H0038 units per peer in the month: the billing units the server computed for each session (extension
 * billing-units, the BillingUnits rule), summed over the sessions that started in the month; sessions entered in
 * error count nothing. Map of peer reference to units; every peer asked for is there (0 when none).
 */
export function unitsByPeer(sessions, peerRefs, month) {
  const out = new Map(peerRefs.map((p) => [p, 0]));
  for (const e of sessions) {
    if (e.status === "entered-in-error" || !inMonth(e.period?.start, month)) continue;
    const units = (e.extension || []).find((x) => x.url === BILLING_UNITS)?.valueInteger || 0;
    for (const peer of participantRefs(e)) if (out.has(peer)) out.set(peer, out.get(peer) + units);
  }
  return out;
}

/** Is the Encounter a supervision session? */
export function isSupervisionSession(encounter) {
  return (encounter?.type || []).some((t) => (t.coding || []).some((c) => c.system === SUPERVISION && c.code === "supervision-session"));
}

/** The peer a supervision session supervised (participant of type supervisee). */
export function superviseeOf(encounter) {
  const p = (encounter.participant || []).find((x) => (x.type || []).some((t) => (t.coding || [])
    .some((c) => c.system === SUPERVISION_ROLE && c.code === "supervisee")));
  return p ? String(p.individual?.reference || "").replace(/\/_history\/.*$/, "") : null;
}

/** Minutes of supervision per peer in the month (sessions that started in it). Map of peer reference to minutes. */
export function supervisionMinutesByPeer(sessions, peerRefs, month) {
  const out = new Map(peerRefs.map((p) => [p, 0]));
  for (const e of sessions) {
    if (!isSupervisionSession(e) || e.status === "entered-in-error" || !inMonth(e.period?.start, month)) continue;
    const peer = superviseeOf(e);
    const minutes = e.length?.code === "min" ? Number(e.length.value) || 0 : 0;
    if (peer && out.has(peer) && minutes > 0) out.set(peer, out.get(peer) + minutes);
  }
  return out;
}

/** Minutes as hours to the tenth, rounded half up (the server's SupervisionHours.Total.hours()). */
export function hoursOf(minutes) {
  return Math.round(minutes / 6) / 10;
}

/** A supervision session as the supervisor records it (profile supervision-session): a staff record, no subject. */
export function supervisionSession({ supervisorRef, peerRef, start, minutes, topics, note, remote }) {
  const role = (code) => [{ coding: [{ system: SUPERVISION_ROLE, code }] }];
  const encounter = {
    resourceType: "Encounter",
    status: "finished",
    class: remote ? { system: ACT_CODE, code: "VR", display: "virtual" } : { system: ACT_CODE, code: "AMB", display: "ambulatory" },
    type: [{ coding: [{ system: SUPERVISION, code: "supervision-session", display: "Supervision session" }] }],
    participant: [
      { type: role("supervisor"), individual: { reference: supervisorRef } },
      { type: role("supervisee"), individual: { reference: peerRef } },
    ],
    period: { start },
    length: { value: minutes, unit: "min", system: "http://unitsofmeasure.org", code: "min" },
    reasonCode: topics.map((code) => ({ coding: [{ system: SUPERVISION_TOPIC, code }] })),
  };
  if (note && note.trim()) encounter.extension = [{ url: SUPERVISION_NOTE, valueString: note.trim() }];
  return encounter;
}

/**
 * The co-signature of a note (profile session-cosignature): the peer as author, the supervisor as verifier, a
 * signature, naming the versions signed. One note or several at once, each is this same record.
 */
export function cosignature({ encounter, note, peerRef, supervisorRef, statement, when }) {
  const versioned = (r) => `${r.resourceType}/${r.id}/_history/${r.meta?.versionId || 1}`;
  return {
    resourceType: "Provenance",
    target: [{ reference: versioned(encounter) }, ...(note ? [{ reference: versioned(note) }] : [])],
    recorded: when,
    agent: [
      { type: { coding: [{ system: PROVENANCE_TYPE, code: "author" }] }, who: { reference: peerRef } },
      { type: { coding: [{ system: PROVENANCE_TYPE, code: "verifier" }] }, who: { reference: supervisorRef } },
    ],
    signature: [{
      type: [{ system: "urn:iso-astm:E1762-95:2013", code: "1.2.840.10065.1.12.1.5" }],
      when, who: { reference: supervisorRef }, sigFormat: "text/plain",
      data: btoa(unescape(encodeURIComponent(statement))),
    }],
  };
}

/**
 * Co-signs each item in turn through `sign` (the one co-sign path) and reports every outcome: one refusal does not
 * stop the others. Resolves to [{ item, ok, error }].
 */
export async function cosignEach(items, sign) {
  const results = [];
  for (const item of items) {
    try {
      await sign(item);
      results.push({ item, ok: true });
    } catch (error) {
      results.push({ item, ok: false, error });
    }
  }
  return results;
}
