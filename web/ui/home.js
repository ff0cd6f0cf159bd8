// The home screen: "Start a call" (a generated, hard-to-guess room name and a fresh link secret in
// the fragment) and "Join" by pasting a link or typing a name — with the server's strength
// estimate for typed names and the "no secret in link" warning of E2EE-SPEC §S13.
import { t } from "../i18n/i18n.js";
import { newLinkSecret } from "../link-state.js";
import { $ } from "./dom.js";
import { showScreen, showErrorPage, ErrorPage } from "./screens.js";

/** Where a room lives: the path holds the name exactly as typed (the server normalizes it). */
export function roomPath(name) {
  return "/" + encodeURIComponent(name);
}

/**
 * What the join box holds: a pasted link (its path and fragment on this server) or a room name.
 * @returns {{kind: "link", path: string, hash: string} | {kind: "name", name: string} | null}
 */
export function parseJoinInput(raw, origin) {
  const text = raw.trim();
  if (!text) return null;
  if (/^https?:\/\//i.test(text) || text.startsWith("/")) {
    let url;
    try {
      url = new URL(text, origin);
    } catch {
      return null;
    }
    const segment = url.pathname.split("/").filter(Boolean)[0];
    if (!segment) return null;
    return { kind: "link", path: "/" + segment, hash: url.hash };
  }
  return { kind: "name", name: text };
}

export function initHome({ onRerender }) {
  showScreen("home");
  let lastStrength = null;
  let timer = 0;

  async function startCall() {
    $("start-call").disabled = true;
    try {
      const response = await fetch("/api/rooms/suggest", { cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      const { name } = await response.json();
      // The secret goes only into the fragment, which browsers never send to the server; the room
      // page takes it out of the address bar before anything else runs.
      location.assign(`${roomPath(name)}#k=${newLinkSecret()}`);
    } catch {
      showErrorPage(ErrorPage.UNREACHABLE, { retry: () => location.reload() });
    } finally {
      $("start-call").disabled = false;
    }
  }

  function renderStrength() {
    const el = $("strength");
    const input = parseJoinInput($("room-name").value, location.origin);
    const typedName = input?.kind === "name";
    $("no-secret-warning").hidden = !(typedName || (input?.kind === "link" && !input.hash));
    el.className = "strength";
    delete el.dataset.strength;
    if (!typedName) {
      el.textContent = input?.kind === "link" && input.hash.startsWith("#k=") ? t("strength.link") : "";
      return;
    }
    if (!lastStrength || lastStrength.name !== input.name) {
      el.textContent = t("strength.checking");
      return;
    }
    const s = lastStrength.result;
    if (!s.valid) {
      el.textContent = t("strength.invalid");
      el.classList.add("weak");
      el.dataset.strength = "invalid";
    } else if (s.weak) {
      const reasons = s.reasons.map((r) => t(`reason.${r}`)).join(", ");
      el.textContent = t("strength.weak", { reasons, bits: Math.round(s.bits) });
      el.classList.add("weak");
      el.dataset.strength = "weak";
    } else {
      el.textContent = t("strength.strong", { bits: Math.round(s.bits) });
      el.classList.add("strong");
      el.dataset.strength = "strong";
    }
  }

  async function checkStrength(name) {
    // POST, not a query string: a typed name must not end up in proxy access logs.
    const response = await fetch("/api/rooms/strength", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name }),
    });
    if (!response.ok) return;
    lastStrength = { name, result: await response.json() };
    renderStrength();
  }

  $("start-call").addEventListener("click", startCall);
  $("room-name").addEventListener("input", () => {
    clearTimeout(timer);
    renderStrength();
    const input = parseJoinInput($("room-name").value, location.origin);
    if (input?.kind === "name") timer = setTimeout(() => checkStrength(input.name).catch(() => {}), 250);
  });
  $("join-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = parseJoinInput($("room-name").value, location.origin);
    if (!input) {
      $("room-name").focus();
      return;
    }
    if (input.kind === "link") location.assign(input.path + input.hash);
    else location.assign(roomPath(input.name));
  });
  onRerender(renderStrength);
}
