import { h } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import htm from "htm";
import { t } from "./i18n.js";

export const html = htm.bind(h);

/** The page heading: focused when a page opens, so keyboard and screen reader users start at the top. */
export function PageTitle({ children, id = "page-title" }) {
  const el = useRef(null);
  useEffect(() => { el.current && el.current.focus(); }, []);
  return html`<h1 id=${id} tabindex="-1" ref=${el}>${children}</h1>`;
}

/** A message about the last action: polite status, or an alert for errors. */
export function Notice({ notice }) {
  if (!notice) return html`<div class="notice-slot" role="status" aria-live="polite"></div>`;
  const error = notice.type === "error";
  return html`<div class="notice-slot" role=${error ? "alert" : "status"} aria-live=${error ? "assertive" : "polite"}>
    <p class=${"notice " + (error ? "notice-error" : "notice-ok")} data-notice=${notice.type}>${notice.text}</p>
    ${notice.link && html`<a class="button-link" id="notice-link" href=${notice.link.href}>${notice.link.label}</a>`}
  </div>`;
}

export function Loading() {
  return html`<p class="muted" role="status">${t("common.loading")}</p>`;
}

export function BackButton({ onClick, label }) {
  return html`<button type="button" class="link-button back" onClick=${onClick}>← ${label || t("common.back")}</button>`;
}

/** A toggle chip: a real button with aria-pressed, at least 44 px tall. */
export function Chip({ pressed, onToggle, children, ...rest }) {
  return html`<button type="button" class=${"chip" + (pressed ? " chip-on" : "")} aria-pressed=${pressed ? "true" : "false"} onClick=${onToggle} ...${rest}>${children}</button>`;
}

/**
 * In-app navigation: the page and its parameters (ids) live in history.state, never in the URL, so the
 * browser's back button works and nothing about a person shows in the address bar.
 */
export function useNav(initial) {
  const [view, setView] = useState(() => (history.state && history.state.alongside) || initial);
  useEffect(() => {
    if (!history.state || !history.state.alongside) history.replaceState({ alongside: view }, "");
    const onPop = (e) => setView((e.state && e.state.alongside) || initial);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const go = (next) => { history.pushState({ alongside: next }, ""); setView(next); window.scrollTo(0, 0); };
  const back = () => history.back();
  return [view, go, back];
}
