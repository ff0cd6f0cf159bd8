// The frame Worker script (E2EE-SPEC.md §S7), loaded as a module Worker from this very file —
// CSP `default-src 'self'` forbids blob: workers (DESIGN.md §9). Everything it does lives in
// frame-pipeline.js, where node tests can reach it.

import { FrameWorkerCore } from './frame-pipeline.js';

const core = new FrameWorkerCore();

self.onmessage = (event) => {
  // Most replies are immediate; "sender-key-used" awaits the key object, hence Promise.resolve.
  Promise.resolve(core.handleMessage(event.data)).then((reply) => self.postMessage(reply));
};

// Fired once per `new RTCRtpScriptTransform(worker, options)` that the page attaches.
self.onrtctransform = (event) => {
  core.attach(event.transformer).catch(() => {
    // The browser closes the streams when the sender or receiver goes away: nothing to do.
  });
};
