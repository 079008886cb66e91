// Everything the app asks the server goes through fhirclient's client.request, which adds the access token.
import { t } from "./i18n.js";
import { messageKey, retryable } from "./errors.js";

export const SYS = {
  hcpcs: "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
  nucc: "http://nucc.org/provider-taxonomy",
  snomed: "http://snomed.info/sct",
  focus: "http://alongside.health/fhir/CodeSystem/focus-area",
  messageCategory: "http://alongside.health/fhir/CodeSystem/message-category",
  modality: "http://alongside.health/fhir/CodeSystem/session-modality",
  endReason: "http://alongside.health/fhir/CodeSystem/end-reason",
  taskCode: "http://hl7.org/fhir/CodeSystem/task-code",
  provenanceType: "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
  participationMode: "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode",
  messageKey: "http://alongside.health/fhir/message-key",
  crisis: "http://alongside.health/fhir/CodeSystem/crisis-support",
  engagement: "http://alongside.health/fhir/CodeSystem/engagement-alert",
};
export const EXT = {
  supervisedBy: "http://alongside.health/fhir/StructureDefinition/supervised-by",
  modality: "http://alongside.health/fhir/StructureDefinition/session-modality",
  billingUnits: "http://alongside.health/fhir/StructureDefinition/billing-units",
  groupSession: "http://alongside.health/fhir/StructureDefinition/group-session",
  pertainsToGoal: "http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal",
  contactTimes: "http://alongside.health/fhir/StructureDefinition/contact-times",
};
export const PEER_SPECIALIST = "175T00000X";
export const REFERRAL = "461481000124109";
export const FHIR_JSON = { "Content-Type": "application/fhir+json", Accept: "application/fhir+json" };

/** A failed request, with plain words fit to show (never the server's own text) and what kind of failure it was. */
export class ServerError extends Error {
  constructor(message, { status, network = false } = {}) {
    super(message);
    this.status = status;
    this.network = network;
    this.retryable = retryable(status);
  }
}

/** The OperationOutcome fhirclient folded into its error message, when there is one. */
function outcomeOf(err) {
  const message = String(err && err.message || "");
  const start = message.indexOf("{");
  if (start < 0) return null;
  try {
    const body = JSON.parse(message.slice(start));
    return body && body.resourceType === "OperationOutcome" ? body : null;
  } catch (_) {
    return null;
  }
}

/** Plain, translated words for a failed request (see errors.js): what happened and what to do. */
export function explain(err) {
  if (err instanceof ServerError) return err.message;
  return t(messageKey(err && (err.status || err.statusCode), outcomeOf(err)));
}

export function isNetworkError(err) {
  return !(err && (err.status || err.statusCode));
}

/** Fired on window when the server says the sign-in is no longer valid (401): the shell offers to sign in again. */
export const SIGNED_OUT_EVENT = "alongside:signed-out";

/** A request that turns any failure into a ServerError with words fit to show. */
export async function call(client, requestOptions) {
  try {
    return await client.request(requestOptions, { flat: false });
  } catch (err) {
    const status = err && (err.status || err.statusCode);
    if (status === 401) window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    throw new ServerError(explain(err), { status, network: isNetworkError(err) });
  }
}

export function get(client, url) {
  return call(client, { url, headers: { Accept: "application/fhir+json" } });
}

export function post(client, url, body, headers = {}) {
  return call(client, { url, method: "POST", body: JSON.stringify(body), headers: { ...FHIR_JSON, ...headers } });
}

/** An update; with a version, only if the record is still at that version (If-Match). */
export function put(client, url, body, version) {
  const headers = version ? { ...FHIR_JSON, "If-Match": `W/"${version}"` } : FHIR_JSON;
  return call(client, { url, method: "PUT", body: JSON.stringify(body), headers });
}

/** A JSON Patch of the record, only if it is still at `version` (If-Match); answers the patched record. */
export function patch(client, url, operations, version) {
  return call(client, { url, method: "PATCH", body: JSON.stringify(operations), headers: {
    "Content-Type": "application/json-patch+json", Accept: "application/fhir+json", "If-Match": `W/"${version}"` } });
}

/** All resources of a searchset Bundle, following next links (bounded). */
export async function search(client, url, maxPages = 10) {
  const out = [];
  let next = url;
  for (let page = 0; next && page < maxPages; page++) {
    const bundle = await get(client, next);
    for (const entry of bundle.entry || []) out.push(entry.resource);
    next = (bundle.link || []).find((l) => l.relation === "next")?.url;
  }
  return out;
}

export function ref(resource) {
  return `${resource.resourceType}/${resource.id}`;
}

export function idOf(reference) {
  return String(reference || "").split("/")[1];
}

/** "Practitioner/x" from a fhirUser claim that may be an absolute URL. */
export function relativeRef(reference) {
  const parts = String(reference || "").split("/").filter(Boolean);
  const i = parts.lastIndexOf("_history");
  const usable = i > 0 ? parts.slice(0, i) : parts;
  return usable.length >= 2 ? `${usable[usable.length - 2]}/${usable[usable.length - 1]}` : "";
}

export function humanName(resource) {
  const name = resource?.name?.[0];
  if (!name) return resource?.id ? t("common.unnamed") : "";
  if (name.text) return name.text;
  return [...(name.prefix || []), ...(name.given || []), name.family].filter(Boolean).join(" ");
}

export function hasCoding(concepts, system, code) {
  return (concepts || []).some((c) => (c.coding || []).some((x) => x.system === system && (!code || x.code === code)));
}

export function isPeerRole(role) {
  return hasCoding(role.code, SYS.nucc, PEER_SPECIALIST);
}

export function isPeerSession(encounter) {
  return hasCoding(encounter.type, SYS.hcpcs, "H0038");
}

export function extValue(resource, url) {
  return (resource?.extension || []).filter((e) => e.url === url);
}

export function uuid() {
  return crypto.randomUUID();
}
