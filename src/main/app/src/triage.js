// The peer's caseload as a work list, as pure functions: when each person's next contact is due (one the peer
// scheduled, or the program's rule), which people a search and the filters keep, and the Task a schedule writes.

export const NEXT_CONTACT = { system: "http://alongside.health/fhir/CodeSystem/peer-contact", code: "next-contact" };
export const NEXT_CONTACT_KEY = "http://alongside.health/fhir/next-contact-key";
const DAY = 86400000;

/** Midnight (local) of the day `d` falls on. */
function dayOf(d) {
  const x = new Date(d);
  return new Date(x.getFullYear(), x.getMonth(), x.getDate());
}

/** A FHIR date ("2026-12-03") as that local day, or a dateTime as the local day it falls on. */
export function localDay(value) {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : dayOf(value);
}

/** The day a scheduled next contact is due, unless a contact since it was scheduled has met it. */
export function scheduledDue(task, lastContact) {
  if (!task || task.status !== "requested") return null;
  const due = localDay(task.restriction?.period?.end);
  if (!due) return null;
  const scheduledAt = task.authoredOn ? new Date(task.authoredOn) : null;
  if (lastContact && scheduledAt && new Date(lastContact).getTime() >= scheduledAt.getTime()) return null;
  return due;
}

/**
 * When the person's next contact is due and how it stands today: the day the peer scheduled, while no contact has
 * met it; otherwise the last contact (or the start of the mentorship) plus the program's number of days.
 * state: "overdue" (the day has passed), "today", or "upcoming".
 */
export function contactPlan(person, overdueDays, now = new Date()) {
  const scheduled = scheduledDue(person.nextContact, person.lastContact);
  let due = scheduled;
  if (!due) {
    const base = person.lastContact || (person.since ? new Date(person.since) : null);
    if (!base) return { due: null, scheduled: false, state: null };
    due = dayOf(new Date(new Date(base).getTime() + overdueDays * DAY));
  }
  const today = dayOf(now).getTime();
  const state = due.getTime() < today ? "overdue" : due.getTime() === today ? "today" : "upcoming";
  return { due, scheduled: !!scheduled, state };
}

/** Whole days since `then` (null when there was no contact). */
export function daysSince(then, now = new Date()) {
  if (!then) return null;
  return Math.floor((now.getTime() - new Date(then).getTime()) / DAY);
}

function folded(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/**
 * The people a search and the filters keep. `query` matches the start of any word of the name (accents and case
 * ignored); filters: overdue (the next contact's day has passed), quietDays (no contact for at least that many
 * days, or never), returned (a note came back from the supervisor), worried (an "I'm worried" still open).
 * Order: overdue first, then due today, then by the longest time without contact.
 */
export function triage(people, { query = "", overdue = false, quietDays = null, returned = false, worried = false } = {},
  overdueDays, now = new Date()) {
  const words = folded(query).split(/\s+/).filter(Boolean);
  const rank = { overdue: 0, today: 1, upcoming: 2 };
  return people
    .map((person) => ({ person, plan: contactPlan(person, overdueDays, now), days: daysSince(person.lastContact, now) }))
    .filter(({ person }) => {
      const names = folded(person.name).split(/[^a-z0-9]+/).filter(Boolean);
      return words.every((w) => names.some((n) => n.startsWith(w)));
    })
    .filter(({ plan }) => !overdue || plan.state === "overdue")
    .filter(({ days }) => quietDays == null || days == null || days >= quietDays)
    .filter(({ person }) => !returned || person.returnedNotes > 0)
    .filter(({ person }) => !worried || person.openWorries > 0)
    .sort((a, b) => (rank[a.plan.state] ?? 3) - (rank[b.plan.state] ?? 3)
      || (b.days ?? Infinity) - (a.days ?? Infinity)
      || folded(a.person.name).localeCompare(folded(b.person.name)));
}

/**
 * The next-contact Task for a peer role and a person, due on `day` ("YYYY-MM-DD"): one per role and person, found
 * again by its key (`<role id>:<patient id>`, its identifier), so scheduling again updates it (see outbox.js).
 */
export function nextContactTask({ roleRef, patientRef, day, now = new Date() }) {
  const key = `${roleRef.split("/")[1]}:${patientRef.split("/")[1]}`;
  return {
    key,
    identifier: `${NEXT_CONTACT_KEY}|${key}`,
    task: {
      resourceType: "Task",
      identifier: [{ system: NEXT_CONTACT_KEY, value: key }],
      status: "requested",
      intent: "plan",
      code: { coding: [{ ...NEXT_CONTACT, display: "Next peer contact" }] },
      for: { reference: patientRef },
      authoredOn: now.toISOString(),
      requester: { reference: roleRef },
      owner: { reference: roleRef },
      restriction: { period: { end: day } },
    },
  };
}
