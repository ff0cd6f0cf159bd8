// Import order matters: link-state.js runs first and takes the secret out of the address bar.
import { pageLink, newLinkSecret, LinkState } from "./link-state.js";
import { t, language, setLanguage, translatePage } from "./i18n/i18n.js";
import { initRoom } from "./ui/room.js";

const $ = (id) => document.getElementById(id);

function showError(text) {
  const el = $("error");
  el.textContent = text;
  el.hidden = !text;
}

function errorText(code) {
  const key = `error.${code}`;
  const text = t(key);
  return text === key ? t("error.generic", { code }) : text;
}

// ---- language ----

function initLanguage() {
  setLanguage(language());
  const button = $("language");
  const label = () => { button.textContent = t("language.switch"); };
  label();
  button.addEventListener("click", () => {
    setLanguage(language() === "ru" ? "en" : "ru");
    label();
    rerender();
  });
}

let rerender = () => {};

// ---- home ----

function roomPath(name) {
  return "/" + encodeURIComponent(name);
}

async function startCall() {
  showError("");
  try {
    const response = await fetch("/api/rooms/suggest", { cache: "no-store" });
    if (!response.ok) throw new Error(String(response.status));
    const { name } = await response.json();
    // The secret goes only into the fragment, which browsers never send to the server.
    location.assign(`${roomPath(name)}#k=${newLinkSecret()}`);
  } catch {
    showError(t("error.network"));
  }
}

let strengthTimer = 0;
let lastStrength = null;

function renderStrength() {
  const el = $("strength");
  el.className = "strength";
  if (!lastStrength) {
    el.textContent = "";
    return;
  }
  if (!lastStrength.valid) {
    el.textContent = t("strength.invalid");
    el.classList.add("weak");
  } else if (lastStrength.weak) {
    const reasons = lastStrength.reasons.map((r) => t(`reason.${r}`)).join(", ");
    el.textContent = t("strength.weak", { reasons });
    el.classList.add("weak");
  } else {
    el.textContent = t("strength.strong");
    el.classList.add("strong");
  }
}

async function checkStrength(name) {
  if (!name) {
    lastStrength = null;
    renderStrength();
    return;
  }
  // POST, not a query string: a typed name must not end up in proxy access logs.
  const response = await fetch("/api/rooms/strength", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name }),
  });
  if (response.ok && $("room-name").value.trim() === name) {
    lastStrength = await response.json();
    renderStrength();
  }
}

function initHome() {
  $("home").hidden = false;
  $("start-call").addEventListener("click", startCall);
  $("room-name").addEventListener("input", () => {
    clearTimeout(strengthTimer);
    $("strength").textContent = t("strength.checking");
    const name = $("room-name").value.trim();
    strengthTimer = setTimeout(() => checkStrength(name).catch(() => showError(t("error.network"))), 300);
  });
  $("join-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const name = $("room-name").value.trim();
    if (name) location.assign(roomPath(name));
  });
  rerender = renderStrength;
}

// ---- start ----

initLanguage();
translatePage();
const segment = location.pathname.split("/").filter(Boolean)[0];
if (segment && pageLink.state !== LinkState.HOME) {
  initRoom(segment, pageLink, { showError, errorText, setRerender: (fn) => { rerender = fn; } });
} else {
  initHome();
}
