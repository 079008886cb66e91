// The program director's page: how the program does, never anyone in it. One call to Organization/$program-report
// gives MeasureReports per program and per peer for each month (aggregate figures, no records about people: the role
// may read none); the page shows the program's months as bar charts, each followed by a table of the same numbers as
// its text alternative, and a table of every peer's figures for one month. Names come from the directory (programs,
// peers), which the role may read.
import { useEffect, useState } from "preact/hooks";
import { html, PageTitle, Loading } from "../ui.js";
import { t, formatDate, allCatalogs } from "../i18n.js";
import { get, search, ref, humanName } from "../fhir.js";
import { programsOf, monthBefore, bars, FIGURES } from "../program.js";
import en from "../messages/director.en.json";
import es from "../messages/director.es.json";

// the page's words travel with its script (loaded for directors only), added to the app's catalogs once
Object.assign(allCatalogs().en, en);
Object.assign(allCatalogs().es, es);

const BOX = { width: 320, height: 150, left: 30, right: 8, top: 10, bottom: 26 };
const CHARTS = ["active-mentees", "contacts", "units", "supervision-hours"];
const SPANS = [3, 6, 12];

/** A month "YYYY-MM" in words ("March 2026"), or short ("Mar"). */
function monthWords(month, style = "long") {
  const [y, m] = month.split("-").map(Number);
  return formatDate(new Date(Date.UTC(y, m - 1, 15)), style === "long"
    ? { month: "long", year: "numeric", timeZone: "UTC" } : { month: "short", timeZone: "UTC" });
}

/** A figure as shown: a dash when there is nothing to take it over, one decimal for days, hours and changes. */
function shown(code, value) {
  if (value == null) return "—";
  if (code === "recovery-score-change") return value > 0 ? `+${value}` : String(value);
  return String(value);
}

export function DirectorApp({ client }) {
  const [span, setSpan] = useState(6);
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);
  const [chosen, setChosen] = useState(null);
  const [month, setMonth] = useState(null);

  useEffect(() => {
    let live = true;
    setState(null);
    const now = new Date();
    (async () => {
      const bundle = await get(client, `Organization/$program-report?periodStart=${monthBefore(now, span - 1)}`
        + `&periodEnd=${monthBefore(now, 0)}`);
      const programs = programsOf(bundle);
      const orgIds = programs.map((p) => p.organization.split("/")[1]);
      const roleIds = programs.flatMap((p) => p.peers.map((peer) => peer.role.split("/")[1]));
      const [orgs, roles] = await Promise.all([
        orgIds.length ? search(client, `Organization?_id=${orgIds.join(",")}&_count=200`, 2) : [],
        roleIds.length ? search(client, `PractitionerRole?_id=${roleIds.join(",")}&_include=PractitionerRole:practitioner&_count=200`, 3) : [],
      ]);
      const names = new Map(orgs.map((o) => [ref(o), o.name || ref(o)]));
      const practitioners = new Map(roles.filter((r) => r.resourceType === "Practitioner").map((p) => [ref(p), p]));
      for (const role of roles.filter((r) => r.resourceType === "PractitionerRole")) {
        names.set(ref(role), humanName(practitioners.get(role.practitioner?.reference)) || ref(role));
      }
      if (live) { setState({ programs, names }); setError(null); }
    })().catch((err) => { if (live) setError(err.message); });
    return () => { live = false; };
  }, [span]);

  if (error) return html`<main id="main"><${PageTitle}>${t("director.title")}<//><p class="notice notice-error" role="alert">${error}</p></main>`;
  if (!state) return html`<main id="main"><${PageTitle}>${t("director.title")}<//><${Loading} /></main>`;
  const program = state.programs.find((p) => p.organization === chosen) || state.programs[0];
  const months = program ? program.months : [];
  const peerMonth = months.some((m) => m.month === month) ? month : months[months.length - 1]?.month;
  const name = (reference) => state.names.get(reference) || reference;

  return html`<main id="main" class="director">
    <${PageTitle}>${t("director.title")}<//>
    <p class="muted">${t("director.intro")}</p>
    <div class="director-controls">
      ${state.programs.length > 1 && html`<label>${t("director.program")}
        <select id="program" value=${program?.organization} onChange=${(e) => setChosen(e.currentTarget.value)}>
          ${state.programs.map((p) => html`<option value=${p.organization}>${name(p.organization)}</option>`)}
        </select></label>`}
      <label>${t("director.span")}
        <select id="span" value=${span} onChange=${(e) => setSpan(Number(e.currentTarget.value))}>
          ${SPANS.map((n) => html`<option value=${n}>${t("director.months", { count: n })}</option>`)}
        </select></label>
    </div>
    ${!program ? html`<p class="muted" id="no-program">${t("director.none")}</p>` : html`
    <h2 id="program-name" data-program=${program.organization}>${name(program.organization)}</h2>
    <div class="director-charts">
      ${CHARTS.map((code) => html`<${BarChart} code=${code} months=${months} />`)}
    </div>
    <section aria-labelledby="months-title">
      <h2 id="months-title">${t("director.byMonth")}</h2>
      <div class="table-scroll" role="region" aria-labelledby="months-title" tabindex="0">
        <table class="month-table" id="program-months">
          <thead><tr><th scope="col">${t("director.month")}</th>
            ${FIGURES.map((code) => html`<th scope="col">${t("figure." + code)}</th>`)}</tr></thead>
          <tbody>${months.map((m) => html`<tr data-month=${m.month}>
            <th scope="row">${monthWords(m.month)}</th>
            ${FIGURES.map((code) => html`<td data-figure=${code}>${shown(code, m.figures[code])}</td>`)}
          </tr>`)}</tbody>
        </table>
      </div>
    </section>
    <section aria-labelledby="peers-title">
      <h2 id="peers-title">${t("director.peers", { month: peerMonth ? monthWords(peerMonth) : "" })}</h2>
      <label>${t("director.month")}
        <select id="peer-month" value=${peerMonth} onChange=${(e) => setMonth(e.currentTarget.value)}>
          ${months.map((m) => html`<option value=${m.month}>${monthWords(m.month)}</option>`)}
        </select></label>
      ${program.peers.length === 0 ? html`<p class="muted">${t("director.noPeers")}</p>` : html`
      <div class="table-scroll" role="region" aria-labelledby="peers-title" tabindex="0">
        <table class="month-table" id="peer-figures">
          <thead><tr><th scope="col">${t("director.peer")}</th>
            ${FIGURES.map((code) => html`<th scope="col">${t("figure." + code)}</th>`)}</tr></thead>
          <tbody>${program.peers.map((peer) => {
            const row = peer.months.find((m) => m.month === peerMonth);
            return html`<tr data-peer=${peer.role}>
              <th scope="row">${name(peer.role)}</th>
              ${FIGURES.map((code) => html`<td data-figure=${code}>${shown(code, row?.figures[code])}</td>`)}
            </tr>`;
          })}</tbody>
        </table>
      </div>`}
    </section>
    <p class="small muted" id="director-notes">${t("director.notes")}</p>`}
  </main>`;
}

/** One figure over the months: bars with the months below, a title and a description for screen readers. */
function BarChart({ code, months }) {
  const { max, bars: b } = bars(months, code, BOX);
  const id = "chart-" + code;
  const desc = months.map((m) => `${monthWords(m.month)}: ${shown(code, m.figures[code])}`).join("; ");
  return html`<figure class="director-chart" id=${id}>
    <svg viewBox=${`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-labelledby=${`${id}-title ${id}-desc`}
        width="100%" preserveAspectRatio="xMidYMid meet" focusable="false">
      <title id=${id + "-title"}>${t("figure." + code)}</title>
      <desc id=${id + "-desc"}>${desc}</desc>
      <line x1=${BOX.left} x2=${BOX.width - BOX.right} y1=${BOX.height - BOX.bottom} y2=${BOX.height - BOX.bottom} stroke="#767676" />
      <text x=${BOX.left - 4} y=${BOX.top + 8} text-anchor="end" font-size="11" fill="#333">${max}</text>
      <text x=${BOX.left - 4} y=${BOX.height - BOX.bottom} text-anchor="end" font-size="11" fill="#333">0</text>
      ${b.map((bar) => html`<g>
        <rect x=${bar.x} y=${bar.y} width=${bar.width} height=${bar.height} fill="#1d5d90" data-value=${bar.value ?? ""} />
        <text x=${bar.x + bar.width / 2} y=${BOX.height - 8} text-anchor="middle" font-size="11" fill="#333">${monthWords(bar.month, "short")}</text>
      </g>`)}
    </svg>
    <figcaption>${t("figure." + code)}</figcaption>
  </figure>`;
}
