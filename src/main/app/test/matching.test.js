// The clinician's picker and plan list (src/matching.js): the ranking as the server answers it, what each peer
// offers, how plans are found and ordered, and how an assignment is dated.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  parseMatches, isAgainst, languageOfReason, languagesOf, livedExperienceOf, findPlans, assignmentDates,
  LIVED_EXPERIENCE, LIVED_EXPERIENCE_SYSTEM, MATCH_REASON_SYSTEM,
} from "../src/matching.js";

const reason = (code, detail) => ({ name: "reason", part: [
  { name: "code", valueCoding: { system: MATCH_REASON_SYSTEM, code } }, { name: "detail", valueString: detail }] });
const match = (rank, peer, score, caseload, ...reasons) => ({ name: "match", part: [
  { name: "rank", valueInteger: rank }, { name: "peer", valueReference: { reference: peer } },
  { name: "score", valueDecimal: score }, { name: "points", valueInteger: 40 },
  { name: "caseload", valueInteger: caseload }, ...reasons] });

test("the ranking keeps the server's order by rank, with each peer's reasons and the caseload limit", () => {
  const answer = { resourceType: "Parameters", parameter: [
    match(2, "PractitionerRole/b", 0.3, 4, reason("caseload-room", "Mentors 4 of 15")),
    match(1, "PractitionerRole/a", 0.64, 1, reason("shared-lived-experience", "substance-use (asked for by the person)"),
      reason("preferred-language", "es")),
    { name: "caseloadLimit", valueInteger: 15 }] };
  const { matches, caseloadLimit } = parseMatches(answer);
  assert.equal(caseloadLimit, 15);
  assert.deepEqual(matches.map((m) => [m.ref, m.rank, m.score, m.caseload]),
    [["PractitionerRole/a", 1, 0.64, 1], ["PractitionerRole/b", 2, 0.3, 4]]);
  assert.deepEqual(matches[0].reasons.map((r) => r.code), ["shared-lived-experience", "preferred-language"]);
  assert.equal(languageOfReason(matches[0].reasons[1]), "es");
  assert.equal(languageOfReason(matches[0].reasons[0]), null);
});

test("an empty or missing answer is an empty ranking, not an error", () => {
  assert.deepEqual(parseMatches({ resourceType: "Parameters" }), { matches: [], caseloadLimit: null });
  assert.deepEqual(parseMatches(undefined), { matches: [], caseloadLimit: null });
});

test("reasons against a peer are told apart from reasons for", () => {
  assert.equal(isAgainst({ code: "no-shared-language" }), true);
  assert.equal(isAgainst({ code: "no-availability-recorded" }), true);
  assert.equal(isAgainst({ code: "available" }), false);
});

test("a peer's languages and lived experience come from Practitioner.communication and the role's extensions", () => {
  const practitioner = { communication: [{ coding: [{ system: "urn:ietf:bcp:47", code: "es" }] },
    { coding: [{ system: "urn:ietf:bcp:47", code: "en" }] }, { coding: [{ code: "es" }] }, { text: "Sign" }] };
  assert.deepEqual(languagesOf(practitioner), ["es", "en"]);
  assert.deepEqual(languagesOf(undefined), []);
  const role = { extension: [
    { url: LIVED_EXPERIENCE, valueCodeableConcept: { coding: [{ system: LIVED_EXPERIENCE_SYSTEM, code: "substance-use" }] } },
    { url: LIVED_EXPERIENCE, valueCodeableConcept: { coding: [{ system: LIVED_EXPERIENCE_SYSTEM, code: "parent" }] } },
    { url: LIVED_EXPERIENCE, valueCodeableConcept: { coding: [{ system: "http://example.org/other", code: "x" }] } },
    { url: "http://example.org/unrelated", valueString: "veteran" }] };
  assert.deepEqual(livedExperienceOf(role), ["substance-use", "parent"]);
});

const item = (id, name, title, status, lastUpdated) => ({ plan: { id, title, status, meta: { lastUpdated } }, name });
const plans = [
  item("1", "María López", "Recovery plan", "active", "2026-11-20T10:00:00Z"),
  item("2", "Lee Nguyen", "Sleep plan", "draft", "2026-11-28T10:00:00Z"),
  item("3", "Sam Ortiz", "Recovery plan", "on-hold", "2026-11-25T10:00:00Z"),
];

test("plans are found by any word of the name or title, without accents or case, each word a prefix", () => {
  assert.deepEqual(findPlans(plans, "maria", "name").map((p) => p.plan.id), ["1"]);
  assert.deepEqual(findPlans(plans, "LóP", "name").map((p) => p.plan.id), ["1"]);
  assert.deepEqual(findPlans(plans, "recovery", "name").map((p) => p.plan.id), ["1", "3"]);
  assert.deepEqual(findPlans(plans, "sam recov", "name").map((p) => p.plan.id), ["3"]);
  assert.deepEqual(findPlans(plans, "ez", "name").map((p) => p.plan.id), [], "a word inside a name is not a prefix");
  assert.deepEqual(findPlans(plans, "  ", "name").map((p) => p.plan.id), ["2", "1", "3"]);
});

test("plans sort by name, by most recent change, or by status then name", () => {
  assert.deepEqual(findPlans(plans, "", "name").map((p) => p.name), ["Lee Nguyen", "María López", "Sam Ortiz"]);
  assert.deepEqual(findPlans(plans, "", "recent").map((p) => p.plan.id), ["2", "3", "1"]);
  assert.deepEqual(findPlans(plans, "", "status").map((p) => p.plan.status), ["active", "on-hold", "draft"]);
});

test("an assignment is dated by its start, and an ended one carries its end and its Task's end reason", () => {
  const active = { id: "sr1", status: "active", authoredOn: "2026-11-29T08:00:00Z", occurrencePeriod: { start: "2026-11-16" } };
  assert.deepEqual(assignmentDates(active, []), { start: "2026-11-16", end: null, endReason: null });
  const ended = { id: "sr2", status: "completed", authoredOn: "2026-11-01", occurrencePeriod: { start: "2026-11-02", end: "2026-11-30" } };
  const task = { focus: { reference: "ServiceRequest/sr2/_history/2" },
    statusReason: { coding: [{ system: "http://alongside.health/fhir/CodeSystem/end-reason", code: "patient-request" }] } };
  const other = { focus: { reference: "ServiceRequest/sr9" },
    statusReason: { coding: [{ system: "http://alongside.health/fhir/CodeSystem/end-reason", code: "goals-met" }] } };
  assert.deepEqual(assignmentDates(ended, [other, task]), { start: "2026-11-02", end: "2026-11-30", endReason: "patient-request" });
  assert.deepEqual(assignmentDates({ id: "sr3", status: "active", authoredOn: "2026-11-05" }),
    { start: "2026-11-05", end: null, endReason: null });
});
