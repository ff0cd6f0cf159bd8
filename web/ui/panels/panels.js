// The end-to-end panels of the call page: security (with the pair dialog and room code), chat and
// files. mountPanels builds them once; render() refreshes what changed (on every session change).

import { ChatPanel } from "./chat-panel.js";
import { FilesPanel } from "./files-panel.js";
import { SecurityPanel } from "./security-panel.js";

/**
 * @param {HTMLElement} container
 * @param {import("../../call/e2ee-session.js").E2eeSession} session
 * @param {{link: {secret: Uint8Array|null}}} context
 * @returns {{render(): void}}
 */
export function mountPanels(container, session, { link }) {
  const panels = [new SecurityPanel(container, session, { link }), new ChatPanel(container, session), new FilesPanel(container, session)];
  return {
    render() {
      for (const panel of panels) panel.render();
    },
  };
}
