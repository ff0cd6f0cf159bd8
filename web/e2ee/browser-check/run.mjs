// Runs check.html in headless Chromium against a throw-away loopback server and judges the result.
// Usage: node web/e2ee/browser-check/run.mjs [path to chromium]   (exit 0 = all checks passed)
//        node web/e2ee/browser-check/run.mjs [path to chromium] --protocol
//   (--protocol runs protocol-check.html instead: the pairwise protocol of participant.js in the
//   browser's own WebCrypto, three participants and a fourth with another link, on the test relay)
// Manual, not in scripts/test-web.sh: it needs Chromium and ~10 s; the SFU issue's Playwright
// tests are the real browser suite.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('../../', import.meta.url));
const protocol = process.argv.includes('--protocol');
const chromium = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? '/usr/bin/chromium';
const page = protocol ? 'protocol-check.html' : 'check.html';
const TYPES = { '.js': 'text/javascript', '.html': 'text/html; charset=utf-8', '.json': 'application/json' };

let resolveResult;
const result = new Promise((resolve) => { resolveResult = resolve; });

const server = createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/result') {
    let body = '';
    for await (const chunk of req) body += chunk;
    res.end();
    resolveResult(JSON.parse(body));
    return;
  }
  const path = normalize(join(webRoot, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  if (!path.startsWith(webRoot)) { res.writeHead(403).end(); return; }
  try {
    const data = await readFile(path);
    // The app's CSP: proves the worker loads as a same-origin file, without blob: or inline code.
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-security-policy': "default-src 'self'" });
    res.end(data);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

const profile = await mkdtemp(join(tmpdir(), 'sotto-check-'));
const browser = spawn(chromium, [
  '--headless=new', '--no-sandbox', `--user-data-dir=${profile}`,
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  `http://localhost:${port}/e2ee/browser-check/${page}`,
], { stdio: 'ignore' });

const timeout = new Promise((resolve) => setTimeout(() => resolve({ error: 'no result within 60 s' }), 60_000));
const outcome = await Promise.race([result, timeout]);
const exited = new Promise((resolve) => browser.once('exit', resolve));
browser.kill();
await exited;
server.close();
await rm(profile, { recursive: true, force: true, maxRetries: 5 });

console.log(JSON.stringify(outcome, null, 2));
const checks = protocol ? [
  ['Chromium WebCrypto has X25519', outcome.x25519 === true],
  ['three participants established every pair', outcome.established === 6],
  ['pair codes agree', outcome.sasAgree === true],
  ['one room code for the three', outcome.roomCodes === 1],
  ['chat reached both others', outcome.chatDelivered === 2],
  ['file saved after the hash check', outcome.fileSaved === true],
  ['the fourth (other link) established nothing', outcome.intruderEstablished === 0],
  ['the fourth failed with LINK_OR_TAMPER', outcome.intruderFailures?.every((f) => f === 'LINK_OR_TAMPER') && outcome.intruderFailures.length === 3],
  ['the three stayed established', outcome.afterIntruder === 6],
  ['no error events', outcome.errors === 0],
] : [
  ['the browser can encrypt frames', outcome.canEncrypt === true],
  ['frames were encrypted', outcome.sender?.encrypted > 0],
  ['no frame was dropped on send', Object.keys(outcome.sender?.sendDropped ?? { x: 1 }).length === 0],
  ['same key: frames decrypted', outcome.sameKey?.frames.decrypted > 0],
  ['same key: video decoded', outcome.sameKey?.inbound.video?.framesDecoded > 0],
  ['other key: nothing decrypted', outcome.otherKey?.frames.decrypted === 0],
  ['other key: frames dropped as auth-failed', outcome.otherKey?.frames.receiveDropped['auth-failed'] > 0],
  ['other key: no video decoded', (outcome.otherKey?.inbound.video?.framesDecoded ?? 0) === 0],
];
for (const [name, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
