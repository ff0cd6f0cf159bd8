// "Invite people": copy the full link and its QR code. The address bar has no fragment any more,
// so the link is rebuilt from memory (fullLink). Both are hidden while the screen is shared (§S2:
// the key is never on screen while sharing it).
import { fullLink } from "../link-state.js";
import { h } from "./dom.js";
import { drawQr } from "./qr.js";
import { toast } from "./screens.js";

/**
 * @param {HTMLElement} container where the block goes
 * @param {() => Uint8Array|null} secret the current link secret (it may rotate, §S11)
 */
export function createInvite(container, secret) {
  const canvas = h("canvas", { class: "qr", testid: "qr-code", role: "img", label: "invite.qrLabel" });
  const copy = h("button", {
    type: "button", testid: "copy-link", class: "primary",
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(link());
        toast("invite.copied");
      } catch {
        toast("invite.copyFailed");
      }
    },
  }, h("span", { i18n: "invite.copy" }));
  const qrToggle = h("button", {
    type: "button", testid: "show-qr", "aria-expanded": "false",
    onclick: () => {
      const show = canvas.hidden;
      canvas.hidden = !show;
      qrToggle.setAttribute("aria-expanded", String(show));
      if (show) drawQr(canvas, link());
    },
  }, h("span", { i18n: "invite.qr" }));
  canvas.hidden = true;
  const block = h("div", { class: "invite-block", testid: "invite" },
    h("p", { class: "hint", i18n: "invite.hint" }),
    h("div", { class: "row" }, copy, qrToggle),
    canvas);
  container.replaceChildren(block);

  function link() {
    return fullLink(globalThis, secret());
  }

  return {
    /** Hide link and QR while sharing the screen. */
    setSharing(sharing) {
      block.hidden = sharing;
      if (sharing) {
        canvas.hidden = true;
        qrToggle.setAttribute("aria-expanded", "false");
      }
    },
    /** Re-draws an open QR (after a link rotation). */
    refresh() {
      if (!canvas.hidden) drawQr(canvas, link());
    },
    link,
  };
}
