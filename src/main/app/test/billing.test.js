// The app's H0038 units (shown before saving) against the cases the server's BillingUnitsTest checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { billingUnits } from "../src/billing.js";

const shared = JSON.parse(readFileSync(new URL("../../../test/resources/shared/billing-units-cases.json", import.meta.url)));

test("the shared cases are there to check", () => {
  assert.ok(shared.cases.length >= 10);
});

for (const c of shared.cases) {
  test(`${c.minutes} minutes under a ${c.unitMinutes}/${c.minimumMinutes} rule give ${c.units} unit(s), as on the server`, () => {
    assert.equal(billingUnits(c.minutes, c.unitMinutes, c.minimumMinutes), c.units);
  });
}

test("a minutes field that is empty or not a number gives no units", () => {
  assert.equal(billingUnits(Number(""), 15, 8), 0);
  assert.equal(billingUnits(Number("abc"), 15, 8), 0);
  assert.equal(billingUnits(-5, 15, 8), 0);
});
