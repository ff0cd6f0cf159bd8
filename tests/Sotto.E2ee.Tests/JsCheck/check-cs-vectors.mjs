// Checks the C#-made vector file (tests/Sotto.E2ee.Tests/TestData/sotto-e2ee-vectors-cs.json) with
// the browser's own modules (web/e2ee), without changing them: the reverse direction of §S16.
// Run from the repository root:  node tests/Sotto.E2ee.Tests/JsCheck/check-cs-vectors.mjs
// Exit code 0 and "all N checks agree" = the JavaScript reproduces every checked byte.
import { readFileSync } from 'node:fs';

import { fromHex, toHex } from '../../../web/e2ee/bytes.js';
import { TransformSide } from '../../../web/e2ee/frame-messages.js';
import { FrameCounters, FrameTransformer } from '../../../web/e2ee/frame-pipeline.js';
import { makeKid, streamMediaKind } from '../../../web/e2ee/frame-policy.js';
import { FrameKeyring } from '../../../web/e2ee/keyring.js';
import { parseLink } from '../../../web/e2ee/link.js';
import { keyPairFromPrivate, HandshakeState, Pattern } from '../../../web/e2ee/noise.js';
import { prologue as pairPrologue, sealTransport } from '../../../web/e2ee/pair-crypto.js';
import { encodeHeader } from '../../../web/e2ee/sframe.js';
import { computeVectors } from '../../../web/e2ee/testdata/make-e2ee-vectors.mjs';

const cs = JSON.parse(readFileSync(new URL('../TestData/sotto-e2ee-vectors-cs.json', import.meta.url), 'utf8'));
const v = cs.inputs;
let checks = 0;
const failures = [];
function same(what, actual, expected) {
  checks++;
  if (JSON.stringify(actual) !== JSON.stringify(expected)) failures.push(`${what}:\n  js ${JSON.stringify(actual)}\n  cs ${JSON.stringify(expected)}`);
}

// 1. Everything make-e2ee-vectors.mjs computes from inputs (link, handshake, SAS, transport, room code, file).
const js = await computeVectors({
  secret: fromHex(v.secret), roomNfc: v.room_nfc, idC: v.id_c, idI: v.id_i,
  staticC: fromHex(v.static_c_private), staticI: fromHex(v.static_i_private),
  ephemeralC: fromHex(v.ephemeral_c_private), ephemeralI: fromHex(v.ephemeral_i_private),
  nameC: v.name_c, nameI: v.name_i,
  roomR: Object.fromEntries(Object.entries(v.room_r).map(([id, r]) => [id, fromHex(r)])),
  mediaBaseKey: fromHex(v.media_base_key), fileKey: fromHex(v.file_key), fileId: fromHex(v.file_id),
});
for (const section of ['handshake', 'sas', 'room_code', 'file']) same(section, js[section], cs[section]);
for (const field of ['forms', 'room', 'psk', 'psk_without_secret']) same(`link.${field}`, js.link[field], cs.link[field]);
for (const field of ['key_i_to_c', 'key_i_to_c_after_one_message', 'first_i_to_c', 'first_c_to_i']) same(`transport.${field}`, js.transport[field], cs.transport[field]);
for (const href of Object.values(cs.link.forms)) same(`room of ${href}`, toHex(parseLink(href).room), cs.link.room);
const room = fromHex(cs.link.room);

// 2. The second TRANSPORT message (after one rekey): redo the handshake and seal both.
const psk = fromHex(cs.link.psk);
const pro = pairPrologue(room, v.id_c, v.id_i, fromHex(cs.handshake.c));
const initiator = await HandshakeState.initialize({ pattern: Pattern.IXpsk2, initiator: true, prologue: pro, s: await keyPairFromPrivate(fromHex(v.static_i_private)), e: await keyPairFromPrivate(fromHex(v.ephemeral_i_private)), psk });
const responder = await HandshakeState.initialize({ pattern: Pattern.IXpsk2, initiator: false, prologue: pro, s: await keyPairFromPrivate(fromHex(v.static_c_private)), e: await keyPairFromPrivate(fromHex(v.ephemeral_c_private)), psk });
await responder.readMessage(await initiator.writeMessage());
await initiator.readMessage(await responder.writeMessage());
const [iToC] = await initiator.split();
const sid = fromHex(cs.handshake.sid);
await sealTransport(iToC, sid, cs.transport.first_i_to_c.json);
same('transport.second_i_to_c', toHex(await sealTransport(iToC, sid, cs.transport.second_i_to_c.json)), cs.transport.second_i_to_c.blob);

// 3. KIDs and headers.
for (const k of cs.kid) {
  const kid = makeKid(k.slot, k.stream, k.epoch);
  same(`kid ${k.kid}`, kid.toString(16), k.kid);
  same(`header ${k.header}`, toHex(encodeHeader(kid, BigInt(k.ctr))), k.header);
}

// 4. Frames, in order, through one sending keyring (one counter per KID).
const ring = new FrameKeyring();
ring.setOwnSlot(cs.frames.slot);
ring.setSenderKey(cs.frames.epoch, fromHex(cs.frames.base_key));
const counters = new FrameCounters();
const senders = new Map();
for (const f of cs.frames.in_order) {
  if (!senders.has(f.stream)) senders.set(f.stream, new FrameTransformer(ring, counters, { side: TransformSide.SEND, kind: streamMediaKind(f.stream), stream: f.stream }));
  const frame = { data: fromHex(f.plain).buffer, getMetadata: () => ({ mimeType: f.codec }) };
  const sent = await senders.get(f.stream).process(frame);
  same(`frame ${f.what} sent`, Boolean(sent), true);
  same(`frame ${f.what} (${f.plain})`, toHex(new Uint8Array(frame.data)), f.wire);
}

if (failures.length > 0) {
  console.log(`${failures.length} of ${checks} checks DISAGREE:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log(`all ${checks} checks agree`);
