// node --test web/i18n.test.js — every user-visible string comes from the catalogs:
// 1. en and ru have the same keys, no empty strings, and the same {placeholders};
// 2. every key the UI names (t("…"), i18n: "…", label: "…", data-i18n="…", …) exists, and so do the
//    keys built at run time (error pages, verification states, qualities, pseudonyms …);
// 3. a lint over the UI modules and index.html finds no literal user-visible text and no HTML
//    parsing of strings — with positive controls proving each rule fires.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import en from "./i18n/en.js";
import ru from "./i18n/ru.js";
import { ErrorPage } from "./ui/screens.js";
import { PSEUDONYM_COUNT } from "./ui/pseudonym.js";
import { SHORTCUTS } from "./ui/room-view.js";

const WEB = fileURLToPath(new URL(".", import.meta.url));
const catalogs = { en, ru };

/** The UI modules: the app shell and web/ui (the panels included). Not e2ee/, media/, signaling/: they show nothing. */
function uiFiles() {
  const out = [join(WEB, "app.js")];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".js") && !name.endsWith(".test.js")) out.push(path);
    }
  };
  walk(join(WEB, "ui"));
  return out;
}

const LETTER = /\p{L}/u;
/** A JS string or template literal that holds a letter. */
const LITERAL_WITH_TEXT = /(?<q>["'`])(?:(?!\k<q>)[^\\\n]|\\.)*?\p{L}(?:(?!\k<q>)[^\\\n]|\\.)*?\k<q>/u.source;

const JS_RULES = [
  { name: "HTML parsing of a string", re: /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write)\b/u },
  { name: "literal textContent", re: new RegExp(String.raw`\.(textContent|innerText|title|placeholder|ariaLabel|alt)\s*=\s*` + LITERAL_WITH_TEXT, "u") },
  { name: "literal text: prop", re: new RegExp(String.raw`\btext:\s*` + LITERAL_WITH_TEXT, "u") },
  { name: "literal DOM child", re: new RegExp(String.raw`\.(append|prepend|replaceChildren|createTextNode)\(\s*` + LITERAL_WITH_TEXT, "u") },
  { name: "literal h() child", re: new RegExp(String.raw`\}\s*,\s*` + LITERAL_WITH_TEXT + String.raw`\s*[,)]`, "u") },
  { name: "literal accessible name", re: new RegExp(String.raw`setAttribute\(\s*["'](aria-label|title|placeholder|alt|aria-description)["']\s*,\s*` + LITERAL_WITH_TEXT, "u") },
  { name: "literal in a dialog", re: new RegExp(String.raw`\b(alert|confirm|prompt)\(\s*` + LITERAL_WITH_TEXT, "u") },
  { name: "literal aria-label/title prop", re: new RegExp(String.raw`["']?(aria-label|title|placeholder|alt)["']?\s*:\s*` + LITERAL_WITH_TEXT, "u") },
];

/** A line without the ${…} expressions of its template literals (their code is not literal text). */
function withoutTemplateExpressions(line) {
  let out = "";
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    if (depth === 0 && line[i] === "$" && line[i + 1] === "{") {
      depth = 1;
      i++;
    } else if (depth > 0) {
      if (line[i] === "{") depth++;
      else if (line[i] === "}") depth--;
    } else {
      out += line[i];
    }
  }
  return out;
}

/** Lines of a UI module that put literal text on screen or parse strings as HTML. */
export function lintModule(source) {
  const found = [];
  source.split("\n").forEach((line, i) => {
    // Comments are not UI; neither is the code inside ${…}.
    const code = withoutTemplateExpressions(line.replace(/^\s*(\/\/|\*|\/\*).*$/, "").replace(/\s\/\/\s.*$/, ""));
    for (const rule of JS_RULES) if (rule.re.test(code)) found.push({ line: i + 1, rule: rule.name, text: line.trim() });
  });
  return found;
}

/** Text in index.html that is not from a catalog: text nodes (outside noscript) and literal accessible names. */
export function lintHtml(html) {
  const found = [];
  const body = html.replace(/<noscript>[\s\S]*?<\/noscript>/g, "").replace(/<(script|style|title)[^>]*>[\s\S]*?<\/\1>/g, "").replace(/<!--[\s\S]*?-->/g, "");
  for (const match of body.matchAll(/>([^<]+)</g)) {
    const text = match[1].trim();
    if (text && LETTER.test(text) && !ALLOWED_LITERALS.has(text)) found.push({ rule: "literal text node", text });
  }
  for (const match of body.matchAll(/\s(aria-label|title|placeholder|alt)="([^"]*)"/g)) {
    if (LETTER.test(match[2])) found.push({ rule: "literal accessible name", text: match[0].trim() });
  }
  return found;
}

/** The product name is the same in every language. */
const ALLOWED_LITERALS = new Set(["Sotto"]);

/** Every catalog key a module names statically. */
export function keysNamed(source) {
  const keys = new Set();
  const patterns = [
    /\bt\(\s*["']([\w.-]+)["']/g,
    /\b(?:setText|setLabel)\(\s*[^,]+,\s*["']([\w.-]+)["']/g,
    /\btoast\(\s*["']([\w.-]+)["']/g,
    /\b(?:i18n|label):\s*["']([\w.-]+)["']/g,
    /data-i18n(?:-label|-placeholder)?="([\w.-]+)"/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) keys.add(m[1]);
  // Any other quoted "namespace.name" of a catalog namespace (labels passed through helpers, ternaries).
  const code = source.split("\n").filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line)).join("\n");
  for (const m of code.matchAll(/["']([a-z][\w-]*\.[\w.-]*\w)["']/g)) if (NAMESPACES.has(m[1].split(".")[0])) keys.add(m[1]);
  return keys;
}

const NAMESPACES = new Set(Object.keys(en).map((key) => key.split(".")[0]));

test("en and ru have the same keys, none empty, with the same placeholders", () => {
  const enKeys = Object.keys(en).sort();
  const ruKeys = Object.keys(ru).sort();
  assert.deepEqual(enKeys.filter((k) => !(k in ru)), [], "keys missing from ru");
  assert.deepEqual(ruKeys.filter((k) => !(k in en)), [], "keys missing from en");
  const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(",");
  for (const key of enKeys) {
    for (const [lang, catalog] of Object.entries(catalogs)) assert.ok(catalog[key].trim().length > 0, `${lang}.${key} is empty`);
    assert.equal(placeholders(ru[key]), placeholders(en[key]), `placeholders of ${key} differ`);
  }
});

test("the Russian catalog is translated (not a copy of English)", () => {
  const same = Object.keys(en).filter((k) => en[k] === ru[k] && /[a-z]{3}/i.test(en[k]) && !/^\{|^Sotto|^https?:/.test(en[k]));
  // Allowed: strings that are only placeholders, numbers or symbols.
  assert.deepEqual(same, []);
});

test("every key named by the UI (modules and index.html) exists in both catalogs", () => {
  const named = new Map();
  for (const file of [...uiFiles(), join(WEB, "index.html")]) {
    for (const key of keysNamed(readFileSync(file, "utf8"))) named.set(key, relative(WEB, file));
  }
  assert.ok(named.size > 120, `found only ${named.size} keys: the scanner is broken`);
  const missing = [...named].filter(([key]) => !(key in en) || !(key in ru)).map(([key, file]) => `${key} (${file})`);
  assert.deepEqual(missing, []);
});

test("keys built at run time exist: error pages, states, sources, qualities, pseudonyms, shortcuts", () => {
  const keys = [];
  for (const page of Object.values(ErrorPage)) for (const part of ["title", "text", "hint"]) keys.push(`error.${page}.${part}`);
  for (const v of ["connecting", "unverified", "verified-by-you", "verified-room-code", "mismatch", "failed", "left"]) keys.push(`verification.${v}`);
  for (const q of ["good", "fair", "poor", "unknown"]) keys.push(`quality.${q}`);
  for (const s of ["mic", "camera", "screen", "screen-audio"]) keys.push(`source.${s}`);
  for (const r of ["too-short", "dictionary-word", "keyboard-pattern", "sequence", "repeated", "date", "low-entropy"]) keys.push(`reason.${r}`);
  for (const p of ["people", "devices", "stats", "security", "chat", "files", "invite"]) keys.push(`panel.${p}`);
  for (let i = 1; i <= PSEUDONYM_COUNT; i++) keys.push(`pseudonym.${i}`);
  for (const [, key] of SHORTCUTS) keys.push(key);
  const missing = keys.filter((k) => !(k in en) || !(k in ru));
  assert.deepEqual(missing, []);
});

test("pseudonyms are distinct in each language", () => {
  for (const catalog of Object.values(catalogs)) {
    const names = Array.from({ length: PSEUDONYM_COUNT }, (_, i) => catalog[`pseudonym.${i + 1}`]);
    assert.equal(new Set(names).size, PSEUDONYM_COUNT);
  }
});

test("no UI module puts literal text on screen or parses strings as HTML", () => {
  const problems = [];
  for (const file of uiFiles()) {
    for (const p of lintModule(readFileSync(file, "utf8"))) problems.push(`${relative(WEB, file)}:${p.line} ${p.rule}: ${p.text}`);
  }
  assert.deepEqual(problems, []);
});

test("index.html has no literal text outside <noscript>", () => {
  assert.deepEqual(lintHtml(readFileSync(join(WEB, "index.html"), "utf8")), []);
});

test("positive control: the lint finds each kind of literal text", () => {
  const cases = [
    'el.innerHTML = name;',
    'el.textContent = "Mute";',
    'el.textContent = `Hello ${x}`;',
    'h("span", { text: `${n} files` })',
    'h("span", { text: "Leave" })',
    'list.append("Participants");',
    'h("button", { type: "button" }, "Join")',
    'el.setAttribute("aria-label", "Close");',
    'alert("Copied");',
    'h("button", { "aria-label": "Close" })',
    'input.placeholder = "Room name";',
    'el.textContent = "Выйти";',
  ];
  for (const source of cases) assert.equal(lintModule(source).length, 1, `not detected: ${source}`);
  // …and leaves translated or non-text values alone.
  for (const source of ['el.textContent = t("room.leave");', 'h("span", { text: p.name })', 'el.textContent = "";', 'h("span", { i18n: "a.b" })', 'h("i")', "el.append(icon(\"mic\"));", 'h("span", { text: ` ${size(a)} / ${t(`x.${y}`)}` })', '// el.textContent = "comment"']) {
    assert.deepEqual(lintModule(source), [], `false positive: ${source}`);
  }
  assert.equal(lintHtml("<p>Hello</p>").length, 1);
  assert.equal(lintHtml('<button aria-label="Close"></button>').length, 1);
  assert.deepEqual(lintHtml('<p data-i18n="x"></p><span>Sotto</span><noscript>JS please</noscript>'), []);
  assert.deepEqual([...keysNamed('t("a.b"); h("x", { i18n: "c.d", label: "e.f" }); setText(el, "g.h"); <p data-i18n="i.j">')].sort(), ["a.b", "c.d", "e.f", "g.h", "i.j"]);
});
