// Who is speaking: the decoded audio of each person (after decryption, so the server learns
// nothing new) through a WebAudio analyser, sampled a few times a second. The loudest above a
// threshold, held for a moment, is the active speaker (highlighted; the main tile in speaker view).
const SAMPLE_MS = 250;
const THRESHOLD = 0.02; // RMS of a normal voice at a normal distance is ~0.05–0.2
const HOLD_MS = 1500; // do not flicker between speakers on every pause

export class SpeakerDetector {
  active = null;
  #context = null;
  #nodes = new Map();
  #timer = 0;
  #since = 0;
  #onChange;

  constructor(onChange) {
    this.#onChange = onChange;
  }

  watch(id, track) {
    const existing = this.#nodes.get(id);
    if (existing?.track === track) return;
    existing?.source.disconnect();
    if (!globalThis.AudioContext) return;
    this.#context ??= new AudioContext();
    const source = this.#context.createMediaStreamSource(new MediaStream([track]));
    const analyser = this.#context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    this.#nodes.set(id, { track, source, analyser, samples: new Float32Array(analyser.fftSize) });
    this.#timer ||= setInterval(() => this.#sample(), SAMPLE_MS);
  }

  unwatch(id) {
    this.#nodes.get(id)?.source.disconnect();
    this.#nodes.delete(id);
  }

  #sample() {
    let loudest = null;
    let level = THRESHOLD;
    for (const [id, node] of this.#nodes) {
      if (!node.track.enabled || node.track.readyState !== "live") continue;
      node.analyser.getFloatTimeDomainData(node.samples);
      let sum = 0;
      for (const s of node.samples) sum += s * s;
      const rms = Math.sqrt(sum / node.samples.length);
      if (rms > level) {
        level = rms;
        loudest = id;
      }
    }
    const now = performance.now();
    if (loudest !== null && loudest !== this.active && now - this.#since > HOLD_MS) {
      this.active = loudest;
      this.#since = now;
      this.#onChange();
    } else if (loudest === this.active && loudest !== null) {
      this.#since = now;
    }
  }

  close() {
    clearInterval(this.#timer);
    for (const node of this.#nodes.values()) node.source.disconnect();
    this.#nodes.clear();
    this.#context?.close().catch(() => {});
  }
}
