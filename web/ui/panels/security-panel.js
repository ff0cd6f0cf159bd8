// The security panel (E2EE-SPEC §S13): "Encrypted", protected by link or not, how many people can
// decrypt what I send, my display name, one row per participant with its verification state and
// the exact failure reason, the pair dialog (7 emoji with their names in the page's language), the
// room code after its commit-then-reveal round (§S8), link rotation (§S11) and alarms.

import { language, t } from "../../i18n/i18n.js";
import { NAME_MAX } from "../../e2ee/participant.js";
import { el, replaceIfChanged } from "./dom.js";

/** The bundled image of SAS emoji n (web/ui/emoji: the same glyph on every screen, §S4.6). */
const EMOJI_IMAGES = new URL("../emoji/", import.meta.url);

/** The emoji of a code with the name in the page's language (the Russian overrides of §S4.6 included). */
function emojiList(testid, emoji) {
  const lang = language() === "ru" ? "ru" : "en";
  return el("ol", { class: "emoji-code", testid },
    ...emoji.map((e) => el("li", { testid: `${testid}-item`, "data-number": String(e.number) },
      el("img", { class: "emoji", src: new URL(`${e.number}.svg`, EMOJI_IMAGES).pathname, alt: e.emoji, width: "48", height: "48" }),
      el("span", { class: "emoji-name", text: e[lang] }))));
}

export class SecurityPanel {
  #session;
  #link;
  #root;
  #dynamic;
  #dialog;
  /** the peer id the pair dialog shows, or null */
  #pairWith = null;

  constructor(container, session, { link }) {
    this.#session = session;
    this.#link = link;
    const nameInput = el("input", { id: "display-name", testid: "display-name", maxlength: String(NAME_MAX), autocomplete: "off" });
    const nameForm = el("form", {
      class: "row", testid: "display-name-form",
      onsubmit: (e) => {
        e.preventDefault();
        session.setName(nameInput.value.trim());
      },
    },
    el("label", { for: "display-name", "data-i18n": "e2ee.yourName", text: t("e2ee.yourName") }),
    nameInput,
    el("button", { type: "submit", testid: "display-name-save", "data-i18n": "e2ee.saveName", text: t("e2ee.saveName") }));
    this.#dynamic = el("div");
    this.#dialog = el("dialog", { class: "pair-dialog", testid: "pair-dialog" });
    this.#root = el("section", { class: "panel", testid: "security-panel" },
      el("h2", { "data-i18n": "e2ee.security", text: t("e2ee.security") }), nameForm, this.#dynamic, this.#dialog);
    this.nameInput = nameInput;
    container.append(this.#root);
  }

  render() {
    const s = this.#session;
    const p = s.participant;
    const protectedByLink = p ? p.protectedByLink : this.#link.secret !== null;
    const names = p ? p.displayNames() : new Map();
    const nameOf = (id) => names.get(id) || t("e2ee.unnamed");

    const parts = [
      el("p", { class: "notice ok", testid: "e2ee-encrypted", text: t("e2ee.encrypted") }),
      el("p", {
        class: `notice ${protectedByLink ? "ok" : "warn"}`, testid: "e2ee-link-protection",
        "data-protected": String(protectedByLink), text: t(protectedByLink ? "e2ee.protected" : "e2ee.notProtected"),
      }),
      el("p", { testid: "e2ee-decryptors", "data-count": String(p?.decryptorCount ?? 0), text: t("e2ee.decryptors", { n: p?.decryptorCount ?? 0 }) }),
    ];

    // One row per participant (§S13), names as text.
    const rows = [];
    for (const id of p ? p.peers.keys() : []) {
      const status = p.peerStatus(id);
      if (!status || status.status === "left") continue;
      const label = status.status === "failed" ? t("e2ee.status.failed", { reason: t(`e2ee.reason.${status.reason}`) }) : t(`e2ee.status.${status.status}`);
      const established = !["connecting", "failed"].includes(status.status);
      rows.push(el("li", { testid: `peer-${id}`, "data-status": status.status, "data-reason": status.reason ?? "" },
        el("span", { class: "peer-name", testid: `peer-name-${id}`, text: nameOf(id) }), " — ",
        el("span", { class: `peer-status ${status.status}`, testid: `peer-status-${id}`, text: label }), " ",
        established ? el("button", { type: "button", testid: `compare-${id}`, text: t("e2ee.compare"), onclick: () => this.#openPair(id) }) : null,
        status.status === "failed" && status.reason !== "KEY_CHANGED"
          ? el("button", { type: "button", testid: `retry-${id}`, text: t("e2ee.retry"), onclick: () => s.retryPeer(id) }) : null));
    }
    parts.push(el("h3", { text: t("e2ee.people") }), el("ul", { class: "peer-list", testid: "security-peers" }, ...rows));

    // The room code (§S8): shown only after every commit and reveal checked out.
    const code = p?.roomCode;
    const roomCode = el("div", { class: "room-code", testid: "room-code" }, el("h3", { text: t("e2ee.roomCode") }));
    if (code) {
      const people = code.ids.map((id) => (id === p.selfId ? (p.name || t("room.you")) : nameOf(id))).join(", ");
      roomCode.append(
        emojiList("room-code-emoji", code.emoji),
        el("p", { testid: "room-code-people", "data-n": String(code.n), text: t("e2ee.roomCodePeople", { n: code.n, names: people }) }),
        el("p", { class: "hint", text: t("e2ee.roomCodeHint") }),
        el("button", { type: "button", testid: "room-code-confirm", text: t("e2ee.everyoneConfirmed"), onclick: () => s.confirmRoomCode() }));
    } else if (s.roomCodeStuck) {
      const waiting = s.roomCodeStuck.waiting.map(nameOf).join(", ");
      const different = s.roomCodeStuck.different.map(nameOf).join(", ");
      roomCode.append(el("p", { class: "notice warn", testid: "room-code-stuck",
        text: [waiting && t("e2ee.roomCodeWaiting", { names: waiting }), different && t("e2ee.roomCodeDifferent", { names: different })].filter(Boolean).join(" ") }));
    } else {
      roomCode.append(el("p", { class: "hint", testid: "room-code-pending", text: t("e2ee.roomCodePending") }));
    }
    parts.push(roomCode);

    // Rotate link (§S11).
    if (s.rotated) {
      const by = s.rotated.by === p?.selfId ? t("room.you") : nameOf(s.rotated.by);
      parts.push(el("p", { class: "notice warn", testid: "link-rotated", text: t("e2ee.linkRotated", { name: by }) }));
    }
    parts.push(el("button", { type: "button", testid: "rotate-link", text: t("e2ee.rotateLink"), disabled: !p, onclick: () => s.rotateLink() }));

    if (s.alarms.length > 0) {
      parts.push(el("ul", { class: "alarms", testid: "e2ee-alarms" },
        ...s.alarms.map((a) => el("li", { class: "notice bad", "data-reason": a.reason, text: t(`e2ee.alarm.${a.reason}`, { name: nameOf(a.id) }) }))));
    }
    parts.push(el("p", { class: "hint", testid: "e2ee-limits", text: t("e2ee.limits") }));
    replaceIfChanged(this.#dynamic, parts);
    this.#renderDialog();
  }

  #openPair(id) {
    this.#pairWith = id;
    this.#renderDialog();
    if (!this.#dialog.open) this.#dialog.showModal();
  }

  #renderDialog() {
    const p = this.#session.participant;
    const id = this.#pairWith;
    const emoji = id && p ? p.sasWith(id) : null;
    if (!emoji) {
      if (this.#dialog.open) this.#dialog.close();
      this.#dialog.replaceChildren();
      return;
    }
    const close = () => {
      this.#pairWith = null;
      this.#dialog.close();
    };
    const answer = (match) => async () => {
      await this.#session.confirmSas(id, match);
      close();
    };
    const them = p.displayNames().get(id) || t("e2ee.unnamed");
    replaceIfChanged(this.#dialog, [
      el("h3", { testid: "pair-names", text: t("e2ee.pairTitle", { me: p.name || t("room.you"), them }) }),
      emojiList("pair-emoji", emoji),
      el("p", { class: "hint", text: t("e2ee.pairHint") }),
      el("div", { class: "row" },
        el("button", { type: "button", testid: "pair-match", text: t("e2ee.match"), onclick: answer(true) }),
        el("button", { type: "button", testid: "pair-mismatch", text: t("e2ee.mismatch"), onclick: answer(false) }),
        el("button", { type: "button", testid: "pair-close", text: t("e2ee.close"), onclick: close }))]);
  }
}
