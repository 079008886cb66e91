// Goal updates from the phone (src/goals.js): the patch, the retry check, the notes' order and the status words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { GOAL_STATUSES, ACHIEVEMENT_SYSTEM, goalUpdatePatch, hasUpdate, goalNotes, statusOf } from "../src/goals.js";

const update = { status: "improving", text: "Walked three mornings", author: "Practitioner/p1",
  when: "2026-11-30T09:00:00Z", key: "k-1" };

test("a goal without status or notes gets both added", () => {
  const patch = goalUpdatePatch({ resourceType: "Goal" }, update);
  assert.deepEqual(patch.map((op) => [op.op, op.path]), [["add", "/achievementStatus"], ["add", "/note"]]);
  assert.equal(patch[0].value.coding[0].system, ACHIEVEMENT_SYSTEM);
  assert.deepEqual(patch[1].value, [{ id: "k-1", time: update.when, authorReference: { reference: "Practitioner/p1" },
    text: "Walked three mornings" }]);
});

test("a goal with a status and notes keeps its notes and gets one more at the end", () => {
  const goal = { achievementStatus: { coding: [{ system: ACHIEVEMENT_SYSTEM, code: "worsening" }] }, note: [{ text: "hard week" }] };
  const patch = goalUpdatePatch(goal, { ...update, text: "" });
  assert.deepEqual(patch.map((op) => [op.op, op.path]), [["replace", "/achievementStatus"], ["add", "/note/-"]]);
  assert.equal(patch[1].value.text, "Improving", "an empty note says the status");
});

test("a status outside the R4 goal-achievement codes is refused before anything is queued", () => {
  assert.throws(() => goalUpdatePatch({}, { ...update, status: "better" }));
});

test("a retry recognises its own update by the note's id", () => {
  assert.equal(hasUpdate({ note: [{ id: "k-0" }, { id: "k-1" }] }, "k-1"), true);
  assert.equal(hasUpdate({ note: [{ id: "k-0" }] }, "k-1"), false);
  assert.equal(hasUpdate({}, "k-1"), false);
});

test("notes read newest first and the status is the goal-achievement code", () => {
  const goal = { achievementStatus: { coding: [{ system: "urn:other", code: "x" }, { system: ACHIEVEMENT_SYSTEM, code: "achieved" }] },
    note: [{ time: "2026-01-02T00:00:00Z", text: "a" }, { time: "2026-03-02T00:00:00Z", text: "b" }, { text: "undated" }] };
  assert.deepEqual(goalNotes(goal).map((n) => n.text), ["b", "a", "undated"]);
  assert.equal(statusOf(goal), "achieved");
  assert.equal(statusOf({}), null);
});

test("every status has words in English and in Spanish", () => {
  for (const lang of ["en", "es"]) {
    const messages = JSON.parse(readFileSync(new URL(`../src/messages/${lang}.json`, import.meta.url)));
    for (const code of GOAL_STATUSES) assert.ok(messages[`goalStatus.${code}`], `${lang} goalStatus.${code}`);
  }
});
