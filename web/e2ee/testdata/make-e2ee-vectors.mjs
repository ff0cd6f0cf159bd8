// Generates testdata/sotto-e2ee-vectors.json: Sotto's cross-implementation vectors for the
// pairwise protocol (E2EE-SPEC.md §S2, §S4, §S6–§S8, §S10, §S16), computed by the web/e2ee
// modules from fixed inputs. The Noise core is pinned by the cacophony vectors, SFrame by
// RFC 9605; these bytes pin everything Sotto adds. sotto-e2ee-vectors.test.js checks that the
// modules still produce exactly this file, and that two live participants produce the same
// handshake and first messages. Run from the repository root:
//   node web/e2ee/testdata/make-e2ee-vectors.mjs
import { writeFileSync } from 'node:fs';

import { b64uEncode, fromHex, toHex, utf8 } from '../bytes.js';
import { BlobType, encodeBlob } from '../blob.js';
import { sealChunk, importFileKey, FILE_CHUNK_BYTES } from '../files.js';
import { TransformSide } from '../frame-messages.js';
import { FrameCounters, FrameTransformer } from '../frame-pipeline.js';
import { makeKid, Stream } from '../frame-policy.js';
import { FrameKeyring } from '../keyring.js';
import { linkPsk, parseLink } from '../link.js';
import { HandshakeState, keyPairFromPrivate, Pattern, sha256 } from '../noise.js';
import { commitment, prologue, roleFor, sasBytes, sealTransport, sidOf } from '../pair-crypto.js';
import { roomCodeBytes, roomCommit, roomViewId } from '../room-code.js';
import { emojiIndices, sasEmoji } from '../sas.js';
import { encodeHeader } from '../sframe.js';
import { Sha256Stream } from '../sha256-stream.js';

const seq = (n, start) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);

export const INPUTS = Object.freeze({
  secret: seq(32, 0x00),
  roomNfc: 'Тайная-встреча',
  idC: 'Alice_1', // bytewise smaller: commits, Noise responder
  idI: 'bob-2',
  staticC: seq(32, 0x40),
  staticI: seq(32, 0x60),
  ephemeralC: seq(32, 0x80),
  ephemeralI: seq(32, 0xa0),
  nameC: 'Алиса',
  nameI: 'Bob <b>',
  roomR: { 'Alice_1': seq(32, 0xc0), 'bob-2': seq(32, 0xe0) },
  mediaBaseKey: seq(16, 0x10),
  fileKey: seq(32, 0x20),
  fileId: seq(16, 0x30),
});

function links(secret, roomNfc) {
  const fragment = `#k=${b64uEncode(secret)}`;
  const nfd = roomNfc.normalize('NFD');
  return {
    nfc_raw: `https://sotto.example/${roomNfc}${fragment}`,
    nfd_raw: `https://sotto.example/${nfd}${fragment}`,
    nfc_percent: `https://sotto.example/${encodeURIComponent(roomNfc)}${fragment}`,
    nfd_percent: `https://sotto.example/${encodeURIComponent(nfd)}${fragment}`,
  };
}

export async function computeVectors(inputs = INPUTS) {
  const linkForms = links(inputs.secret, inputs.roomNfc);
  const room = parseLink(linkForms.nfc_percent).room;
  const psk = await linkPsk(inputs.secret, room);
  const sC = await keyPairFromPrivate(inputs.staticC);
  const sI = await keyPairFromPrivate(inputs.staticI);
  const eC = await keyPairFromPrivate(inputs.ephemeralC);
  const eI = await keyPairFromPrivate(inputs.ephemeralI);
  if (roleFor(inputs.idC, inputs.idI) !== 'C') throw new Error('idC must be the bytewise-smaller id');

  const c = await commitment(room, inputs.idC, inputs.idI, eC.publicKey, sC.publicKey);
  const sid = sidOf(c);
  const pro = prologue(room, inputs.idC, inputs.idI, c);
  const initiator = await HandshakeState.initialize({ pattern: Pattern.IXpsk2, initiator: true, prologue: pro, s: sI, e: eI, psk });
  const responder = await HandshakeState.initialize({ pattern: Pattern.IXpsk2, initiator: false, prologue: pro, s: sC, e: eC, psk });
  const msg1 = await initiator.writeMessage();
  await responder.readMessage(msg1);
  const msg2 = await responder.writeMessage();
  await initiator.readMessage(msg2);
  const h = initiator.handshakeHash;
  const [iToC, cToI] = await initiator.split();
  const sas = await sasBytes(h);

  const helloI = JSON.stringify({ t: 'hello', name: inputs.nameI, gen: 0 });
  const helloC = JSON.stringify({ t: 'hello', name: inputs.nameC, gen: 0 });
  const keyIC0 = iToC.keyForVectors();
  const transportI = await sealTransport(iToC, sid, helloI);
  const keyIC1 = iToC.keyForVectors();
  const transportC = await sealTransport(cToI, sid, helloC);

  // Room code for the view {Alice_1, bob-2}.
  const view = [{ id: inputs.idC, staticPublic: sC.publicKey }, { id: inputs.idI, staticPublic: sI.publicKey }];
  const rid = await roomViewId(room, view);
  const commits = {};
  for (const id of [inputs.idC, inputs.idI]) commits[id] = toHex(await roomCommit(rid, id, inputs.roomR[id]));
  const code = await roomCodeBytes(rid, [inputs.idC, inputs.idI].map((id) => ({ id, r: inputs.roomR[id] })));

  // Frames under a per-sender key: slot 1, epoch 0.
  const ring = new FrameKeyring();
  ring.setOwnSlot(1);
  ring.setSenderKey(0, inputs.mediaBaseKey);
  const counters = new FrameCounters();
  const camera = new FrameTransformer(ring, counters, { side: TransformSide.SEND, kind: 'video', stream: Stream.CAMERA });
  const mic = new FrameTransformer(ring, counters, { side: TransformSide.SEND, kind: 'audio', stream: Stream.MIC });
  const frames = [];
  for (const [what, transformer, stream, codec, plain] of [
    ['camera VP8 key frame', camera, Stream.CAMERA, 'video/VP8', '502d009d012a4001f000111111111111111111111111'],
    ['camera VP8 delta frame', camera, Stream.CAMERA, 'video/VP8', '310f01222222222222222222'],
    ['mic Opus frame', mic, Stream.MIC, 'audio/opus', 'fc0102030405'],
  ]) {
    const frame = { data: fromHex(plain).buffer, getMetadata: () => ({ mimeType: codec }) };
    if (!(await transformer.process(frame))) throw new Error('frame dropped');
    frames.push({ what, stream, codec, plain, wire: toHex(new Uint8Array(frame.data)) });
  }

  // A two-chunk file: bytes i*31+7 mod 256, 65,540 bytes.
  const fileSize = FILE_CHUNK_BYTES + 4;
  const file = Uint8Array.from({ length: fileSize }, (_, i) => (i * 31 + 7) & 0xff);
  const fileKey = await importFileKey(inputs.fileKey, 'encrypt');
  const lastChunk = await sealChunk(fileKey, inputs.fileId, 1, true, fileSize, file.subarray(FILE_CHUNK_BYTES));
  const firstChunk = await sealChunk(fileKey, inputs.fileId, 0, false, fileSize, file.subarray(0, FILE_CHUNK_BYTES));
  const smallChunk = await sealChunk(fileKey, inputs.fileId, 0, true, 5, Uint8Array.of(1, 2, 3, 4, 5));

  return {
    description: 'Sotto cross-implementation vectors for the pairwise protocol (E2EE-SPEC.md / docs/e2ee.md). Generated by web/e2ee/testdata/make-e2ee-vectors.mjs; the C# implementation must reproduce every byte. Private keys are X25519 scalars as given to the DH function (RFC 7748 clamps them).',
    inputs: {
      secret: toHex(inputs.secret), room_nfc: inputs.roomNfc, id_c: inputs.idC, id_i: inputs.idI,
      static_c_private: toHex(inputs.staticC), static_i_private: toHex(inputs.staticI),
      ephemeral_c_private: toHex(inputs.ephemeralC), ephemeral_i_private: toHex(inputs.ephemeralI),
      name_c: inputs.nameC, name_i: inputs.nameI,
      room_r: Object.fromEntries(Object.entries(inputs.roomR).map(([id, r]) => [id, toHex(r)])),
      media_base_key: toHex(inputs.mediaBaseKey), file_key: toHex(inputs.fileKey), file_id: toHex(inputs.fileId),
    },
    link: {
      forms: linkForms,
      room: toHex(room),
      psk: toHex(psk),
      psk_without_secret: toHex(await linkPsk(null, room)),
    },
    handshake: {
      static_c_public: toHex(sC.publicKey), static_i_public: toHex(sI.publicKey),
      ephemeral_c_public: toHex(eC.publicKey), ephemeral_i_public: toHex(eI.publicKey),
      c: toHex(c), sid: toHex(sid), prologue: toHex(pro),
      commit_blob: toHex(encodeBlob(BlobType.COMMIT, c)),
      hs1_blob: toHex(encodeBlob(BlobType.HS1, sid, msg1)),
      hs2_blob: toHex(encodeBlob(BlobType.HS2, sid, msg2)),
      resync_blob: toHex(encodeBlob(BlobType.RESYNC, sid)),
      h: toHex(h),
    },
    sas: { bytes: toHex(sas), indices: emojiIndices(sas), en: sasEmoji(sas).map((e) => e.en), ru: sasEmoji(sas).map((e) => e.ru) },
    transport: {
      key_i_to_c: toHex(keyIC0),
      key_i_to_c_after_one_message: toHex(keyIC1),
      first_i_to_c: { json: helloI, blob: toHex(transportI) },
      first_c_to_i: { json: helloC, blob: toHex(transportC) },
    },
    room_code: {
      rid: toHex(rid), commits, code: toHex(code), indices: emojiIndices(code),
    },
    kid: [
      { slot: 1, stream: 1, epoch: 0, ctr: 5, kid: makeKid(1, 1, 0).toString(16), header: toHex(encodeHeader(makeKid(1, 1, 0), 5n)) },
      { slot: 1, stream: 1, epoch: 0, ctr: 300, kid: makeKid(1, 1, 0).toString(16), header: toHex(encodeHeader(makeKid(1, 1, 0), 300n)) },
      { slot: 0x1234, stream: 2, epoch: 259, ctr: 0, kid: makeKid(0x1234, 2, 259).toString(16), header: toHex(encodeHeader(makeKid(0x1234, 2, 259), 0n)) },
    ],
    frames: { slot: 1, epoch: 0, base_key: toHex(inputs.mediaBaseKey), in_order: frames },
    file: {
      size: fileSize, content_rule: 'byte i = (i * 31 + 7) mod 256', sha256: toHex(new Sha256Stream().update(file).digest()),
      sha256_check: toHex(await sha256(file)),
      first_chunk_blob_sha256: toHex(await sha256(firstChunk)),
      last_chunk_blob: toHex(lastChunk),
      five_byte_file_01to05_chunk_blob: toHex(smallChunk),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const vectors = await computeVectors();
  writeFileSync(new URL('./sotto-e2ee-vectors.json', import.meta.url), `${JSON.stringify(vectors, null, 1)}\n`);
  console.log('wrote sotto-e2ee-vectors.json');
}
