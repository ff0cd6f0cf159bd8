// The call (docs/protocol.md "The call page"): join over /ws — maybe via the lobby or a password —
// then an encrypted group call. One publish and one subscribe peer connection (docs/media.md);
// every frame is SFrame-encrypted in the frame Worker (web/e2ee, E2EE-SPEC §S7) — there is no other
// path. Everything end-to-end (pairwise channels, names, per-sender keys, mute/hand, chat, files,
// codes) lives in web/call/e2ee-session.js, whose panels (web/ui/panels/) show in the side panel.
// This module owns the call state and the signaling; room-view.js draws it. After a dropped
// socket the seat is resumed with the server's resume token (docs/protocol.md "resume"): the peer
// connections belong to the seat and keep running.

import { LinkState, fullLink } from "../link-state.js";
import { t, onLanguageChange } from "../i18n/i18n.js";
import { SignalingClient, MessageType } from "../signaling/client.js";
import { FrameCrypto } from "../e2ee/frame-crypto.js";
import { E2eeSession } from "../call/e2ee-session.js";
import { SecurityPanel } from "./panels/security-panel.js";
import { ChatPanel } from "./panels/chat-panel.js";
import { FilesPanel } from "./panels/files-panel.js";
import { Publisher } from "../media/publisher.js";
import { Subscriber } from "../media/subscriber.js";
import { Source, CAMERA_CONSTRAINTS, SCREEN_CONSTRAINTS } from "../media/media-sources.js";
import { publishStats, subscribeStats } from "../media/call-stats.js";
import { $, h } from "./dom.js";
import { showScreen, showErrorPage, ErrorPage, pageOfServerError, toast, hideToast } from "./screens.js";
import { buildRoom, ensureTile, renderTile, renderPeople, renderControls, renderShortcuts, SHORTCUTS, View, SidePanel } from "./room-view.js";
import { createInvite } from "./invite.js";
import { StatsPanel, qualityOf } from "./stats-panel.js";
import { SpeakerDetector } from "./speaker.js";
import { renderDevices } from "./devices.js";
import { Adaptation } from "../media/adaptation.js";

/** No media connection after this long: UDP to the server is probably blocked. */
const MEDIA_CONNECT_TIMEOUT_MS = 20_000;
/** Reconnect attempts back off from 0.5 s to 4 s, within the server's resume window. */
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000];
/** How often the tiles' connection quality and the stats panel refresh. */
const QUALITY_INTERVAL_MS = 2000;

/**
 * @param {object} options
 * @param {string} options.rawSegment the room as it appears in the path (sent to the server as typed)
 * @param {{state: string, room: Uint8Array|null, secret: Uint8Array|null}} options.link from link-state.js
 * @param {{name: string, micOn: boolean, cameraOn: boolean, micTrack: MediaStreamTrack|null, cameraTrack: MediaStreamTrack|null, micId: string, cameraId: string}} options.choice from pre-join
 */
export function enterRoom({ rawSegment, link, choice }) {
  const state = {
    self: null, moderatorId: null, members: new Map(), knocks: new Map(), locked: false, passwordSet: false,
    micOn: choice.micOn, cameraOn: false, sharing: false, hand: false, busy: false,
    view: View.GRID, pinned: null, panel: null, ended: false, inCall: false,
    resumeToken: null, resumeWindowMs: 30_000, reconnecting: false, password: null,
    micId: choice.micId, cameraId: choice.cameraId,
  };
  const client = new SignalingClient();
  const frames = FrameCrypto.start();
  /** The end-to-end layer: names, call state, verification, keys, chat, files. */
  const session = new E2eeSession({ client, frames, link, name: choice.name });
  let publisher = null;
  // A track is shown only if its owner holds the slot the room listed (the SFU cannot relabel, §S7).
  const subscriber = new Subscriber(client, frames, (owner) => session.slotOf(owner));
  /** What this page shows (tile sizes, visibility), the server's speaker and bandwidth events: docs/media.md. */
  const adaptation = new Adaptation(client);
  /** mic + camera: one msid stream, so the receiver keeps them in sync */
  let localStream = new MediaStream();
  let quality = new Map();
  let mediaTimer = 0;
  let qualityTimer = 0;
  const speakers = new SpeakerDetector(() => render());
  const statsPanel = new StatsPanel(() => ({ publisher, subscriber, people: peopleById() }));

  /**
   * Try again: load the full link anew. The fragment left the address bar on load, so a plain
   * reload would come back without the secret; link-state.js takes it out again at once.
   */
  const rejoin = () => {
    // Only the fragment differs, which would not reload: put the link back, then reload.
    history.replaceState(null, "", fullLink(globalThis, session.linkSecret));
    location.reload();
  };

  const root = $("room");
  const els = buildRoom(root, {
    toggleMic, toggleCamera, toggleScreen, toggleHand, toggleAudioOnly, toggleView, toggleFullscreen, toggleShortcuts, leave,
    togglePanel: (panel) => openPanel(state.panel === panel ? null : panel),
    openPanel,
  });
  // One invite block (copy link + QR), shown in the side panel.
  const inviteHost = h("div");
  const invite = link.state === LinkState.OK ? createInvite(inviteHost, () => session.linkSecret) : null;
  // The end-to-end panels, each in its own host, shown in the side panel when chosen.
  const panelHosts = new Map([[SidePanel.SECURITY, h("div")], [SidePanel.CHAT, h("div")], [SidePanel.FILES, h("div")]]);
  const panels = [
    new SecurityPanel(panelHosts.get(SidePanel.SECURITY), session, { link }),
    new ChatPanel(panelHosts.get(SidePanel.CHAT), session),
    new FilesPanel(panelHosts.get(SidePanel.FILES), session),
  ];
  els.stage.addEventListener("pin", (e) => {
    state.pinned = state.pinned === e.detail ? null : e.detail;
    state.view = View.SPEAKER;
    render();
  });

  // ---- the model the view draws ----

  function nameOf(id) {
    if (id === state.self?.id) return choice.name;
    const fromPeer = session.participant?.displayNames().get(id);
    const slot = state.members.get(id)?.slot ?? state.knocks.get(id)?.slot ?? 0;
    return fromPeer || t("room.participant", { slot });
  }

  function callStateOf(id) {
    if (id === state.self?.id) return { mic: state.micOn, cam: state.cameraOn, hand: state.hand };
    return session.participant?.peers.get(id)?.callState ?? {};
  }

  function people() {
    const remote = subscriber.remoteTracks();
    return [...state.members.values()].sort((a, b) => a.slot - b.slot).map((m) => {
      const self = m.id === state.self?.id;
      const call = callStateOf(m.id);
      const hasVideo = self ? state.cameraOn : remote.some((r) => r.owner === m.id && r.kind === "video");
      return {
        id: m.id, slot: m.slot, self, name: nameOf(m.id), moderator: m.id === state.moderatorId,
        mic: call.mic, hand: Boolean(call.hand), hasVideo,
        quality: self ? null : quality.get(m.id)?.level ?? null,
        speaking: activeSpeaker() === m.id,
        verification: self ? null : session.participant?.peerStatus(m.id)?.status ?? null,
      };
    });
  }

  /** The server's dominant speaker (docs/media.md, with hysteresis), else what this page hears itself. */
  function activeSpeaker() {
    return adaptation.dominantSpeaker ?? speakers.active;
  }

  function peopleById() {
    return new Map(people().map((p) => [p.id, p]));
  }

  // ---- rendering ----

  function render() {
    if (state.ended) return;
    const list = people();
    els.status.textContent = state.inCall ? t("room.inCall", { n: list.length }) : t("room.connecting");
    // §S13, always on screen: encrypted, protected by link or not, and who can decrypt what I send.
    const decryptors = session.participant?.decryptorCount ?? 0;
    els.security.textContent = `${t(link.state === LinkState.OK ? "room.encryptedProtected" : "room.encryptedNotProtected")} · ${t("room.decryptors", { n: decryptors })}`;
    els.security.dataset.decryptors = String(decryptors);
    els.security.className = "security-summary " + (link.state === LinkState.OK ? "ok" : "warn");
    els.reconnecting.hidden = !state.reconnecting;
    els.reconnecting.textContent = t("room.reconnecting");
    renderControls(els, {
      micOn: state.micOn, cameraOn: state.cameraOn, sharing: state.sharing, hand: state.hand, audioOnly: adaptation.audioOnly, busy: state.busy,
      inCall: state.inCall, view: state.view, panel: state.panel, count: list.length, canInvite: Boolean(invite),
      panels: new Set(panelHosts.keys()),
    });
    invite?.setSharing(state.sharing);
    renderStage(list);
    renderSide(list);
    for (const panel of panels) panel.render();
  }

  /** The main tile in speaker view: pinned, else a screen share, else the active speaker, else the first other person. */
  function mainTile(list) {
    if (state.pinned && list.some((p) => p.id === state.pinned)) return state.pinned;
    const screen = subscriber.remoteTracks().find((r) => r.source === Source.SCREEN);
    if (screen) return screen.owner;
    const speaker = activeSpeaker();
    if (speaker && list.some((p) => p.id === speaker && !p.self)) return speaker;
    return list.find((p) => !p.self)?.id ?? list[0]?.id ?? null;
  }

  function renderStage(list) {
    const stage = els.stage;
    stage.dataset.view = state.view;
    stage.dataset.count = String(Math.min(list.length, 9));
    const main = state.view === View.SPEAKER ? mainTile(list) : null;
    const remote = subscriber.remoteTracks();
    const wanted = new Set();
    for (const person of list) {
      wanted.add(person.id);
      const tile = ensureTile(stage, person);
      const media = new Set();
      if (person.self) {
        const camera = publisher?.track(Source.CAMERA) ?? null;
        if (camera) {
          media.add("self-view");
          ensureMedia(tile, "self-view", "video", camera, { mirror: true });
        }
      } else {
        for (const r of remote) {
          if (r.owner !== person.id) continue;
          const testid = r.kind === "video" ? `video-${person.id}-${r.source}` : `audio-${person.id}-${r.source}`;
          media.add(testid);
          ensureMedia(tile, testid, r.kind, r.track, { screen: r.source === Source.SCREEN });
          if (r.kind === "video") adaptation.observe(tile.querySelector(`[data-testid="${CSS.escape(testid)}"]`), r.mid);
          if (r.kind === "audio") speakers.watch(person.id, r.track);
        }
      }
      adaptation.decorateTile(tile, person.id, remote.filter((r) => r.owner === person.id).map((r) => r.mid), t("call.lowBandwidth"));
      for (const el of [...tile.querySelectorAll("video, audio")]) if (!media.has(el.dataset.testid)) removeMedia(el);
      tile.classList.toggle("main", person.id === main);
      tile.classList.toggle("has-screen", remote.some((r) => r.owner === person.id && r.source === Source.SCREEN));
      tile.style.order = person.id === main ? "-1" : String(person.slot);
      renderTile(tile, person);
    }
    for (const tile of [...stage.children]) {
      if (!wanted.has(tile.dataset.participant)) {
        for (const el of tile.querySelectorAll("video, audio")) removeMedia(el);
        speakers.unwatch(tile.dataset.participant);
        tile.remove();
      }
    }
  }

  function ensureMedia(tile, testid, kind, track, { mirror = false, screen = false } = {}) {
    let el = tile.querySelector(`[data-testid="${CSS.escape(testid)}"]`);
    if (!el) {
      el = h(kind === "video" ? "video" : "audio", { testid, class: [mirror ? "mirror" : "", screen ? "screen" : ""].join(" ").trim() || null });
      el.autoplay = true;
      if (kind === "video") {
        el.muted = true; // audio plays from the <audio> elements
        el.playsInline = true;
      }
      tile.prepend(el);
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

  let peopleSignature = "";
  // The side panel's body: one area for the panels drawn here, and the end-to-end panels' hosts,
  // always in the document (hidden unless chosen) so their state is there to read at any time.
  const sideDynamic = h("div", { class: "side-dynamic" });
  els.sideBody.replaceChildren(sideDynamic, ...panelHosts.values());

  function renderSide(list) {
    els.side.hidden = !state.panel;
    root.classList.toggle("with-side", Boolean(state.panel));
    const body = els.sideBody;
    const changed = body.dataset.panel !== (state.panel ?? "");
    body.dataset.panel = state.panel ?? "";
    for (const [panel, host] of panelHosts) host.hidden = panel !== state.panel;
    sideDynamic.hidden = !state.panel || panelHosts.has(state.panel);
    if (!state.panel || panelHosts.has(state.panel)) {
      if (changed) sideDynamic.replaceChildren();
      peopleSignature = "";
      return;
    }
    switch (state.panel) {
      case SidePanel.PEOPLE: {
        const model = {
          people: list.map(({ quality: _q, speaking: _s, ...p }) => p), self: state.self, isModerator: isModerator(),
          knocks: [...state.knocks.values()].map((k) => ({ ...k, name: nameOf(k.id) })),
          locked: state.locked, passwordSet: state.passwordSet,
        };
        // Re-draw only when something shown changed: a half-typed password must survive a refresh.
        const signature = JSON.stringify(model) + t("room.you");
        if (changed || signature !== peopleSignature) renderPeople(sideDynamic, model, moderatorActions);
        peopleSignature = signature;
        break;
      }
      case SidePanel.INVITE:
        if (inviteHost.parentElement !== sideDynamic) sideDynamic.replaceChildren(inviteHost);
        break;
      case SidePanel.DEVICES:
        if (changed) renderDevices(sideDynamic, { micId: state.micId, cameraId: state.cameraId }, switchDevice);
        break;
      case SidePanel.STATS:
        statsPanel.mount(sideDynamic);
        break;
      default:
    }
  }

  function openPanel(panel) {
    state.panel = panel;
    if (panel !== SidePanel.STATS) statsPanel.unmount();
    render();
    if (panel) els.side.querySelector("button, input, select")?.focus({ preventScroll: true });
  }

  function isModerator() {
    return state.self !== null && state.self.id === state.moderatorId;
  }

  // ---- media ----

  async function startMedia(self, tracks) {
    // No key yet? The sender transforms drop every frame until the session's first sender key is in
    // the worker (§S7: no key → no output); E2eeSession sets the own slot and that key.
    publisher = new Publisher(client, frames);
    const items = [];
    if (tracks.micTrack) {
      tracks.micTrack.enabled = state.micOn; // a disabled track sends encrypted silence
      localStream.addTrack(tracks.micTrack);
      items.push({ source: Source.MIC, track: tracks.micTrack, stream: localStream });
      speakers.watch(self.id, tracks.micTrack);
    } else {
      state.micOn = false;
    }
    if (tracks.cameraTrack) {
      localStream.addTrack(tracks.cameraTrack);
      items.push({ source: Source.CAMERA, track: tracks.cameraTrack, stream: localStream });
      state.cameraOn = true;
    }
    state.inCall = true;
    render();
    if (items.length > 0) {
      await publisher.start(items);
      watchMediaConnection(publisher.pc);
    }
    adaptation.watchMicrophone(publisher.track(Source.MIC));
    broadcastCallState();
    render();
  }

  /** UDP to the server blocked: the publish connection never connects. Say so plainly. */
  function watchMediaConnection(pc) {
    clearTimeout(mediaTimer);
    const check = () => {
      if (pc.connectionState === "connected") clearTimeout(mediaTimer);
      else if (pc.connectionState === "failed") mediaBlocked();
    };
    pc.addEventListener("connectionstatechange", check);
    mediaTimer = setTimeout(() => { if (pc.connectionState !== "connected" && !state.ended) mediaBlocked(); }, MEDIA_CONNECT_TIMEOUT_MS);
  }

  function mediaBlocked() {
    if (state.ended || publisher?.pc.connectionState === "connected") return;
    finish(ErrorPage.MEDIA_BLOCKED, rejoin);
  }

  async function withBusy(action) {
    if (state.busy || !publisher) return;
    state.busy = true;
    render();
    try {
      await action();
    } catch (e) {
      if (e?.name !== "NotAllowedError") toast("call.mediaFailed");
    } finally {
      state.busy = false;
      render();
    }
  }

  function broadcastCallState() {
    session.setCallState({ mic: state.micOn, cam: state.cameraOn, hand: state.hand }); // only end-to-end (§S5)
  }

  function toggleMic() {
    const mic = publisher?.track(Source.MIC);
    if (!mic) {
      // No microphone at join: try to get one now.
      withBusy(async () => {
        const track = (await navigator.mediaDevices.getUserMedia({ audio: state.micId ? { deviceId: { exact: state.micId } } : true })).getAudioTracks()[0];
        localStream.addTrack(track);
        await publisher.start([{ source: Source.MIC, track, stream: localStream }]);
        state.micOn = true;
        broadcastCallState();
      });
      return;
    }
    state.micOn = !state.micOn;
    mic.enabled = state.micOn;
    broadcastCallState();
    render();
  }

  function toggleCamera() {
    withBusy(async () => {
      if (state.cameraOn) {
        for (const track of localStream.getVideoTracks()) localStream.removeTrack(track);
        await publisher.stop(Source.CAMERA);
        state.cameraOn = false;
      } else {
        const video = { ...CAMERA_CONSTRAINTS, ...(state.cameraId ? { deviceId: { exact: state.cameraId } } : {}) };
        const track = (await navigator.mediaDevices.getUserMedia({ video })).getVideoTracks()[0];
        localStream.addTrack(track);
        await publisher.start([{ source: Source.CAMERA, track, stream: localStream }]);
        state.cameraOn = true;
      }
      broadcastCallState();
    });
  }

  async function stopSharing() {
    await publisher.stop(Source.SCREEN);
    state.sharing = false;
  }

  function toggleScreen() {
    withBusy(async () => {
      if (state.sharing) {
        await stopSharing();
        return;
      }
      const display = await navigator.mediaDevices.getDisplayMedia({ video: SCREEN_CONSTRAINTS, audio: false });
      const track = display.getVideoTracks()[0];
      // The browser's own "Stop sharing" button ends the track.
      track.addEventListener("ended", () => { if (state.sharing) withBusy(stopSharing); });
      state.sharing = true; // hide the link before the first frame of the screen goes out (§S2)
      render();
      await publisher.start([{ source: Source.SCREEN, track, stream: display }]);
    });
  }

  /** A person on a weak link may choose to receive no video at all; audio keeps flowing. */
  function toggleAudioOnly() {
    adaptation.setAudioOnly(!adaptation.audioOnly);
    render();
  }

  function toggleHand() {
    state.hand = !state.hand;
    broadcastCallState();
    render();
  }

  function toggleView() {
    state.view = state.view === View.GRID ? View.SPEAKER : View.GRID;
    if (state.view === View.GRID) state.pinned = null;
    render();
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else root.requestFullscreen?.().catch(() => {});
  }

  function toggleShortcuts() {
    const dialog = els.shortcuts;
    if (dialog.open) {
      dialog.close();
      return;
    }
    renderShortcuts(dialog, () => dialog.close());
    dialog.showModal();
  }

  /** Device switching mid-call: the new track replaces the old one on the same sender (no renegotiation). */
  async function switchDevice(kind, deviceId) {
    if (kind === "audioinput") {
      state.micId = deviceId;
      const old = publisher?.track(Source.MIC);
      if (!old) return;
      const track = (await navigator.mediaDevices.getUserMedia({ audio: { deviceId: { exact: deviceId } } })).getAudioTracks()[0];
      track.enabled = state.micOn;
      await publisher.replaceTrack(Source.MIC, track);
      localStream.removeTrack(old);
      localStream.addTrack(track);
      old.stop();
      speakers.watch(state.self.id, track);
    } else {
      state.cameraId = deviceId;
      const old = publisher?.track(Source.CAMERA);
      if (!old) return;
      const track = (await navigator.mediaDevices.getUserMedia({ video: { ...CAMERA_CONSTRAINTS, deviceId: { exact: deviceId } } })).getVideoTracks()[0];
      await publisher.replaceTrack(Source.CAMERA, track);
      localStream.removeTrack(old);
      localStream.addTrack(track);
      old.stop();
    }
    render();
  }

  function stopMedia() {
    clearTimeout(mediaTimer);
    clearInterval(qualityTimer);
    speakers.close();
    statsPanel.unmount();
    publisher?.close();
    subscriber.close();
    frames.terminate();
    localStream.getTracks().forEach((track) => track.stop());
    publisher = null;
    localStream = new MediaStream();
  }

  /** The call is over for us: stop everything and show why. */
  function finish(page, retry = null) {
    if (state.ended) return;
    state.ended = true;
    stopMedia();
    client.close();
    hideToast();
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    showErrorPage(page, { retry });
  }

  async function leave() {
    if (state.ended) return;
    state.ended = true;
    await session.leave(); // bye first: the others switch keys at once (§S6)
    stopMedia();
    if (client.open) client.send({ type: "leave" });
    client.close();
    showErrorPage(ErrorPage.LEFT, { retry: rejoin });
  }

  // ---- moderator ----

  const moderatorActions = {
    admit: (k) => client.send({ type: "admit", target: k.id }),
    deny: (k) => client.send({ type: "deny", target: k.id }),
    lock: (locked) => client.send({ type: "lock", locked }),
    setPassword: (password) => client.send(password ? { type: "set-password", password } : { type: "set-password" }),
    remove: (p) => {
      if (confirm(t("mod.confirmRemove", { name: p.name }))) client.send({ type: "remove", target: p.id });
    },
    muteAll: () => {
      client.send({ type: "mute-all" });
      toast("mod.mutedAll");
    },
    end: () => {
      if (confirm(t("mod.confirmEnd"))) client.send({ type: "end" });
    },
  };

  // ---- signaling ----

  function restartMedia() {
    // The server lost our media (ICE consent expired, DTLS failed) but kept the seat: start over
    // with new peer connections (a new publish offer means a new ICE ufrag).
    if (state.ended || !publisher) return;
    const mic = publisher.track(Source.MIC)?.clone() ?? null;
    const camera = publisher.track(Source.CAMERA)?.clone() ?? null;
    publisher.close();
    localStream.getTracks().forEach((track) => track.stop());
    localStream = new MediaStream();
    publisher = null;
    state.sharing = false;
    state.cameraOn = false;
    toast("room.mediaRestart");
    startMedia(state.self, { micTrack: mic, cameraTrack: camera }).catch(() => toast("call.mediaFailed"));
  }

  function applySnapshot(m) {
    state.self = { id: m.id, slot: m.slot };
    state.moderatorId = m.moderatorId;
    state.members = new Map(m.participants.map((p) => [p.id, p]));
    state.locked = Boolean(m.locked);
    state.passwordSet = Boolean(m.passwordSet);
    state.resumeToken = m.resumeToken ?? state.resumeToken;
    state.resumeWindowMs = m.resumeWindowMs ?? state.resumeWindowMs;
  }

  function onJoined(m) {
    applySnapshot(m);
    if (m.resumed) {
      state.reconnecting = false;
      toast("room.reconnected");
      render();
      return;
    }
    if (state.inCall || publisher) return;
    showScreen("room");
    startMedia(state.self, choice).catch(() => {
      toast("call.mediaFailed");
      render();
    });
    qualityTimer = setInterval(updateQuality, QUALITY_INTERVAL_MS);
  }

  async function updateQuality() {
    if (state.ended) return;
    try {
      quality = qualityOf(await subscribeStats(subscriber), quality);
      render();
    } catch {
      // getStats on a closing connection: skip this round
    }
  }

  client.addEventListener("message", ({ detail: m }) => {
    session.handle(m); // first: the end-to-end layer sees every message in order
    switch (m.type) {
      case MessageType.Joined:
        onJoined(m);
        break;
      case MessageType.Lobby:
        state.self = { id: m.id, slot: m.slot };
        state.resumeToken = m.resumeToken ?? state.resumeToken;
        state.resumeWindowMs = m.resumeWindowMs ?? state.resumeWindowMs;
        if (m.resumed) state.reconnecting = false;
        $("lobby-name").textContent = t("lobby.youAre", { name: choice.name });
        showScreen("lobby");
        break;
      case MessageType.ParticipantJoined:
        state.members.set(m.id, { id: m.id, slot: m.slot });
        render();
        break;
      case MessageType.ParticipantLeft:
        state.members.delete(m.id);
        if (state.pinned === m.id) state.pinned = null;
        render();
        break;
      case MessageType.ModeratorChanged:
        state.moderatorId = m.id;
        if (m.id === state.self?.id) toast("mod.youAreModerator");
        render();
        break;
      case MessageType.Knock:
        state.knocks.set(m.id, { id: m.id, slot: m.slot });
        toast("mod.someoneKnocks");
        if (state.panel !== SidePanel.PEOPLE) state.panel = SidePanel.PEOPLE;
        render();
        break;
      case MessageType.KnockEnded:
        state.knocks.delete(m.id);
        render();
        break;
      case MessageType.RoomLocked:
        state.locked = Boolean(m.locked);
        toast(m.locked ? "mod.locked" : "mod.unlocked");
        render();
        break;
      case MessageType.PasswordChanged:
        state.passwordSet = Boolean(m.passwordSet);
        render();
        break;
      case MessageType.MuteRequest:
        if (state.micOn) toggleMic();
        toast("room.askedToMute");
        break;
      case MessageType.SubscribeOffer:
        subscriber.onOffer(m).then(render, () => toast("call.mediaFailed"));
        break;
      case "dominant-speaker": case "bandwidth": case "publish-layers":
        if (adaptation.handle(m, publisher)) render();
        break;
      case MessageType.MediaClosed:
        restartMedia();
        break;
      case MessageType.Denied:
        finish(m.reason === "timeout" ? ErrorPage.LOBBY_TIMEOUT : m.reason === "room-closed" ? ErrorPage.ROOM_CLOSED : ErrorPage.DENIED, rejoin);
        break;
      case MessageType.Removed:
        finish(ErrorPage.REMOVED);
        break;
      case MessageType.RoomEnded:
        finish(ErrorPage.ENDED);
        break;
      case MessageType.ServerShutdown:
        finish(ErrorPage.SHUTDOWN, rejoin);
        break;
      case MessageType.Error:
        onServerError(m);
        break;
      default:
    }
  });

  function onServerError(m) {
    if (m.code === "resume-failed") {
      finish(ErrorPage.UNREACHABLE, rejoin);
      return;
    }
    if (state.self !== null) {
      // A refused action inside the call (e.g. a moderator action): say so, stay in the call.
      toast("error.actionFailed", { code: m.code });
      return;
    }
    const page = pageOfServerError(m.code);
    if (page === ErrorPage.PASSWORD_REQUIRED || page === ErrorPage.WRONG_PASSWORD) {
      showErrorPage(page, {
        password: (password) => {
          state.password = password;
          client.send({ type: "join", room: rawSegment, password });
        },
      });
      return;
    }
    finish(page, rejoin);
  }

  // ---- reconnection ----

  client.addEventListener("close", ({ detail: code }) => {
    if (state.ended || state.reconnecting) return; // a failed attempt closes too: the loop goes on
    // 4001: this seat was resumed elsewhere (another tab took it over): do not fight for it.
    if (code === 4001 || !state.resumeToken) {
      finish(ErrorPage.UNREACHABLE, rejoin);
      return;
    }
    reconnect();
  });

  let reconnects = 0;

  async function reconnect() {
    state.reconnecting = true;
    root.dataset.reconnects = String(++reconnects); // how many drops this page rode out (diagnostics, tests)
    render();
    const deadline = Date.now() + state.resumeWindowMs;
    for (let attempt = 0; !state.ended && Date.now() < deadline; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)]));
      try {
        await client.connect();
        client.send({ type: "resume", token: state.resumeToken });
        return; // the reply (joined/lobby with resumed, or resume-failed) arrives as a message
      } catch {
        // server still unreachable: try again
      }
    }
    if (!state.ended) finish(ErrorPage.UNREACHABLE, rejoin);
  }

  // ---- keyboard shortcuts ----

  const shortcutActions = {
    m: toggleMic, v: toggleCamera, d: toggleScreen, r: toggleHand, w: toggleView,
    p: () => openPanel(state.panel === SidePanel.PEOPLE ? null : SidePanel.PEOPLE),
    f: toggleFullscreen, "?": toggleShortcuts,
  };
  void SHORTCUTS;
  document.addEventListener("keydown", (e) => {
    if (state.ended || !state.inCall || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest?.("input, textarea, select, [contenteditable]")) return;
    if (e.key === "Escape" && state.panel) {
      openPanel(null);
      return;
    }
    const action = shortcutActions[e.key.toLowerCase()];
    if (action) {
      e.preventDefault();
      action();
    }
  });
  document.addEventListener("fullscreenchange", render);
  onLanguageChange(() => {
    render();
    if (els.shortcuts.open) renderShortcuts(els.shortcuts, () => els.shortcuts.close());
  });

  // ---- start ----

  subscriber.addEventListener("tracks", () => {
    session.relabelledTracks = subscriber.relabelled;
    render();
  });
  // The participant keeps my call state and sends it to each newcomer once its channel is up.
  session.addEventListener("change", render);
  session.addEventListener("failed", () => {
    // No X25519 (or no first key): without the end-to-end layer this browser cannot take part (§S13).
    if (client.open) client.send({ type: "leave" });
    finish(ErrorPage.CANNOT_ENCRYPT);
  });
  exposeTestHook(() => ({ self: state.self, frames, publisher, subscriber, session, adaptation }));
  $("lobby-leave").onclick = () => {
    state.ended = true;
    if (client.open) client.send({ type: "leave" });
    client.close();
    location.assign("/");
  };
  client.connect()
    .then(() => client.send({ type: "join", room: rawSegment }))
    .catch(() => finish(ErrorPage.UNREACHABLE, rejoin));
}

/**
 * window.sotto.stats(): counters for diagnostics and tests (docs/protocol.md "The call page"):
 * getStats summaries per remote track and per outbound layer, and the frame Worker's encrypt/decrypt
 * and drop counters. No keys, no SDP, no link — nothing a page script could not count itself.
 */
function exposeTestHook(current) {
  const api = Object.freeze({
    async stats() {
      const { self, frames, publisher, subscriber, session, adaptation } = current();
      return {
        self,
        e2ee: session ? session.stats() : null,
        publish: publisher ? await publishStats(publisher) : null,
        subscribe: subscriber ? await subscribeStats(subscriber) : null,
        frames: frames ? await frames.getStats() : null,
        adaptation: adaptation.snapshot(),
      };
    },
  });
  Object.defineProperty(globalThis, "sotto", { value: api, writable: false, configurable: false, enumerable: false });
}
