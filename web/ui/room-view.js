// The room's layout: a stage of tiles (grid or speaker view), the controls bar, and a side panel
// (participants with moderator controls, devices, stats, and the security/chat/file panels from
// web/ui/panels/). It draws a model it is given; it owns no call state. Peer names are rendered as
// text only (E2EE-SPEC §S13).
import { t } from "../i18n/i18n.js";
import { h, icon, setLabel, setText } from "./dom.js";

export const View = Object.freeze({ GRID: "grid", SPEAKER: "speaker" });
export const SidePanel = Object.freeze({ PEOPLE: "people", DEVICES: "devices", STATS: "stats", SECURITY: "security", CHAT: "chat", FILES: "files", INVITE: "invite" });

function controlButton(testid, iconName, label, onclick, extra = {}) {
  return h("button", { type: "button", class: "ctl", testid, label, onclick, ...extra }, icon(iconName));
}

/**
 * Builds the room skeleton inside `root` and wires the controls to `actions`.
 * @returns the elements the renderer updates
 */
export function buildRoom(root, actions) {
  const status = h("p", { class: "room-status", testid: "room-status", role: "status", "aria-live": "polite" });
  const security = h("p", { class: "security-summary", testid: "security-summary" });
  const reconnecting = h("p", { class: "banner", testid: "reconnecting", role: "status", "aria-live": "assertive", hidden: true });
  const stage = h("div", { class: "stage", testid: "stage", dataset: { view: View.GRID } });
  const side = h("aside", { class: "side", testid: "side-panel", hidden: true, "aria-labelledby": "side-title" });
  const sideTitle = h("h2", { id: "side-title", class: "side-title" });
  const sideClose = h("button", { type: "button", class: "ctl small", testid: "side-close", label: "room.closePanel", onclick: () => actions.openPanel(null) }, icon("close"));
  const sideBody = h("div", { class: "side-body" });
  side.append(h("div", { class: "side-head" }, sideTitle, sideClose), sideBody);

  const mic = controlButton("mic", "mic", "call.mute", actions.toggleMic, { "aria-pressed": "false" });
  const camera = controlButton("camera", "camera", "call.cameraOff", actions.toggleCamera, { "aria-pressed": "false" });
  const screen = controlButton("screenshare", "screen", "call.screenStart", actions.toggleScreen, { "aria-pressed": "false" });
  const hand = controlButton("raise-hand", "hand", "call.handUp", actions.toggleHand, { "aria-pressed": "false" });
  const audioOnly = controlButton("audio-only", "headphones", "call.audioOnlyOn", actions.toggleAudioOnly, { "aria-pressed": "false" });
  const people = controlButton("participants-toggle", "people", "room.participants", () => actions.togglePanel(SidePanel.PEOPLE), { "aria-pressed": "false" });
  const peopleCount = h("span", { class: "badge", testid: "participant-count" });
  people.append(peopleCount);
  const view = controlButton("view-toggle", "speaker", "room.speakerView", actions.toggleView);
  const invite = controlButton("invite-toggle", "link", "invite.title", () => actions.togglePanel(SidePanel.INVITE));
  const securityButton = controlButton("security-toggle", "shield", "room.security", () => actions.togglePanel(SidePanel.SECURITY));
  const chat = controlButton("chat-toggle", "chat", "room.chat", () => actions.togglePanel(SidePanel.CHAT));
  const files = controlButton("files-toggle", "file", "room.files", () => actions.togglePanel(SidePanel.FILES));
  const devices = controlButton("devices-toggle", "settings", "room.devices", () => actions.togglePanel(SidePanel.DEVICES));
  const stats = controlButton("stats-toggle", "stats", "room.stats", () => actions.togglePanel(SidePanel.STATS));
  const fullscreen = controlButton("fullscreen", "fullscreen", "room.fullscreen", actions.toggleFullscreen);
  const leave = h("button", { type: "button", class: "ctl leave", testid: "leave", label: "room.leave", onclick: actions.leave }, icon("leave"));
  const help = h("button", { type: "button", class: "ctl small", testid: "shortcuts-toggle", label: "shortcuts.title", onclick: actions.toggleShortcuts }, icon("help"));

  const controls = h("div", { class: "controls", testid: "controls", role: "toolbar", label: "room.controls" },
    h("div", { class: "group" }, mic, camera, screen, hand, audioOnly),
    h("div", { class: "group" }, people, securityButton, chat, files, invite, view, devices, stats, fullscreen, help),
    h("div", { class: "group" }, leave));

  const shortcuts = h("dialog", { class: "dialog", testid: "shortcuts-help", "aria-labelledby": "shortcuts-title" });

  root.replaceChildren(
    h("div", { class: "room-top" }, h("div", { class: "room-info" }, security, status)),
    reconnecting,
    h("div", { class: "room-body" }, stage, side),
    controls,
    shortcuts);
  return { status, security, reconnecting, stage, side, sideTitle, sideBody, mic, camera, screen, hand, audioOnly, people, peopleCount, view, invite, securityButton, chat, files, devices, stats, fullscreen, leave, shortcuts, controls };
}

/**
 * One tile per person (self included): video(s), the name, mute / hand / quality indicators.
 * Media elements keep the test ids video-<id>-<source> and audio-<id>-mic.
 */
export function ensureTile(stage, person) {
  let tile = stage.querySelector(`[data-participant="${CSS.escape(person.id)}"]`);
  if (!tile) {
    const name = h("span", { class: "name", testid: "tile-name" });
    const muted = h("span", { class: "ind muted", testid: "tile-muted", hidden: true }, icon("micOff"));
    const handUp = h("span", { class: "ind hand", testid: "tile-hand", hidden: true }, icon("hand"));
    const quality = h("span", { class: "quality", testid: "tile-quality" }, h("i"), h("i"), h("i"));
    const placeholder = h("div", { class: "avatar", "aria-hidden": "true" });
    tile = h("figure", {
      class: "tile", testid: "participant-tile", tabindex: "0",
      dataset: { participant: person.id, self: String(person.self) },
      ondblclick: () => tile.dispatchEvent(new CustomEvent("pin", { bubbles: true, detail: person.id })),
      onkeydown: (e) => { if (e.key === "Enter") tile.dispatchEvent(new CustomEvent("pin", { bubbles: true, detail: person.id })); },
    }, placeholder, h("figcaption", { class: "caption" }, muted, handUp, name, quality));
    stage.append(tile);
  }
  return tile;
}

/** Updates a tile's caption and indicators from the person's model. */
export function renderTile(tile, person) {
  tile.querySelector(".name").textContent = person.self ? t("room.youName", { name: person.name }) : person.name;
  const avatar = tile.querySelector(".avatar");
  avatar.textContent = [...person.name.trim()][0]?.toUpperCase() ?? "";
  const muted = tile.querySelector('[data-testid="tile-muted"]');
  muted.hidden = person.mic !== false;
  setLabel(muted, "room.isMuted");
  const hand = tile.querySelector('[data-testid="tile-hand"]');
  hand.hidden = !person.hand;
  setLabel(hand, "room.handRaised");
  const quality = tile.querySelector('[data-testid="tile-quality"]');
  quality.dataset.quality = person.quality ?? "unknown";
  quality.hidden = person.self || !person.quality;
  setLabel(quality, `quality.${person.quality ?? "unknown"}`);
  tile.classList.toggle("speaking", Boolean(person.speaking));
  tile.classList.toggle("hand-up", Boolean(person.hand));
  tile.dataset.mic = String(person.mic !== false);
  tile.dataset.hand = String(Boolean(person.hand));
  tile.dataset.camera = String(Boolean(person.hasVideo));
  tile.setAttribute("aria-label", tile.querySelector(".name").textContent);
}

/** The participants list: name, role, state, verification, and the moderator's actions. */
export function renderPeople(body, { people, self, isModerator, knocks, locked, passwordSet }, actions) {
  const list = h("ul", { class: "people", testid: "participants" });
  for (const p of people) {
    const tags = [];
    if (p.self) tags.push(h("span", { class: "tag", i18n: "room.you" }));
    if (p.moderator) tags.push(h("span", { class: "tag", testid: "is-moderator", i18n: "room.moderatorTag" }));
    if (p.mic === false) tags.push(h("span", { class: "tag", testid: "person-muted", i18n: "room.mutedTag" }));
    if (p.hand) tags.push(h("span", { class: "tag hand", testid: "person-hand", i18n: "room.handTag" }));
    if (!p.self && p.verification) tags.push(h("span", { class: `tag v-${p.verification}`, testid: "person-verification", text: t(`verification.${p.verification}`) }));
    const row = h("li", { class: "person", testid: "participant", dataset: { participant: p.id, slot: String(p.slot) } },
      h("span", { class: "person-name", text: p.name }), h("span", { class: "tags" }, tags));
    if (isModerator && !p.self) {
      row.append(h("button", { type: "button", class: "small danger", testid: "mod-remove", onclick: () => actions.remove(p) }, h("span", { i18n: "mod.remove" })));
    }
    list.append(row);
  }
  const parts = [list];
  if (isModerator) {
    const knockList = h("ul", { class: "knocks", testid: "knocks" });
    for (const k of knocks) {
      knockList.append(h("li", { class: "knock", testid: "knock", dataset: { participant: k.id } },
        h("span", { class: "knock-name", testid: "knock-name", text: k.name }),
        h("button", { type: "button", class: "small primary", testid: "knock-admit", onclick: () => actions.admit(k) }, h("span", { i18n: "mod.admit" })),
        h("button", { type: "button", class: "small", testid: "knock-deny", onclick: () => actions.deny(k) }, h("span", { i18n: "mod.deny" }))));
    }
    const password = h("input", { type: "password", testid: "mod-password", autocomplete: "new-password", maxlength: "256", label: "mod.passwordLabel", placeholder: t("mod.passwordLabel") });
    parts.push(
      h("h3", { i18n: "mod.title" }),
      knocks.length ? h("div", {}, h("p", { class: "notice warn", text: t("mod.knocking", { n: knocks.length }) }), knockList) : h("p", { class: "hint", i18n: "mod.noKnocks" }),
      h("label", { class: "check" },
        h("input", { type: "checkbox", testid: "mod-lock", checked: locked, dataset: { locked: String(locked) }, onchange: (e) => actions.lock(e.target.checked) }),
        h("span", { i18n: "mod.lock" })),
      h("form", { class: "row", testid: "mod-password-form", onsubmit: (e) => { e.preventDefault(); actions.setPassword(password.value || null); password.value = ""; } },
        password,
        h("button", { type: "submit", class: "small", testid: "mod-password-set" }, h("span", { i18n: "mod.setPassword" })),
        passwordSet ? h("button", { type: "button", class: "small", testid: "mod-password-clear", onclick: () => actions.setPassword(null) }, h("span", { i18n: "mod.clearPassword" })) : null),
      h("p", { class: "hint", testid: "mod-password-state", i18n: passwordSet ? "mod.passwordOn" : "mod.passwordOff" }),
      h("div", { class: "row" },
        h("button", { type: "button", class: "small", testid: "mod-mute-all", onclick: actions.muteAll }, h("span", { i18n: "mod.muteAll" })),
        h("button", { type: "button", class: "small danger", testid: "mod-end", onclick: actions.end }, h("span", { i18n: "mod.end" }))));
  }
  void self;
  body.replaceChildren(...parts);
}

/** Keyboard shortcuts (also listed in the help dialog). */
export const SHORTCUTS = Object.freeze([
  ["m", "shortcuts.mic"],
  ["v", "shortcuts.camera"],
  ["d", "shortcuts.screen"],
  ["r", "shortcuts.hand"],
  ["w", "shortcuts.view"],
  ["p", "shortcuts.people"],
  ["f", "shortcuts.fullscreen"],
  ["?", "shortcuts.help"],
]);

export function renderShortcuts(dialog, close) {
  dialog.replaceChildren(
    h("h2", { id: "shortcuts-title", i18n: "shortcuts.title" }),
    h("dl", { class: "shortcuts" }, SHORTCUTS.flatMap(([key, label]) => [h("dt", {}, h("kbd", { text: key.toUpperCase() })), h("dd", { i18n: label })])),
    h("button", { type: "button", testid: "shortcuts-close", onclick: close }, h("span", { i18n: "room.closePanel" })));
}

/** Controls reflect the local state: pressed states, labels that say what a click will do. */
export function renderControls(els, s) {
  els.mic.replaceChildren(icon(s.micOn ? "mic" : "micOff"));
  setLabel(els.mic, s.micOn ? "call.mute" : "call.unmute");
  els.mic.setAttribute("aria-pressed", String(!s.micOn));
  els.mic.classList.toggle("off", !s.micOn);
  els.camera.replaceChildren(icon(s.cameraOn ? "camera" : "cameraOff"));
  setLabel(els.camera, s.cameraOn ? "call.cameraOff" : "call.cameraOn");
  els.camera.setAttribute("aria-pressed", String(!s.cameraOn));
  els.camera.classList.toggle("off", !s.cameraOn);
  setLabel(els.screen, s.sharing ? "call.screenStop" : "call.screenStart");
  els.screen.setAttribute("aria-pressed", String(s.sharing));
  els.screen.classList.toggle("on", s.sharing);
  setLabel(els.hand, s.hand ? "call.handDown" : "call.handUp");
  els.hand.setAttribute("aria-pressed", String(s.hand));
  els.hand.classList.toggle("on", s.hand);
  setLabel(els.view, s.view === View.GRID ? "room.speakerView" : "room.gridView");
  els.view.replaceChildren(icon(s.view === View.GRID ? "speaker" : "grid"));
  setLabel(els.fullscreen, document.fullscreenElement ? "room.exitFullscreen" : "room.fullscreen");
  for (const el of [els.mic, els.camera, els.screen]) el.disabled = s.busy || !s.inCall;
  els.screen.hidden = !navigator.mediaDevices?.getDisplayMedia; // phones cannot share their screen
  els.hand.disabled = !s.inCall;
  // Audio only (docs/media.md "Weak links"): the SFU sends this page no video at all.
  setLabel(els.audioOnly, s.audioOnly ? "call.audioOnlyOff" : "call.audioOnlyOn");
  els.audioOnly.setAttribute("aria-pressed", String(s.audioOnly));
  els.audioOnly.classList.toggle("on", s.audioOnly);
  els.audioOnly.disabled = !s.inCall;
  els.people.setAttribute("aria-pressed", String(s.panel === SidePanel.PEOPLE));
  els.peopleCount.textContent = String(s.count);
  els.invite.hidden = s.sharing || !s.canInvite; // §S2: no link on screen while sharing
  for (const [el, panel] of [[els.securityButton, SidePanel.SECURITY], [els.chat, SidePanel.CHAT], [els.files, SidePanel.FILES]]) {
    el.hidden = !s.panels.has(panel);
    el.setAttribute("aria-pressed", String(s.panel === panel));
  }
  setText(els.sideTitle, s.panel ? `panel.${s.panel}` : "room.participants");
}
