// The stats panel (getStats, refreshed every second while open): per remote track bitrate, loss,
// resolution and frame rate; our own send bitrate and the round-trip time to the server. And the
// per-participant connection quality shown on the tiles, from the loss of their tracks.
import { t } from "../i18n/i18n.js";
import { h } from "./dom.js";

const REFRESH_MS = 1000;

/**
 * Connection quality per owner from two subscribe-stats samples: packet loss over the interval
 * (good < 2 %, fair < 8 %, else poor); a track that received nothing in the interval is poor.
 * @param {{tracks: object[]}} sample subscribeStats() output
 * @param {Map<string, {level: string, counters: object}>} previous the last result
 * @returns {Map<string, {level: string, counters: object}>}
 */
export function qualityOf(sample, previous) {
  const totals = new Map();
  for (const track of sample.tracks ?? []) {
    const owner = totals.get(track.owner) ?? { received: 0, lost: 0 };
    owner.received += track.packetsReceived ?? 0;
    owner.lost += Math.max(0, track.packetsLost ?? 0);
    totals.set(track.owner, owner);
  }
  const out = new Map();
  for (const [owner, now] of totals) {
    const before = previous.get(owner)?.counters;
    let level = "good";
    if (before) {
      const received = now.received - before.received;
      const lost = now.lost - before.lost;
      const loss = received + lost > 0 ? lost / (received + lost) : 1;
      level = received === 0 ? "poor" : loss < 0.02 ? "good" : loss < 0.08 ? "fair" : "poor";
    }
    out.set(owner, { level, counters: now });
  }
  return out;
}

export class StatsPanel {
  #source;
  #body = null;
  #timer = 0;
  #last = new Map();

  /** @param {() => {publisher: object, subscriber: object, people: Map<string, object>}} source */
  constructor(source) {
    this.#source = source;
  }

  mount(body) {
    if (this.#body === body && this.#timer) return;
    this.unmount();
    this.#body = body;
    body.replaceChildren(h("p", { class: "hint", i18n: "stats.loading" }));
    this.#refresh();
    this.#timer = setInterval(() => this.#refresh(), REFRESH_MS);
  }

  unmount() {
    clearInterval(this.#timer);
    this.#timer = 0;
    this.#body = null;
  }

  async #refresh() {
    const { publisher, subscriber, people } = this.#source();
    const body = this.#body;
    if (!body) return;
    const now = performance.now();
    const rows = [];
    let rtt = null;
    let sent = 0;
    if (publisher) {
      const report = await publisher.pc.getStats();
      for (const s of report.values()) {
        if (s.type === "candidate-pair" && s.nominated && s.currentRoundTripTime !== undefined) rtt = s.currentRoundTripTime;
        if (s.type === "outbound-rtp") sent += s.bytesSent ?? 0;
      }
    }
    const sendRate = this.#rate("send", sent, now);
    for (const remote of subscriber?.remoteTracks() ?? []) {
      const report = await remote.receiver.getStats();
      let inbound = null;
      for (const s of report.values()) if (s.type === "inbound-rtp") inbound = s;
      if (!inbound) continue;
      const key = `${remote.owner}/${remote.source}`;
      const received = inbound.packetsReceived ?? 0;
      const lost = Math.max(0, inbound.packetsLost ?? 0);
      rows.push({
        who: people.get(remote.owner)?.name ?? remote.owner,
        source: remote.source,
        kbps: this.#rate(key, inbound.bytesReceived ?? 0, now),
        loss: received + lost > 0 ? (100 * lost) / (received + lost) : 0,
        size: inbound.frameWidth ? `${inbound.frameWidth}×${inbound.frameHeight}` : "",
        fps: inbound.framesPerSecond ?? null,
      });
    }
    if (this.#body !== body) return;
    const table = h("table", { class: "stats", testid: "stats-table" },
      h("thead", {}, h("tr", {}, ["stats.who", "stats.source", "stats.bitrate", "stats.loss", "stats.resolution"].map((k) => h("th", { scope: "col", i18n: k })))),
      h("tbody", {}, rows.map((r) => h("tr", { testid: "stats-row" },
        h("td", { text: r.who }),
        h("td", { text: t(`source.${r.source}`) }),
        h("td", { text: t("stats.kbps", { n: r.kbps }) }),
        h("td", { text: t("stats.percent", { n: r.loss.toFixed(1) }) }),
        h("td", { text: r.size + (r.fps ? t("stats.fps", { n: Math.round(r.fps) }) : "") })))));
    body.replaceChildren(
      h("dl", { class: "stats-summary" },
        h("dt", { i18n: "stats.rtt" }), h("dd", { testid: "stats-rtt", text: rtt === null ? t("stats.none") : t("stats.ms", { n: Math.round(rtt * 1000) }) }),
        h("dt", { i18n: "stats.sending" }), h("dd", { testid: "stats-send", text: t("stats.kbps", { n: sendRate }) })),
      rows.length ? table : h("p", { class: "hint", i18n: "stats.noRemote" }));
  }

  /** kbit/s from a byte counter since the last refresh. */
  #rate(key, bytes, now) {
    const last = this.#last.get(key);
    this.#last.set(key, { bytes, at: now });
    if (!last || now <= last.at) return 0;
    return Math.max(0, Math.round(((bytes - last.bytes) * 8) / (now - last.at)));
  }
}
