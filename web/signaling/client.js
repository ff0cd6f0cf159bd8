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
});

export class SignalingClient extends EventTarget {
  #socket = null;
  #nextId = 1;

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
      this.dispatchEvent(new CustomEvent("message", { detail: message }));
    });
    this.#socket.addEventListener("close", (e) => this.dispatchEvent(new CustomEvent("close", { detail: e.code })));
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

  close() {
    this.#socket?.close(1000);
  }
}
