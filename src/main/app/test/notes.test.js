// Session notes (src/notes.js): the formats' sections, next steps, the edit of a returned note, what the device keeps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FORMATS, NOTE_FORMAT_EXT, clinicFormat, formatOf, composeNote, sectionsOf, noteValues, noteSections,
  missingFields, nextStepsOf, lastNextSteps, editedNote, sameNote, offlineDetail, ageMinutes } from "../src/notes.js";

const dap = { resourceType: "Procedure", id: "n1", meta: { versionId: "1" },
  extension: [{ url: NOTE_FORMAT_EXT, valueCode: "dap" }],
  note: [{ text: "Data: Talked about the weekend\n\nAssessment: More hopeful\n\nPlan: Call Friday", time: "2026-11-01T10:00:00Z" }],
  outcome: { text: "More hopeful" }, followUp: [{ text: "Call Friday" }] };
const free = { resourceType: "Procedure", note: [{ text: "Walked to the park" }], outcome: { text: "Smiled" },
  followUp: [{ text: "Text on Monday" }] };

test("a clinic without a note format writes free text; the first organization that sets one decides", () => {
  assert.equal(clinicFormat([]), "free");
  assert.equal(clinicFormat([{ extension: [] }, { extension: [{ url: NOTE_FORMAT_EXT, valueCode: "girp" }] }]), "girp");
  assert.equal(clinicFormat([{ extension: [{ url: NOTE_FORMAT_EXT, valueCode: "soap" }] }]), "free");
});

test("a DAP note is its sections under their headings, as the server writes it", () => {
  assert.equal(composeNote("dap", { whatWasDone: "Talked about the weekend", response: " More hopeful ", nextSteps: "Call Friday" }),
    dap.note[0].text);
  assert.deepEqual(sectionsOf("dap", dap.note[0].text), { Data: "Talked about the weekend", Assessment: "More hopeful", Plan: "Call Friday" });
});

test("a section runs over several lines until the next heading, whatever its case", () => {
  const text = "Goal: Work by summer\nIntervention: Mock interview\nsecond line\n  response: Laughed\nPlan: CV";
  assert.deepEqual(sectionsOf("girp", text), { Goal: "Work by summer", Intervention: "Mock interview\nsecond line", Response: "Laughed", Plan: "CV" });
});

test("a stored note gives back the form's values and its sections in order, in every format", () => {
  assert.equal(formatOf(dap), "dap");
  assert.equal(formatOf(free), "free");
  assert.deepEqual(noteValues(dap), { format: "dap", whatWasDone: "Talked about the weekend", response: "More hopeful", nextSteps: "Call Friday", goalNote: "" });
  assert.deepEqual(noteSections(dap).map((s) => s.key), ["data", "assessment", "plan"]);
  assert.deepEqual(noteSections(free).map((s) => s.key), ["whatWasDone", "response", "nextSteps"]);
});

test("every field of the format is needed; GIRP also needs the goal", () => {
  assert.deepEqual(missingFields("girp", { whatWasDone: "x", response: "y", nextSteps: "z" }), ["goalNote"]);
  assert.deepEqual(missingFields("free", { whatWasDone: "x", response: " ", nextSteps: "z" }), ["response"]);
  assert.deepEqual(FORMATS.girp.map((s) => s.heading), ["Goal", "Intervention", "Response", "Plan"]);
});

test("next steps are the plan of a structured note and the next steps of a free one", () => {
  assert.equal(nextStepsOf(dap), "Call Friday");
  assert.equal(nextStepsOf({ ...dap, followUp: [] }), "Call Friday");
  assert.equal(nextStepsOf(free), "Text on Monday");
  assert.equal(nextStepsOf(null), null);
});

test("the last session's next steps come from the latest session with a note", () => {
  const sessions = [
    { when: "2026-11-03T10:00:00Z", note: null },
    { when: "2026-11-01T10:00:00Z", note: free },
    { when: "2026-11-02T10:00:00Z", note: dap },
  ];
  assert.deepEqual(lastNextSteps(sessions), { text: "Call Friday", when: "2026-11-02T10:00:00Z" });
  assert.equal(lastNextSteps([]), null);
});

test("an edited note is a new version in its own format, with outcome and follow-up mirrored", () => {
  const edited = editedNote(dap, { whatWasDone: "Talked about the weekend and work", response: "Hopeful", nextSteps: "Call Thursday" }, "2026-11-05T09:00:00Z");
  assert.equal(edited.note[0].text, "Data: Talked about the weekend and work\n\nAssessment: Hopeful\n\nPlan: Call Thursday");
  assert.equal(edited.note[0].time, "2026-11-05T09:00:00Z");
  assert.equal(edited.outcome.text, "Hopeful");
  assert.deepEqual(edited.followUp, [{ text: "Call Thursday" }]);
  assert.equal(edited.id, "n1");
  assert.equal(dap.note[0].time, "2026-11-01T10:00:00Z", "the note read from the server is not changed");
  assert.ok(sameNote(edited, edited));
  assert.ok(!sameNote(dap, edited));
});

test("the device keeps the goals and the last three notes and messages of a person", () => {
  const timeline = [];
  for (let i = 0; i < 5; i++) {
    timeline.push({ kind: "session", when: `2026-11-0${i + 1}T10:00:00Z`, note: free });
    timeline.push({ kind: "message", when: `2026-11-0${i + 1}T12:00:00Z` });
  }
  timeline.sort((a, b) => new Date(b.when) - new Date(a.when));
  const kept = offlineDetail({ patient: {}, carePlans: [], goals: [{ id: "g" }], timeline, lastSession: timeline[1] });
  assert.equal(kept.timeline.filter((i) => i.kind === "session").length, 3);
  assert.equal(kept.timeline.filter((i) => i.kind === "message").length, 3);
  assert.equal(kept.timeline[0].when, "2026-11-05T12:00:00Z");
  assert.deepEqual(kept.goals, [{ id: "g" }]);
});

test("a copy's age is counted in whole minutes from when it was fetched", () => {
  assert.equal(ageMinutes("2026-11-05T09:00:00Z", Date.parse("2026-11-05T09:59:59Z")), 59);
  assert.equal(ageMinutes("2026-11-05T09:00:00Z", Date.parse("2026-11-05T08:00:00Z")), 0);
});
