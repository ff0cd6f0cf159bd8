// All user-visible strings live in en.js and ru.js (same keys; web/i18n/catalogs.test.js checks it).
// The language comes from the browser, can be switched, and the choice is remembered in
// localStorage under "sotto.lang" — the only thing Sotto stores, and it says nothing about calls.
import en from "./en.js";
import ru from "./ru.js";

export const catalogs = Object.freeze({ en, ru });
export const LANGUAGES = Object.freeze(Object.keys(catalogs));
const STORAGE_KEY = "sotto.lang";

/** The first of the browser's languages we have, else English. */
export function browserLanguage(languages = globalThis.navigator?.languages ?? []) {
  for (const tag of languages) {
    const base = String(tag).slice(0, 2).toLowerCase();
    if (LANGUAGES.includes(base)) return base;
  }
  return "en";
}

function storedLanguage() {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return LANGUAGES.includes(value) ? value : null;
  } catch {
    return null; // storage disabled: fall back to the browser's language
  }
}

let current = storedLanguage() ?? browserLanguage();
const listeners = new Set();

export function language() {
  return current;
}

/** Switches the language, remembers it, re-translates the static page and tells every listener. */
export function setLanguage(lang, { remember = true } = {}) {
  current = LANGUAGES.includes(lang) ? lang : "en";
  if (remember) {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, current);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  }
  if (typeof document !== "undefined") {
    document.documentElement.lang = current;
    translatePage();
  }
  for (const fn of listeners) fn(current);
}

/** Calls fn after every language switch (screens re-render their dynamic text). */
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Looks up a string; {name} placeholders are replaced from vars. A missing key shows as the key. */
export function t(key, vars = {}) {
  const text = catalogs[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

/** Whether a key exists (e.g. error codes from the server). */
export function has(key) {
  return key in en;
}

/**
 * Static text in the HTML: data-i18n (textContent), data-i18n-label (aria-label and title, for
 * icon buttons), data-i18n-placeholder.
 */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
    el.title = t(el.dataset.i18nLabel);
  }
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
}
