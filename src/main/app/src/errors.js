// What a failed request means for the user, decided from the status and the OperationOutcome's machine-readable
// parts only. The server's own words (diagnostics, details.text) never reach the screen: they name internal ids
// and rules in the server's jargon, and a 500's diagnostics are for the administrator. Pure: no imports, so the
// unit tests (npm test) run it in Node.

/** Alongside's code system for business-rule refusals (fhir-profiles/CodeSystem/refusal-reason.json). */
export const REFUSAL_SYSTEM = "http://alongside.health/fhir/CodeSystem/refusal-reason";

/** Refusal codes the app has words for (messages refusal.<code>). */
export const REFUSALS = ["no-active-assignment", "caseload-full", "already-assigned", "not-assigned",
  "inactive-peer-role", "plan-closed", "assessment-incomplete", "note-incomplete"];

/** A failure that may pass by itself: no answer, server trouble, an expired sign-in, too many requests. */
export function retryable(status) {
  return status == null || status === 0 || status >= 500 || status === 401 || status === 408 || status === 429;
}

/** The refusal code an OperationOutcome carries in issue.details.coding, if the app knows it. */
export function refusalCode(outcome) {
  for (const issue of outcome?.issue || []) {
    for (const coding of issue.details?.coding || []) {
      if (coding.system === REFUSAL_SYSTEM && REFUSALS.includes(coding.code)) return coding.code;
    }
  }
  return null;
}

/** The message key (messages/*.json) for a failure: a known refusal, else one sentence per kind of failure. */
export function messageKey(status, outcome) {
  if (!status) return "error.network";
  const refusal = refusalCode(outcome);
  if (refusal) return `refusal.${refusal}`;
  if (status === 401) return "error.unauthorized";
  if (status === 403) return "error.forbidden";
  if (status === 404 || status === 410) return "error.notFound";
  if (status === 409 || status === 412) return "error.conflict";
  if (retryable(status)) return "error.server";
  return "error.refused";
}
