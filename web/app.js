// Import order matters: link.js runs first and takes the secret out of the address bar.
import { linkState, linkSecret, newLinkSecret, toBase64Url } from "./link.js";
import { t, language, setLanguage, translatePage } from "./i18n/i18n.js";
import { SignalingClient, MessageType } from "./signaling/client.js";

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

// ---- room ----

function initRoom(rawSegment) {
  $("room").hidden = false;
  const state = { self: null, moderatorId: null, participants: new Map(), status: "room.connecting", statusVars: {}, ended: false };
  const client = new SignalingClient();

  const linkStatus = $("link-status");
  const copy = $("copy-link");

  function render() {
    linkStatus.className = "notice " + (linkState === "ok" ? "ok" : linkState === "none" ? "warn" : "bad");
    linkStatus.textContent = t(linkState === "ok" ? "room.linkOk" : linkState === "none" ? "room.linkNone" : "room.linkMalformed");
    copy.hidden = linkState !== "ok";
    $("room-status").textContent = t(state.status, state.statusVars);
    const list = $("participants");
    list.replaceChildren();
    for (const p of [...state.participants.values()].sort((a, b) => a.slot - b.slot)) {
      const li = document.createElement("li");
      li.dataset.testid = "participant";
      li.dataset.slot = String(p.slot);
      let text = t("room.participant", { slot: p.slot });
      if (state.self && p.id === state.self.id) text += " " + t("room.you");
      if (p.id === state.moderatorId) text += " " + t("room.moderator");
      li.textContent = text;
      list.append(li);
    }
  }
  rerender = render;

  function setStatus(key, vars = {}) {
    state.status = key;
    state.statusVars = vars;
    render();
  }

  function finish(key) {
    state.ended = true;
    state.participants.clear();
    setStatus(key);
  }

  copy.addEventListener("click", async () => {
    // Rebuilt from memory: the fragment was removed from the address bar on load.
    const link = `${location.origin}${location.pathname}#k=${toBase64Url(linkSecret)}`;
    await navigator.clipboard.writeText(link);
    $("copy-status").textContent = t("room.copied");
  });

  $("leave").addEventListener("click", () => {
    client.send({ type: "leave" });
    client.close();
    location.assign("/");
  });

  $("password-form").addEventListener("submit", (e) => {
    e.preventDefault();
    $("password-form").hidden = true;
    client.send({ type: "join", room: rawSegment, password: $("password").value });
  });

  client.addEventListener("message", ({ detail: m }) => {
    switch (m.type) {
      case MessageType.Joined:
        state.self = { id: m.id, slot: m.slot };
        state.moderatorId = m.moderatorId;
        state.participants = new Map(m.participants.map((p) => [p.id, p]));
        setStatus(m.moderator ? "room.joinedModerator" : "room.joined", { slot: m.slot });
        break;
      case MessageType.Lobby:
        state.self = { id: m.id, slot: m.slot };
        setStatus("room.lobby");
        break;
      case MessageType.ParticipantJoined:
        state.participants.set(m.id, { id: m.id, slot: m.slot });
        render();
        break;
      case MessageType.ParticipantLeft:
        state.participants.delete(m.id);
        render();
        break;
      case MessageType.ModeratorChanged:
        state.moderatorId = m.id;
        if (state.self && m.id === state.self.id) setStatus("room.joinedModerator", { slot: state.self.slot });
        else render();
        break;
      case MessageType.Denied:
        finish(m.reason === "timeout" ? "room.deniedTimeout" : m.reason === "room-closed" ? "room.deniedClosed" : "room.denied");
        break;
      case MessageType.Removed:
        finish("room.removed");
        break;
      case MessageType.RoomEnded:
        finish("room.ended");
        break;
      case MessageType.ServerShutdown:
        finish("room.shutdown");
        break;
      case MessageType.Error:
        if (m.code === "password-required" || m.code === "wrong-password") {
          $("password-form").hidden = false;
          $("password").focus();
        }
        if (m.code !== "password-required") showError(errorText(m.code));
        break;
    }
  });
  client.addEventListener("close", () => {
    if (!state.ended) finish("room.disconnected");
  });

  if (linkState === "malformed") {
    // "The link is incomplete": never join without the secret the link promised.
    state.ended = true;
    setStatus("room.notJoined");
    return;
  }
  render();
  client.connect()
    .then(() => client.send({ type: "join", room: rawSegment }))
    .catch(() => showError(t("error.network")));
}

// ---- start ----

initLanguage();
translatePage();
const segment = location.pathname.split("/").filter(Boolean)[0];
if (segment) initRoom(segment);
else initHome();
