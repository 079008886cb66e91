// Recovery capital (BARC-10, Vilsaint et al. 2017): the ten statements, the answer scale, the response the app sends
// to QuestionnaireResponse/$record-recovery-capital, and the trend of a person's scores. Pure: no requests, no DOM.
// The statements are the instrument's own words, kept verbatim (its terms allow no altered wording): they are shown
// in English in every language of the app; the scale and everything around it is translated.

export const QUESTIONNAIRE = "http://alongside.health/fhir/Questionnaire/barc-10";
export const SCALE_SYSTEM = "http://alongside.health/fhir/CodeSystem/agreement-scale";
export const SCORE_SYSTEM = "http://alongside.health/fhir/CodeSystem/recovery-capital";
export const SCORE_CODE = "barc-10-total";
export const ASSESSMENT_KEY = "http://alongside.health/fhir/assessment-key";
export const MIN_SCORE = 10;
export const MAX_SCORE = 60;

export const ITEMS = [
  "There are more important things to me in life than using substances.",
  "In general I am happy with my life.",
  "I have enough energy to complete the tasks I set myself.",
  "I am proud of the community I live in and feel part of it.",
  "I get lots of support from friends.",
  "I regard my life as challenging and fulfilling without the need for using drugs or alcohol.",
  "My living space has helped to drive my recovery journey.",
  "I take full responsibility for my actions.",
  "I am happy dealing with a range of professional people.",
  "I am making good progress on my recovery journey.",
];

/** The answers, 1 (strongly disagree) to 6 (strongly agree); the code is the item's score. */
export const SCALE = [1, 2, 3, 4, 5, 6];

/** The items not answered yet (1-based), for the form's message. */
export function unanswered(answers) {
  return ITEMS.map((_, i) => i + 1).filter((n) => !SCALE.includes(Number(answers[n])));
}

/** The total of a complete set of answers ({1: 4, 2: 3, ...}); null while any is missing. */
export function total(answers) {
  if (unanswered(answers).length) return null;
  return ITEMS.reduce((sum, _, i) => sum + Number(answers[i + 1]), 0);
}

/** The QuestionnaireResponse for $record-recovery-capital: its identifier is the client key (retries store it once). */
export function buildResponse({ patient, author, answers, key, authored }) {
  return {
    resourceType: "QuestionnaireResponse",
    identifier: { system: ASSESSMENT_KEY, value: key },
    questionnaire: QUESTIONNAIRE,
    status: "completed",
    subject: { reference: patient },
    authored,
    author: { reference: author },
    item: ITEMS.map((text, i) => ({
      linkId: String(i + 1), text,
      answer: [{ valueCoding: { system: SCALE_SYSTEM, code: String(answers[i + 1]) } }],
    })),
  };
}

export function recordParameters(response) {
  return { resourceType: "Parameters", parameter: [{ name: "response", resource: response }] };
}

/** Whether an Observation is a BARC-10 total that counts (not entered in error, with a value and a time). */
export function isScore(o) {
  return o?.resourceType === "Observation"
    && (o.code?.coding || []).some((c) => c.system === SCORE_SYSTEM && c.code === SCORE_CODE)
    && ["final", "amended", "corrected"].includes(o.status)
    && Number.isInteger(o.valueInteger) && !!o.effectiveDateTime;
}

/** The scores among some records, oldest first: [{ when: Date, score }]. */
export function points(records) {
  return (records || []).filter(isScore)
    .map((o) => ({ when: new Date(o.effectiveDateTime), score: o.valueInteger, id: o.id }))
    .sort((a, b) => a.when - b.when);
}

/** First, latest and the change between them; null without scores. */
export function trend(pts) {
  if (!pts.length) return null;
  const first = pts[0], latest = pts[pts.length - 1];
  return { first, latest, change: latest.score - first.score, count: pts.length };
}

/** "+12", "-3", "0". */
export function signed(n) {
  return n > 0 ? `+${n}` : String(n);
}

/**
 * Where each score sits in the chart: x by time (evenly spread when all share one day), y from 10 (bottom) to 60
 * (top) inside the plot area.
 */
export function layout(pts, { width, height, left, right, top, bottom }) {
  const plotW = width - left - right, plotH = height - top - bottom;
  const y = (score) => top + plotH * (1 - (score - MIN_SCORE) / (MAX_SCORE - MIN_SCORE));
  if (!pts.length) return { dots: [], y };
  const t0 = pts[0].when.getTime(), t1 = pts[pts.length - 1].when.getTime();
  const x = (p, i) => (t1 > t0 ? left + plotW * (p.when.getTime() - t0) / (t1 - t0)
    : pts.length === 1 ? left + plotW / 2 : left + plotW * i / (pts.length - 1));
  return { dots: pts.map((p, i) => ({ ...p, x: Math.round(x(p, i) * 10) / 10, y: Math.round(y(p.score) * 10) / 10 })), y };
}
