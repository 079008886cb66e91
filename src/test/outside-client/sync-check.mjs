// An outside client syncs a data set into Alongside and out again, and checks it.
//
// The FHIR client is fhir-kit-client (https://github.com/Vermonster/fhir-kit-client), written by another
// project than Alongside and than the HAPI client the Java tests use. Every HTTP request below goes through it.
//
//   FHIR_BASE=http://localhost:9080/fhir TOKEN=<bearer token> node sync-check.mjs
//
// IN:  one transaction Bundle with urn:uuid references (patients with their care plan, peer support team,
//      referral, recovery goals, peer sessions and encouragement; the peer specialists, supervisor, clinician and
//      clinic), a round of conditional updates and creates, and a second transaction that updates some records.
// OUT: paged searches (small _count, next links; also sorted, and with _include/_revinclude), system history and
//      the change feed from a time taken before the push, and a Bulk Data $export; each is checked against what
//      was sent.
//
// Prints one line of JSON (the summary) on stdout and exits 0, or prints what did not match on stderr and
// exits 1. Optional: RUN_ID (default: random), PATIENTS (default 20), WAIT_SECONDS (how long to wait for the
// change feed and the export, default 120: the longest a transaction may run on the server).

import { Client } from 'fhir-kit-client';
import { randomUUID } from 'node:crypto';

const FHIR_BASE = (process.env.FHIR_BASE || '').replace(/\/+$/, '');
const TOKEN = process.env.TOKEN || '';
const RUN = process.env.RUN_ID || randomUUID().slice(0, 13);
const PATIENTS = Number(process.env.PATIENTS || 20);
const WAIT_SECONDS = Number(process.env.WAIT_SECONDS || 120);
const PAGE = 7;

// Every resource carries two identifiers: the run (searchable for the whole data set) and its key within the run.
const RUN_SYSTEM = 'urn:alongside:outside-client';
const KEY_SYSTEM = `urn:alongside:outside-client:${RUN}`;
const RUN_TOKEN = `${RUN_SYSTEM}|${RUN}`;

const AS = 'http://alongside.health/fhir';
const NUCC = 'http://nucc.org/provider-taxonomy';
const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
const SNOMED = 'http://snomed.info/sct';
const FOCUS = ['cravings', 'setback-relapse', 'goal-setting', 'belonging', 'relationships', 'practical-advice',
  'celebrating-progress', 'housing-employment', 'wellness-self-care'];
const GIVEN = ['Maria', 'Sam', 'Lina', 'Kofi', 'Ana', 'Dev', 'Mei', 'Tomas', 'Aisha', 'Noah', 'Ruth', 'Omar',
  'Jo', 'Priya', 'Luis', 'Hana', 'Ezra', 'Nia', 'Ivan', 'Zoe'];
const FAMILY = ['Lopez', 'Okafor', 'Haddad', 'Mensah', 'Silva', 'Patel', 'Chen', 'Novak', 'Khan', 'Reyes'];

class Mismatch extends Error {}

function fail(message) {
  throw new Mismatch(message);
}

function check(condition, message) {
  if (!condition) {
    fail(typeof message === 'function' ? message() : message);
  }
}

if (!FHIR_BASE || !TOKEN) {
  process.stderr.write('sync-check: set FHIR_BASE (e.g. http://localhost:9080/fhir) and TOKEN (an EHR-system bearer token)\n');
  process.exit(2);
}

const client = new Client({ baseUrl: FHIR_BASE, customHeaders: { Authorization: `Bearer ${TOKEN}` } });
// for files whose manifest says requiresAccessToken: false
const anonymous = new Client({ baseUrl: FHIR_BASE });

/** The HTTP response behind a value fhir-kit-client returned. */
function http(result) {
  return Client.httpFor(result).response;
}

/** Describes a failed request from fhir-kit-client's error: method, URL, status, OperationOutcome. */
function describe(error) {
  if (error?.response) {
    const data = error.response.data;
    const detail = typeof data === 'string' ? data.slice(0, 500)
      : (data?.issue || []).map((i) => i.diagnostics).join('; ') || JSON.stringify(data).slice(0, 500);
    return `${error.config?.method} ${error.config?.url} answered ${error.response.status}: ${detail}`;
  }
  return error?.stack || String(error);
}

async function call(what, promise) {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof Mismatch) {
      throw error;
    }
    fail(`${what}: ${describe(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The data set. `records` holds what the server should now have, by key: type, body as sent (with the
// references it was sent with), server id, version, and the versions written.

const records = new Map();

function identifiers(key) {
  return [{ system: RUN_SYSTEM, value: RUN }, { system: KEY_SYSTEM, value: key }];
}

function keyCondition(key) {
  return `identifier=${encodeURIComponent(`${KEY_SYSTEM}|${key}`)}`;
}

function urn(key) {
  return `urn:uuid:${records.get(key).uuid}`;
}

/** A record of the data set; its body may reference records added before it (by urn()). */
function add(key, type, build) {
  check(!records.has(key), `duplicate key ${key}`);
  const record = { key, type, uuid: randomUUID(), body: null, id: null, version: 0, versions: [] };
  records.set(key, record);
  record.body = build();
  return record;
}

function day(offset) {
  const d = new Date(Date.UTC(2025, 2, 1) + offset * 86400000);
  return d.toISOString().slice(0, 10);
}

function buildDataSet() {
  add('clinic', 'Organization', () => ({
    resourceType: 'Organization', identifier: identifiers('clinic'), active: true,
    name: `Harbor Recovery Community Center (${RUN})`,
  }));
  const practitioner = (key, family, given) => add(key, 'Practitioner', () => ({
    resourceType: 'Practitioner', identifier: identifiers(key), active: true, name: [{ family, given: [given] }],
  }));
  practitioner('dr-chen', 'Chen', 'Amy');
  practitioner('sam', 'Okafor', 'Sam');
  const peers = [['jordan', 'Reyes', 'Jordan'], ['alex', 'Kim', 'Alex'], ['rae', 'Novak', 'Rae']];
  peers.forEach(([key, family, given]) => practitioner(key, family, given));

  add('dr-chen-role', 'PractitionerRole', () => ({
    resourceType: 'PractitionerRole', identifier: identifiers('dr-chen-role'), active: true,
    practitioner: { reference: urn('dr-chen') }, organization: { reference: urn('clinic') },
    code: [{ text: 'Addiction psychiatrist' }],
  }));
  const peerRole = (key, practitionerKey, supervisor) => add(key, 'PractitionerRole', () => ({
    resourceType: 'PractitionerRole', identifier: identifiers(key),
    meta: { profile: [`${AS}/StructureDefinition/peer-specialist-role`] },
    ...(supervisor ? {
      extension: [{ url: `${AS}/StructureDefinition/supervised-by`, valueReference: { reference: urn(supervisor) } }],
    } : {}),
    active: true, period: { start: '2024-01-15' },
    practitioner: { reference: urn(practitionerKey) }, organization: { reference: urn('clinic') },
    code: [{ coding: [{ system: NUCC, code: '175T00000X', display: 'Peer Specialist' }] }],
  }));
  peerRole('sam-role', 'sam', null);
  peers.forEach(([key]) => peerRole(`${key}-role`, key, 'sam-role'));

  for (let i = 0; i < PATIENTS; i++) {
    const p = `patient-${i}`;
    const peer = `${peers[i % peers.length][0]}-role`;
    const start = day(i);
    add(p, 'Patient', () => ({
      resourceType: 'Patient', identifier: identifiers(p), active: true,
      name: [{ family: FAMILY[i % FAMILY.length], given: [GIVEN[i % GIVEN.length]] }],
      gender: ['female', 'male', 'other'][i % 3], birthDate: `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
    }));
    for (let g = 0; g < 2; g++) {
      const goal = `${p}-goal-${g}`;
      add(goal, 'Goal', () => ({
        resourceType: 'Goal', identifier: identifiers(goal),
        meta: { profile: [`${AS}/StructureDefinition/recovery-goal`] },
        lifecycleStatus: 'active',
        achievementStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'in-progress' }] },
        category: [{ coding: [{ system: `${AS}/CodeSystem/goal-category`, code: 'recovery', display: 'Recovery goal' }] }],
        description: { text: g === 0 ? 'I want a steady job so I can get my own place.' : 'Go to two meetings a week.' },
        subject: { reference: urn(p) }, startDate: start, expressedBy: { reference: urn(p) },
        note: [{ time: `${start}T15:10:00Z`, text: 'Set together at the first session.' }],
      }));
    }
    add(`${p}-team`, 'CareTeam', () => ({
      resourceType: 'CareTeam', identifier: identifiers(`${p}-team`),
      meta: { profile: [`${AS}/StructureDefinition/peer-support-team`] },
      status: 'active',
      category: [{ coding: [{ system: `${AS}/CodeSystem/care-team-category`, code: 'peer-support' }] }],
      name: `Peer support team ${i}`, subject: { reference: urn(p) },
      participant: [
        { role: [{ coding: [{ system: `${AS}/CodeSystem/care-team-role`, code: 'peer-mentor' }] }],
          member: { reference: urn(peer) }, period: { start } },
        { role: [{ coding: [{ system: `${AS}/CodeSystem/care-team-role`, code: 'supervisor' }] }],
          member: { reference: urn('sam-role') }, period: { start } },
      ],
      managingOrganization: [{ reference: urn('clinic') }],
    }));
    add(`${p}-plan`, 'CarePlan', () => ({
      resourceType: 'CarePlan', identifier: identifiers(`${p}-plan`), status: 'active', intent: 'plan',
      title: 'Recovery care plan', subject: { reference: urn(p) }, period: { start },
      author: { reference: urn('dr-chen-role') },
      careTeam: [{ reference: urn(`${p}-team`) }],
      goal: [{ reference: urn(`${p}-goal-0`) }, { reference: urn(`${p}-goal-1`) }],
    }));
    add(`${p}-referral`, 'ServiceRequest', () => ({
      resourceType: 'ServiceRequest', identifier: identifiers(`${p}-referral`),
      meta: { profile: [`${AS}/StructureDefinition/peer-mentor-referral`] },
      basedOn: [{ reference: urn(`${p}-plan`) }], status: 'active', intent: 'order',
      code: { coding: [{ system: SNOMED, code: '461481000124109', display: 'Referral to peer support' }] },
      subject: { reference: urn(p) }, occurrencePeriod: { start }, authoredOn: `${start}T10:00:00Z`,
      requester: { reference: urn('dr-chen-role') }, performer: [{ reference: urn(peer) }],
    }));
    for (let s = 0; s < 2; s++) {
      const session = `${p}-session-${s}`;
      const date = day(i + 3 + 7 * s);
      add(session, 'Encounter', () => ({
        resourceType: 'Encounter', identifier: identifiers(session),
        meta: { profile: [`${AS}/StructureDefinition/peer-support-session`] },
        extension: [
          { url: `${AS}/StructureDefinition/session-modality`,
            valueCoding: { system: `${AS}/CodeSystem/session-modality`, code: s === 0 ? 'in-person' : 'video' } },
          { url: 'http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal',
            valueReference: { reference: urn(`${p}-goal-${s}`) } },
        ],
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: s === 0 ? 'AMB' : 'VR' },
        type: [{ coding: [{ system: HCPCS, code: 'H0038' }] }],
        subject: { reference: urn(p) }, basedOn: [{ reference: urn(`${p}-referral`) }],
        participant: [{ individual: { reference: urn(peer) } }],
        period: { start: `${date}T14:00:00Z`, end: `${date}T14:50:00Z` },
      }));
    }
    for (let c = 0; c < 2; c++) {
      const message = `${p}-message-${c}`;
      add(message, 'Communication', () => encouragement(message, urn(p), urn(peer), urn(`${p}-goal-${c}`),
        `${day(i + 4 + 7 * c)}T16:30:00Z`, FOCUS[(i + c) % FOCUS.length],
        c === 0 ? 'Thinking of you tonight. You made a plan, and you have got this.' : 'Two meetings this week: proud of you.'));
    }
  }
}

function encouragement(key, patient, peer, goal, sent, focus, text) {
  return {
    resourceType: 'Communication', identifier: identifiers(key),
    meta: { profile: [`${AS}/StructureDefinition/encouragement-log`] },
    status: 'completed',
    category: [{ coding: [{ system: `${AS}/CodeSystem/message-category`, code: 'encouragement' }] }],
    medium: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'ONLINEWRIT' }] }],
    subject: { reference: patient }, about: [{ reference: goal }], sent,
    recipient: [{ reference: patient }], sender: { reference: peer },
    reasonCode: [{ coding: [{ system: `${AS}/CodeSystem/focus-area`, code: focus }] }],
    payload: [{ contentString: text }],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Comparing what came back with what was sent.

const byUuid = () => new Map([...records.values()].map((r) => [`urn:uuid:${r.uuid}`, r]));
const byRef = () => new Map([...records.values()].filter((r) => r.id).map((r) => [`${r.type}/${r.id}`, r]));

/** The body as the server should hold it: every urn:uuid reference replaced by the Type/id it stands for. */
function resolved(body) {
  const uuids = byUuid();
  const walk = (value) => {
    if (Array.isArray(value)) {
      return value.map(walk);
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => {
        if (k === 'reference' && typeof v === 'string' && v.startsWith('urn:uuid:')) {
          const target = uuids.get(v);
          check(target?.id, `no server id for ${v}`);
          return [k, `${target.type}/${target.id}`];
        }
        return [k, walk(v)];
      }));
    }
    return value;
  };
  return walk(body);
}

/** Every element the client set is in the server's copy with the same value (the server may add more). */
function contains(actual, expected, path) {
  if (Array.isArray(expected)) {
    check(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
    check(actual.length >= expected.length, `${path}: expected ${expected.length} items, got ${actual.length}`);
    expected.forEach((e, i) => contains(actual[i], e, `${path}[${i}]`));
  } else if (expected && typeof expected === 'object') {
    check(actual && typeof actual === 'object', `${path}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) {
      contains(actual[k], v, `${path}.${k}`);
    }
  } else {
    check(actual === expected, `${path}: sent ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** All reference strings in a resource. */
function references(value, found = []) {
  if (Array.isArray(value)) {
    value.forEach((v) => references(v, found));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') {
        found.push(v);
      } else {
        references(v, found);
      }
    }
  }
  return found;
}

/** The record a returned resource belongs to (by its run identifiers), or undefined for other data. */
function recordOf(resource) {
  const key = (resource?.identifier || []).find((i) => i.system === KEY_SYSTEM)?.value;
  return key === undefined ? undefined : records.get(key) || fail(`${resource.resourceType}/${resource.id} has unknown key ${key}`);
}

/** A resource read back, in its current version, matches what was sent. */
function checkResource(resource, where) {
  const record = recordOf(resource);
  check(record, `${where}: ${resource.resourceType}/${resource.id} carries no key of this run`);
  const name = `${where}: ${record.type} ${record.key} (${record.type}/${record.id})`;
  check(resource.resourceType === record.type && resource.id === record.id,
    `${name}: came back as ${resource.resourceType}/${resource.id}`);
  check(resource.meta?.versionId === String(record.version),
    `${name}: version ${resource.meta?.versionId}, the latest written is ${record.version}`);
  contains(resource, resolved(record.body), name);
  const refs = byRef();
  for (const ref of references(resource)) {
    check(!ref.startsWith('urn:'), `${name}: reference ${ref} was not resolved`);
    check(/^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref), `${name}: reference ${ref} is not Type/id`);
  }
  // every reference this client made points at a record of this run, of the right type
  for (const ref of references(resolved(record.body))) {
    check(refs.has(ref), `${name}: reference ${ref} points at nothing this run wrote`);
  }
  check(!JSON.stringify(resource).includes('urn:uuid:'), `${name}: still holds a urn:uuid`);
}

function countByType(keys) {
  const counts = {};
  for (const key of keys) {
    const type = records.get(key).type;
    counts[type] = (counts[type] || 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort());
}

function versionOf(etag) {
  const m = /^W\/"(\d+)"$/.exec(etag || '');
  return m ? Number(m[1]) : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// IN

async function pushTransaction() {
  const entries = [...records.values()].map((r) => ({
    fullUrl: `urn:uuid:${r.uuid}`,
    resource: r.body,
    request: { method: 'POST', url: r.type },
  }));
  const response = await call('transaction', client.transaction({ body: { resourceType: 'Bundle', type: 'transaction', entry: entries } }));
  check(response.resourceType === 'Bundle' && response.type === 'transaction-response',
    `transaction answered ${response.resourceType} ${response.type}`);
  check(response.entry?.length === entries.length, `transaction answered ${response.entry?.length} entries for ${entries.length}`);
  [...records.values()].forEach((record, i) => {
    const answer = response.entry[i].response;
    check(answer.status.startsWith('201'), `transaction entry ${i} (${record.key}) answered ${answer.status}`);
    const m = new RegExp(`^(?:.*/)?${record.type}/([A-Za-z0-9\\-.]+)/_history/1$`).exec(answer.location || '');
    check(m, `transaction entry ${i} (${record.key}) has location ${answer.location}`);
    record.id = m[1];
    record.version = 1;
    record.versions.push(1);
    check(versionOf(answer.etag) === 1, `transaction entry ${i} (${record.key}) has etag ${answer.etag}`);
    if (response.entry[i].resource) {
      check(response.entry[i].resource.id === record.id, `transaction entry ${i} body id differs from its location`);
    }
  });
  const ids = [...records.values()].map((r) => `${r.type}/${r.id}`);
  check(new Set(ids).size === ids.length, 'the transaction gave two entries the same id');
  return entries.length;
}

/** After the first push, bodies are kept with resolved references: later writes send them that way. */
function settleBodies() {
  for (const record of records.values()) {
    record.body = resolved(record.body);
  }
}

async function conditionalRound() {
  const stats = { created: 0, updated: 0, unchanged: 0, existing: 0 };
  // 1. conditional update of a patient that exists: a new version of the same resource
  const p0 = records.get('patient-0');
  p0.body = { ...p0.body, telecom: [{ system: 'phone', value: '+1-555-0100', use: 'mobile' }] };
  let result = await call('conditional update of patient-0',
    client.update({ resourceType: 'Patient', searchParams: { identifier: `${KEY_SYSTEM}|patient-0` }, body: p0.body }));
  check(http(result).status === 200, `conditional update of patient-0 answered ${http(result).status}, expected 200`);
  check(result.id === p0.id, `conditional update of patient-0 wrote ${result.id}, expected ${p0.id}`);
  check(result.meta?.versionId === '2', `conditional update of patient-0 gave version ${result.meta?.versionId}`);
  p0.version = 2;
  p0.versions.push(2);
  stats.updated++;

  // 2. conditional update that matches nothing: creates; the same again changes nothing
  const walkIn = add('walk-in', 'Patient', () => ({
    resourceType: 'Patient', identifier: identifiers('walk-in'), active: true,
    name: [{ family: 'Walker', given: ['Robin'] }], birthDate: '1988-08-08',
  }));
  result = await call('conditional create-by-update of walk-in',
    client.update({ resourceType: 'Patient', searchParams: { identifier: `${KEY_SYSTEM}|walk-in` }, body: walkIn.body }));
  check(http(result).status === 201, `conditional update of a new patient answered ${http(result).status}, expected 201`);
  check(result.meta?.versionId === '1', `new patient has version ${result.meta?.versionId}`);
  walkIn.id = result.id;
  walkIn.version = 1;
  walkIn.versions.push(1);
  stats.created++;
  result = await call('repeated conditional update of walk-in',
    client.update({ resourceType: 'Patient', searchParams: { identifier: `${KEY_SYSTEM}|walk-in` }, body: walkIn.body }));
  check(http(result).status === 200 && result.id === walkIn.id, `repeating the conditional update answered ${http(result).status} ${result.id}`);
  check(result.meta?.versionId === '1', `an unchanged conditional update wrote version ${result.meta?.versionId}`);
  stats.unchanged++;

  // 3. conditional create (If-None-Exist) of a practitioner that exists: the existing one, nothing written
  const jordan = records.get('jordan');
  result = await call('conditional create of jordan', client.create({ resourceType: 'Practitioner',
    body: { ...jordan.body, name: [{ family: 'Someone', given: ['Else'] }] },
    options: { headers: { 'If-None-Exist': keyCondition('jordan') } } }));
  check(http(result).status === 200, `If-None-Exist for an existing practitioner answered ${http(result).status}, expected 200`);
  check(result.id === jordan.id && result.meta?.versionId === '1',
    `If-None-Exist answered ${result.id} v${result.meta?.versionId}, expected ${jordan.id} v1`);
  stats.existing++;
  return stats;
}

async function updateTransaction() {
  const entries = [];
  const updated = [];
  const put = (record, body, url) => {
    record.body = body;
    entries.push({ fullUrl: `${FHIR_BASE}/${record.type}/${record.id}`, resource: body, request: { method: 'PUT', url } });
    updated.push(record);
  };
  const n = Math.min(5, PATIENTS);
  for (let i = 0; i < n; i++) {
    const goal = records.get(`patient-${i}-goal-0`);
    put(goal, { ...goal.body, id: goal.id, lifecycleStatus: 'completed',
      achievementStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'achieved' }] },
      note: [...goal.body.note, { time: '2025-06-01T12:00:00Z', text: 'Started at the warehouse on Monday.' }] },
    `Goal/${goal.id}`);
    const plan = records.get(`patient-${i}-plan`);
    put(plan, { ...plan.body, id: plan.id, description: 'First goal met; keep weekly sessions.' }, `CarePlan/${plan.id}`);
  }
  // conditional update inside the transaction: by the key identifier, no id needed
  for (let i = n; i < Math.min(2 * n, PATIENTS); i++) {
    const patient = records.get(`patient-${i}`);
    put(patient, { ...patient.body, telecom: [{ system: 'email', value: `p${i}@example.org` }] },
      `Patient?${keyCondition(`patient-${i}`)}`);
  }
  // a new message whose references are conditional references, resolved by the server
  const target = `patient-${PATIENTS - 1}`;
  const peer = records.get(`${['jordan', 'alex', 'rae'][(PATIENTS - 1) % 3]}-role`);
  const message = add('late-message', 'Communication', () => encouragement('late-message',
    `Patient?${keyCondition(target)}`, `PractitionerRole?${keyCondition(peer.key)}`,
    `Goal?${keyCondition(`${target}-goal-1`)}`, '2025-06-02T09:00:00Z', 'celebrating-progress',
    'Three months today. Celebrate it!'));
  entries.push({ fullUrl: `urn:uuid:${message.uuid}`, resource: message.body, request: { method: 'POST', url: 'Communication' } });

  const response = await call('update transaction',
    client.transaction({ body: { resourceType: 'Bundle', type: 'transaction', entry: entries } }));
  check(response.entry?.length === entries.length, `update transaction answered ${response.entry?.length} entries`);
  updated.forEach((record, i) => {
    const answer = response.entry[i].response;
    check(answer.status.startsWith('200'), `update of ${record.key} answered ${answer.status}`);
    check(versionOf(answer.etag) === record.version + 1, `update of ${record.key} answered etag ${answer.etag}, expected W/"${record.version + 1}"`);
    check((answer.location || '').includes(`${record.type}/${record.id}/_history/`), `update of ${record.key} has location ${answer.location}`);
    record.version += 1;
    record.versions.push(record.version);
  });
  const created = response.entry[entries.length - 1].response;
  check(created.status.startsWith('201'), `new message answered ${created.status}`);
  message.id = /Communication\/([^/]+)\/_history\/1$/.exec(created.location || '')?.[1];
  check(message.id, `new message has location ${created.location}`);
  message.version = 1;
  message.versions.push(1);
  // what the server must have made of the conditional references
  message.body = { ...message.body, subject: { reference: `Patient/${records.get(target).id}` },
    recipient: [{ reference: `Patient/${records.get(target).id}` }], sender: { reference: `PractitionerRole/${peer.id}` },
    about: [{ reference: `Goal/${records.get(`${target}-goal-1`).id}` }] };
  return entries.length;
}

// ---------------------------------------------------------------------------------------------------------
// OUT (a): searches, page by page

async function searchAll(type, params, label) {
  let bundle = await call(`search ${label}`, client.search({ resourceType: type, searchParams: params }));
  const resources = [];
  const included = [];
  let pages = 0;
  const total = bundle.total;
  while (bundle) {
    pages++;
    check(bundle.resourceType === 'Bundle' && bundle.type === 'searchset', `search ${label}: page ${pages} is not a searchset`);
    const matches = (bundle.entry || []).filter((e) => (e.search?.mode || 'match') === 'match');
    check(matches.length <= params._count, `search ${label}: page ${pages} has ${matches.length} entries for _count=${params._count}`);
    resources.push(...matches.map((e) => e.resource));
    included.push(...(bundle.entry || []).filter((e) => e.search?.mode === 'include').map((e) => e.resource));
    check(pages <= 1000, `search ${label}: more than 1000 pages`);
    const next = bundle.link?.find((l) => l.relation === 'next');
    if (next && (bundle.entry || []).length === 0) {
      fail(`search ${label}: page ${pages} is empty but has a next link`);
    }
    bundle = await call(`search ${label} page ${pages + 1}`, client.nextPage({ bundle }));
  }
  if (total !== undefined) {
    check(total === resources.length, `search ${label}: total ${total}, but the pages held ${resources.length}`);
  }
  return { resources, included, pages };
}

// A sort on a value many resources share: each page starts beside the last row of the one before (keyset
// cursors), so ties must be broken the same way on every page, or pages repeat and skip resources.
const TIED_SORT = {
  CarePlan: 'status', CareTeam: 'status', Communication: 'status', Encounter: 'status', ServiceRequest: 'status',
  Goal: 'lifecycle-status', Patient: 'gender', Practitioner: 'active', PractitionerRole: 'active', Organization: 'active',
};
const TIED_VALUE = {
  CarePlan: (r) => r.status, CareTeam: (r) => r.status, Communication: (r) => r.status, Encounter: (r) => r.status,
  ServiceRequest: (r) => r.status, Goal: (r) => r.lifecycleStatus, Patient: (r) => r.gender,
};

async function checkSearches() {
  const types = [...new Set([...records.values()].map((r) => r.type))].sort();
  const stats = { pages: 0, sortedPages: 0, found: {} };
  for (const type of types) {
    const expected = [...records.values()].filter((r) => r.type === type);
    for (const sort of [null, '_id', '-_lastUpdated', TIED_SORT[type]]) {
      const params = { identifier: RUN_TOKEN, _count: PAGE, ...(sort ? { _sort: sort } : {}) };
      const label = `${type}?${new URLSearchParams(params)}`;
      const { resources, pages } = await searchAll(type, params, label);
      const ids = resources.map((r) => r.id);
      const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
      check(duplicates.length === 0, `search ${label}: ${duplicates.length} duplicates across pages, e.g. ${type}/${duplicates[0]}`);
      const missing = expected.filter((r) => !ids.includes(r.id)).map((r) => r.key);
      check(missing.length === 0, `search ${label}: missing ${missing.length} of ${expected.length}: ${missing.slice(0, 5).join(', ')}`);
      check(ids.length === expected.length, `search ${label}: ${ids.length} resources, sent ${expected.length}`);
      resources.forEach((r) => checkResource(r, `search ${label}`));
      const minPages = Math.ceil(expected.length / PAGE);
      check(pages >= minPages, `search ${label}: ${pages} pages for ${expected.length} resources at ${PAGE} a page`);
      if (sort === '_id') {
        const sorted = [...ids].sort();
        check(JSON.stringify(sorted) === JSON.stringify(ids), `search ${label}: not in _id order`);
      }
      if (sort === TIED_SORT[type] && TIED_VALUE[type]) {
        const values = resources.map(TIED_VALUE[type]);
        // resources without a value come last (fhir-api.md, Sorting)
        const inOrder = (a, b) => b === undefined || (a !== undefined && a <= b);
        check(values.every((v, i) => i === 0 || inOrder(values[i - 1], v)), `search ${label}: not in ${sort} order: ${values}`);
      }
      if (sort === '-_lastUpdated') {
        const times = resources.map((r) => Date.parse(r.meta.lastUpdated));
        check(times.every((t, i) => i === 0 || times[i - 1] >= t), `search ${label}: not newest first`);
      }
      if (sort) {
        stats.sortedPages += pages;
      } else {
        stats.pages += pages;
        stats.found[type] = ids.length;
      }
    }
  }
  // connected records in one read, as an initial load does (sync.md): plans with their teams and referrals
  const params = { identifier: RUN_TOKEN, _count: PAGE, _include: 'CarePlan:care-team', _revinclude: 'ServiceRequest:based-on' };
  const label = `CarePlan?${new URLSearchParams(params)}`;
  const { resources, included, pages } = await searchAll('CarePlan', params, label);
  const plans = [...records.values()].filter((r) => r.type === 'CarePlan');
  check(resources.length === plans.length, `search ${label}: ${resources.length} plans, sent ${plans.length}`);
  for (const [type, suffix] of [['CareTeam', '-team'], ['ServiceRequest', '-referral']]) {
    const want = plans.map((p) => records.get(p.key.replace(/-plan$/, suffix)));
    const got = new Set(included.filter((r) => r.resourceType === type).map((r) => r.id));
    const missing = want.filter((r) => !got.has(r.id)).map((r) => r.key);
    check(missing.length === 0, `search ${label}: ${missing.length} ${type}s not included: ${missing.slice(0, 5).join(', ')}`);
  }
  included.filter((r) => recordOf(r)).forEach((r) => checkResource(r, `search ${label} (included)`));
  stats.includePages = pages;
  stats.included = included.length;
  return stats;
}

// ---------------------------------------------------------------------------------------------------------
// OUT (b): history and the change feed

function mineByVersion(entries, label, order) {
  const seen = new Map(); // Type/id -> versions in the order seen
  const refs = byRef();
  // The order is checked on this client's own versions, written one after the other. The server's own background
  // writers (engagement alerts) run concurrently: a version is stamped when its transaction starts, so two concurrent
  // writers' versions may appear in write order with their lastModified times crossed.
  const ownRef = (e) => { const m = /([A-Za-z]+)\/([A-Za-z0-9\-.]+)$/.exec(e.fullUrl || ''); return m && refs.has(`${m[1]}/${m[2]}`); };
  const times = entries.map((e) => Date.parse(e.response?.lastModified));
  times.forEach((t, i) => check(!Number.isNaN(t), `${label}: entry ${i} has no response.lastModified`));
  const own = entries.map((e, i) => ({ e, i, t: times[i] })).filter(({ e }) => ownRef(e));
  own.forEach(({ e, i, t }, k) => {
    check(k === 0 || (order === 'asc' ? own[k - 1].t <= t : own[k - 1].t >= t),
      `${label}: entry ${i} (${e.fullUrl}) is out of ${order === 'asc' ? 'oldest' : 'newest'}-first order`);
  });
  for (const entry of entries) {
    const m = /([A-Za-z]+)\/([A-Za-z0-9\-.]+)$/.exec(entry.fullUrl || '') ;
    const ref = entry.resource ? `${entry.resource.resourceType}/${entry.resource.id}` : m && `${m[1]}/${m[2]}`;
    if (!ref || !refs.has(ref)) {
      continue;
    }
    const version = entry.resource ? Number(entry.resource.meta?.versionId) : versionOf(entry.response?.etag);
    check(version === versionOf(entry.response?.etag), `${label}: ${ref} has version ${version} but etag ${entry.response?.etag}`);
    const list = seen.get(ref) || [];
    check(!list.includes(version), `${label}: ${ref} version ${version} appears twice`);
    list.push(version);
    seen.set(ref, list);
    const record = refs.get(ref);
    check(entry.resource, `${label}: ${ref} version ${version} has no resource (this run deleted nothing)`);
    const methods = version === 1 ? ['POST', 'PUT'] : ['PUT']; // a conditional update creates with PUT
    check(methods.includes(entry.request?.method), `${label}: ${ref} version ${version} has request.method ${entry.request?.method}`);
    if (version === record.version) {
      checkResource(entry.resource, label);
    }
  }
  return seen;
}

function checkAllVersions(seen, label, order) {
  const missing = [];
  for (const record of records.values()) {
    const versions = seen.get(`${record.type}/${record.id}`) || [];
    const sorted = [...versions].sort((a, b) => (order === 'asc' ? a - b : b - a));
    check(JSON.stringify(sorted) === JSON.stringify(versions), `${label}: versions of ${record.key} in order ${versions}`);
    if (JSON.stringify([...versions].sort()) !== JSON.stringify([...record.versions].sort())) {
      missing.push(`${record.key} (${record.type}/${record.id}) sent v${record.versions.join(',')} seen v${versions.join(',') || 'none'}`);
    }
  }
  return missing;
}

async function checkHistory(since) {
  // newest first, the default order
  const params = new URLSearchParams({ _since: since, _count: String(PAGE) });
  let bundle = await call('system history', client.request(`_history?${params}`));
  const entries = [];
  let pages = 0;
  while (bundle) {
    pages++;
    check(bundle.type === 'history', `system history page ${pages} is a ${bundle.type}`);
    check((bundle.entry || []).length <= PAGE, `system history page ${pages} has ${(bundle.entry || []).length} entries`);
    entries.push(...(bundle.entry || []));
    check(pages <= 5000, 'system history: more than 5000 pages');
    bundle = await call(`system history page ${pages + 1}`, client.nextPage({ bundle }));
  }
  const seen = mineByVersion(entries, 'system history', 'desc');
  const missing = checkAllVersions(seen, 'system history', 'desc');
  check(missing.length === 0, `system history since ${since}: ${missing.length} records not as written: ${missing.slice(0, 5).join('; ')}`);
  return { pages, entries: [...seen.values()].reduce((n, v) => n + v.length, 0) };
}

async function checkChangeFeed(since) {
  // Oldest first. A version shows up once every transaction before it has finished, so read it as a sync
  // client does: follow next links until a page is empty (it has no next link), then wait and ask the last next
  // link again. The cursor never repeats a version, so entries only accumulate.
  const params = new URLSearchParams({ _since: since, _sort: '_lastUpdated', _count: String(PAGE) });
  let url = `_history?${params}`;
  const entries = [];
  let pages = 0;
  let polls = 0;
  const deadline = Date.now() + WAIT_SECONDS * 1000;
  let bundle = await call('change feed', client.request(url));
  for (;;) {
    pages++;
    check(bundle.type === 'history', `change feed page ${pages} is a ${bundle.type}`);
    const page = bundle.entry || [];
    check(page.length <= PAGE, `change feed page ${pages} has ${page.length} entries`);
    entries.push(...page);
    const next = bundle.link?.find((l) => l.relation === 'next');
    if (page.length > 0) {
      check(next, `change feed page ${pages} has entries but no next link`);
      url = next.url;
      bundle = await call(`change feed page ${pages + 1}`, client.nextPage({ bundle }));
      continue;
    }
    check(!next, `change feed page ${pages} is empty but has a next link`);
    const seen = mineByVersion(entries, 'change feed', 'asc');
    const missing = checkAllVersions(seen, 'change feed', 'asc');
    if (missing.length === 0) {
      return { pages, polls, entries: [...seen.values()].reduce((n, v) => n + v.length, 0) };
    }
    check(Date.now() < deadline, `change feed since ${since}: after ${WAIT_SECONDS} s, ${missing.length} records not as written: ${missing.slice(0, 5).join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    polls++;
    bundle = await call('change feed poll', client.request(url));
  }
}

// ---------------------------------------------------------------------------------------------------------
// OUT (c): Bulk Data $export

/** fhir-kit-client parses every body as JSON; an NDJSON file of several lines is not, and arrives in its error. */
async function ndjson(from, url) {
  try {
    // a file of one line is JSON
    const single = await from.request(url, { options: { headers: { accept: 'application/fhir+ndjson' } } });
    const type = http(single).headers.get('content-type') || '';
    check(type.startsWith('application/fhir+ndjson'), `${url}: Content-Type ${type}`);
    return Object.keys(single).length === 0 ? [] : [single];
  } catch (error) {
    if (error?.response?.status === 200 && typeof error.response.data === 'string') {
      const type = error.config?.headers?.get?.('content-type') || '';
      check(type.startsWith('application/fhir+ndjson'), `${url}: Content-Type ${type}`);
      return error.response.data.split('\n').filter((line) => line.trim() !== '').map((line, i) => {
        try {
          return JSON.parse(line);
        } catch {
          return fail(`${url}: line ${i + 1} is not JSON`);
        }
      });
    }
    return fail(`download ${url}: ${describe(error)}`);
  }
}

async function checkExport(since, types) {
  const kickOff = await call('$export kick-off', client.operation({ name: '$export', method: 'GET',
    input: { _type: types.join(','), _since: since }, options: { headers: { prefer: 'respond-async' } } }));
  check(http(kickOff).status === 202, `$export kick-off answered ${http(kickOff).status}, expected 202`);
  const status = http(kickOff).headers.get('content-location');
  check(status, '$export kick-off has no Content-Location');
  const deadline = Date.now() + WAIT_SECONDS * 1000;
  let manifest;
  let polls = 0;
  for (;;) {
    const answer = await call('$export poll', client.request(status));
    polls++;
    if (http(answer).status === 200) {
      manifest = answer;
      break;
    }
    check(http(answer).status === 202, `$export poll answered ${http(answer).status}`);
    check(Date.now() < deadline, `$export not done after ${WAIT_SECONDS} s (X-Progress: ${http(answer).headers.get('x-progress')})`);
    const retry = Number(http(answer).headers.get('retry-after') || 1);
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(retry, 1), 5) * 1000));
  }
  check(Array.isArray(manifest.output), '$export manifest has no output');
  check(Array.isArray(manifest.error) && manifest.error.length === 0, `$export manifest lists errors: ${JSON.stringify(manifest.error)}`);
  check(typeof manifest.transactionTime === 'string', '$export manifest has no transactionTime');
  if (manifest.requiresAccessToken && manifest.output.length > 0) {
    const refused = await anonymous.request(manifest.output[0].url).then((r) => http(r).status, (e) => e?.response?.status);
    check(refused === 401, `${manifest.output[0].url} without a token answered ${refused}, the manifest requires one`);
  }
  const exported = new Map(); // Type/id -> resource
  for (const file of manifest.output) {
    check(types.includes(file.type), `$export wrote a file of type ${file.type}, not asked for`);
    const lines = await ndjson(manifest.requiresAccessToken ? client : anonymous, file.url);
    if (file.count !== undefined) {
      check(lines.length === file.count, `${file.url}: ${lines.length} lines, manifest says ${file.count}`);
    }
    for (const resource of lines) {
      check(resource.resourceType === file.type, `${file.url}: holds a ${resource.resourceType}`);
      const ref = `${resource.resourceType}/${resource.id}`;
      check(!exported.has(ref), `$export lists ${ref} twice`);
      exported.set(ref, resource);
    }
  }
  const perType = {};
  for (const record of records.values()) {
    const resource = exported.get(`${record.type}/${record.id}`);
    check(resource, `$export since ${since}: ${record.key} (${record.type}/${record.id}) is not in the files`);
    checkResource(resource, '$export');
    perType[record.type] = (perType[record.type] || 0) + 1;
  }
  const mine = [...exported.values()].filter((r) => recordOf(r)).length;
  check(mine === records.size, `$export holds ${mine} resources of this run, it wrote ${records.size}`);
  try {
    await client.request(status, { method: 'DELETE' });
  } catch {
    // the job is removed after its retention time anyway
  }
  return { files: manifest.output.length, polls, resources: mine, perType: Object.fromEntries(Object.entries(perType).sort()) };
}

// ---------------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------------
// The surface beyond sync, as an outside client reaches it (after every count above, so they stay exact):
// JSON Patch with If-Match, Patient/$everything followed page by page, and the terminology operations.

/** Where every subject/patient reference of a data-set record points (resolved), by record key. */
function subjectOf(record) {
  const body = resolved(record.body);
  return body.subject?.reference || body.patient?.reference || body.for?.reference || null;
}

async function checkSurface() {
  const patients = [...records.values()].filter((r) => r.type === 'Patient');
  // the last person with records of their own (the first ones' versions are checked by OutsideClientSyncIT)
  const person = patients.reverse().find((p) => [...records.values()].filter((r) => subjectOf(r) === `Patient/${p.id}`).length >= 3);
  check(person, 'no person with records of their own');
  const ref = `Patient/${person.id}`;

  // PATCH: a JSON Patch makes the next version; one sent with a stale If-Match changes nothing (412)
  const before = await call('read before patch', client.read({ resourceType: 'Patient', id: person.id }));
  const from = Number(before.meta.versionId);
  const mark = `patched in run ${RUN}`; // a value no earlier version held, so the patch changes the record
  const patched = await call('JSON Patch', client.patch({ resourceType: 'Patient', id: person.id,
    jsonPatch: [{ op: 'add', path: '/maritalStatus', value: { text: mark } }],
    options: { headers: { 'If-Match': `W/"${from}"` } } }));
  check(patched.maritalStatus?.text === mark, `JSON Patch: maritalStatus is ${JSON.stringify(patched.maritalStatus)}`);
  const to = Number(patched.meta.versionId);
  check(to === from + 1, `JSON Patch: version ${from} became ${to}`);
  let stale = 0;
  try {
    await client.patch({ resourceType: 'Patient', id: person.id,
      jsonPatch: [{ op: 'add', path: '/maritalStatus', value: { text: 'stale' } }],
      options: { headers: { 'If-Match': `W/"${from}"` } } });
  } catch (error) {
    stale = error?.response?.status || -1;
  }
  check(stale === 412, `JSON Patch with a stale If-Match answered ${stale}`);
  const after = await call('read after stale patch', client.read({ resourceType: 'Patient', id: person.id }));
  check(after.maritalStatus?.text === mark && Number(after.meta.versionId) === to, 'the refused patch changed the record');

  // Patient/$everything, three to a page: the person, every data-set record about them, nobody else's records
  let page = await call('$everything', client.operation({ name: '$everything', resourceType: 'Patient', id: person.id,
    method: 'GET', input: { _count: 3 } }));
  const seen = new Set();
  let pages = 0;
  let others = 0;
  while (page) {
    pages++;
    for (const entry of page.entry || []) {
      const resource = entry.resource;
      const key = `${resource.resourceType}/${resource.id}`;
      check(!seen.has(key), `$everything returned ${key} twice`);
      seen.add(key);
      if (key !== ref && !references(resource).some((r) => r.replace(/\/_history\/.*/, '') === ref)) {
        others++;
      }
    }
    page = (page.link || []).some((l) => l.relation === 'next')
      ? await call('$everything next page', client.nextPage({ bundle: page })) : undefined;
  }
  const about = [...records.values()].filter((r) => subjectOf(r) === ref).map((r) => `${r.type}/${r.id}`);
  const missing = about.filter((key) => !seen.has(key));
  check(seen.has(ref), '$everything left out the person');
  check(missing.length === 0, `$everything left out ${missing.join(', ')}`);

  // terminology: a picker's expansion filtered as typed, a code checked
  const expansion = await call('$expand', client.operation({ name: '$expand', resourceType: 'ValueSet', method: 'GET',
    input: { url: `${AS}/ValueSet/focus-area`, filter: 'crav', count: 5 } }));
  const codes = (expansion.expansion?.contains || []).map((c) => c.code);
  check(codes.includes('cravings'), `$expand filter=crav gave ${codes.join(', ')}`);
  const validate = async (code) => {
    const out = await call('$validate-code', client.operation({ name: '$validate-code', resourceType: 'CodeSystem',
      method: 'GET', input: { url: `${AS}/CodeSystem/focus-area`, code } }));
    return (out.parameter || []).find((p) => p.name === 'result')?.valueBoolean;
  };
  return {
    patch: { from, to, staleIfMatch: stale },
    everything: { pages, entries: seen.size, about: about.length, missing: missing.length, others },
    expand: { codes },
    validateCode: [await validate('cravings'), await validate('no-such-code')],
  };
}

async function main() {
  const started = Date.now();
  const since = new Date(Date.now() - 2000).toISOString();
  buildDataSet();
  const pushed = await pushTransaction();
  settleBodies();
  const conditional = await conditionalRound();
  const updateEntries = await updateTransaction();
  // every record as it now stands, read one by one
  for (const record of records.values()) {
    const resource = await call(`read ${record.key}`, client.read({ resourceType: record.type, id: record.id }));
    checkResource(resource, 'read');
  }
  const search = await checkSearches();
  const history = await checkHistory(since);
  const feed = await checkChangeFeed(since);
  const types = [...new Set([...records.values()].map((r) => r.type))].sort();
  const exported = await checkExport(since, types);
  const surface = await checkSurface();
  const summary = {
    ok: true,
    run: RUN,
    identifierSystem: RUN_SYSTEM,
    sent: countByType(records.keys()),
    resources: records.size,
    versions: [...records.values()].reduce((n, r) => n + r.versions.length, 0),
    updated: [...records.values()].filter((r) => r.version > 1).length,
    transactionEntries: [pushed, updateEntries],
    conditional,
    search: { pageSize: PAGE, pages: search.pages, sortedPages: search.sortedPages, found: search.found,
      includePages: search.includePages, included: search.included },
    history: { pages: history.pages, versions: history.entries },
    changeFeed: { pages: feed.pages, polls: feed.polls, versions: feed.entries },
    export: exported,
    surface,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error) => {
  process.stderr.write(`sync-check FAILED (run ${RUN}): ${error instanceof Mismatch ? error.message : describe(error)}\n`);
  process.exit(1);
});
