// The peer's caseload as a work list (src/triage.js): due dates, filters, order and the next-contact Task.
import { test } from "node:test";
import assert from "node:assert/strict";
import { contactPlan, scheduledDue, localDay, triage, nextContactTask, NEXT_CONTACT, NEXT_CONTACT_KEY } from "../src/triage.js";

const now = new Date(2026, 10, 30, 10, 0); // 30 Nov 2026, 10:00 local
const daysAgo = (n) => new Date(now.getTime() - n * 86400000);
const scheduled = (day, authoredOn, status = "requested") => ({ status, authoredOn: authoredOn.toISOString(), restriction: { period: { end: day } } });

test("a FHIR date is that local day; a dateTime the local day it falls on", () => {
  assert.deepEqual(localDay("2026-12-03"), new Date(2026, 11, 3));
  assert.deepEqual(localDay(new Date(2026, 11, 3, 23, 30).toISOString()), new Date(2026, 11, 3));
  assert.equal(localDay(undefined), null);
});

test("without a schedule the next contact is due the program's number of days after the last contact", () => {
  const plan = contactPlan({ lastContact: daysAgo(3) }, 7, now);
  assert.deepEqual(plan, { due: new Date(2026, 11, 4), scheduled: false, state: "upcoming" });
  assert.equal(contactPlan({ lastContact: daysAgo(7) }, 7, now).state, "today");
  assert.equal(contactPlan({ lastContact: daysAgo(9) }, 7, now).state, "overdue");
  assert.equal(contactPlan({ since: daysAgo(8).toISOString() }, 7, now).state, "overdue", "no contact yet: from the start");
  assert.deepEqual(contactPlan({}, 7, now), { due: null, scheduled: false, state: null });
});

test("a scheduled next contact wins until a contact after it was scheduled meets it", () => {
  const person = { lastContact: daysAgo(2), nextContact: scheduled("2026-11-30", daysAgo(1)) };
  assert.deepEqual(contactPlan(person, 7, now), { due: new Date(2026, 10, 30), scheduled: true, state: "today" });
  const met = { lastContact: daysAgo(0.5), nextContact: scheduled("2026-11-29", daysAgo(1)) };
  assert.equal(scheduledDue(met.nextContact, met.lastContact), null);
  assert.deepEqual(contactPlan(met, 7, now).scheduled, false);
  assert.equal(contactPlan({ lastContact: daysAgo(5), nextContact: scheduled("2026-11-28", daysAgo(4)) }, 7, now).state, "overdue");
  assert.equal(scheduledDue(scheduled("2026-12-01", daysAgo(1), "cancelled"), null), null, "only a requested plan counts");
});

const people = [
  { name: "María López", lastContact: daysAgo(9), returnedNotes: 0, openWorries: 1 },
  { name: "Lee Nguyen", lastContact: daysAgo(2), returnedNotes: 1, openWorries: 0 },
  { name: "Sam Ortiz", lastContact: null, since: daysAgo(1).toISOString(), returnedNotes: 0, openWorries: 0 },
  { name: "Ana Ruiz", lastContact: daysAgo(7), returnedNotes: 0, openWorries: 0 },
];
const names = (rows) => rows.map((r) => r.person.name);

test("overdue first, then due today, then the longest without contact", () => {
  assert.deepEqual(names(triage(people, {}, 7, now)), ["María López", "Ana Ruiz", "Sam Ortiz", "Lee Nguyen"]);
});

test("the search matches the start of any word of the name, without accents or case", () => {
  assert.deepEqual(names(triage(people, { query: "maria" }, 7, now)), ["María López"]);
  assert.deepEqual(names(triage(people, { query: "LOP" }, 7, now)), ["María López"]);
  assert.deepEqual(names(triage(people, { query: "ortiz s" }, 7, now)), ["Sam Ortiz"]);
  assert.deepEqual(names(triage(people, { query: "uyen" }, 7, now)), []);
});

test("each filter keeps only the people it names, and filters combine", () => {
  assert.deepEqual(names(triage(people, { overdue: true }, 7, now)), ["María López"]);
  assert.deepEqual(names(triage(people, { quietDays: 7 }, 7, now)), ["María López", "Ana Ruiz", "Sam Ortiz"]);
  assert.deepEqual(names(triage(people, { returned: true }, 7, now)), ["Lee Nguyen"]);
  assert.deepEqual(names(triage(people, { worried: true }, 7, now)), ["María López"]);
  assert.deepEqual(names(triage(people, { worried: true, returned: true }, 7, now)), []);
});

test("a schedule is one Task per peer role and person, found again by its key", () => {
  const { key, identifier, task } = nextContactTask({ roleRef: "PractitionerRole/jordan-role", patientRef: "Patient/maria", day: "2026-12-03", now });
  assert.equal(key, "jordan-role:maria");
  assert.equal(identifier, `${NEXT_CONTACT_KEY}|jordan-role:maria`);
  assert.deepEqual(task.identifier, [{ system: NEXT_CONTACT_KEY, value: "jordan-role:maria" }]);
  assert.equal(task.status, "requested");
  assert.equal(task.intent, "plan");
  assert.deepEqual(task.code.coding[0].code, NEXT_CONTACT.code);
  assert.deepEqual([task.for.reference, task.requester.reference, task.owner.reference],
    ["Patient/maria", "PractitionerRole/jordan-role", "PractitionerRole/jordan-role"]);
  assert.equal(task.restriction.period.end, "2026-12-03");
  assert.equal(task.authoredOn, now.toISOString());
});
