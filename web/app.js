// The app shell: language, routing and the screens' order.
//   /               → home
//   /<room>[#k=…]   → pre-join → (lobby wait) → room, or an error page
// Import order matters: link-state.js runs first and takes the secret out of the address bar.
// The screens load only once the page is known to be a secure context: the call modules use
// WebCrypto, which does not exist over plain HTTP, and must not break the page that explains that.
import { pageLink, LinkState } from "./link-state.js";
import { t, language, setLanguage, translatePage, onLanguageChange, LANGUAGES, catalogs } from "./i18n/i18n.js";
import { $, h } from "./ui/dom.js";
import { showScreen, showErrorPage, ErrorPage, renderErrorPage } from "./ui/screens.js";

const rerenders = new Set();
const onRerender = (fn) => rerenders.add(fn);

function initLanguage() {
  const select = $("language");
  // Each language is named in itself ("English", "Русский"), from its own catalog.
  select.replaceChildren(...LANGUAGES.map((lang) => h("option", { value: lang, lang, text: catalogs[lang]["language.name"] })));
  select.value = language();
  select.addEventListener("change", () => setLanguage(select.value));
  setLanguage(language(), { remember: false });
  onLanguageChange(() => {
    select.value = language();
    document.title = t("app.title");
    renderErrorPage();
    for (const fn of rerenders) fn();
  });
  document.title = t("app.title");
}

/**
 * Camera, microphone and WebCrypto need a secure context: https, or http on localhost. Opened over
 * plain HTTP from another address, nothing would work — say so and how to fix it.
 */
function showInsecurePage() {
  const https = $("insecure-https");
  https.href = `https://${location.host}${location.pathname}`;
  showScreen("insecure");
}

/** What a browser needs to join: frame encryption (RTCRtpScriptTransform) and X25519 in WebCrypto (§S13). */
async function canJoin() {
  const { canEncryptFrames } = await import("./e2ee/frame-crypto.js");
  if (!canEncryptFrames()) return false;
  try {
    await crypto.subtle.generateKey({ name: "X25519" }, false, ["deriveBits"]);
    return true;
  } catch {
    return false;
  }
}

async function start() {
  initLanguage();
  translatePage();
  if (!globalThis.isSecureContext || !globalThis.crypto?.subtle) {
    showInsecurePage();
    return;
  }
  const segment = location.pathname.split("/").filter(Boolean)[0];
  if (!segment || pageLink.state === LinkState.HOME) {
    const { initHome } = await import("./ui/home.js");
    initHome({ onRerender });
    return;
  }
  if (pageLink.state === LinkState.MALFORMED) {
    // "The link is incomplete": never join without the secret the link promised (§S2).
    showErrorPage(ErrorPage.INCOMPLETE_LINK);
    return;
  }
  if (!(await canJoin())) {
    // No fallback: a browser that cannot encrypt frames does not join at all (§S7).
    showErrorPage(ErrorPage.CANNOT_ENCRYPT);
    return;
  }
  const [{ initPrejoin }, { enterRoom }] = await Promise.all([import("./ui/prejoin.js"), import("./ui/room.js")]);
  initPrejoin(pageLink, {
    onRerender,
    onJoin: (choice) => enterRoom({ rawSegment: segment, link: pageLink, choice }),
  });
}

start();
