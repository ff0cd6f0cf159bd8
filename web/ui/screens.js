// One screen at a time (home, pre-join, lobby wait, room, error page), the translated error pages
// and a small status toast.
import { t, has } from "../i18n/i18n.js";
import { $, setText } from "./dom.js";

const SCREENS = ["insecure", "home", "prejoin", "lobby", "room", "error-page"];

export function showScreen(id) {
  for (const screen of SCREENS) $(screen).hidden = screen !== id;
  document.body.dataset.screen = id;
  // Move focus to the new screen's heading so keyboard and screen-reader users land on it.
  const heading = $(id).querySelector("h1");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

/**
 * The error pages. Each has a title, an explanation, what to try, and (where it makes sense) a retry.
 * Keys: error.<page>.title / .text / .hint in both catalogs.
 */
export const ErrorPage = Object.freeze({
  ROOM_FULL: "room-full",
  SERVER_FULL: "server-full",
  REMOVED: "removed",
  ENDED: "ended",
  DENIED: "denied",
  LOBBY_TIMEOUT: "lobby-timeout",
  ROOM_CLOSED: "room-closed",
  WRONG_PASSWORD: "wrong-password",
  PASSWORD_REQUIRED: "password-required",
  CANNOT_ENCRYPT: "cannot-encrypt",
  UNREACHABLE: "unreachable",
  MEDIA_BLOCKED: "media-blocked",
  INCOMPLETE_LINK: "incomplete-link",
  WEAK_NAME_REFUSED: "weak-room-name",
  INVALID_ROOM: "invalid-room",
  RATE_LIMITED: "rate-limited",
  SHUTDOWN: "shutdown",
  LEFT: "left",
  GENERIC: "generic",
});

/** Pages where trying again can help (a retry button appears). */
const RETRYABLE = new Set([ErrorPage.ROOM_FULL, ErrorPage.SERVER_FULL, ErrorPage.UNREACHABLE, ErrorPage.MEDIA_BLOCKED,
  ErrorPage.LOBBY_TIMEOUT, ErrorPage.ROOM_CLOSED, ErrorPage.RATE_LIMITED, ErrorPage.SHUTDOWN, ErrorPage.LEFT, ErrorPage.GENERIC, ErrorPage.DENIED]);

let current = null;

/**
 * @param {string} page one of ErrorPage
 * @param {{retry?: () => void, password?: (value: string) => void, code?: string}} options
 */
export function showErrorPage(page, { retry = null, password = null, code = "" } = {}) {
  const key = has(`error.${page}.title`) ? page : ErrorPage.GENERIC;
  current = { key, code };
  renderErrorPage();
  const root = $("error-page");
  root.dataset.error = key;
  const retryButton = $("error-retry");
  retryButton.hidden = !(retry && RETRYABLE.has(key));
  retryButton.onclick = retry;
  const form = $("error-password");
  form.hidden = !password;
  form.onsubmit = (e) => {
    e.preventDefault();
    password?.($("error-password-input").value);
  };
  showScreen("error-page");
  if (password) $("error-password-input").focus();
}

export function renderErrorPage() {
  if (!current) return;
  const { key, code } = current;
  $("error-title").textContent = t(`error.${key}.title`);
  $("error-text").textContent = t(`error.${key}.text`, { code });
  $("error-hint").textContent = t(`error.${key}.hint`);
}

/** The server's error code → the page to show. */
export function pageOfServerError(code) {
  switch (code) {
    case "room-full": case "slots-exhausted": return ErrorPage.ROOM_FULL;
    case "server-full": case "lobby-full": return ErrorPage.SERVER_FULL;
    case "wrong-password": return ErrorPage.WRONG_PASSWORD;
    case "password-required": return ErrorPage.PASSWORD_REQUIRED;
    case "weak-room-name": return ErrorPage.WEAK_NAME_REFUSED;
    case "invalid-room": return ErrorPage.INVALID_ROOM;
    case "join-rate-limited": case "knock-rate-limited": case "password-backoff": return ErrorPage.RATE_LIMITED;
    default: return ErrorPage.GENERIC;
  }
}

let toastTimer = 0;

/** A short status line at the bottom (copied, reconnecting, asked to mute …). */
export function toast(key, vars, { sticky = false } = {}) {
  const el = $("toast");
  setText(el, key, vars);
  el.hidden = false;
  clearTimeout(toastTimer);
  if (!sticky) toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

export function hideToast() {
  clearTimeout(toastTimer);
  $("toast").hidden = true;
}
