// The clinician's picker and care plan list, as pure functions: the ranking $match-peer-mentor answers, what each
// peer offers (languages, lived experience), how plans are found and ordered, and how an assignment is dated.

export const LIVED_EXPERIENCE = "http://alongside.health/fhir/StructureDefinition/lived-experience";
export const LIVED_EXPERIENCE_SYSTEM = "http://alongside.health/fhir/CodeSystem/lived-experience";
export const MATCH_REASON_SYSTEM = "http://alongside.health/fhir/CodeSystem/match-reason";
const END_REASON_SYSTEM = "http://alongside.health/fhir/CodeSystem/end-reason";

const part = (parameter, name) => (parameter.part || []).filter((p) => p.name === name);

/**
 * The ranking of a $match-peer-mentor answer (a Parameters resource), best first: each peer's reference, rank,
 * score (0–1), caseload and reasons ({ code, detail }), with the caseload limit the server applies.
 */
export function parseMatches(parameters) {
  const top = parameters?.parameter || [];
  const matches = top.filter((p) => p.name === "match").map((m) => ({
    ref: part(m, "peer")[0]?.valueReference?.reference,
    rank: part(m, "rank")[0]?.valueInteger,
    score: part(m, "score")[0]?.valueDecimal ?? 0,
    caseload: part(m, "caseload")[0]?.valueInteger ?? 0,
    reasons: part(m, "reason").map((r) => ({
      code: part(r, "code")[0]?.valueCoding?.code,
      detail: part(r, "detail")[0]?.valueString || "",
    })).filter((r) => r.code),
  })).filter((m) => m.ref);
  matches.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  const limit = top.find((p) => p.name === "caseloadLimit")?.valueInteger;
  return { matches, caseloadLimit: limit ?? null };
}

/** Whether a reason speaks for the peer (shown plainly) or against (shown muted). */
export function isAgainst(reason) {
  return reason.code === "no-shared-language" || reason.code === "no-availability-recorded";
}

/** A reason whose detail is a language code the page names in the reader's language. */
export function languageOfReason(reason) {
  return reason.code === "preferred-language" || reason.code === "shared-language" ? reason.detail : null;
}

/** The languages a practitioner speaks (Practitioner.communication), as BCP 47 codes, preferred ones first. */
export function languagesOf(practitioner) {
  return (practitioner?.communication || [])
    .map((c) => (c.coding || []).find((coding) => coding.code)?.code)
    .filter(Boolean)
    .filter((code, i, all) => all.indexOf(code) === i);
}

/** The lived-experience areas a peer shares (their PractitionerRole's lived-experience extensions), as codes. */
export function livedExperienceOf(role) {
  return (role?.extension || []).filter((e) => e.url === LIVED_EXPERIENCE)
    .flatMap((e) => e.valueCodeableConcept?.coding || (e.valueCoding ? [e.valueCoding] : []))
    .filter((c) => c.system === LIVED_EXPERIENCE_SYSTEM && c.code)
    .map((c) => c.code)
    .filter((code, i, all) => all.indexOf(code) === i);
}

/** Lower case without accents: "José" is found by "jose". */
export function folded(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

export const PLAN_SORTS = ["name", "recent", "status"];
const STATUS_ORDER = ["active", "on-hold", "draft"];

/**
 * The care plans matching `query` (any word of the person's name or the plan's title, each query word a prefix),
 * in the chosen order: by name, most recently changed first, or by status (active, on hold, draft) then name.
 * Items are { plan, name }.
 */
export function findPlans(items, query, sort) {
  const words = folded(query).split(/\s+/).filter(Boolean);
  const found = items.filter(({ plan, name }) => {
    const haystack = folded(`${name || ""} ${plan.title || ""}`).split(/[^a-z0-9]+/).filter(Boolean);
    return words.every((w) => haystack.some((h) => h.startsWith(w)));
  });
  const byName = (a, b) => folded(a.name).localeCompare(folded(b.name)) || a.plan.id.localeCompare(b.plan.id);
  const changed = (x) => new Date(x.plan.meta?.lastUpdated || 0).getTime();
  const compare = {
    name: byName,
    recent: (a, b) => changed(b) - changed(a) || byName(a, b),
    status: (a, b) => rank(a.plan.status) - rank(b.plan.status) || byName(a, b),
  }[sort] || byName;
  return [...found].sort(compare);
}

function rank(status) {
  const i = STATUS_ORDER.indexOf(status);
  return i < 0 ? STATUS_ORDER.length : i;
}

/**
 * When an assignment (the peer mentor referral, a ServiceRequest) started and ended, and why it ended: the start of
 * its occurrence period (not when it was written), and the end reason its own Task was completed with.
 */
export function assignmentDates(serviceRequest, tasks = []) {
  const period = serviceRequest.occurrencePeriod || {};
  const own = tasks.find((task) => task.focus?.reference
    && task.focus.reference.replace(/\/_history\/.*/, "") === `ServiceRequest/${serviceRequest.id}`);
  const reason = (own?.statusReason?.coding || []).find((c) => c.system === END_REASON_SYSTEM)?.code || null;
  const ended = serviceRequest.status === "completed" || serviceRequest.status === "revoked";
  return {
    start: period.start || serviceRequest.authoredOn || null,
    end: ended ? period.end || null : null,
    endReason: ended ? reason : null,
  };
}
