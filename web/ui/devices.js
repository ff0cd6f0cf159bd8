// Device switching during the call: camera and microphone lists; a choice replaces the track on
// the same sender (its encryption transform stays).
import { t } from "../i18n/i18n.js";
import { h } from "./dom.js";

export async function renderDevices(body, current, onSwitch) {
  const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
  const select = (kind, testid, labelKey, value, nKey) => {
    const list = devices.filter((d) => d.kind === kind);
    const el = h("select", { id: testid, testid, onchange: (e) => onSwitch(kind, e.target.value).catch(() => {}) },
      list.map((d, i) => h("option", { value: d.deviceId, text: d.label || t(nKey, { n: i + 1 }) })));
    el.value = value;
    return [h("label", { for: testid, i18n: labelKey }), el];
  };
  body.replaceChildren(h("div", { class: "stack" },
    ...select("videoinput", "device-camera", "prejoin.camera", current.cameraId, "prejoin.cameraN"),
    ...select("audioinput", "device-mic", "prejoin.mic", current.micId, "prejoin.micN")));
}
