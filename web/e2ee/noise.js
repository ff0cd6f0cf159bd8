// The Noise Protocol Framework (rev 34) on WebCrypto, for exactly the two patterns Sotto needs:
// Noise_IXpsk2_25519_AESGCM_SHA256 (E2EE-SPEC.md §S4.4) and plain Noise_IX_25519_AESGCM_SHA256
// (only to check the cacophony vectors). Section numbers below are the Noise spec's.
//
//   IXpsk2:
//     -> e, s
//     <- e, ee, se, s, es, psk
//
// Runs unchanged in browsers and node 20 (globalThis.crypto: X25519, HKDF, AES-GCM, SHA-256).

import { concat, u64 } from './bytes.js';

const subtle = globalThis.crypto.subtle;

export const DHLEN = 32;
export const HASHLEN = 32;
export const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** §5.1: nonce 2^64 − 1 is reserved (Rekey uses it); a CipherState never encrypts with it. */
const MAX_NONCE = 0xffffffffffffffffn;

/** Any failure that must abort the handshake or break the channel. `reason` is machine-readable. */
export class NoiseError extends Error {
  constructor(reason, message) {
    super(message ?? reason);
    this.name = 'NoiseError';
    this.reason = reason;
  }
}

export const NoiseFailure = Object.freeze({
  /** An X25519 result was all zero: a low-order or otherwise invalid public key (§S1). */
  BAD_DH: 'bad-dh',
  /** An AEAD tag did not verify. */
  DECRYPT: 'decrypt',
  /** A message of the wrong length or a call out of order. */
  FORMAT: 'format',
});

// --- DH functions (§12.1, 25519) -------------------------------------------------------------

/** A key pair: the private key stays a WebCrypto key; `publicKey` is the 32 raw bytes. */
export async function generateKeyPair() {
  const pair = await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)) };
}

// PKCS#8 PrivateKeyInfo for an X25519 key (RFC 8410 §7): the fixed prefix before the 32 bytes.
const PKCS8_X25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

/**
 * A key pair from fixed private bytes — for test vectors only (fixed keys are never used in a
 * call). WebCrypto has no way to compute a public key from a non-extractable private key, so the
 * key is imported extractable once to read its public half from the JWK.
 */
export async function keyPairFromPrivate(privateBytes) {
  if (privateBytes.length !== DHLEN) throw new RangeError('X25519 private keys are 32 bytes');
  const privateKey = await subtle.importKey('pkcs8', concat(PKCS8_X25519_PREFIX, privateBytes), { name: 'X25519' }, true, ['deriveBits']);
  const jwk = await subtle.exportKey('jwk', privateKey);
  const publicKey = base64urlToBytes(jwk.x);
  return { privateKey, publicKey };
}

function base64urlToBytes(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

/**
 * DH(key_pair, public_key) (§4.1). An all-zero result aborts (§S1): it means the peer sent a
 * low-order point and the "shared" secret is known to everyone. WebCrypto already refuses it
 * (OperationError, per the Secure Curves draft); the explicit check keeps that guarantee if an
 * implementation did not.
 */
export async function dh(keyPair, publicKeyBytes) {
  if (publicKeyBytes.length !== DHLEN) throw new NoiseError(NoiseFailure.FORMAT, 'X25519 public keys are 32 bytes');
  let shared;
  try {
    const publicKey = await subtle.importKey('raw', publicKeyBytes, { name: 'X25519' }, false, []);
    shared = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: publicKey }, keyPair.privateKey, 256));
  } catch {
    throw new NoiseError(NoiseFailure.BAD_DH, 'X25519 failed (low-order public key)');
  }
  let any = 0;
  for (const b of shared) any |= b;
  if (any === 0) throw new NoiseError(NoiseFailure.BAD_DH, 'X25519 result is all zero');
  return shared;
}

// --- hash functions (§12.5 SHA-256, §4.3 HKDF) -----------------------------------------------

export async function sha256(...parts) {
  return new Uint8Array(await subtle.digest('SHA-256', concat(...parts)));
}

/**
 * Noise's HKDF(chaining_key, input_key_material, num_outputs) (§4.3) is RFC 5869 HKDF with
 * salt = chaining_key and empty info (§S4.4): its outputs are the first 32·n bytes of the OKM.
 */
async function noiseHkdf(chainingKey, inputKeyMaterial, numOutputs) {
  const key = await subtle.importKey('raw', inputKeyMaterial, 'HKDF', false, ['deriveBits']);
  const okm = new Uint8Array(await subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: chainingKey, info: new Uint8Array(0) }, key, numOutputs * HASHLEN * 8,
  ));
  const outputs = [];
  for (let i = 0; i < numOutputs; i++) outputs.push(okm.slice(i * HASHLEN, (i + 1) * HASHLEN));
  return outputs;
}

// --- cipher functions (§12.3 AESGCM) ---------------------------------------------------------

/** AESGCM nonce (§12.3): 32 bits of zeros followed by big-endian encoding of n (§S4.4). */
function aesGcmNonce(n) {
  return concat(new Uint8Array(4), u64(n));
}

async function aesGcm(operation, key, n, ad, data) {
  const cryptoKey = await subtle.importKey('raw', key, 'AES-GCM', false, [operation]);
  const params = { name: 'AES-GCM', iv: aesGcmNonce(n), additionalData: ad, tagLength: TAG_BYTES * 8 };
  return new Uint8Array(await subtle[operation](params, cryptoKey, data));
}

// --- CipherState (§5.1) ----------------------------------------------------------------------

export class CipherState {
  /** @type {Uint8Array|null} */
  #k = null;
  /** @type {bigint} */
  #n = 0n;

  constructor(key = null) {
    this.initializeKey(key);
  }

  initializeKey(key) {
    this.#k = key === null ? null : key.slice();
    this.#n = 0n;
  }

  hasKey() {
    return this.#k !== null;
  }

  get nonce() {
    return this.#n;
  }

  /** A copy (for the §S4.9 diagnosis, which replays one step with another PSK). */
  clone() {
    const copy = new CipherState(this.#k);
    copy.#n = this.#n;
    return copy;
  }

  #nextNonce() {
    if (this.#n >= MAX_NONCE) throw new NoiseError(NoiseFailure.FORMAT, 'nonce exhausted');
    return this.#n;
  }

  async encryptWithAd(ad, plaintext) {
    if (this.#k === null) return plaintext.slice();
    const ciphertext = await aesGcm('encrypt', this.#k, this.#nextNonce(), ad, plaintext);
    this.#n++;
    return ciphertext;
  }

  /** Throws NoiseError(DECRYPT) on a bad tag; the nonce then does not advance (§5.1). */
  async decryptWithAd(ad, ciphertext) {
    if (this.#k === null) return ciphertext.slice();
    if (ciphertext.length < TAG_BYTES) throw new NoiseError(NoiseFailure.DECRYPT, 'ciphertext shorter than a tag');
    let plaintext;
    try {
      plaintext = await aesGcm('decrypt', this.#k, this.#nextNonce(), ad, ciphertext);
    } catch {
      throw new NoiseError(NoiseFailure.DECRYPT, 'AEAD tag mismatch');
    }
    this.#n++;
    return plaintext;
  }

  /**
   * Rekey() (§4.2, §11.3): k = the first 32 bytes of ENCRYPT(k, 2^64 − 1, empty, 32 zero bytes).
   * The nonce is NOT reset: Sotto rekeys after every message, so the counter keeps counting
   * messages and a replayed ciphertext meets both a new key and a new nonce.
   */
  async rekey() {
    if (this.#k === null) throw new NoiseError(NoiseFailure.FORMAT, 'rekey without a key');
    const out = await aesGcm('encrypt', this.#k, MAX_NONCE, new Uint8Array(0), new Uint8Array(KEY_BYTES));
    this.#k.fill(0);
    this.#k = out.slice(0, KEY_BYTES);
  }

  /** The current key, for the cross-implementation vectors only. */
  keyForVectors() {
    return this.#k?.slice() ?? null;
  }

  /** Forgets the key; the state is useless afterwards. */
  destroy() {
    this.#k?.fill(0);
    this.#k = null;
  }
}

// --- SymmetricState (§5.2) -------------------------------------------------------------------

export class SymmetricState {
  cipher = new CipherState();
  /** @type {Uint8Array} */ ck;
  /** @type {Uint8Array} */ h;

  static async initialize(protocolName) {
    const state = new SymmetricState();
    const name = new TextEncoder().encode(protocolName);
    if (name.length <= HASHLEN) {
      state.h = new Uint8Array(HASHLEN);
      state.h.set(name);
    } else {
      state.h = await sha256(name);
    }
    state.ck = state.h.slice();
    return state;
  }

  clone() {
    const copy = new SymmetricState();
    copy.cipher = this.cipher.clone();
    copy.ck = this.ck.slice();
    copy.h = this.h.slice();
    return copy;
  }

  async mixKey(inputKeyMaterial) {
    const [ck, tempK] = await noiseHkdf(this.ck, inputKeyMaterial, 2);
    this.ck = ck;
    this.cipher.initializeKey(tempK);
  }

  async mixHash(data) {
    this.h = await sha256(this.h, data);
  }

  async mixKeyAndHash(inputKeyMaterial) {
    const [ck, tempH, tempK] = await noiseHkdf(this.ck, inputKeyMaterial, 3);
    this.ck = ck;
    await this.mixHash(tempH);
    this.cipher.initializeKey(tempK);
  }

  async encryptAndHash(plaintext) {
    const ciphertext = await this.cipher.encryptWithAd(this.h, plaintext);
    await this.mixHash(ciphertext);
    return ciphertext;
  }

  async decryptAndHash(ciphertext) {
    const plaintext = await this.cipher.decryptWithAd(this.h, ciphertext);
    await this.mixHash(ciphertext);
    return plaintext;
  }

  /** Split() (§5.2): the two transport CipherStates, initiator→responder first. */
  async split() {
    const [k1, k2] = await noiseHkdf(this.ck, new Uint8Array(0), 2);
    return [new CipherState(k1), new CipherState(k2)];
  }
}

// --- HandshakeState (§5.3) -------------------------------------------------------------------

export const Pattern = Object.freeze({
  /** Noise_IXpsk2: psk2 puts the psk token at the end of the second message (§9.2). */
  IXpsk2: { name: 'IXpsk2', psk: true, messages: [['e', 's'], ['e', 'ee', 'se', 's', 'es', 'psk']] },
  IX: { name: 'IX', psk: false, messages: [['e', 's'], ['e', 'ee', 'se', 's', 'es']] },
});

export const SOTTO_PROTOCOL = 'Noise_IXpsk2_25519_AESGCM_SHA256';

export class HandshakeState {
  /** @type {SymmetricState} */ symmetric;
  pattern;
  initiator;
  s;
  e;
  /** @type {Uint8Array|null} */ rs = null;
  /** @type {Uint8Array|null} */ re = null;
  psk;
  #messageIndex = 0;
  /**
   * §S4.9: a copy of the symmetric state taken just before the psk token, kept until the channel
   * is confirmed so that a failure can be replayed with another PSK for the diagnosis.
   * @type {SymmetricState|null}
   */
  beforePsk = null;

  /**
   * Initialize() (§5.3). The pre-message patterns of IX are empty.
   * @param {{pattern: object, initiator: boolean, prologue: Uint8Array, s: object, e?: object,
   *   psk?: Uint8Array}} options e is normally generated on first use; vectors pass a fixed one
   */
  static async initialize({ pattern, initiator, prologue, s, e = null, psk = null }) {
    if (pattern.psk && (!(psk instanceof Uint8Array) || psk.length !== 32)) throw new RangeError('the PSK must be 32 bytes');
    const state = new HandshakeState();
    state.pattern = pattern;
    state.initiator = initiator;
    state.s = s;
    state.e = e;
    state.psk = pattern.psk ? psk.slice() : null;
    state.symmetric = await SymmetricState.initialize(`Noise_${pattern.name}_25519_AESGCM_SHA256`);
    await state.symmetric.mixHash(prologue);
    return state;
  }

  get handshakeHash() {
    return this.symmetric.h.slice();
  }

  get isComplete() {
    return this.#messageIndex >= this.pattern.messages.length;
  }

  #tokens(writing) {
    if (this.isComplete) throw new NoiseError(NoiseFailure.FORMAT, 'handshake already complete');
    const myTurn = (this.#messageIndex % 2 === 0) === this.initiator;
    if (myTurn !== writing) throw new NoiseError(NoiseFailure.FORMAT, 'not this side\'s turn');
    return this.pattern.messages[this.#messageIndex++];
  }

  /** The DH for "ee", "es", "se" from this side's point of view. */
  #dhFor(token) {
    const [first, second] = token; // first letter: initiator's key, second: responder's key
    const mine = this.initiator ? first : second;
    const theirs = this.initiator ? second : first;
    return dh(mine === 'e' ? this.e : this.s, theirs === 'e' ? this.re : this.rs);
  }

  async #psk() {
    this.beforePsk = this.symmetric.clone();
    await this.symmetric.mixKeyAndHash(this.psk);
  }

  /** WriteMessage(payload) (§5.3). Returns the message bytes. */
  async writeMessage(payload = new Uint8Array(0)) {
    const parts = [];
    for (const token of this.#tokens(true)) {
      switch (token) {
        case 'e':
          this.e ??= await generateKeyPair();
          parts.push(this.e.publicKey);
          await this.symmetric.mixHash(this.e.publicKey);
          if (this.pattern.psk) await this.symmetric.mixKey(this.e.publicKey); // §9.2
          break;
        case 's':
          parts.push(await this.symmetric.encryptAndHash(this.s.publicKey));
          break;
        case 'psk':
          await this.#psk();
          break;
        default:
          await this.symmetric.mixKey(await this.#dhFor(token));
      }
    }
    parts.push(await this.symmetric.encryptAndHash(payload));
    return concat(...parts);
  }

  /**
   * ReadMessage(message) (§5.3). Returns the payload. `onRemoteStatic(rs, re)` runs right after
   * the remote static key is decrypted and may throw to abort before any further token — Sotto's
   * initiator checks the commitment there (§S4.5: "check c" comes before "es, psk").
   */
  async readMessage(message, { onRemoteStatic } = {}) {
    let offset = 0;
    const take = (length) => {
      if (offset + length > message.length) throw new NoiseError(NoiseFailure.FORMAT, 'message too short');
      const part = message.subarray(offset, offset + length);
      offset += length;
      return part;
    };
    for (const token of this.#tokens(false)) {
      switch (token) {
        case 'e':
          this.re = take(DHLEN).slice();
          await this.symmetric.mixHash(this.re);
          if (this.pattern.psk) await this.symmetric.mixKey(this.re);
          break;
        case 's': {
          const length = this.symmetric.cipher.hasKey() ? DHLEN + TAG_BYTES : DHLEN;
          this.rs = await this.symmetric.decryptAndHash(take(length));
          if (onRemoteStatic) await onRemoteStatic(this.rs, this.re);
          break;
        }
        case 'psk':
          await this.#psk();
          break;
        default:
          await this.symmetric.mixKey(await this.#dhFor(token));
      }
    }
    return this.symmetric.decryptAndHash(message.subarray(offset));
  }

  /** After the last message: [initiator→responder, responder→initiator] CipherStates. */
  async split() {
    if (!this.isComplete) throw new NoiseError(NoiseFailure.FORMAT, 'split before the handshake is complete');
    return this.symmetric.split();
  }

  /** §S4.6 "Delete e and ck" once the channel is confirmed. */
  forgetSecrets() {
    this.e = null;
    this.symmetric.ck?.fill(0);
    this.symmetric.cipher.destroy();
    this.beforePsk?.ck.fill(0);
    this.beforePsk?.cipher.destroy();
    this.beforePsk = null;
    this.psk?.fill(0);
  }
}
