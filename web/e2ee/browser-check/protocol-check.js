// Real-browser check of the pairwise protocol (run by `run.mjs --protocol`): the same modules the
// node tests use, on Chromium's own WebCrypto (X25519, HKDF, AES-GCM), over the in-memory test
// relay. Three participants with one link establish, agree on codes, chat and send a file; a
// fourth with another link gets nowhere while the three carry on.
import { makeRoom } from '../testing/relay.js';

async function run() {
  const out = { errors: 0 };
  try {
    await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
    out.x25519 = true;
  } catch {
    out.x25519 = false;
    return out;
  }
  const r = await makeRoom({ ids: ['p1', 'p2', 'p3'] });
  const pairs = (parts) => parts.flatMap((a) => parts.filter((b) => b !== a).map((b) => [a, b]));
  out.established = pairs(r.parts).filter(([a, b]) => a.peerState(b.selfId).established).length;
  out.sasAgree = pairs(r.parts).every(([a, b]) => JSON.stringify(a.sasWith(b.selfId)) === JSON.stringify(b.sasWith(a.selfId)));
  out.roomCodes = new Set(r.parts.map((p) => p.roomCode?.emoji.map((e) => e.emoji).join(''))).size;
  out.chatDelivered = await r.byId('p1').sendChat('привет');
  const data = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 131 + 7) & 0xff);
  const [fid] = await r.byId('p1').offerFile(['p2'], { name: 'a.bin', data: new Blob([data]) });
  await r.settle();
  await r.byId('p2').acceptFile('p1', fid);
  await r.settle();
  const parts = r.byId('p2').fileForSave('p1', fid);
  const saved = parts ? new Uint8Array(await new Blob(parts).arrayBuffer()) : null;
  out.fileSaved = saved !== null && saved.length === data.length && saved.every((b, i) => b === data[i]);
  const intruder = await r.add('p4', { slot: 4, secret: crypto.getRandomValues(new Uint8Array(32)) });
  await r.join(intruder);
  await r.advance(20_000);
  out.intruderEstablished = r.parts.filter((p) => p !== intruder && intruder.peerState(p.selfId)?.established).length;
  out.intruderFailures = r.parts.filter((p) => p !== intruder).map((p) => p.peerState('p4').failure);
  out.afterIntruder = pairs(r.parts.filter((p) => p !== intruder)).filter(([a, b]) => a.peerState(b.selfId).established).length;
  out.errors = [...r.events.values()].flat().filter((e) => e.type === 'error').length;
  return out;
}

run()
  .catch((error) => ({ error: String(error?.stack ?? error) }))
  .then((result) => fetch('/result', { method: 'POST', body: JSON.stringify(result) }));
