// The pure parts of dictation (dictation.js): whether the browser has speech recognition, and how what was said
// joins the text already typed. No imports, so the unit tests (npm test) run it in Node.

/** The browser's SpeechRecognition constructor, or null. */
export function recognitionApi(win = globalThis) {
  return win.SpeechRecognition || win.webkitSpeechRecognition || null;
}

/** The text with what was said added: a space between them, the first letter of a new sentence capitalised. */
export function withDictated(text, said) {
  const words = String(said || "").trim();
  if (!words) return text;
  const before = String(text || "");
  const newSentence = !before.trim() || /[.!?]\s*$/.test(before);
  const spoken = newSentence ? words.charAt(0).toUpperCase() + words.slice(1) : words;
  return before && !/\s$/.test(before) ? `${before} ${spoken}` : before + spoken;
}
