// What a failed request tells the user, and whether a queued record is sent again (src/errors.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { messageKey, retryable, REFUSAL_SYSTEM, REFUSALS } from "../src/errors.js";

const outcome = (diagnostics, coding) => ({
  resourceType: "OperationOutcome",
  issue: [{ severity: "error", code: "processing", diagnostics, ...(coding ? { details: { coding: [coding] } } : {}) }],
});

test("a server error is retried like a lost network, and so is an expired sign-in", () => {
  for (const status of [undefined, null, 0, 500, 502, 503, 401, 408, 429]) assert.equal(retryable(status), true, String(status));
});

test("a refusal waits for the user instead of being sent again", () => {
  for (const status of [400, 403, 404, 409, 412, 422]) assert.equal(retryable(status), false, String(status));
});

test("a 500's diagnostics never decide the words: server trouble gets the plain sentence", () => {
  assert.equal(messageKey(500, outcome("HAPI-0389: java.lang.NullPointerException")), "error.server");
});

test("a refusal with a known reason code gets that reason's words, whatever the diagnostics say", () => {
  const caseload = outcome("PractitionerRole/x already mentors 15 people", { system: REFUSAL_SYSTEM, code: "caseload-full" });
  assert.equal(messageKey(422, caseload), "refusal.caseload-full");
});

test("an unknown reason code or another system falls back to the words for its status", () => {
  assert.equal(messageKey(422, outcome("x", { system: REFUSAL_SYSTEM, code: "made-up" })), "error.refused");
  assert.equal(messageKey(422, outcome("x", { system: "http://example.org", code: "caseload-full" })), "error.refused");
  assert.equal(messageKey(403, outcome("belongs to a person outside the caller's care relationships")), "error.forbidden");
  assert.equal(messageKey(401, null), "error.unauthorized");
  assert.equal(messageKey(undefined, null), "error.network");
});

test("every refusal code the server may send has English and Spanish words", () => {
  const codes = JSON.parse(readFileSync(new URL("../../../../fhir-profiles/CodeSystem/refusal-reason.json", import.meta.url)))
    .concept.map((c) => c.code);
  assert.deepEqual([...REFUSALS].sort(), [...codes].sort());
  for (const lang of ["en", "es"]) {
    const catalog = JSON.parse(readFileSync(new URL(`../src/messages/${lang}.json`, import.meta.url)));
    for (const code of codes) assert.ok(catalog[`refusal.${code}`], `${lang}: refusal.${code}`);
  }
});
