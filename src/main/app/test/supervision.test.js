// The supervisor's pure rules: waiting words, queue order, units and supervision hours per peer per month.
import { test } from "node:test";
import assert from "node:assert/strict";
import { waitedWords, waitedDays, oldestFirst, monthOf, unitsByPeer, supervisionMinutesByPeer, hoursOf,
  supervisionSession, cosignature, cosignEach, isSupervisionSession, superviseeOf } from "../src/supervision.js";

const now = new Date("2026-03-20T12:00:00");
const daysAgo = (n, hours = 0) => new Date(now.getTime() - n * 86400000 - hours * 3600000).toISOString();

test("a note from earlier today has waited since today", () => {
  assert.deepEqual(waitedWords(daysAgo(0, 3), now), { key: "supervisor.waitedToday", count: 0 });
});

test("a note from yesterday has waited one day, in the singular", () => {
  assert.deepEqual(waitedWords(daysAgo(1, 1), now), { key: "supervisor.waitedDay", count: 1 });
});

test("a note from three days ago has waited 3 days", () => {
  assert.deepEqual(waitedWords(daysAgo(3), now), { key: "supervisor.waitedDays", count: 3 });
});

test("a note from late last night has waited 1 day this morning: calendar days, as a person counts them", () => {
  assert.equal(waitedDays(new Date("2026-03-19T22:30:00").toISOString(), new Date("2026-03-20T08:00:00")), 1);
  assert.equal(waitedDays(new Date("2026-03-20T00:10:00").toISOString(), new Date("2026-03-20T23:50:00")), 0);
});

test("a session dated in the future has waited no time, never a negative one", () => {
  assert.equal(waitedDays(new Date(now.getTime() + 86400000).toISOString(), now), 0);
});

test("a note without a date has no waiting words", () => {
  assert.equal(waitedWords(null, now), null);
});

const enc = (id, ago, extra = {}) => ({ resourceType: "Encounter", id, period: { start: daysAgo(ago, 1), end: daysAgo(ago) }, ...extra });

test("the queue puts the note that has waited longest first", () => {
  const items = [enc("b", 1), enc("a", 5), enc("c", 3)].map((encounter) => ({ encounter }));
  assert.deepEqual(oldestFirst(items).map((i) => i.encounter.id), ["a", "c", "b"]);
});

test("notes that waited equally long keep a stable order by id", () => {
  const items = [enc("y", 2), enc("x", 2)].map((encounter) => ({ encounter }));
  assert.deepEqual(oldestFirst(items).map((i) => i.encounter.id), ["x", "y"]);
});

const units = (n) => ({ extension: [{ url: "http://alongside.health/fhir/StructureDefinition/billing-units", valueInteger: n }] });
const by = (peer) => ({ participant: [{ individual: { reference: peer } }] });

test("units per peer sum the server's billing units of the month's sessions, 0 for a peer without any", () => {
  const month = monthOf(now);
  const sessions = [
    enc("1", 2, { ...units(2), ...by("PractitionerRole/jordan") }),
    enc("2", 3, { ...units(3), ...by("PractitionerRole/jordan") }),
    enc("3", 1, { ...units(4), ...by("PractitionerRole/alex"), status: "entered-in-error" }),
    enc("4", 40, { ...units(8), ...by("PractitionerRole/jordan") }),
  ];
  const totals = unitsByPeer(sessions, ["PractitionerRole/jordan", "PractitionerRole/alex", "PractitionerRole/robin"], month);
  assert.equal(totals.get("PractitionerRole/jordan"), 5);
  assert.equal(totals.get("PractitionerRole/alex"), 0);
  assert.equal(totals.get("PractitionerRole/robin"), 0);
});

const supervision = (peer, start, minutes, status = "finished") => ({
  ...supervisionSession({ supervisorRef: "PractitionerRole/sam", peerRef: peer, start, minutes, topics: ["peer-wellbeing"] }), status });

test("supervision minutes are summed per peer for the month the sessions started in", () => {
  const month = monthOf(now);
  const sessions = [
    supervision("PractitionerRole/jordan", "2026-03-03T10:00:00", 60),
    supervision("PractitionerRole/jordan", "2026-03-17T10:00:00", 45),
    supervision("PractitionerRole/jordan", "2026-02-27T10:00:00", 90),
    supervision("PractitionerRole/alex", "2026-03-05T10:00:00", 30, "entered-in-error"),
  ];
  const minutes = supervisionMinutesByPeer(sessions, ["PractitionerRole/jordan", "PractitionerRole/alex"], month);
  assert.equal(minutes.get("PractitionerRole/jordan"), 105);
  assert.equal(minutes.get("PractitionerRole/alex"), 0);
});

test("hours are the minutes to the tenth, as the server's SupervisionHours rounds them", () => {
  assert.equal(hoursOf(105), 1.8);
  assert.equal(hoursOf(90), 1.5);
  assert.equal(hoursOf(3), 0.1);
  assert.equal(hoursOf(2), 0);
  assert.equal(hoursOf(1500), 25);
});

test("a supervision session is a staff record: supervisor and peer, minutes, topics, a note, no subject", () => {
  const e = supervisionSession({ supervisorRef: "PractitionerRole/sam", peerRef: "PractitionerRole/jordan",
    start: "2026-03-20", minutes: 50, topics: ["caseload-review", "peer-wellbeing"], note: " A hard week ", remote: true });
  assert.equal(e.subject, undefined);
  assert.ok(isSupervisionSession(e));
  assert.equal(superviseeOf(e), "PractitionerRole/jordan");
  assert.deepEqual(e.length, { value: 50, unit: "min", system: "http://unitsofmeasure.org", code: "min" });
  assert.equal(e.class.code, "VR");
  assert.deepEqual(e.reasonCode.map((c) => c.coding[0].code), ["caseload-review", "peer-wellbeing"]);
  assert.equal(e.extension[0].valueString, "A hard week");
});

test("a co-signature names the signed versions, the peer as author and the supervisor as verifier", () => {
  const p = cosignature({ encounter: { resourceType: "Encounter", id: "e1", meta: { versionId: "2" } },
    note: { resourceType: "Procedure", id: "n1" }, peerRef: "PractitionerRole/jordan", supervisorRef: "PractitionerRole/sam",
    statement: "Co-signed by Sam", when: "2026-03-20T12:00:00Z" });
  assert.deepEqual(p.target.map((t) => t.reference), ["Encounter/e1/_history/2", "Procedure/n1/_history/1"]);
  assert.deepEqual(p.agent.map((a) => [a.type.coding[0].code, a.who.reference]),
    [["author", "PractitionerRole/jordan"], ["verifier", "PractitionerRole/sam"]]);
  assert.equal(Buffer.from(p.signature[0].data, "base64").toString(), "Co-signed by Sam");
});

test("co-signing several goes on after a refusal and reports each note's outcome", async () => {
  const signed = [];
  const results = await cosignEach(["a", "b", "c"], async (item) => {
    if (item === "b") throw new Error("refused");
    signed.push(item);
  });
  assert.deepEqual(signed, ["a", "c"]);
  assert.deepEqual(results.map((r) => [r.item, r.ok]), [["a", true], ["b", false], ["c", true]]);
  assert.equal(results[1].error.message, "refused");
});
