// Recovery capital in the app: the BARC-10 form the peer fills in with the person (on the phone), and the trend chart
// shown on the person's page and in the clinician's side-by-side view. The chart is an SVG image with a title and a
// description, followed by a table of the same scores as its text alternative.
import { useEffect, useState } from "preact/hooks";
import { html, PageTitle, Loading, BackButton } from "../ui.js";
import { t, formatDate } from "../i18n.js";
import { search, uuid, ref, ServerError } from "../fhir.js";
import * as outbox from "../outbox.js";
import {
  ITEMS, SCALE, unanswered, total, buildResponse, recordParameters, points, trend, signed, layout,
  SCORE_SYSTEM, SCORE_CODE, MIN_SCORE, MAX_SCORE,
} from "../recovery.js";

const BOX = { width: 320, height: 170, left: 34, right: 12, top: 10, bottom: 28 };
const GRID = [10, 20, 30, 40, 50, 60];

/** The person's BARC-10 scores, oldest first. */
export async function scoresOf(client, patientRef) {
  const found = await search(client, `Observation?subject=${patientRef}&code=${encodeURIComponent(`${SCORE_SYSTEM}|${SCORE_CODE}`)}&_sort=date&_count=100`);
  return points(found);
}

/** The trend of scores as a chart and a table; idPrefix keeps ids unique on a page. */
export function RecoveryChart({ pts, idPrefix = "recovery" }) {
  if (!pts.length) return html`<p class="muted" id=${idPrefix + "-none"}>${t("recovery.none")}</p>`;
  const tr = trend(pts);
  const { dots, y } = layout(pts, BOX);
  const line = dots.map((d) => `${d.x},${d.y}`).join(" ");
  const desc = tr.count === 1
    ? t("recovery.descOne", { score: tr.latest.score, date: formatDate(tr.latest.when) })
    : t("recovery.desc", { count: tr.count, first: tr.first.score, firstDate: formatDate(tr.first.when),
      latest: tr.latest.score, latestDate: formatDate(tr.latest.when), change: signed(tr.change) });
  return html`<figure class="recovery-chart" id=${idPrefix + "-chart"}>
    <svg viewBox=${`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-labelledby=${`${idPrefix}-chart-title ${idPrefix}-chart-desc`}
        width="100%" preserveAspectRatio="xMidYMid meet" focusable="false">
      <title id=${idPrefix + "-chart-title"}>${t("recovery.chartTitle")}</title>
      <desc id=${idPrefix + "-chart-desc"}>${desc}</desc>
      ${GRID.map((g) => html`<g class="grid">
        <line x1=${BOX.left} x2=${BOX.width - BOX.right} y1=${y(g)} y2=${y(g)} stroke="#c8c8c8" stroke-width="1" />
        <text x=${BOX.left - 6} y=${y(g) + 4} text-anchor="end" font-size="11" fill="#333">${g}</text></g>`)}
      <polyline points=${line} fill="none" stroke="#1d5d90" stroke-width="2.5" />
      ${dots.map((d) => html`<circle cx=${d.x} cy=${d.y} r="4.5" fill="#1d5d90" data-score=${d.score} />`)}
      <text x=${BOX.left} y=${BOX.height - 8} font-size="11" fill="#333">${formatDate(tr.first.when)}</text>
      ${tr.count > 1 && html`<text x=${BOX.width - BOX.right} y=${BOX.height - 8} font-size="11" fill="#333" text-anchor="end">${formatDate(tr.latest.when)}</text>`}
    </svg>
    <figcaption>
      <p id=${idPrefix + "-summary"} data-latest=${tr.latest.score} data-change=${tr.change}>${tr.count === 1
        ? t("recovery.summaryOne", { score: tr.latest.score })
        : t("recovery.summary", { latest: tr.latest.score, change: signed(tr.change), first: tr.first.score })}</p>
      <p class="small muted">${t("recovery.range", { min: MIN_SCORE, max: MAX_SCORE })}</p>
    </figcaption>
    <table class="recovery-table" id=${idPrefix + "-table"}>
      <caption>${t("recovery.tableCaption")}</caption>
      <thead><tr><th scope="col">${t("recovery.date")}</th><th scope="col">${t("recovery.score")}</th></tr></thead>
      <tbody>${pts.map((p) => html`<tr><td>${formatDate(p.when)}</td><td>${p.score}</td></tr>`)}</tbody>
    </table>
  </figure>`;
}

/** On the person's page: the trend and the button to record a new assessment. */
export function RecoverySection({ ctx, person }) {
  const [pts, setPts] = useState(null);
  useEffect(() => {
    scoresOf(ctx.client, person.ref).then(setPts, () => setPts([]));
  }, [person.id, ctx.pending.length]);
  return html`<section aria-labelledby="recovery-title" id="recovery">
    <h2 id="recovery-title">${t("recovery.title")}</h2>
    ${pts == null ? html`<${Loading} />` : html`<${RecoveryChart} pts=${pts} />`}
    <button type="button" id="record-recovery" onClick=${() => ctx.go({ page: "recovery", id: person.id })}>${t("recovery.record")}</button>
  </section>`;
}

/**
 * The BARC-10, one statement at a time down the page, read to the person on the phone: each a group of six radio
 * buttons (strongly disagree to strongly agree). Saved through the outbox like a session (offline too); the server
 * stores the response and its score together.
 */
export function RecoveryForm({ ctx, person, submitQueued, keptNotice }) {
  const [answers, setAnswers] = useState({});
  const [key] = useState(() => uuid());
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const score = total(answers);
  const submit = async (e) => {
    e.preventDefault();
    const missing = unanswered(answers);
    if (missing.length) {
      setError(t("recovery.missing", { items: missing.join(", ") }));
      return;
    }
    setError(null);
    setBusy(true);
    const authored = new Date().toISOString();
    const author = person.assignment.performer?.[0]?.reference || ref(ctx.roles[0]);
    const response = buildResponse({ patient: person.ref, author, answers, key, authored });
    try {
      await outbox.queueAssessment(ctx.owner, recordParameters(response), key, { name: person.name, patients: [person.ref], when: authored });
      const outcome = await submitQueued(ctx, key);
      if (outcome.refused) { setError(outcome.refused); setBusy(false); return; }
      ctx.setNotice(outcome.sent ? { type: "ok", text: t("recovery.saved", { score }) } : keptNotice(outcome));
      ctx.go({ page: "person", id: person.id });
    } catch (err) {
      setError(err instanceof ServerError ? err.message : t("error.device"));
      setBusy(false);
    }
  };
  return html`<main id="main">
    <${BackButton} onClick=${() => ctx.go({ page: "person", id: person.id })} label=${person.name} />
    <${PageTitle}>${t("recovery.formTitle", { name: person.name })}<//>
    <p>${t("recovery.instructions")}</p>
    <p class="small muted">${t("recovery.wording")}</p>
    <form class="stack recovery-form" onSubmit=${submit} novalidate>
      ${ITEMS.map((text, i) => {
        const n = i + 1;
        return html`<fieldset class="barc-item" data-item=${n}>
          <legend><span class="item-number">${n}.</span> <span lang="en">${text}</span></legend>
          <div class="scale">
            ${SCALE.map((v) => html`<label class=${"scale-option" + (Number(answers[n]) === v ? " chip-on" : "")}>
              <input type="radio" name=${"barc-" + n} value=${v} checked=${Number(answers[n]) === v}
                onChange=${() => setAnswers({ ...answers, [n]: v })} />
              <span>${v} · ${t("scale." + v)}</span></label>`)}
          </div>
        </fieldset>`;
      })}
      <p class="units" id="recovery-total" aria-live="polite">${score == null
        ? t("recovery.answered", { count: ITEMS.length - unanswered(answers).length, total: ITEMS.length })
        : t("recovery.total", { score })}</p>
      ${error && html`<p class="notice notice-error" role="alert" id="form-error">${error}</p>`}
      <button type="submit" class="primary" id="save-recovery" disabled=${busy}>${t("recovery.save")}</button>
    </form>
  </main>`;
}
