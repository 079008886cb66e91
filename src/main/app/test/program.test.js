// The program director's report in the app (src/program.js): reading the MeasureReports and laying out the bars.
import { test } from "node:test";
import assert from "node:assert/strict";
import { programsOf, figuresOf, monthOf, monthBefore, bars, FIGURE_SYSTEM } from "../src/program.js";

const group = (code, value, population) => ({ code: { coding: [{ system: FIGURE_SYSTEM, code }] },
  ...(value == null ? {} : { measureScore: { value } }), ...(population == null ? {} : { population: [{ count: population }] }) });
const report = (month, subject, groups) => ({ resourceType: "MeasureReport", reporter: { reference: "Organization/o1" },
  ...(subject ? { subject: { reference: subject } } : {}),
  period: { start: `${month}-01T00:00:00-05:00`, end: `${month}-28T23:59:59-05:00` }, group: groups });

test("a report's figures are read by code, an absent score is null and the scored mentees are kept", () => {
  const f = figuresOf(report("2026-03", null, [group("contacts", 5), group("median-days-between-contacts", null),
    group("recovery-score-change", 2.5, 4)]));
  assert.equal(f.contacts, 5);
  assert.equal(f["median-days-between-contacts"], null);
  assert.equal(f["recovery-score-change"], 2.5);
  assert.equal(f.menteesScored, 4);
  assert.equal(f.units, null);
});

test("the month of a report is the month of its period, whatever the clinic's time zone", () => {
  assert.equal(monthOf(report("2026-03", null, [])), "2026-03");
  assert.equal(monthBefore(new Date("2026-01-15T00:00:00Z"), 2), "2025-11");
  assert.equal(monthBefore(new Date("2026-01-15T00:00:00Z"), 0), "2026-01");
});

test("the bundle becomes programs with their months in order and their peers", () => {
  const bundle = { entry: [report("2026-03", null, [group("contacts", 3)]), report("2026-02", null, [group("contacts", 1)]),
    report("2026-03", "PractitionerRole/ana", [group("contacts", 2)])].map((resource) => ({ resource })) };
  const [program] = programsOf(bundle);
  assert.equal(program.organization, "Organization/o1");
  assert.deepEqual(program.months.map((m) => [m.month, m.figures.contacts]), [["2026-02", 1], ["2026-03", 3]]);
  assert.deepEqual(program.peers.map((p) => [p.role, p.months.length]), [["PractitionerRole/ana", 1]]);
  assert.deepEqual(programsOf({}), []);
});

test("bars grow from the bottom in proportion to the largest value, and a missing value has no bar", () => {
  const months = [{ month: "2026-01", figures: { contacts: 2 } }, { month: "2026-02", figures: { contacts: 4 } },
    { month: "2026-03", figures: { contacts: null } }];
  const { max, bars: b } = bars(months, "contacts", { width: 130, height: 110, left: 10, right: 0, top: 10, bottom: 0 });
  assert.equal(max, 4);
  assert.deepEqual(b.map((x) => x.height), [50, 100, 0]);
  assert.deepEqual(b.map((x) => x.y), [60, 10, 110]);
  assert.equal(bars([{ month: "2026-01", figures: { units: 0 } }], "units", { width: 100, height: 100, left: 0, right: 0, top: 0, bottom: 0 }).max, 1);
});

test("every English word of the director's page has a Spanish one", async () => {
  const { readFileSync } = await import("node:fs");
  const read = (lang) => Object.keys(JSON.parse(readFileSync(new URL(`../src/messages/director.${lang}.json`, import.meta.url)))).sort();
  assert.ok(read("en").length > 10);
  assert.deepEqual(read("es"), read("en"));
});
