// The room page: join over /ws, then an encrypted group call (docs/protocol.md "The call page").
// One publish and one subscribe peer connection (docs/media.md); every frame is SFrame-encrypted in
// the frame Worker under the interim room key (web/e2ee, E2EE-SPEC §S7) — there is no other path.

import { LinkState, fullLink } from "../link-state.js";
import { t } from "../i18n/i18n.js";
import { SignalingClient, MessageType } from "../signaling/client.js";
import { canEncryptFrames, FrameCrypto } from "../e2ee/frame-crypto.js";
import { interimMediaKey } from "../e2ee/link.js";
import { Publisher } from "../media/publisher.js";
import { Subscriber } from "../media/subscriber.js";
import { Source, CAMERA_CONSTRAINTS, SCREEN_CONSTRAINTS } from "../media/media-sources.js";
import { publishStats, subscribeStats } from "../media/call-stats.js";
import { Adaptation } from "../media/adaptation.js";

const $ = (id) => document.getElementById(id);

/** The interim key's epoch: one room key until per-sender keys (§S6) arrive. */
const INTERIM_EPOCH = 0;

/**
 * @param {string} rawSegment the room as it appears in the path (sent to the server as typed)
 * @param {{state: string, room: Uint8Array|null, secret: Uint8Array|null}} link from link-state.js
 * @param {{showError(text: string): void, errorText(code: string): string, setRerender(fn: () => void): void}} page
 */
export function initRoom(rawSegment, link, page) {
  $("room").hidden = false;
  const state = {
    self: null, moderatorId: null, participants: new Map(), status: "room.connecting", statusVars: {}, ended: false,
    micOn: true, cameraOn: false, sharing: false, busy: false,
  };
  const client = new SignalingClient();
  let frames = null;
  let publisher = null;
  let subscriber = null;
  const adaptation = new Adaptation(client);
  /** mic + camera: one msid stream, so the receiver keeps them in sync */
  let localStream = null;

  // ---- rendering ----

  function render() {
    const linkStatus = $("link-status");
    linkStatus.className = "notice " + (link.state === LinkState.OK ? "ok" : link.state === LinkState.NONE ? "warn" : "bad");
    linkStatus.textContent = t(link.state === LinkState.OK ? "room.linkOk" : link.state === LinkState.NONE ? "room.linkNone" : "room.linkMalformed");
    // §S2: the link (the key) is never on screen while sharing it.
    $("copy-link").hidden = link.state !== LinkState.OK || state.sharing;
    $("room-status").textContent = t(state.status, state.statusVars);
    const inCall = state.self !== null && !state.ended && publisher !== null;
    $("controls").hidden = !inCall;
    $("toggle-mic").textContent = t(state.micOn ? "call.micOff" : "call.micOn");
    $("toggle-camera").textContent = t(state.cameraOn ? "call.cameraOff" : "call.cameraOn");
    $("toggle-screen").textContent = t(state.sharing ? "call.screenStop" : "call.screenStart");
    for (const id of ["toggle-mic", "toggle-camera", "toggle-screen"]) $(id).disabled = state.busy;
    $("toggle-mic").setAttribute("aria-pressed", String(!state.micOn));
    renderParticipants();
    renderGrid();
  }

  function renderParticipants() {
    const list = $("participants");
    list.replaceChildren();
    for (const p of [...state.participants.values()].sort((a, b) => a.slot - b.slot)) {
      const li = document.createElement("li");
      li.dataset.testid = "participant";
      li.dataset.slot = String(p.slot);
      let text = t("room.participant", { slot: p.slot });
      if (state.self && p.id === state.self.id) text += " " + t("room.you");
      if (p.id === state.moderatorId) text += " " + t("room.moderator");
      li.textContent = text;
      list.append(li);
    }
  }

  /** One tile per remote participant; a <video> per camera/screen track, an <audio> per audio track. */
  function renderGrid() {
    const grid = $("grid");
    const remote = subscriber ? subscriber.remoteTracks() : [];
    const wanted = new Set();
    for (const p of state.participants.values()) {
      if (state.self && p.id === state.self.id) continue;
      wanted.add(`tile-${p.id}`);
      const tile = ensureTile(grid, p);
      const media = new Set();
      for (const r of remote) {
        if (r.owner !== p.id) continue;
        const testid = r.kind === "video" ? `video-${p.id}-${r.source}` : `audio-${p.id}-${r.source}`;
        media.add(testid);
        ensureMedia(tile, testid, r.kind, r.track);
        if (r.kind === "video") adaptation.observe(tile.querySelector(`[data-testid="${CSS.escape(testid)}"]`), r.mid);
      }
      adaptation.decorateTile(tile, p.id, remote.filter((r) => r.owner === p.id).map((r) => r.mid), t("call.lowBandwidth"));
      for (const el of [...tile.querySelectorAll("video, audio")]) if (!media.has(el.dataset.testid)) removeMedia(el);
      tile.querySelector(".label").textContent = t("room.participant", { slot: p.slot });
    }
    for (const tile of [...grid.children]) {
      if (!wanted.has(tile.dataset.testid)) {
        for (const el of tile.querySelectorAll("video, audio")) removeMedia(el);
        tile.remove();
      }
    }
    const self = $("self-view");
    const camera = publisher?.track(Source.CAMERA) ?? null;
    if (camera && self.srcObject?.getVideoTracks()[0] !== camera) self.srcObject = new MediaStream([camera]);
    if (!camera) self.srcObject = null;
    self.hidden = !camera;
  }

  function ensureTile(grid, p) {
    let tile = grid.querySelector(`[data-testid="tile-${CSS.escape(p.id)}"]`);
    if (!tile) {
      tile = document.createElement("figure");
      tile.className = "tile";
      tile.dataset.testid = `tile-${p.id}`;
      const label = document.createElement("figcaption");
      label.className = "label";
      tile.append(label);
      grid.append(tile);
    }
    return tile;
  }

  function ensureMedia(tile, testid, kind, track) {
    let el = tile.querySelector(`[data-testid="${CSS.escape(testid)}"]`);
    if (!el) {
      el = document.createElement(kind === "video" ? "video" : "audio");
      el.dataset.testid = testid;
      el.autoplay = true;
      if (kind === "video") {
        el.muted = true; // audio plays from the <audio> elements
        el.playsInline = true;
      }
      tile.insertBefore(el, tile.querySelector(".label"));
    }
    if (el.srcObject?.getTracks()[0] !== track) {
      el.srcObject = new MediaStream([track]);
      el.play().catch(() => {}); // autoplay may wait for a user gesture; the element retries on its own
    }
  }

  function removeMedia(el) {
    adaptation.unobserve(el);
    el.srcObject = null;
    el.remove();
  }

  function setStatus(key, vars = {}) {
    state.status = key;
    state.statusVars = vars;
    render();
  }

  function finish(key) {
    state.ended = true;
    state.participants.clear();
    stopMedia();
    setStatus(key);
  }

  function stopMedia() {
    publisher?.close();
    subscriber?.close();
    frames?.terminate();
    localStream?.getTracks().forEach((track) => track.stop());
    publisher = subscriber = frames = localStream = null;
  }

  page.setRerender(render);

  // ---- media ----

  async function startMedia(self) {
    await frames.setOwnSlot(self.slot);
    // The caller's copy of the key is zeroed by setInterimKey: it lives in the worker only.
    await frames.setInterimKey(INTERIM_EPOCH, await interimMediaKey(link.secret, link.room));
    publisher = new Publisher(client, frames);
    render();
    const items = [];
    localStream = new MediaStream();
    try {
      const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
      localStream.addTrack(mic.getAudioTracks()[0]);
      items.push({ source: Source.MIC, track: mic.getAudioTracks()[0], stream: localStream });
    } catch {
      state.micOn = false;
      page.showError(t("call.noMic"));
    }
    try {
      const camera = await navigator.mediaDevices.getUserMedia({ video: CAMERA_CONSTRAINTS });
      localStream.addTrack(camera.getVideoTracks()[0]);
      items.push({ source: Source.CAMERA, track: camera.getVideoTracks()[0], stream: localStream });
      state.cameraOn = true;
    } catch {
      page.showError(t("call.noCamera"));
    }
    if (items.length > 0) await publisher.start(items);
    adaptation.watchMicrophone(publisher.track(Source.MIC));
    setStatus("call.inCall", { slot: self.slot });
  }

  async function withBusy(action) {
    if (state.busy || !publisher) return;
    state.busy = true;
    render();
    try {
      await action();
    } catch (e) {
      if (e?.name !== "NotAllowedError") page.showError(t("call.mediaFailed"));
    } finally {
      state.busy = false;
      render();
    }
  }

  $("toggle-mic").addEventListener("click", () => {
    const mic = publisher?.track(Source.MIC);
    if (!mic) return;
    state.micOn = !state.micOn;
    mic.enabled = state.micOn; // a disabled track sends silence (encrypted like everything else)
    render();
  });

  $("toggle-camera").addEventListener("click", () => withBusy(async () => {
    if (state.cameraOn) {
      for (const track of localStream.getVideoTracks()) localStream.removeTrack(track);
      await publisher.stop(Source.CAMERA);
      state.cameraOn = false;
    } else {
      const camera = await navigator.mediaDevices.getUserMedia({ video: CAMERA_CONSTRAINTS });
      const track = camera.getVideoTracks()[0];
      localStream.addTrack(track);
      await publisher.start([{ source: Source.CAMERA, track, stream: localStream }]);
      state.cameraOn = true;
    }
  }));

  async function stopSharing() {
    await publisher.stop(Source.SCREEN);
    state.sharing = false;
  }

  $("toggle-screen").addEventListener("click", () => withBusy(async () => {
    if (state.sharing) {
      await stopSharing();
      return;
    }
    const display = await navigator.mediaDevices.getDisplayMedia({ video: SCREEN_CONSTRAINTS, audio: false });
    const track = display.getVideoTracks()[0];
    // The browser's own "Stop sharing" button ends the track.
    track.addEventListener("ended", () => { if (state.sharing) withBusy(stopSharing); });
    state.sharing = true; // hide the link before the first frame of the screen goes out
    render();
    await publisher.start([{ source: Source.SCREEN, track, stream: display }]);
  }));

  $("copy-link").addEventListener("click", async () => {
    // Rebuilt from memory: the fragment was removed from the address bar on load.
    await navigator.clipboard.writeText(fullLink(globalThis, link.secret));
    $("copy-status").textContent = t("room.copied");
  });

  $("leave").addEventListener("click", () => {
    state.ended = true;
    stopMedia();
    client.send({ type: "leave" });
    client.close();
    location.assign("/");
  });

  $("password-form").addEventListener("submit", (e) => {
    e.preventDefault();
    $("password-form").hidden = true;
    client.send({ type: "join", room: rawSegment, password: $("password").value });
  });

  // ---- signaling ----

  function restartMedia() {
    if (state.ended || !publisher) return;
    publisher.close();
    subscriber.close();
    localStream?.getTracks().forEach((track) => track.stop());
    publisher = localStream = null;
    state.sharing = false;
    state.cameraOn = false;
    subscriber = new Subscriber(client, frames);
    subscriber.addEventListener("tracks", render);
    onJoined(state.self);
  }

  function onJoined(self) {
    if (publisher || state.ended) return; // a resume does not restart media
    startMedia(self).catch(() => {
      page.showError(t("call.mediaFailed"));
      render();
    });
  }

  client.addEventListener("message", ({ detail: m }) => {
    switch (m.type) {
      case MessageType.Joined:
        state.self = { id: m.id, slot: m.slot };
        state.moderatorId = m.moderatorId;
        state.participants = new Map(m.participants.map((p) => [p.id, p]));
        setStatus(m.moderator ? "room.joinedModerator" : "room.joined", { slot: m.slot });
        onJoined(state.self);
        break;
      case MessageType.Lobby:
        state.self = { id: m.id, slot: m.slot };
        setStatus("room.lobby");
        break;
      case MessageType.ParticipantJoined:
        state.participants.set(m.id, { id: m.id, slot: m.slot });
        render();
        break;
      case MessageType.ParticipantLeft:
        state.participants.delete(m.id);
        render();
        break;
      case MessageType.ModeratorChanged:
        state.moderatorId = m.id;
        render();
        break;
      case MessageType.SubscribeOffer:
        subscriber?.onOffer(m).then(render, () => page.showError(t("call.mediaFailed")));
        break;
      case "dominant-speaker": case "bandwidth": case "publish-layers":
        if (adaptation.handle(m, publisher)) render();
        break;
      case MessageType.MediaClosed:
        // The server lost our media (ICE consent expired, DTLS failed) but kept the seat: start over
        // with new peer connections (a new publish offer means a new ICE ufrag).
        restartMedia();
        break;
      case MessageType.Denied:
        finish(m.reason === "timeout" ? "room.deniedTimeout" : m.reason === "room-closed" ? "room.deniedClosed" : "room.denied");
        break;
      case MessageType.Removed:
        finish("room.removed");
        break;
      case MessageType.RoomEnded:
        finish("room.ended");
        break;
      case MessageType.ServerShutdown:
        finish("room.shutdown");
        break;
      case MessageType.Error:
        if (m.code === "password-required" || m.code === "wrong-password") {
          $("password-form").hidden = false;
          $("password").focus();
        }
        if (m.code !== "password-required") page.showError(page.errorText(m.code));
        break;
    }
  });
  client.addEventListener("close", () => {
    if (!state.ended) finish("room.disconnected");
  });

  // ---- start ----

  if (link.state === LinkState.MALFORMED) {
    // "The link is incomplete": never join without the secret the link promised (§S2).
    state.ended = true;
    setStatus("room.notJoined");
    return;
  }
  if (!canEncryptFrames()) {
    // No fallback: a browser that cannot encrypt frames does not join at all (§S7).
    state.ended = true;
    setStatus("room.notJoined");
    page.showError(t("call.cannotEncrypt"));
    return;
  }
  frames = FrameCrypto.start();
  subscriber = new Subscriber(client, frames);
  subscriber.addEventListener("tracks", render);
  exposeTestHook(() => ({ self: state.self, frames, publisher, subscriber, adaptation }));
  render();
  client.connect()
    .then(() => client.send({ type: "join", room: rawSegment }))
    .catch(() => page.showError(t("error.network")));
}

/**
 * window.sotto.stats(): counters for diagnostics and tests (docs/protocol.md "The call page"):
 * getStats summaries per remote track and per outbound layer, and the frame Worker's encrypt/decrypt
 * and drop counters. No keys, no SDP, no link — nothing a page script could not count itself.
 */
function exposeTestHook(current) {
  const api = Object.freeze({
    async stats() {
      const { self, frames, publisher, subscriber, adaptation } = current();
      return {
        self,
        publish: publisher ? await publishStats(publisher) : null,
        subscribe: subscriber ? await subscribeStats(subscriber) : null,
        frames: frames ? await frames.getStats() : null,
        adaptation: adaptation.snapshot(),
      };
    },
  });
  Object.defineProperty(globalThis, "sotto", { value: api, writable: false, configurable: false, enumerable: false });
}
