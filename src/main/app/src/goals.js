// A peer updates a recovery goal from the phone: its achievement status (R4 goal-achievement codes) with a dated
// note, the setback or the victory in the person's words. Pure: no imports, so the unit tests (npm test) run it
// in Node. The update is a JSON Patch sent with If-Match; the note carries the update's key as its element id, so a
// retry after a lost answer can tell "already stored" from "someone else changed the goal".

export const ACHIEVEMENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/goal-achievement";

/** The R4 goal-achievement codes with their displays, in the order a peer meets them (app words: goalStatus.<code>). */
const DISPLAYS = { "in-progress": "In Progress", improving: "Improving", worsening: "Worsening", "no-change": "No Change",
  achieved: "Achieved", sustaining: "Sustaining", "not-achieved": "Not Achieved", "no-progress": "No Progress",
  "not-attainable": "Not Attainable" };
export const GOAL_STATUSES = Object.keys(DISPLAYS);

/** The goal's current achievement code, or null. */
export function statusOf(goal) {
  const coding = (goal?.achievementStatus?.coding || []).find((c) => c.system === ACHIEVEMENT_SYSTEM)
    || goal?.achievementStatus?.coding?.[0];
  return coding?.code || null;
}

/**
 * The JSON Patch of one update: the new status (with the code system's display, for other systems; the app shows
 * its own words), and a note dated `when`, written by `author` (a Practitioner), whose id is `key`. An empty note says the status.
 */
export function goalUpdatePatch(goal, { status, text, author, when, key }) {
  const display = DISPLAYS[status];
  if (!display) throw new Error(`unknown goal status ${status}`);
  const achievementStatus = { coding: [{ system: ACHIEVEMENT_SYSTEM, code: status, display }] };
  const note = { id: key, time: when, authorReference: { reference: author }, text: text || display };
  return [
    { op: goal.achievementStatus ? "replace" : "add", path: "/achievementStatus", value: achievementStatus },
    goal.note?.length ? { op: "add", path: "/note/-", value: note } : { op: "add", path: "/note", value: [note] },
  ];
}

/** Whether the goal already holds the update with this key (a retry whose first answer was lost). */
export function hasUpdate(goal, key) {
  return (goal?.note || []).some((n) => n.id === key);
}

/** The goal's notes, newest first: { when, text, key }. */
export function goalNotes(goal) {
  return (goal?.note || []).map((n) => ({ when: n.time || null, text: n.text || "", key: n.id || null }))
    .sort((a, b) => (b.when ? Date.parse(b.when) : 0) - (a.when ? Date.parse(a.when) : 0));
}
