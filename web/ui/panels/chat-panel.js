// The chat panel (E2EE-SPEC §S9): one `chat` message per established peer over the pairwise
// channels; lines render as text only, with how many people each of mine went to.

import { t } from "../../i18n/i18n.js";
import { CHAT_MAX } from "../../e2ee/participant.js";
import { el, replaceIfChanged } from "./dom.js";

export class ChatPanel {
  #session;
  #log;
  #status;

  constructor(container, session) {
    this.#session = session;
    this.#log = el("ol", { class: "chat-log", testid: "chat-log", "aria-live": "polite" });
    this.#status = el("p", { class: "hint", testid: "chat-status", role: "status" });
    const input = el("input", { id: "chat-input", testid: "chat-input", maxlength: String(CHAT_MAX), autocomplete: "off" });
    const form = el("form", {
      class: "row", testid: "chat-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const text = input.value;
        if (text.trim() === "") return;
        input.value = "";
        try {
          await session.sendChat(text);
        } catch {
          input.value = text;
          this.#status.textContent = t("chat.failed");
        }
      },
    },
    el("label", { for: "chat-input", class: "visually-hidden", "data-i18n": "chat.label", text: t("chat.label") }),
    input,
    el("button", { type: "submit", testid: "chat-send", "data-i18n": "chat.send", text: t("chat.send") }));
    container.append(el("section", { class: "panel", testid: "chat-panel" },
      el("h2", { "data-i18n": "chat.title", text: t("chat.title") }), this.#log, form, this.#status,
      el("p", { class: "hint", "data-i18n": "chat.hint", text: t("chat.hint") })));
  }

  render() {
    const s = this.#session;
    const names = s.participant?.displayNames() ?? new Map();
    const lines = s.chat.map((line) => el("li", { class: line.mine ? "mine" : "", testid: "chat-line", "data-from": line.from },
      el("span", { class: "chat-from", testid: "chat-from", text: line.mine ? t("room.you") : (names.get(line.from) || t("e2ee.unnamed")) }), ": ",
      el("span", { class: "chat-text", testid: "chat-text", text: line.text }),
      line.mine ? el("span", { class: "hint", testid: "chat-sent-to", "data-count": String(line.to), text: " " + t("chat.sentTo", { n: line.to }) }) : null));
    replaceIfChanged(this.#log, lines);
  }
}
