// Quality that adapts, the client's half (docs/protocol.md "media-settings", docs/media.md "Allocation"):
// tell the SFU how each remote video is shown (tile size in device pixels, or hidden) so it never
// sends more than the tile needs; choose audio only; pin people (an exception to last-N); follow the
// server's dominant-speaker and low-bandwidth events; stop encoding simulcast layers nobody needs.
// The room UI calls observe()/unobserve() for its <video> elements and handle() for server messages.

export const AdaptationMessage = Object.freeze({
  MEDIA_SETTINGS: "media-settings",
  DOMINANT_SPEAKER: "dominant-speaker",
  BANDWIDTH: "bandwidth",
  PUBLISH_LAYERS: "publish-layers",
});

/** Speaking: RMS level (0–1) above which a 50 ms frame counts as voice, and how long a pause may last. */
const SPEECH_LEVEL = 0.02;
const SPEECH_HANGOVER_MS = 400;
const SPEECH_FRAME_MS = 50;

/**
 * Whether a speaking state should change: voice starts it at once; it ends only after
 * SPEECH_HANGOVER_MS without voice (pauses between words do not end it).
 * @returns {boolean} the new state
 */
export function nextSpeaking(speaking, level, msSinceVoice) {
  if (level >= SPEECH_LEVEL) return true;
  return speaking && msSinceVoice < SPEECH_HANGOVER_MS;
}

/** Reports are coalesced: a window resize fires many observer callbacks. */
const REPORT_DELAY_MS = 200;
/** Sizes are rounded so small layout jitter does not send a report. */
const SIZE_STEP = 16;

/**
 * How the SFU should treat one tile: hidden (off screen, display:none, zero size) or its size in
 * device pixels rounded up to SIZE_STEP.
 * @param {{width: number, height: number}} box CSS pixels
 * @param {boolean} visible
 * @param {number} devicePixelRatio
 */
export function viewOf(box, visible, devicePixelRatio = 1) {
  if (!visible || !(box.width > 0) || !(box.height > 0)) return { hidden: true };
  const round = (v) => Math.min(16384, Math.ceil((v * devicePixelRatio) / SIZE_STEP) * SIZE_STEP);
  return { width: round(box.width), height: round(box.height) };
}

/** The `views` entries that changed since `sent` (mid → view), as the wire wants them. */
export function changedViews(current, sent) {
  const out = [];
  for (const [mid, view] of current) {
    const before = sent.get(mid);
    if (before && before.hidden === view.hidden && before.width === view.width && before.height === view.height) continue;
    out.push(view.hidden ? { mid, hidden: true } : { mid, width: view.width, height: view.height });
  }
  return out;
}

/**
 * The encodings a sender should keep active when the SFU says only `rids` are needed. A sender
 * with no rids (no simulcast) is left alone; the lowest layer always stays on.
 */
export function activeEncodings(encodings, rids) {
  const wanted = new Set(rids);
  return encodings.map((e, i) => ({ ...e, active: e.rid === undefined || i === 0 || wanted.has(e.rid) }));
}

export class Adaptation extends EventTarget {
  #signaling;
  /** @type {Map<Element, string>} video element → subscribe mid */
  #elements = new Map();
  /** @type {Map<string, {hidden?: boolean, width?: number, height?: number}>} */
  #views = new Map();
  #sent = new Map();
  #visible = new WeakMap();
  #timer = null;
  #resize = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => this.#schedule());
  #intersect = typeof IntersectionObserver === "undefined" ? null : new IntersectionObserver((entries) => {
    for (const entry of entries) this.#visible.set(entry.target, entry.isIntersecting);
    this.#schedule();
  });

  /** The room's dominant speaker (participant id) or null. */
  dominantSpeaker = null;
  /** True while the SFU pauses some videos for lack of downlink bandwidth. */
  lowBandwidth = false;
  /** @type {Set<string>} subscribe mids paused for bandwidth */
  pausedMids = new Set();
  audioOnly = false;

  /** @param {{send(message: object): void}} signaling */
  constructor(signaling) {
    super();
    this.#signaling = signaling;
  }

  /** Starts reporting the size and visibility of `element`, which shows subscribe m-line `mid`. */
  observe(element, mid) {
    if (this.#elements.get(element) === mid) return;
    this.#elements.set(element, mid);
    this.#visible.set(element, true);
    this.#resize?.observe(element);
    this.#intersect?.observe(element);
    this.#schedule();
  }

  /** Stops reporting `element` (removed from the page). */
  unobserve(element) {
    const mid = this.#elements.get(element);
    if (mid === undefined) return;
    this.#elements.delete(element);
    this.#resize?.unobserve(element);
    this.#intersect?.unobserve(element);
    this.#views.delete(mid);
    this.#sent.delete(mid);
  }

  /** Audio only: the SFU sends no video at all (a person's choice on a weak link). */
  setAudioOnly(on) {
    this.audioOnly = Boolean(on);
    this.#signaling.send({ type: AdaptationMessage.MEDIA_SETTINGS, audioOnly: this.audioOnly });
  }

  /**
   * Tells the SFU whether our microphone carries speech (media-settings.speaking) — the same
   * information Opus DTX would give away, but it works with CBR Opus, which keeps packet sizes from
   * leaking what is said. Measured locally on the (unencrypted) track; a disabled track is silence.
   */
  watchMicrophone(track) {
    if (this.#micTrack === track) return;
    this.#stopMicrophone();
    if (!track || typeof AudioContext === "undefined") return;
    this.#micTrack = track;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let speaking = false;
    // Say so from the start: a microphone that never reports counts by its packet flow alone.
    this.#signaling.send({ type: AdaptationMessage.MEDIA_SETTINGS, speaking });
    let lastVoice = -Infinity;
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const v of samples) sum += v * v;
      const level = track.enabled && track.readyState === "live" ? Math.sqrt(sum / samples.length) : 0;
      const now = performance.now();
      if (level >= SPEECH_LEVEL) lastVoice = now;
      const next = nextSpeaking(speaking, level, now - lastVoice);
      if (next !== speaking) {
        speaking = next;
        this.#signaling.send({ type: AdaptationMessage.MEDIA_SETTINGS, speaking });
      }
    }, SPEECH_FRAME_MS);
    this.#stopMicrophone = () => {
      clearInterval(timer);
      context.close().catch(() => {});
      this.#micTrack = null;
      this.#stopMicrophone = () => {};
    };
  }

  #micTrack = null;
  #stopMicrophone = () => {};

  /** Participants whose video is always received, whoever speaks (last-N exception). */
  pin(participantIds) {
    this.#signaling.send({ type: AdaptationMessage.MEDIA_SETTINGS, pinned: [...participantIds] });
  }

  /**
   * A server message for this module: dominant-speaker and bandwidth update the state and fire an
   * event of the same name; publish-layers turns encoders off or on through `publisher`.
   * Returns true if the message was one of these.
   */
  handle(message, publisher) {
    switch (message.type) {
      case AdaptationMessage.DOMINANT_SPEAKER:
        this.dominantSpeaker = message.id;
        this.dispatchEvent(new Event(AdaptationMessage.DOMINANT_SPEAKER));
        return true;
      case AdaptationMessage.BANDWIDTH:
        this.lowBandwidth = Boolean(message.low);
        this.pausedMids = new Set(message.paused ?? []);
        this.dispatchEvent(new Event(AdaptationMessage.BANDWIDTH));
        return true;
      case AdaptationMessage.PUBLISH_LAYERS:
        publisher?.setActiveLayers(message.mid, message.rids ?? []).catch(() => {});
        return true;
      default:
        return false;
    }
  }

  /**
   * Marks a participant's tile: `speaking` class for the dominant speaker, and a "low bandwidth"
   * badge (data-testid="low-bandwidth") while one of its videos (`mids`) is paused for bandwidth.
   */
  decorateTile(tile, participantId, mids, label) {
    tile.classList.toggle("speaking", participantId === this.dominantSpeaker);
    const paused = mids.some((mid) => this.pausedMids.has(mid));
    let badge = tile.querySelector('[data-testid="low-bandwidth"]');
    if (paused && !badge) {
      badge = document.createElement("span");
      badge.className = "low-bandwidth";
      badge.dataset.testid = "low-bandwidth";
      badge.textContent = label;
      tile.append(badge);
    } else if (!paused && badge) {
      badge.remove();
    }
  }

  /** Sends the views now (tests and page hide/show can call it; normally it runs on a timer). */
  report() {
    clearTimeout(this.#timer);
    this.#timer = null;
    const dpr = globalThis.devicePixelRatio || 1;
    this.#views.clear();
    for (const [element, mid] of this.#elements) {
      const box = element.getBoundingClientRect();
      const shown = element.isConnected && this.#visible.get(element) !== false && document.visibilityState !== "hidden";
      this.#views.set(mid, viewOf(box, shown, dpr));
    }
    const views = changedViews(this.#views, this.#sent);
    if (views.length === 0) return;
    for (const v of views) this.#sent.set(v.mid, this.#views.get(v.mid));
    this.#signaling.send({ type: AdaptationMessage.MEDIA_SETTINGS, views });
  }

  /** For diagnostics and tests (window.sotto.stats().adaptation): what was last reported and received. */
  snapshot() {
    return {
      views: Object.fromEntries(this.#sent),
      dominantSpeaker: this.dominantSpeaker,
      lowBandwidth: this.lowBandwidth,
      pausedMids: [...this.pausedMids],
      audioOnly: this.audioOnly,
    };
  }

  #schedule() {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => this.report(), REPORT_DELAY_MS);
  }

  close() {
    this.#stopMicrophone();
    clearTimeout(this.#timer);
    this.#resize?.disconnect();
    this.#intersect?.disconnect();
    this.#elements.clear();
  }
}
