// Sotto cross-implementation vectors (testdata/sotto-frames.json, §S16): the JavaScript must keep
// producing exactly these bytes, which the C# implementation checks too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { fromHex, toHex } from './bytes.js';
import { TransformSide } from './frame-messages.js';
import { FrameCounters, FrameTransformer } from './frame-pipeline.js';
import { streamMediaKind } from './frame-policy.js';
import { FrameKeyring } from './keyring.js';
import { linkPsk, parseLink } from './link.js';

const vectors = JSON.parse(readFileSync(new URL('./testdata/sotto-frames.json', import.meta.url), 'utf8'));

function frame(hex, mimeType) {
  return { data: fromHex(hex).buffer, getMetadata: () => ({ mimeType }) };
}

test('links → ROOM and PSK', async () => {
  assert.equal(vectors.links.length, 2);
  for (const href of vectors.links) {
    const link = parseLink(href);
    assert.equal(toHex(link.secret), vectors.secret);
    assert.equal(toHex(link.room), vectors.room);
    assert.equal(toHex(await linkPsk(link.secret, link.room)), vectors.psk);
  }
});

test('frames encrypt to the recorded bytes, in order, and decrypt back', async () => {
  // The field keeps its historical name (the file is shared with the C# tests): it is simply the
  // sender's base key of epoch `sender.epoch` — per-sender keys (§S6) are the only keys there are.
  const key = fromHex(vectors.interim_media_key);
  const senderRing = new FrameKeyring();
  senderRing.setOwnSlot(vectors.sender.slot);
  senderRing.setSenderKey(vectors.sender.epoch, key);
  const receiverRing = new FrameKeyring();
  receiverRing.setOwnSlot(vectors.sender.slot + 1);
  receiverRing.addReceiverKey(vectors.sender.slot, vectors.sender.epoch, key);
  const counters = new FrameCounters();
  const senders = new Map();
  const receivers = new Map();
  const options = (side, stream) => ({ side, stream, kind: streamMediaKind(stream), ownerSlot: vectors.sender.slot });

  assert.equal(vectors.frames.length, 4);
  for (const v of vectors.frames) {
    if (!senders.has(v.stream)) {
      senders.set(v.stream, new FrameTransformer(senderRing, counters, options(TransformSide.SEND, v.stream)));
      receivers.set(v.stream, new FrameTransformer(receiverRing, counters, options(TransformSide.RECEIVE, v.stream)));
    }
    const sent = frame(v.plain, v.codec);
    assert.ok(await senders.get(v.stream).process(sent));
    assert.equal(toHex(new Uint8Array(sent.data)), v.wire, v.what);
    const received = frame(v.wire, v.codec);
    assert.ok(await receivers.get(v.stream).process(received));
    assert.equal(toHex(new Uint8Array(received.data)), v.plain, v.what);
  }
});
