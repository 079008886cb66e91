// Session notes in the format the clinic chooses (code system note-format): free text, DAP or GIRP. A structured
// note is one text with each section under its heading at a line start ("Data: ..."), as the server writes it
// (mentorship.NoteFormat) and checks it (NoteRules); outcome and followUp mirror the Assessment/Response and the
// Plan, so a note's next steps read the same way in every format. Also the edit of a returned note and what the
// device keeps for reading without signal. Pure: no imports, so the unit tests (npm test) run it in Node.

export const NOTE_FORMAT_EXT = "http://alongside.health/fhir/StructureDefinition/note-format";

/**
 * The form's fields per format, in order, with the section heading each one is written under. The three fields of
 * a free note keep their meaning in DAP and GIRP (whatWasDone = Data or Intervention, response = Assessment or
 * Response, nextSteps = Plan), so a draft and the $record-peer-session parameters stay the same; GIRP adds goalNote.
 */
export const FORMATS = {
  free: [{ field: "whatWasDone", key: "whatWasDone" }, { field: "response", key: "response" }, { field: "nextSteps", key: "nextSteps" }],
  dap: [{ field: "whatWasDone", key: "data", heading: "Data" }, { field: "response", key: "assessment", heading: "Assessment" },
    { field: "nextSteps", key: "plan", heading: "Plan" }],
  girp: [{ field: "goalNote", key: "goal", heading: "Goal" }, { field: "whatWasDone", key: "intervention", heading: "Intervention" },
    { field: "response", key: "response", heading: "Response" }, { field: "nextSteps", key: "plan", heading: "Plan" }],
};

/** The format a code names; anything else (none, unknown) is free text. */
export function formatCode(code) {
  return Object.hasOwn(FORMATS, code) ? code : "free";
}

/** The clinic's format: the note-format extension of the first of the peer's organizations that sets one. */
export function clinicFormat(organizations) {
  for (const org of organizations || []) {
    const ext = (org.extension || []).find((e) => e.url === NOTE_FORMAT_EXT);
    if (ext?.valueCode) return formatCode(ext.valueCode);
  }
  return "free";
}

/** The format a stored note was written in. */
export function formatOf(procedure) {
  return formatCode((procedure?.extension || []).find((e) => e.url === NOTE_FORMAT_EXT)?.valueCode);
}

/** The note text of a structured format: every section under its heading, blank lines between. */
export function composeNote(format, values) {
  return FORMATS[format].filter((s) => s.heading).map((s) => `${s.heading}: ${(values[s.field] || "").trim()}`).join("\n\n");
}

/** The sections of a structured note's text, by heading (a heading starts a line and ends with a colon). */
export function sectionsOf(format, text) {
  const headings = FORMATS[format].filter((s) => s.heading).map((s) => s.heading);
  const found = {};
  let current = null;
  for (const raw of String(text || "").split("\n")) {
    const line = raw.trimStart();
    const heading = headings.find((h) => line.toLowerCase().startsWith(h.toLowerCase() + ":"));
    if (heading && !(heading in found)) {
      current = heading;
      found[heading] = line.slice(heading.length + 1).trim();
    } else if (current) {
      found[current] += "\n" + raw;
    }
  }
  for (const h of Object.keys(found)) found[h] = found[h].trim();
  return found;
}

/** The form values of a stored note (to edit it): { format, whatWasDone, response, nextSteps, goalNote }. */
export function noteValues(procedure) {
  const format = formatOf(procedure);
  const text = (procedure?.note || []).map((n) => n.text).filter(Boolean).join("\n");
  if (format === "free") {
    return { format, whatWasDone: procedure?.note?.[0]?.text || "", response: procedure?.outcome?.text || "",
      nextSteps: procedure?.followUp?.[0]?.text || "", goalNote: "" };
  }
  const sections = sectionsOf(format, text);
  const values = { format, whatWasDone: "", response: "", nextSteps: "", goalNote: "" };
  for (const s of FORMATS[format]) values[s.field] = sections[s.heading] || "";
  return values;
}

/** The note's sections to show, in order: [{ key, text }] (key names the words: noteSection.<key>). */
export function noteSections(procedure) {
  const format = formatOf(procedure);
  const values = noteValues(procedure);
  return FORMATS[format].map((s) => ({ key: s.key, text: values[s.field] })).filter((s) => s.text);
}

/** The fields the format needs that are still empty (form field names). */
export function missingFields(format, values) {
  return FORMATS[formatCode(format)].map((s) => s.field).filter((f) => !String(values[f] || "").trim());
}

/** A note's next steps: the Plan of a structured note, the next steps of a free one (followUp in both). */
export function nextStepsOf(procedure) {
  if (!procedure) return null;
  const followUp = procedure.followUp?.[0]?.text;
  if (followUp) return followUp;
  return noteValues(procedure).nextSteps || null;
}

/** The next steps of the latest session that has a note with some, and when it was: { text, when } or null. */
export function lastNextSteps(sessions) {
  const sorted = [...(sessions || [])].filter((s) => s.note)
    .sort((a, b) => new Date(b.when || 0) - new Date(a.when || 0));
  for (const s of sorted) {
    const text = nextStepsOf(s.note);
    if (text) return { text, when: s.when };
  }
  return null;
}

/**
 * The note with the peer's edits, as its new version: sections written in its own format, outcome and followUp
 * mirrored, the note's time now. Everything else stays as it was (the server keeps or refuses the rest).
 */
export function editedNote(procedure, values, now) {
  const format = formatOf(procedure);
  const copy = JSON.parse(JSON.stringify(procedure));
  const text = format === "free" ? values.whatWasDone.trim() : composeNote(format, values);
  copy.note = [{ ...(procedure.note?.[0] || {}), text, time: now }];
  copy.outcome = { ...(procedure.outcome || {}), text: values.response.trim() };
  copy.followUp = [{ text: values.nextSteps.trim() }];
  delete copy.meta?.lastUpdated;
  return copy;
}

/** Whether a stored note already says what an edit says (a retry whose first answer was lost). */
export function sameNote(stored, edited) {
  const a = noteValues(stored), b = noteValues(edited);
  return ["whatWasDone", "response", "nextSteps", "goalNote"].every((f) => (a[f] || "").trim() === (b[f] || "").trim());
}

/** How many of a person's last notes the device keeps to read without signal. */
export const OFFLINE_NOTES = 3;

/**
 * What the device keeps of a person's page for reading without signal: the goals, and the timeline's last few
 * session notes (with their returns) and messages. Smaller than the page; nothing else about the person.
 */
export function offlineDetail(detail, keep = OFFLINE_NOTES) {
  const sessions = detail.timeline.filter((i) => i.kind === "session").slice(0, keep);
  const messages = detail.timeline.filter((i) => i.kind === "message").slice(0, keep);
  const timeline = [...sessions, ...messages].sort((a, b) => new Date(b.when) - new Date(a.when));
  return { patient: detail.patient, carePlans: detail.carePlans, goals: detail.goals, timeline,
    lastSession: detail.lastSession };
}

/** A copy read from the device: how old it is, in whole minutes, from when it was fetched. */
export function ageMinutes(asOf, now = Date.now()) {
  return Math.max(0, Math.floor((now - new Date(asOf).getTime()) / 60000));
}
