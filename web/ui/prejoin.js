// The pre-join screen: camera and microphone choice with a live preview and a mic level meter,
// start-muted options, a display name prefilled with a pseudonym, the link's protection state
// (§S13), and clear words when permission is denied, no device exists, or the browser cannot
// encrypt. The captured tracks are handed to the room, so joining does not ask again.
import { t } from "../i18n/i18n.js";
import { LinkState } from "../link-state.js";
import { CAMERA_CONSTRAINTS } from "../media/media-sources.js";
import { meterLevel } from "../media/meter-level.js";
import { $, h, setText } from "./dom.js";
import { randomPseudonym } from "./pseudonym.js";
import { showScreen } from "./screens.js";
import { createInvite } from "./invite.js";

/**
 * @param {{state: string, secret: Uint8Array|null}} link
 * @param {{onJoin(choice: {name: string, micOn: boolean, cameraOn: boolean, micTrack: MediaStreamTrack|null, cameraTrack: MediaStreamTrack|null, micId: string, cameraId: string}): void, onRerender(fn: () => void): void}} options
 */
export function initPrejoin(link, { onJoin, onRerender }) {
  showScreen("prejoin");
  let micTrack = null;
  let cameraTrack = null;
  let meter = null;
  let problem = null; // {key, vars}
  let closed = false; // joined: late device answers are stopped, not kept
  let joining = false;
  const nameInput = $("prejoin-name");
  if (!nameInput.value) nameInput.value = randomPseudonym();

  const invite = link.state === LinkState.OK ? createInvite($("prejoin-invite"), () => link.secret) : null;
  if (!invite) $("prejoin-invite").replaceChildren();

  function renderLink() {
    const el = $("prejoin-link");
    const ok = link.state === LinkState.OK;
    el.className = "notice " + (ok ? "ok" : "warn");
    el.dataset.link = ok ? "protected" : "no-secret";
    setText(el, ok ? "link.protected" : "link.noSecret");
  }

  function renderProblem() {
    const el = $("prejoin-device-notice");
    el.hidden = !problem;
    if (problem) el.textContent = t(problem.key, problem.vars);
    if (problem) el.dataset.problem = problem.key;
    $("preview-off").hidden = Boolean(cameraTrack) && !$("prejoin-camera-off").checked;
  }

  function render() {
    renderLink();
    renderProblem();
    fillSelect($("prejoin-camera"), "videoinput", cameraTrack);
    fillSelect($("prejoin-mic"), "audioinput", micTrack);
  }

  let devices = [];
  function fillSelect(select, kind, track) {
    const list = devices.filter((d) => d.kind === kind);
    const current = track?.getSettings().deviceId ?? "";
    select.replaceChildren(...(list.length
      ? list.map((d, i) => h("option", { value: d.deviceId, text: d.label || t(kind === "videoinput" ? "prejoin.cameraN" : "prejoin.micN", { n: i + 1 }) }))
      : [h("option", { value: "", text: t(kind === "videoinput" ? "prejoin.noCamera" : "prejoin.noMic") })]));
    select.value = current;
    select.disabled = list.length === 0;
  }

  /** What went wrong with getUserMedia, in words a person can act on. */
  function explain(error, kind) {
    const which = t(kind === "video" ? "prejoin.theCamera" : "prejoin.theMic");
    switch (error?.name) {
      case "NotAllowedError": case "SecurityError": return { key: "prejoin.denied", vars: { which } };
      case "NotFoundError": case "OverconstrainedError": return { key: "prejoin.noDevice", vars: { which } };
      case "NotReadableError": case "AbortError": return { key: "prejoin.busy", vars: { which } };
      default: return { key: "prejoin.deviceFailed", vars: { which } };
    }
  }

  async function capture(kind, deviceId) {
    const constraints = kind === "video"
      ? { video: { ...CAMERA_CONSTRAINTS, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) } }
      : { audio: deviceId ? { deviceId: { exact: deviceId } } : true };
    try {
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      return stream.getTracks()[0];
    } catch (error) {
      problem = explain(error, kind);
      return null;
    }
  }

  async function useCamera(deviceId) {
    cameraTrack?.stop();
    cameraTrack = $("prejoin-camera-off").checked && !deviceId ? null : await capture("video", deviceId);
    if (closed) return cameraTrack?.stop();
    $("prejoin-preview").srcObject = cameraTrack ? new MediaStream([cameraTrack]) : null;
  }

  async function useMic(deviceId) {
    micTrack?.stop();
    meter?.stop();
    micTrack = await capture("audio", deviceId);
    if (closed) return micTrack?.stop();
    meter = micTrack ? startMeter(micTrack, $("meter-bar"), $("prejoin-meter")) : null;
  }

  async function start() {
    problem = null;
    await Promise.all([useMic(""), useCamera("")]);
    // Labels appear only after permission was granted.
    devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    render();
  }

  $("prejoin-camera").addEventListener("change", async (e) => {
    problem = null;
    await useCamera(e.target.value);
    render();
  });
  $("prejoin-mic").addEventListener("change", async (e) => {
    problem = null;
    await useMic(e.target.value);
    render();
  });
  $("prejoin-camera-off").addEventListener("change", renderProblem);
  $("prejoin-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (joining) return;
    joining = true;
    $("prejoin-join").disabled = true;
    setText($("prejoin-join"), "prejoin.connecting");
    await ready; // a click before the devices answered joins with them, not without
    closed = true;
    meter?.stop();
    const name = nameInput.value.trim() || randomPseudonym();
    const cameraOn = Boolean(cameraTrack) && !$("prejoin-camera-off").checked;
    if (!cameraOn) {
      cameraTrack?.stop();
      cameraTrack = null;
    }
    $("prejoin-preview").srcObject = null;
    $("prejoin-invite").replaceChildren(); // the room has its own invite panel
    onJoin({
      name,
      micOn: Boolean(micTrack) && !$("prejoin-mic-off").checked,
      cameraOn,
      micTrack,
      cameraTrack,
      micId: micTrack?.getSettings().deviceId ?? "",
      cameraId: cameraTrack?.getSettings().deviceId ?? "",
    });
  });

  onRerender(render);
  render();
  const ready = start().catch(() => {});
  nameInput.focus();
}

/**
 * A mic level meter, ~15 times a second: the loudest 10 ms block (RMS) of the last ~0.7 s, so a short
 * sound always shows, whatever the timer's phase (a hidden tab runs timers once a second; a snapshot of
 * one 10 ms window every tick can keep missing a short, regular sound such as a test device's beep).
 * Browsers start an AudioContext suspended until the person interacts with the page, so the first
 * click or key press resumes it.
 */
export function startMeter(track, bar, meterEl) {
  const AudioContextClass = globalThis.AudioContext;
  if (!AudioContextClass) return { stop() {} };
  const context = new AudioContextClass();
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 32768; // the largest window WebAudio offers: ~0.68 s at 48 kHz
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const resume = () => context.resume().catch(() => {});
  document.addEventListener("pointerdown", resume, { once: true });
  document.addEventListener("keydown", resume, { once: true });
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    const level = meterLevel(samples);
    bar.style.width = `${level}%`;
    meterEl.setAttribute("aria-valuenow", String(level));
    meterEl.dataset.level = String(level);
    meterEl.dataset.audio = context.state;
  }, 66);
  return {
    stop() {
      clearInterval(timer);
      document.removeEventListener("pointerdown", resume);
      document.removeEventListener("keydown", resume);
      context.close().catch(() => {});
    },
  };
}
