// The files panel (E2EE-SPEC §S10): a file is offered to each chosen receiver separately (a fresh
// key each); nothing but the offer leaves until that receiver clicks "Accept"; "Save" appears only
// after every chunk, the size and the SHA-256 checked out, and only a click writes anything to
// disk (DESIGN.md §1.4). Risky types carry a warning; names render as text.

import { t } from "../../i18n/i18n.js";
import { el, formatSize, replaceIfChanged } from "./dom.js";

const SAVE_URL_LIFETIME_MS = 60_000;

export class FilesPanel {
  #session;
  #receivers;
  #outgoing;
  #incoming;
  #status;
  #input;
  /** ids the user unticked (everyone else established is a receiver by default) */
  #unticked = new Set();

  constructor(container, session) {
    this.#session = session;
    this.#input = el("input", { type: "file", id: "file-input", testid: "file-input" });
    this.#receivers = el("ul", { class: "file-receivers", testid: "file-receivers" });
    this.#status = el("p", { class: "hint", testid: "file-status", role: "status" });
    this.#outgoing = el("ul", { class: "file-list", testid: "file-outgoing" });
    this.#incoming = el("ul", { class: "file-list", testid: "file-incoming" });
    container.append(el("section", { class: "panel", testid: "files-panel" },
      el("h2", { "data-i18n": "files.title", text: t("files.title") }),
      el("label", { for: "file-input", "data-i18n": "files.choose", text: t("files.choose") }), this.#input,
      this.#receivers,
      el("button", { type: "button", testid: "file-offer", "data-i18n": "files.offer", text: t("files.offer"), onclick: () => this.#offer() }),
      this.#status,
      el("h3", { "data-i18n": "files.sent", text: t("files.sent") }), this.#outgoing,
      el("h3", { "data-i18n": "files.received", text: t("files.received") }), this.#incoming,
      el("p", { class: "hint", "data-i18n": "files.hint", text: t("files.hint") })));
  }

  #receiverIds() {
    const p = this.#session.participant;
    if (!p) return [];
    return [...p.peers.keys()].filter((id) => !["connecting", "failed", "left"].includes(p.peerStatus(id)?.status));
  }

  async #offer() {
    const p = this.#session.participant;
    const file = this.#input.files?.[0];
    if (!p || !file) return;
    if (file.size > p.config.fileSizeLimit) {
      this.#status.textContent = t("files.tooLargeToSend", { limit: formatSize(p.config.fileSizeLimit) });
      return;
    }
    const to = this.#receiverIds().filter((id) => !this.#unticked.has(id));
    if (to.length === 0) {
      this.#status.textContent = t("files.nobody");
      return;
    }
    const fids = await this.#session.offerFile(to, { name: file.name, type: file.type || "application/octet-stream", data: file });
    this.#status.textContent = t("files.offered", { n: fids.length });
    this.#input.value = "";
  }

  #save(from, fid, name) {
    // Only on this click, only after every check (§S10); always application/octet-stream.
    const blob = this.#session.fileBlob(from, fid);
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    el("a", { href: url, download: name }).click();
    setTimeout(() => URL.revokeObjectURL(url), SAVE_URL_LIFETIME_MS);
  }

  render() {
    const s = this.#session;
    const p = s.participant;
    const names = p?.displayNames() ?? new Map();
    const nameOf = (id) => names.get(id) || t("e2ee.unnamed");

    replaceIfChanged(this.#receivers, this.#receiverIds().map((id) => {
      const box = el("input", {
        type: "checkbox", testid: `file-to-${id}`, checked: !this.#unticked.has(id),
        onchange: (e) => (e.target.checked ? this.#unticked.delete(id) : this.#unticked.add(id)),
      });
      return el("li", {}, el("label", {}, box, " ", nameOf(id)));
    }));

    replaceIfChanged(this.#outgoing, s.outgoing.map((o) => {
      const state = p?.outgoingFile(o.fid)?.state ?? "cancelled";
      return el("li", { testid: "file-outgoing-item", "data-fid": o.fid, "data-state": state },
        el("span", { class: "file-name", text: o.name }), " → ", nameOf(o.to), " — ",
        el("span", { testid: "file-outgoing-state", text: t(`files.out.${state}`) }));
    }));

    replaceIfChanged(this.#incoming, [...s.incoming.values()].map((f) => {
      const live = p?.incomingFile(f.from, f.fid);
      const state = live?.state ?? f.state;
      const row = el("li", { testid: "file-incoming-item", "data-fid": f.fid, "data-from": f.from, "data-state": state },
        el("span", { class: "file-name", testid: "file-name", text: f.name }), ` (${formatSize(f.size)}) `, t("files.from", { name: nameOf(f.from) }));
      if (f.risky) row.append(el("p", { class: "notice warn", testid: "file-risky", text: t("files.risky") }));
      if (state === "offered") {
        row.append(
          el("button", { type: "button", testid: "file-accept", text: t("files.accept"), onclick: () => s.acceptFile(f.from, f.fid) }),
          el("button", { type: "button", testid: "file-decline", text: t("files.decline"), onclick: () => s.declineFile(f.from, f.fid) }));
      } else if (state === "receiving") {
        row.append(el("span", { testid: "file-progress", text: ` ${formatSize(live?.received ?? 0)} / ${formatSize(f.size)}` }));
      } else if (state === "complete") {
        row.append(el("button", { type: "button", testid: "file-save", text: t("files.save"), onclick: () => this.#save(f.from, f.fid, f.name) }));
      } else {
        const reason = state === "failed" ? t(`files.failure.${live?.failure ?? f.failure}`) : "";
        row.append(el("span", { testid: "file-state", text: ` ${t(`files.in.${state}`)} ${reason}` }));
      }
      return row;
    }));
  }
}
