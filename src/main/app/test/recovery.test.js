// The BARC-10 in the app (src/recovery.js): completeness, total, the response sent, the trend and the chart layout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ITEMS, unanswered, total, buildResponse, points, trend, signed, layout, QUESTIONNAIRE, SCALE_SYSTEM } from "../src/recovery.js";

const all = (v) => Object.fromEntries(ITEMS.map((_, i) => [i + 1, v]));

test("the total is the sum of the ten answers, and only when all ten are given", () => {
  assert.equal(total(all(1)), 10);
  assert.equal(total(all(6)), 60);
  assert.equal(total({ ...all(4), 3: 2 }), 38);
  const nine = all(4); delete nine[10];
  assert.equal(total(nine), null);
  assert.deepEqual(unanswered(nine), [10]);
  assert.deepEqual(unanswered({ ...all(4), 2: 7 }), [2]);
});

test("the response carries the ten items with scale codes, the key as identifier, and who and when", () => {
  const r = buildResponse({ patient: "Patient/p1", author: "PractitionerRole/r1", answers: all(5), key: "k1", authored: "2026-11-30T10:00:00Z" });
  assert.equal(r.questionnaire, QUESTIONNAIRE);
  assert.equal(r.status, "completed");
  assert.equal(r.identifier.value, "k1");
  assert.equal(r.item.length, 10);
  assert.deepEqual(r.item.map((i) => i.linkId), ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
  assert.deepEqual(r.item[0].answer[0].valueCoding, { system: SCALE_SYSTEM, code: "5" });
  assert.equal(r.item[0].text, ITEMS[0]);
});

const obs = (id, when, score, status = "final") => ({ resourceType: "Observation", id, status, effectiveDateTime: when, valueInteger: score,
  code: { coding: [{ system: "http://alongside.health/fhir/CodeSystem/recovery-capital", code: "barc-10-total" }] } });

test("the trend runs from the earliest to the latest score; scores entered in error do not count", () => {
  const pts = points([obs("b", "2026-05-01", 41), obs("a", "2026-01-01", 29), obs("x", "2025-12-01", 10, "entered-in-error"),
    { resourceType: "Encounter" }]);
  assert.deepEqual(pts.map((p) => p.score), [29, 41]);
  const tr = trend(pts);
  assert.equal(tr.change, 12);
  assert.equal(signed(tr.change), "+12");
  assert.equal(signed(-3), "-3");
  assert.equal(trend([]), null);
});

test("the chart puts 10 at the bottom and 60 at the top, the first score left and the latest right", () => {
  const box = { width: 320, height: 180, left: 40, right: 10, top: 10, bottom: 30 };
  const { dots, y } = layout(points([obs("a", "2026-01-01", 10), obs("b", "2026-03-01", 60)]), box);
  assert.equal(y(10), 150);
  assert.equal(y(60), 10);
  assert.deepEqual(dots.map((d) => [d.x, d.y]), [[40, 150], [310, 10]]);
  const single = layout(points([obs("a", "2026-01-01", 35)]), box).dots;
  assert.equal(single[0].x, 175);
});
