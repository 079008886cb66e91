// The program director's report in the app: the MeasureReports of Organization/$program-report read into plain
// months and figures, and the bar layout of the charts. Pure: no imports, so the unit tests (npm test) run it in Node.

export const FIGURE_SYSTEM = "http://alongside.health/fhir/CodeSystem/program-report-figure";
/** The figures, in the order of the report's groups and of the page's tables. */
export const FIGURES = ["active-mentees", "contacts", "median-days-between-contacts", "sessions", "units",
  "goals-achieved", "recovery-score-change", "escalations", "supervision-hours"];

/** "YYYY-MM" of a month `back` months before the given day's month (UTC). */
export function monthBefore(day, back) {
  const d = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The month a MeasureReport covers, "YYYY-MM", from the middle of its period (whatever the clinic's time zone). */
export function monthOf(report) {
  const start = Date.parse(report?.period?.start), end = Date.parse(report?.period?.end);
  const mid = new Date(Number.isNaN(end) ? start : (start + end) / 2);
  return `${mid.getUTCFullYear()}-${String(mid.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** A report's figures by code: a number, or null when the report gives none (nothing to take it over). */
export function figuresOf(report) {
  const out = {};
  for (const code of FIGURES) out[code] = null;
  for (const group of report?.group || []) {
    const coding = (group.code?.coding || []).find((c) => c.system === FIGURE_SYSTEM);
    if (coding && FIGURES.includes(coding.code)) {
      out[coding.code] = typeof group.measureScore?.value === "number" ? group.measureScore.value : null;
      if (coding.code === "recovery-score-change") out.menteesScored = group.population?.[0]?.count ?? 0;
    }
  }
  return out;
}

/**
 * The Bundle as programs: [{ organization, months: [{ month, figures }], peers: [{ role, months }] }], programs and
 * months in order.
 */
export function programsOf(bundle) {
  const programs = new Map();
  for (const entry of bundle?.entry || []) {
    const r = entry.resource;
    if (r?.resourceType !== "MeasureReport") continue;
    const organization = r.reporter?.reference;
    if (!organization) continue;
    if (!programs.has(organization)) programs.set(organization, { organization, months: [], peers: new Map() });
    const program = programs.get(organization);
    const row = { month: monthOf(r), figures: figuresOf(r) };
    const peer = r.subject?.reference;
    if (!peer) {
      program.months.push(row);
    } else {
      if (!program.peers.has(peer)) program.peers.set(peer, { role: peer, months: [] });
      program.peers.get(peer).months.push(row);
    }
  }
  const byMonth = (a, b) => a.month.localeCompare(b.month);
  return [...programs.values()].map((p) => ({
    organization: p.organization,
    months: p.months.sort(byMonth),
    peers: [...p.peers.values()].map((peer) => ({ ...peer, months: peer.months.sort(byMonth) })),
  }));
}

/** Bars for one figure over the months, in a box: [{ month, value, x, y, width, height }] and the scale's top. */
export function bars(months, code, { width, height, left, right, top, bottom }) {
  const values = months.map((m) => m.figures[code]);
  const max = Math.max(1, ...values.filter((v) => v != null));
  const plotW = width - left - right, plotH = height - top - bottom;
  const slot = months.length ? plotW / months.length : plotW;
  const barW = Math.max(4, Math.round(slot * 0.6 * 10) / 10);
  return {
    max,
    bars: months.map((m, i) => {
      const value = m.figures[code];
      const h = value == null ? 0 : Math.round(plotH * Math.max(0, value) / max * 10) / 10;
      return { month: m.month, value, width: barW, height: h,
        x: Math.round((left + slot * i + (slot - barW) / 2) * 10) / 10, y: Math.round((top + plotH - h) * 10) / 10 };
    }),
  };
}
