// Records written on the device wait here, encrypted (vault.js), until the server has them. Every save goes
// through the outbox, online or not: it is stored first, then sent. Sending is exactly-once by construction:
// a session carries a clientKey ($record-peer-session stores a key once), so does a BARC-10 (its response's
// identifier, $record-recovery-capital), a message a client-generated
// identifier sent as a conditional create (If-None-Exist), a returned note's edit a PUT with If-Match (a 412 whose
// note already says the same was this edit), a goal update a note whose id is its key, sent with
// If-Match (a 412 whose goal holds that note was this update, stored before), a next contact an update of the one
// Task its key finds, or a conditional create on that key when there is none (sending it twice stores the same
// plan). A retry after a lost answer therefore stores
// nothing twice, and one Web Lock keeps two tabs from sending at the same time.
import * as vault from "./vault.js";
import { get, patch, post, put, search, SYS, ServerError } from "./fhir.js";
import { hasUpdate } from "./goals.js";
import { sameNote } from "./notes.js";
import { retryable } from "./errors.js";

const KIND = "outbox";
const listeners = new Set();

export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed() {
  listeners.forEach((fn) => fn());
}

/** Keeps a session ($record-peer-session Parameters) to send. */
export async function queueSession(owner, parameters, summary) {
  const clientKey = parameters.parameter.find((p) => p.name === "clientKey").valueString;
  await vault.put(`${KIND}:${clientKey}`, KIND, owner, { type: "session", clientKey, body: parameters, summary, queuedAt: new Date().toISOString() });
  changed();
}

/** Keeps a message (Communication with a message-key identifier) to send. */
export async function queueMessage(owner, communication, summary) {
  const clientKey = communication.identifier.find((i) => i.system === SYS.messageKey).value;
  await vault.put(`${KIND}:${clientKey}`, KIND, owner, { type: "message", clientKey, body: communication, summary, queuedAt: new Date().toISOString() });
  changed();
}

/** Keeps a BARC-10 ($record-recovery-capital Parameters, the response's identifier being the key) to send. */
export async function queueAssessment(owner, parameters, clientKey, summary) {
  await vault.put(`${KIND}:${clientKey}`, KIND, owner, { type: "assessment", clientKey, body: parameters, summary, queuedAt: new Date().toISOString() });
  changed();
}

/** Keeps a goal update (a JSON Patch of `goal` at `version`, whose note's id is `clientKey`) to send. */
export async function queueGoalUpdate(owner, { goal, version, operations, clientKey }, summary) {
  await vault.put(`${KIND}:${clientKey}`, KIND, owner, { type: "goal", clientKey, body: { goal, version, operations }, summary, queuedAt: new Date().toISOString() });
  changed();
}

/** Keeps a next contact (the Task and the conditional-update URL of its key, see triage.js) to send. */
export async function queueNextContact(owner, { key, identifier, task }, summary) {
  // one waiting schedule per person: a newer one replaces the older
  await vault.put(`${KIND}:next-contact:${key}`, KIND, owner, { type: "next-contact", clientKey: key, body: { identifier, task }, summary, queuedAt: new Date().toISOString() });
  changed();
}

/** Keeps the edit of a returned note (the Procedure's new version, sent with If-Match of the version edited). */
export async function queueNoteEdit(owner, { note, version, clientKey }, summary) {
  await vault.put(`${KIND}:${clientKey}`, KIND, owner, { type: "note", clientKey, body: { note, version }, summary, queuedAt: new Date().toISOString() });
  changed();
}

export async function pending(owner) {
  if (!owner) return [];
  return (await vault.list(KIND, owner)).map((r) => ({ id: r.id, ...r.value }));
}

export async function discard(id) {
  await vault.remove(id);
  changed();
}

async function send(client, item) {
  if (item.type === "session") {
    return post(client, "Encounter/$record-peer-session", item.body);
  }
  if (item.type === "goal") {
    return sendGoalUpdate(client, item);
  }
  if (item.type === "assessment") {
    return post(client, "QuestionnaireResponse/$record-recovery-capital", item.body);
  }
  if (item.type === "next-contact") {
    return sendNextContact(client, item);
  }
  if (item.type === "note") {
    return sendNoteEdit(client, item);
  }
  return post(client, "Communication", item.body, {
    "If-None-Exist": `identifier=${encodeURIComponent(`${SYS.messageKey}|${item.clientKey}`)}`,
  });
}

async function sendGoalUpdate(client, item) {
  const { goal, version, operations } = item.body;
  try {
    return await patch(client, goal, operations, version);
  } catch (err) {
    if (err instanceof ServerError && err.status === 412 && hasUpdate(await get(client, goal), item.clientKey)) {
      return null; // the first try was stored; its answer was lost
    }
    throw err;
  }
}

/**
 * The peer's own Task for this person, found by its key among the records the peer may read, is updated; when there
 * is none, it is created once (If-None-Exist on the key). A conditional update would need an EHR system's reach.
 */
async function sendNextContact(client, item) {
  const { identifier, task } = item.body;
  const found = await search(client, `Task?identifier=${encodeURIComponent(identifier)}&_count=1`, 1);
  if (found.length) {
    return put(client, `Task/${found[0].id}`, { ...task, id: found[0].id });
  }
  return post(client, "Task", task, { "If-None-Exist": `identifier=${encodeURIComponent(identifier)}` });
}

/**
 * A new version of the note, only over the version the peer edited. A 412 whose current note already says what the
 * edit says was this edit, stored before its answer was lost; any other 412 (the note changed meanwhile) is a
 * conflict for the peer to see.
 */
async function sendNoteEdit(client, item) {
  const { note, version } = item.body;
  const url = `Procedure/${note.id}`;
  try {
    return await put(client, url, note, version);
  } catch (err) {
    if (err instanceof ServerError && err.status === 412 && sameNote(await get(client, url), note)) {
      return null;
    }
    throw err;
  }
}

let flushing = null;

/**
 * Sends what waits, oldest first. A failure that may pass by itself (no network, server trouble, an expired
 * sign-in) stops the round and keeps everything queued, to be sent again like after a lost signal. A refusal by
 * the server (4xx with an OperationOutcome) is kept with its reason for the user to read and fix or discard.
 * Resolves to { sent, failed, offline, waiting, signIn }: waiting when something retryable stopped the round,
 * signIn when that was an expired sign-in.
 */
export function flush(client, owner, { retryRefused = false } = {}) {
  if (!client || !owner) return Promise.resolve({ sent: 0, failed: 0, offline: false, waiting: false, signIn: false });
  if (!flushing) {
    const run = () => flushNow(client, owner, retryRefused);
    const locked = navigator.locks ? navigator.locks.request("alongside-outbox", run) : run();
    flushing = locked.finally(() => { flushing = null; });
  }
  return flushing;
}

async function flushNow(client, owner, retryRefused) {
  const result = { sent: 0, failed: 0, offline: false, waiting: false, signIn: false };
  for (const item of await pending(owner)) {
    if (item.error && !retryRefused) {
      result.failed++;
      continue; // refused by the server: waits for the user to fix or discard it
    }
    try {
      await send(client, item);
      await vault.remove(item.id);
      result.sent++;
    } catch (err) {
      const status = err instanceof ServerError ? err.status : null;
      if (retryable(status)) {
        result.offline = err instanceof ServerError && err.network;
        result.waiting = true;
        result.signIn = status === 401;
        if (item.error) await vault.put(item.id, KIND, owner, { ...stripId(item), error: null, status: null });
        break; // the next items would meet the same trouble: all of them wait for the next round
      }
      result.failed++;
      await vault.put(item.id, KIND, owner, { ...stripId(item), error: err.message, status });
    }
  }
  changed();
  return result;
}

function stripId(item) {
  const { id, ...rest } = item;
  return rest;
}
