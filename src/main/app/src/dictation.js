// Dictation through the browser's own speech recognition (Web Speech API), where the browser has it: a microphone
// button beside a note's text box that adds what was said to the text. Without the API (Firefox, most headless and
// locked-down browsers) there is no button and the peer types, as before. Nothing is recorded or sent by the app;
// the browser's engine may use a network service, as its vendor documents.
import { useRef, useState, useEffect } from "preact/hooks";
import { html } from "./ui.js";
import { t, currentLang } from "./i18n.js";
import { recognitionApi, withDictated } from "./speech.js";

/** A toggle that dictates into a field; renders nothing where the browser has no speech recognition. */
export function DictateButton({ target, label, value, onText }) {
  const Api = recognitionApi();
  const [listening, setListening] = useState(false);
  const [unavailable, setUnavailable] = useState(false);
  const recognition = useRef(null);
  const latest = useRef(value);
  latest.current = value;
  useEffect(() => () => recognition.current?.abort?.(), []);
  if (!Api) return null;
  if (unavailable) return html`<span class="small muted" role="status">${t("dictation.unavailable")}</span>`;
  const toggle = () => {
    if (listening) { recognition.current?.stop(); return; }
    const r = new Api();
    r.lang = currentLang() === "es" ? "es-US" : "en-US";
    r.interimResults = false;
    r.continuous = false;
    r.onresult = (event) => {
      const said = Array.from(event.results).map((res) => res[0]?.transcript || "").join(" ");
      onText(withDictated(latest.current, said));
    };
    r.onend = () => setListening(false);
    // no speech engine, no microphone or no permission: say so once and leave the peer to type
    r.onerror = (event) => { setListening(false); if (event?.error !== "no-speech" && event?.error !== "aborted") setUnavailable(true); };
    recognition.current = r;
    setListening(true);
    r.start();
  };
  return html`<button type="button" class="dictate" data-dictate=${target} aria-pressed=${listening ? "true" : "false"}
      aria-label=${t(listening ? "dictation.stop" : "dictation.start", { field: label })} onClick=${toggle}>
    <span aria-hidden="true">🎤</span> ${t(listening ? "dictation.stopShort" : "dictation.startShort")}</button>`;
}
