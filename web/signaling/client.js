// Signaling protocol v1 over /ws (docs/protocol.md). Event names are constants, not scattered strings.

export const MessageType = Object.freeze({
  Welcome: "welcome",
  Joined: "joined",
  Lobby: "lobby",
  ParticipantJoined: "participant-joined",
  ParticipantLeft: "participant-left",
  ModeratorChanged: "moderator-changed",
  Denied: "denied",
  Removed: "removed",
  RoomEnded: "room-ended",
  ServerShutdown: "server-shutdown",
  Error: "error",
  PublishAnswer: "publish-answer",
  SubscribeOffer: "subscribe-offer",
  MediaClosed: "media-closed",
  Knock: "knock",
  KnockEnded: "knock-ended",
  E2ee: "e2ee",
  RoomLocked: "room-locked",
  PasswordChanged: "password-changed",
  MuteRequest: "mute-request",
  Ok: "ok",
});

export class SignalingClient extends EventTarget {
  #socket = null;
  #nextId = 1;
  #pending = new Map();

  /**
   * Opens a new socket (also after a drop: the same client, its listeners and the publisher and
   * subscriber that hold it carry on; the page then sends `resume`).
   */
  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.#socket = new WebSocket(`${scheme}//${location.host}/ws`);
    this.#socket.addEventListener("message", (e) => {
      let message;
      try {
        message = JSON.parse(e.data);
      } catch {
        return;
      }
      const pending = message.re === undefined ? undefined : this.#pending.get(message.re);
      if (pending) {
        this.#pending.delete(message.re);
        if (message.type === MessageType.Error) pending.reject(Object.assign(new Error(message.code), { code: message.code }));
        else pending.resolve(message);
      }
      this.dispatchEvent(new CustomEvent("message", { detail: message }));
    });
    this.#socket.addEventListener("close", (e) => {
      for (const { reject } of this.#pending.values()) reject(Object.assign(new Error("closed"), { code: "closed" }));
      this.#pending.clear();
      this.dispatchEvent(new CustomEvent("close", { detail: e.code }));
    });
    return new Promise((resolve, reject) => {
      this.#socket.addEventListener("open", resolve, { once: true });
      this.#socket.addEventListener("error", reject, { once: true });
    });
  }

  /** Sends a message with a fresh request id and returns the id. */
  send(message) {
    const id = `c${this.#nextId++}`;
    this.#socket.send(JSON.stringify({ ...message, id }));
    return id;
  }

  /** Sends a request and resolves with the reply that carries its id in `re` (rejects on an `error` reply). */
  request(message) {
    return new Promise((resolve, reject) => {
      const id = this.send(message);
      this.#pending.set(id, { resolve, reject });
    });
  }

  /** Bytes queued in the WebSocket but not yet sent (back-pressure for file chunks). */
  get bufferedAmount() {
    return this.#socket?.bufferedAmount ?? 0;
  }

  /** True while the socket can send. */
  get open() {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  close() {
    this.#socket?.close(1000);
  }
}
