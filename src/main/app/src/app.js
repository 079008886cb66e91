import { useEffect, useState, useCallback } from "preact/hooks";
import { html, Notice } from "./ui.js";
import { t, setLang, currentLang, languages } from "./i18n.js";
import { identityOf, setDevIdentity, signOut, ROLES } from "./auth.js";
import * as outbox from "./outbox.js";
import { SIGNED_OUT_EVENT } from "./fhir.js";
import { PeerApp } from "./views/peer.js";
import { ClinicianApp } from "./views/clinician.js";

/** The shell: header with language and sign-out, connection state, and the page for the user's role. */
export function App({ client }) {
  return html`<${Shell} client=${client} />`;
}

function Shell({ client }) {
  const [lang, setLangState] = useState(currentLang());
  const [identity, setIdentity] = useState(() => identityOf(client));
  const [online, setOnline] = useState(navigator.onLine);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    const onExpired = () => setExpired(true);
    window.addEventListener(SIGNED_OUT_EVENT, onExpired);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onExpired);
  }, []);

  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener("online", up);
    window.addEventListener("offline", down);
    return () => { window.removeEventListener("online", up); window.removeEventListener("offline", down); };
  }, []);

  const changeLang = (code) => { setLang(code); setLangState(code); };

  let page;
  if (!identity.fhirUser || !identity.role) {
    page = identity.open
      ? html`<${DevSignIn} onSignedIn=${() => setIdentity(identityOf(client))} />`
      : html`<main id="main"><h1>${t("app.name")}</h1><p class="notice notice-error" role="alert">${t("auth.noRole")}</p></main>`;
  } else if (identity.role === "peer-specialist") {
    page = html`<${PeerApp} client=${client} identity=${identity} online=${online} />`;
  } else if (identity.role === "supervisor") {
    page = html`<${Later} load=${() => import("./views/supervisor.js").then((m) => m.SupervisorApp)} client=${client} identity=${identity} />`;
  } else if (identity.role === "program-director") {
    page = html`<${Later} load=${() => import("./views/director.js").then((m) => m.DirectorApp)} client=${client} />`;
  } else {
    page = html`<${ClinicianApp} client=${client} identity=${identity} />`;
  }

  return html`<div class="app" data-lang=${lang} data-role=${identity.role || ""}>
    <a class="skip-link" href="#main">${t("app.skipToContent")}</a>
    <header class="topbar">
      <span class="brand">${t("app.name")}</span>
      ${identity.role && html`<span class="who">${t("role." + identity.role)}</span>`}
      <span class=${"connection " + (online ? "is-online" : "is-offline")} id="connection" role="status">
        ${online ? t("app.online") : t("app.offline")}
      </span>
      <label class="lang">
        <span class="visually-hidden">${t("app.language")}</span>
        <select id="language" value=${lang} onChange=${(e) => changeLang(e.currentTarget.value)}>
          ${languages.map((l) => html`<option value=${l.code} lang=${l.code}>${l.label}</option>`)}
        </select>
      </label>
      ${identity.fhirUser && html`<button type="button" class="link-button" id="sign-out"
          onClick=${signInAgain}>${t("app.signOut")}</button>`}
    </header>
    ${expired && html`<div class="session-expired" id="session-expired" role="alert">
      <p>${t("auth.expired")}</p>
      <button type="button" class="primary" id="sign-in-again" onClick=${signInAgain}>${t("auth.signInAgain")}</button>
    </div>`}
    ${page}
  </div>`;
}

/**
 * A page loaded with its own script when its role signs in (the supervisor's, the program director's), so a peer's
 * phone never downloads them.
 */
function Later({ load, ...props }) {
  const [view, setView] = useState(null);
  useEffect(() => {
    load().then((page) => setView(() => page),
      () => setView(() => () => html`<main id="main"><p class="notice notice-error" role="alert">${t("error.network")}</p></main>`));
  }, []);
  return view ? html`<${view} ...${props} />` : html`<main id="main"><p class="muted" role="status">${t("common.loading")}</p></main>`;
}

/**
 * Ends this tab's sign-in and starts a new launch. Records waiting on the device stay: they live in the encrypted
 * store (IndexedDB) under the practitioner, not in the tab's session, and are sent once the same person is back.
 */
function signInAgain() {
  signOut();
  window.location.replace(new URL("launch.html", document.baseURI).href);
}

/**
 * Shown only when the FHIR server is open (no authorization server): the user says who they are for this tab.
 * Same element ids as the server's development sign-in page.
 */
function DevSignIn({ onSignedIn }) {
  const [role, setRole] = useState("peer-specialist");
  const [practitioner, setPractitioner] = useState("");
  const [notice, setNotice] = useState(null);
  const submit = useCallback((e) => {
    e.preventDefault();
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(practitioner.trim())) {
      setNotice({ type: "error", text: t("signin.practitionerInvalid") });
      return;
    }
    setDevIdentity(role, practitioner.trim());
    onSignedIn();
  }, [role, practitioner]);
  return html`<main id="main" class="narrow">
    <h1>${t("signin.title")}</h1>
    <p class="muted">${t("signin.openServer")}</p>
    <form onSubmit=${submit} class="stack" novalidate>
      <label for="role">${t("signin.role")}</label>
      <select id="role" value=${role} onChange=${(e) => setRole(e.currentTarget.value)}>
        ${ROLES.map((r) => html`<option value=${r}>${t("role." + r)}</option>`)}
      </select>
      <label for="practitioner">${t("signin.practitioner")}</label>
      <input id="practitioner" autocomplete="off" value=${practitioner} onInput=${(e) => setPractitioner(e.currentTarget.value)} />
      <${Notice} notice=${notice} />
      <button id="sign-in" class="primary" type="submit">${t("signin.submit")}</button>
    </form>
  </main>`;
}

export { outbox };
