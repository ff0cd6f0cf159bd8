// All user-visible strings live in en.js and ru.js. The language comes from the browser and can be
// switched; the choice is not stored (nothing is kept).
import en from "./en.js";
import ru from "./ru.js";

const catalogs = { en, ru };
let current = (navigator.languages || [navigator.language || "en"])
  .map((l) => String(l).slice(0, 2).toLowerCase())
  .find((l) => l in catalogs) || "en";

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = lang in catalogs ? lang : "en";
  document.documentElement.lang = current;
  translatePage();
}

/** Looks up a string; {name} placeholders are replaced from vars. Unknown keys fall back to English. */
export function t(key, vars = {}) {
  const text = catalogs[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

export function translatePage() {
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
}
