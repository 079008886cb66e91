// SMART App Launch 2.x through fhirclient: EHR launch (launch + iss) and standalone launch, PKCE S256,
// public client "alongside-app". fhirclient keeps its state (and the token) in sessionStorage: nothing
// about the session is written to localStorage.
import FHIR from "fhirclient";
import { relativeRef } from "./fhir.js";
import { config } from "./config.js";

export const CLIENT_ID = "alongside-app";
export const ROLES = ["peer-specialist", "supervisor", "clinician", "admin", "program-director"];
const EHR_SCOPE = "launch openid fhirUser user/*.cruds";
const STANDALONE_SCOPE = "openid fhirUser user/*.cruds";
const DEV_IDENTITY = "alongside.devIdentity";

/** Starts a launch from launch.html: EHR launch when the URL has launch and iss, standalone otherwise. */
export function startLaunch(location = window.location) {
  const params = new URLSearchParams(location.search);
  const ehr = params.has("launch");
  const iss = params.get("iss") || new URL("../fhir", location.href).href;
  return FHIR.oauth2.authorize({
    clientId: CLIENT_ID,
    scope: ehr ? EHR_SCOPE : STANDALONE_SCOPE,
    iss,
    redirectUri: "./index.html",
    pkceMode: "required",
  });
}

/**
 * The client after the redirect back, or null when this tab has no finished launch: none yet, a stale or reused
 * ?code= that the server no longer exchanges, or a launch begun and never finished (the app opened again before
 * signing in). fhirclient hands back a client without a token in that last case, as if the server were open;
 * the caller then starts a fresh launch instead of a signed-in page whose every request fails.
 */
export async function readyClient() {
  try {
    const client = await FHIR.oauth2.ready();
    return launchFinished(client.state) ? client : null;
  } catch (_) {
    return null;
  }
}

/** A launch is finished when it has a token, or when the server has no authorization server at all (open). */
export function launchFinished(state) {
  return !!(state && (state.tokenResponse?.access_token || !state.tokenUri));
}

function decodeJwt(token) {
  if (typeof token !== "string" || token.split(".").length < 2) return null;
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(atob(part).split("").map((c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0")).join(""));
    return JSON.parse(json);
  } catch (_) {
    return null;
  }
}

/**
 * Who is signed in, from the token response: fhirUser and the role (groups claim) from the access token's claims (or the
 * id_token's), patient and encounter context from the token response. An open server (no authorization
 * server, before security is switched on) has no token: then the development identity chosen in the app.
 */
export function identityOf(client) {
  const tokenResponse = client?.state?.tokenResponse || {};
  const access = decodeJwt(tokenResponse.access_token) || {};
  const id = decodeJwt(tokenResponse.id_token) || {};
  const context = {
    patient: tokenResponse.patient || null,
    encounter: tokenResponse.encounter || null,
  };
  if (tokenResponse.access_token) {
    // the claim the server reads the role from (alongside.auth.groups-claim): identity providers name it differently
    const claim = config().groupsClaim || "groups";
    const groups = [].concat(access[claim] || id[claim] || []);
    const role = ROLES.find((r) => groups.includes(r)) || null;
    return { ...context, fhirUser: relativeRef(access.fhirUser || id.fhirUser), role, groups, open: false };
  }
  const dev = devIdentity();
  if (!dev) return { ...context, fhirUser: null, role: null, groups: [], open: true };
  return { ...context, fhirUser: dev.fhirUser, role: dev.role, groups: [dev.role], open: true };
}

function devIdentity() {
  try {
    return JSON.parse(sessionStorage.getItem(DEV_IDENTITY) || "null");
  } catch (_) {
    return null;
  }
}

/** Only for an open server: remember who the user says they are, for this tab. */
export function setDevIdentity(role, practitionerId) {
  sessionStorage.setItem(DEV_IDENTITY, JSON.stringify({ role, fhirUser: `Practitioner/${practitionerId}` }));
}

export function signOut() {
  sessionStorage.clear();
}
