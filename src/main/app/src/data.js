// The FHIR searches behind each page. Ids only in query strings, never names.
import { search, get, SYS, REFERRAL, EXT, ref, idOf, isPeerRole, extValue, hasCoding, humanName } from "./fhir.js";
import { parseMatches, languagesOf, livedExperienceOf } from "./matching.js";
import { NEXT_CONTACT } from "./triage.js";
import { clinicFormat } from "./notes.js";

const ASSIGNMENT_CODE = `${SYS.snomed}|${REFERRAL}`;

/** The signed-in practitioner's PractitionerRoles (active ones first). */
export async function myRoles(client, fhirUser) {
  const roles = await search(client, `PractitionerRole?practitioner=${encodeURIComponent(fhirUser)}&_count=50`);
  return roles.filter((r) => r.active !== false);
}

/**
 * My people: the active peer mentor assignments of the peer's roles (ServiceRequest performer = the role,
 * as $assign-peer-mentor writes them), each with its person and last contact.
 */
export async function caseload(client, peerRoles) {
  if (!peerRoles.length) return [];
  const performers = peerRoles.map(ref).join(",");
  const found = await search(client, `ServiceRequest?performer=${performers}&status=active&code=${encodeURIComponent(ASSIGNMENT_CODE)}&_include=ServiceRequest:subject&_count=100`);
  const patients = new Map(found.filter((r) => r.resourceType === "Patient").map((p) => [ref(p), p]));
  const people = new Map();
  for (const sr of found.filter((r) => r.resourceType === "ServiceRequest")) {
    const subject = sr.subject?.reference;
    if (!subject || people.has(subject)) continue;
    people.set(subject, {
      ref: subject,
      id: idOf(subject),
      patient: patients.get(subject) || null,
      name: humanName(patients.get(subject)),
      assignment: sr,
      since: sr.occurrencePeriod?.start || sr.authoredOn,
    });
  }
  const list = [...people.values()];
  await Promise.all(list.map(async (person) => {
    const [sessions, messages] = await Promise.all([
      // the last few sessions, with their reviews: the latest dates the last contact, any may have come back
      search(client, `Encounter?subject=${person.ref}&type=${encodeURIComponent(SYS.hcpcs + "|H0038")}&_sort=-date&_count=10&_revinclude=Procedure:encounter&_revinclude=Provenance:target`, 1),
      search(client, `Communication?subject=${person.ref}&_sort=-sent&_count=1`, 1),
    ]);
    const times = [
      ...sessions.filter((e) => e.resourceType === "Encounter" && e.status !== "entered-in-error").map((e) => e.period?.end || e.period?.start),
      ...messages.map((c) => c.sent),
    ].filter(Boolean).map((d) => new Date(d));
    person.lastContact = times.length ? new Date(Math.max(...times)) : null;
    const returned = returnsOf(sessions.filter((r) => r.resourceType === "Provenance"), sessions.filter((r) => r.resourceType === "Encounter"),
      sessions.filter((r) => r.resourceType === "Procedure"));
    person.returnedNotes = returned.size;
  }));
  // for the work list, one search each over the whole caseload: open worries and the next contacts I scheduled
  const subjects = list.map((p) => p.ref).join(",");
  const [worries, planned] = list.length ? await Promise.all([
    search(client, `Task?patient=${subjects}&code=${encodeURIComponent(WORRIED)}&status=requested,received&_count=100`, 3).catch(() => []),
    search(client, `Task?owner=${performers}&code=${encodeURIComponent(`${NEXT_CONTACT.system}|${NEXT_CONTACT.code}`)}&status=requested&_count=100`, 3).catch(() => []),
  ]) : [[], []];
  for (const person of list) {
    person.openWorries = worries.filter((t) => t.for?.reference === person.ref).length;
    person.nextContact = planned.filter((t) => t.for?.reference === person.ref)
      .sort((a, b) => new Date(b.authoredOn || 0) - new Date(a.authoredOn || 0))[0] || null;
  }
  return list;
}

/** How a supervisor marks a note returned to the peer: a Provenance with this activity (see views/supervisor.js). */
export const RETURNED = { system: "http://alongside.health/fhir/CodeSystem/review-outcome", code: "returned", display: "Returned for changes" };

/**
 * Sessions returned to their peer: a Provenance with the activity "returned" on the session's current version,
 * and no co-signature. A return names the versions it is about; once the peer edits the note (a new version of the
 * Procedure, made by the server), the return is about an old note and the session waits for co-signature again.
 * Map of "Encounter/id" to { comment, provenance }.
 */
export function returnsOf(provenances, encounters, notes = []) {
  const current = new Map([...encounters, ...notes].map((e) => [ref(e), `${ref(e)}/_history/${e.meta?.versionId || 1}`]));
  const outdated = (p) => (p.target || []).some((x) => current.has(stripVersion(x.reference))
    && /\/_history\//.test(x.reference || "") && current.get(stripVersion(x.reference)) !== x.reference);
  const signed = new Set(provenances.filter((p) => (p.agent || []).some((a) => (a.type?.coding || []).some((c) => c.code === "verifier")))
    .flatMap((p) => (p.target || []).map((x) => stripVersion(x.reference))));
  const out = new Map();
  for (const p of provenances) {
    if (!(p.activity?.coding || []).some((c) => c.system === RETURNED.system && c.code === RETURNED.code)) continue;
    if (outdated(p)) continue;
    for (const target of p.target || []) {
      const session = stripVersion(target.reference);
      if (current.get(session) === target.reference && !signed.has(session)) {
        out.set(session, { comment: p.reason?.[0]?.text || "", provenance: p });
      }
    }
  }
  return out;
}

/** One person: their active plans' goals, recent sessions (with notes), messages and returned notes. */
export async function personDetail(client, patientRef, peerRoles) {
  const [patient, plans, encounters, messages] = await Promise.all([
    get(client, patientRef),
    search(client, `CarePlan?subject=${patientRef}&status=active&_include=CarePlan:goal&_count=50`, 2),
    search(client, `Encounter?subject=${patientRef}&type=${encodeURIComponent(SYS.hcpcs + "|H0038")}&_sort=-date&_count=20&_revinclude=Procedure:encounter&_revinclude=Provenance:target`, 1),
    search(client, `Communication?subject=${patientRef}&_sort=-sent&_count=20`, 1),
  ]);
  const goals = plans.filter((r) => r.resourceType === "Goal");
  const carePlans = plans.filter((r) => r.resourceType === "CarePlan");
  const notes = new Map(encounters.filter((r) => r.resourceType === "Procedure").map((p) => [p.encounter?.reference, p]));
  const returned = returnsOf(encounters.filter((r) => r.resourceType === "Provenance"), encounters.filter((r) => r.resourceType === "Encounter"),
    encounters.filter((r) => r.resourceType === "Procedure"));
  const sessions = encounters.filter((r) => r.resourceType === "Encounter" && r.status !== "entered-in-error")
    .map((e) => ({ kind: "session", when: e.period?.start, encounter: e, note: notes.get(ref(e)), returned: returned.get(ref(e)) }));
  const msgs = messages.map((c) => ({ kind: "message", when: c.sent, communication: c }));
  const timeline = [...sessions, ...msgs].sort((a, b) => new Date(b.when) - new Date(a.when));
  return { patient, carePlans, goals, timeline, lastSession: sessions[0] || null };
}

/**
 * How to reach the person: their phone numbers (Patient.telecom: a number to dial, whether it takes texts, when
 * they like to be called: extension contact-times) and their preferred language (Patient.communication).
 */
export function reachOf(patient) {
  const phones = (patient?.telecom || [])
    .filter((tel) => (tel.system === "phone" || tel.system === "sms") && tel.value && tel.use !== "old")
    .map((tel) => ({
      value: tel.value,
      dial: tel.value.replace(/[^+\d]/g, ""),
      use: tel.use || null,
      texts: tel.system === "sms" || tel.use === "mobile",
      times: extValue(tel, EXT.contactTimes)[0]?.valueString || null,
    }));
  const spoken = patient?.communication || [];
  const preferred = spoken.find((c) => c.preferred) || spoken[0];
  return {
    phones,
    language: preferred ? { code: preferred.language?.coding?.[0]?.code || null, text: preferred.language?.text || null } : null,
  };
}

/** The number to text the person on, if they have one that takes texts. */
export function textingNumber(patient) {
  return reachOf(patient).phones.find((p) => p.texts)?.dial || null;
}

/** The code of an "I'm worried" escalation (Task.code, Flag.code) as a search token. */
export const WORRIED = `${SYS.crisis}|peer-worried`;

/** The code of an engagement alert (no peer contact for the Organization's number of days) as a search token. */
export const NO_PEER_CONTACT = `${SYS.engagement}|no-peer-contact`;

/** The escalations about a person, newest first: open ones wait for the care team, others were acknowledged. */
export async function escalationsOf(client, patientRef) {
  const tasks = await search(client, `Task?patient=${patientRef}&code=${encodeURIComponent(WORRIED)}&_count=20`, 1);
  return tasks.sort((a, b) => new Date(b.authoredOn || 0) - new Date(a.authoredOn || 0));
}

/** An escalation is open until the care team moves its Task on from "requested". */
export function isOpenEscalation(task) {
  return task.status === "requested" || task.status === "received";
}

/**
 * The clinic as the peer's organizations (PractitionerRole.organization) describe it: its crisis lines (contacts
 * whose purpose is crisis-support#crisis-line, see fhir-profiles/README.md), each { name, phone }, and the note
 * format it chose (extension note-format; free text without one).
 */
export async function clinicOf(client, roles) {
  const orgs = [...new Set(roles.map((r) => r.organization?.reference).filter((r) => r && r.startsWith("Organization/")))];
  if (!orgs.length) return { crisis: [], noteFormat: "free" };
  const found = await search(client, `Organization?_id=${orgs.map(idOf).join(",")}`, 1);
  const crisis = found.flatMap((org) => (org.contact || [])
    .filter((c) => hasCoding([c.purpose], SYS.crisis, "crisis-line"))
    .flatMap((c) => (c.telecom || []).filter((tel) => tel.system === "phone" && tel.value)
      .map((tel) => ({ name: c.name?.text || org.name || "", phone: tel.value }))));
  return { crisis, noteFormat: clinicFormat(found) };
}

/** The clinic's crisis lines (see clinicOf). */
export async function crisisLines(client, roles) {
  return (await clinicOf(client, roles)).crisis;
}

/** The person's safety plan, if the care team keeps one: an active CarePlan with category crisis-support#safety-plan. */
export function safetyPlanOf(carePlans) {
  return carePlans.find((plan) => hasCoding(plan.category, SYS.crisis, "safety-plan")) || null;
}

export function stripVersion(reference) {
  return String(reference || "").replace(/\/_history\/.*$/, "");
}

export function modalityOf(encounter) {
  return extValue(encounter, EXT.modality)[0]?.valueCoding?.code || null;
}

export function unitsOf(encounter) {
  return extValue(encounter, EXT.billingUnits)[0]?.valueInteger ?? null;
}

export function focusCodes(procedure) {
  return (procedure?.reasonCode || []).flatMap((c) => c.coding || []).filter((c) => c.system === SYS.focus).map((c) => c.code);
}

/** Active peer specialist roles with each one's current caseload (active assignments). */
export async function peerDirectory(client) {
  const found = await search(client, `PractitionerRole?role=${encodeURIComponent(SYS.nucc + "|175T00000X")}&active=true&_include=PractitionerRole:practitioner&_count=200`, 5);
  const practitioners = new Map(found.filter((r) => r.resourceType === "Practitioner").map((p) => [ref(p), p]));
  const roles = found.filter((r) => r.resourceType === "PractitionerRole" && isPeerRole(r) && r.active !== false);
  return Promise.all(roles.map(async (role) => {
    const counted = await get(client, `ServiceRequest?performer=${ref(role)}&status=active&code=${encodeURIComponent(ASSIGNMENT_CODE)}&_summary=count`);
    const practitioner = practitioners.get(role.practitioner?.reference);
    return {
      ref: ref(role),
      role,
      name: humanName(practitioner) || ref(role),
      organization: role.organization?.reference || null,
      languages: languagesOf(practitioner),
      lived: livedExperienceOf(role),
      caseload: counted.total ?? 0,
      supervisor: extValue(role, EXT.supervisedBy)[0]?.valueReference?.reference || null,
    };
  }));
}

/** The peers $match-peer-mentor ranks for a care plan, best first, with its reasons (see matching.js). */
export async function rankedPeers(client, planId) {
  return parseMatches(await get(client, `CarePlan/${planId}/$match-peer-mentor?count=50`));
}

export { hasCoding };
