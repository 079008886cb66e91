// Crisis within reach on the peer's pages: the crisis lines (988 and the clinic's own, from its Organization) and
// the "I'm worried" escalation, which tells the care team's clinician through Patient/$escalate.
import { useState } from "preact/hooks";
import { html, PageTitle, BackButton } from "../ui.js";
import { t, codeLabel } from "../i18n.js";
import { post, ref, uuid } from "../fhir.js";

/** The US national line, the same everywhere; the clinic's own lines come from its Organization. */
const LIFELINE = "988";
const URGENCIES = ["urgent", "asap", "stat"];

export function CrisisLines({ lines }) {
  return html`<section aria-labelledby="crisis-title" id="crisis-lines" class="crisis">
    <h2 id="crisis-title">${t("crisis.title")}</h2>
    <ul class="plain">
      <li class="crisis-line"><span>${t("crisis.lifeline")}</span>
        <a class="button-link" href=${"tel:" + LIFELINE}>${t("crisis.call", { number: LIFELINE })}</a>
        <a class="button-link" href=${"sms:" + LIFELINE}>${t("crisis.text", { number: LIFELINE })}</a></li>
      ${lines.map((line) => html`<li class="crisis-line" data-crisis-line=${line.phone}><span>${line.name}</span>
        <a class="button-link" href=${"tel:" + line.phone.replace(/[^+\d]/g, "")}>${t("crisis.call", { number: line.phone })}</a></li>`)}
    </ul>
  </section>`;
}

export function WorriedForm({ ctx, person }) {
  const [what, setWhat] = useState("");
  const [urgency, setUrgency] = useState("urgent");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [clientKey] = useState(uuid); // the same key for every try: a retry after a lost answer writes nothing twice

  const submit = async (e) => {
    e.preventDefault();
    if (!what.trim()) { setError(t("worry.needWhat")); return; }
    setError(null);
    setBusy(true);
    const requester = person.assignment.performer?.[0]?.reference || ref(ctx.roles[0]);
    try {
      await post(ctx.client, `Patient/${person.id}/$escalate`, { resourceType: "Parameters", parameter: [
        { name: "what", valueString: what.trim() },
        { name: "urgency", valueCode: urgency },
        { name: "requester", valueReference: { reference: requester } },
        { name: "clientKey", valueString: clientKey },
      ] });
      ctx.setNotice({ type: "ok", text: t("worry.sent") });
      ctx.go({ page: "person", id: person.id });
    } catch (err) {
      setError(err.network ? t("worry.offline") : err.message);
      setBusy(false);
    }
  };

  return html`<main id="main">
    <${BackButton} onClick=${() => ctx.go({ page: "person", id: person.id })} label=${person.name} />
    <${PageTitle}>${t("worry.title", { name: person.name })}<//>
    <p class="notice notice-warn">${t("worry.danger")}</p>
    <form class="stack" onSubmit=${submit} novalidate>
      <div class="field"><label for="worry-what">${t("worry.what")}</label>
        <textarea id="worry-what" rows="2" maxlength="500" value=${what} onInput=${(e) => setWhat(e.currentTarget.value)}></textarea></div>
      <fieldset><legend>${t("worry.urgency")}</legend>
        <div class="chips" role="radiogroup">
          ${URGENCIES.map((u) => html`<label class=${"chip radio-chip" + (urgency === u ? " chip-on" : "")}>
            <input type="radio" name="urgency" value=${u} checked=${urgency === u} onChange=${() => setUrgency(u)} />
            ${codeLabel("urgency", u)}</label>`)}
        </div>
      </fieldset>
      ${error && html`<p class="notice notice-error" role="alert" id="form-error">${error}</p>`}
      <button type="submit" class="danger" id="send-worry" disabled=${busy}>${t("worry.send")}</button>
    </form>
    <${CrisisLines} lines=${ctx.crisis} />
  </main>`;
}
