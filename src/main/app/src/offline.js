// Reading without signal: the caseload, each person's goals and last few notes, and the clinic's settings are kept
// in the device's encrypted store (vault.js, like drafts) each time they are read from the server. When the
// server cannot be reached (no network, server trouble, an expired sign-in), the kept copy is shown instead, marked
// with the time it was read ("as of"). A refusal (403, 404...) is never answered from the copy.
import * as vault from "./vault.js";
import { personDetail } from "./data.js";
import { offlineDetail } from "./notes.js";

const KIND = "cache";

function id(owner, name) {
  return `${KIND}:${owner}:${name}`;
}

/**
 * The answer of fetch(), kept (shrunk by keep()) for later; or, when the server cannot be reached, the copy kept last
 * time. Resolves to { value, asOf }: asOf is null for a fresh answer, the time the copy was read otherwise.
 */
export async function readOrKeep(owner, name, fetch, keep = (v) => v) {
  try {
    const value = await fetch();
    vault.put(id(owner, name), KIND, owner, { asOf: new Date().toISOString(), value: keep(value) }).catch(() => {});
    return { value, asOf: null };
  } catch (err) {
    if (!err || !err.retryable) throw err;
    const kept = await vault.get(id(owner, name)).catch(() => undefined);
    if (!kept) throw err;
    return { value: kept.value, asOf: kept.asOf };
  }
}

/** One person's page (personDetail), or its kept copy (goals, last notes and messages) with its asOf. */
export async function personDetailKept(client, owner, patientRef, roles) {
  const got = await readOrKeep(owner, `person:${patientRef}`, () => personDetail(client, patientRef, roles), offlineDetail);
  return { ...got.value, asOf: got.asOf };
}

/** A kept caseload's dates come back as text: make them dates again. */
export function revivePeople(people) {
  return people.map((p) => ({ ...p, lastContact: p.lastContact ? new Date(p.lastContact) : null }));
}
