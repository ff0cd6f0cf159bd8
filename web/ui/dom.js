// A tiny element builder. Text reaches the DOM only as textContent (peer content — names, chat,
// file names — is never parsed as HTML, E2EE-SPEC §S13), and user-visible strings only through the
// catalogs: `i18n` and `label` take catalog keys, `text` takes an already translated string or peer
// data. web/i18n/lint.test.js rejects literal text in these places.
import { t } from "../i18n/i18n.js";

/**
 * h("button", {testid: "mic", label: "call.mute", class: "icon", onclick}, child, ...)
 * - testid → data-testid; i18n → data-i18n + textContent; label → data-i18n-label + aria-label + title
 * - text → textContent (translated or peer text); on<event> → listener; dataset → data-*
 * - anything else → attribute (true → empty attribute, false/null/undefined → absent)
 */
export function h(tag, props = {}, ...children) {
  const el = tag === "svg" || tag === "path" || tag === "circle" || tag === "rect"
    ? document.createElementNS("http://www.w3.org/2000/svg", tag)
    : document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "testid") el.dataset.testid = value;
    else if (name === "i18n") {
      el.dataset.i18n = value;
      el.textContent = t(value);
    } else if (name === "label") {
      el.dataset.i18nLabel = value;
      el.setAttribute("aria-label", t(value));
      el.setAttribute("title", t(value));
    } else if (name === "text") el.textContent = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.setAttribute("class", value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) if (child) el.append(child);
  return el;
}

export const $ = (id) => document.getElementById(id);

/** Sets an icon button's translated label (aria-label + title) and remembers the key for re-translation. */
export function setLabel(el, key, vars) {
  el.dataset.i18nLabel = key;
  el.setAttribute("aria-label", t(key, vars));
  el.setAttribute("title", t(key, vars));
}

/** Sets translated text and remembers the key (so a language switch re-translates it). */
export function setText(el, key, vars) {
  if (vars) {
    delete el.dataset.i18n;
    el.textContent = t(key, vars);
  } else {
    el.dataset.i18n = key;
    el.textContent = t(key);
  }
}

/** Icons: inline SVG paths (no icon font, nothing from another origin). */
const ICONS = {
  mic: "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM6 11a6 6 0 0 0 12 0M12 17v4M8 21h8",
  micOff: "M3 3l18 18M9 9v3a3 3 0 0 0 5 2.2M15 10V6a3 3 0 0 0-5.9-.7M6 11a6 6 0 0 0 9.5 4.9M18 11a6 6 0 0 1-.4 2M12 17v4M8 21h8",
  camera: "M3 7h12v10H3zM15 10l6-3v10l-6-3",
  cameraOff: "M3 3l18 18M3 7h4M11 7h4v4M15 13v4H3V7M15 10l6-3v10l-6-3",
  screen: "M3 4h18v12H3zM8 20h8M12 16v4M9 10l3-3 3 3M12 7v6",
  hand: "M8 12V5a1.5 1.5 0 0 1 3 0v6M11 11V4a1.5 1.5 0 0 1 3 0v7M14 11V5.5a1.5 1.5 0 0 1 3 0V14a7 7 0 0 1-7 7h-1a6 6 0 0 1-5-3l-2.5-4.5a1.5 1.5 0 0 1 2.6-1.5L8 14",
  leave: "M10 17l-5-5 5-5M5 12h11M14 4h5v16h-5",
  people: "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM3 20a6 6 0 0 1 12 0M16 11a3 3 0 1 0 0-6M17 14a6 6 0 0 1 4 6",
  grid: "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
  speaker: "M3 4h18v11H3zM3 18h5v3H3zM10 18h5v3h-5zM17 18h4v3h-4z",
  stats: "M4 20V10M10 20V4M16 20v-7M22 20H2",
  fullscreen: "M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5",
  link: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
  shield: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
  settings: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .3-1.5-1.5L17 5l-3-1-1 2h-2l-1-2-3 1 .5 2.3L6 8.7 4 8.3 3 11.3l2 .7v2l-2 .7 1 3 2-.3 1.5 1.5L7 21l3 1 1-2h2l1 2 3-1-.5-2.3 1.5-1.5 2 .4 1-3-2-.8z",
  lock: "M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4",
  chat: "M4 5h16v11H9l-5 4z",
  file: "M6 3h8l4 4v14H6zM14 3v4h4",
  close: "M6 6l12 12M18 6L6 18",
  headphones: "M4 15v-3a8 8 0 0 1 16 0v3M4 15h3v6H4zM17 15h3v6h-3z",
  help: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14M12 17.5v.5",
};

export function icon(name) {
  return h("svg", { class: "icon", viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" }, h("path", { d: ICONS[name] ?? "" }));
}
