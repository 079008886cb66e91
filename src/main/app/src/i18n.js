// A tiny i18n: JSON catalogs, {name} placeholders, the choice remembered on the device (never in the URL).
import en from "./messages/en.json";
import es from "./messages/es.json";

const catalogs = { en, es };
const STORAGE_KEY = "alongside.lang";
let lang = initialLang();

function initialLang() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && catalogs[saved]) return saved;
  } catch (_) { /* storage unavailable */ }
  const nav = (navigator.language || "en").slice(0, 2);
  return catalogs[nav] ? nav : "en";
}

export const languages = [
  { code: "en", label: "English" },
  { code: "es", label: "Español" },
];

export function currentLang() {
  return lang;
}

export function setLang(code) {
  if (!catalogs[code]) return;
  lang = code;
  try { localStorage.setItem(STORAGE_KEY, code); } catch (_) { /* not remembered */ }
  document.documentElement.lang = code;
}

document.documentElement.lang = lang;

/** The message for key in the current language; falls back to English, then to the key itself. */
export function t(key, vars = {}) {
  const text = catalogs[lang][key] ?? catalogs.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? `{${name}}`));
}

/** A catalog key per code (e.g. focus.cravings), with the code system's display as last resort. */
export function codeLabel(prefix, code, fallback) {
  const key = `${prefix}.${code}`;
  const text = catalogs[lang][key] ?? catalogs.en[key];
  return text ?? fallback ?? code;
}

export function formatDate(value, opts = { dateStyle: "medium" }) {
  if (!value) return "";
  const d = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat(lang === "es" ? "es" : "en", opts).format(d);
}

export function formatDateTime(value) {
  return formatDate(value, { dateStyle: "medium", timeStyle: "short" });
}

/** A language's name in the user's language ("es" is "Spanish", or "español" in Spanish). */
export function languageName(code, fallback) {
  if (!code) return fallback || "";
  try {
    return new Intl.DisplayNames([lang], { type: "language" }).of(code) || fallback || code;
  } catch (_) {
    return fallback || code;
  }
}

export function allCatalogs() {
  return catalogs;
}
