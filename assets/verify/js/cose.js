// COSE_Sign1 (RFC 9052 §4.2) with EdDSA, as core/codec/cose reads it: tag 18 or untagged,
// [protected bstr, unprotected map, payload bstr, signature bstr]; the protected header must hold
// alg -8; the kid comes from the protected header when there, else the unprotected one. The
// signature is Ed25519 over Sig_structure = ["Signature1", protected, h'', payload] (audited
// @noble/ed25519 in its strict RFC 8032 mode, which like libsodium refuses small-order keys).

import * as ed from '../vendor/ed25519.mjs';
import { CborError, CborMap, CborTag, decodeCbor, encodeSigStructure } from './cbor_read.js';

export const TAG_SIGN1 = 18;
export const ALG_EDDSA = -8;
const ENVELOPE_LIMITS = { maxDepth: 8, maxItems: 1 << 16 };

export class CoseError extends Error {}

// {protectedBytes, alg, kid, payload, signature}. Throws CoseError (or CborError) when the bytes
// are not such an envelope; CoseError with unsupported = true for another algorithm.
export function parseSign1(bytes) {
  const bad = (what) => {
    throw new CoseError(`COSE_Sign1: ${what}`);
  };
  let top = decodeCbor(bytes, ENVELOPE_LIMITS);
  if (top instanceof CborTag) {
    if (top.tag !== TAG_SIGN1) bad('not tagged 18');
    top = top.value;
  }
  if (!Array.isArray(top) || top.length !== 4) bad('not a 4-element array');
  const [prot, unprot, payload, signature] = top;
  if (!(prot instanceof Uint8Array) || !(unprot instanceof CborMap)) bad('wrong element types');
  if (!(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    bad('wrong element types');
  }
  let protMap = new CborMap([]);
  if (prot.length) {
    try {
      protMap = decodeCbor(prot, ENVELOPE_LIMITS);
    } catch (e) {
      if (!(e instanceof CborError)) throw e;
      protMap = null;
    }
    if (!(protMap instanceof CborMap)) bad('protected header is not a map');
  }
  const alg = protMap.get(1);
  if (typeof alg !== 'number' && typeof alg !== 'bigint')
    bad('no algorithm in the protected header');
  if (alg !== ALG_EDDSA) {
    const e = new CoseError('COSE_Sign1: algorithm is not EdDSA (-8)');
    e.unsupported = true;
    throw e;
  }
  let kid = protMap.get(4);
  if (kid === undefined) kid = unprot.get(4);
  if (kid !== undefined && !(kid instanceof Uint8Array)) bad('kid is not a byte string');
  return { protectedBytes: prot, alg, kid: kid ?? new Uint8Array(0), payload, signature };
}

// True when the message's signature is a valid Ed25519 signature by the 32-byte key.
export async function verifySign1(msg, publicKey) {
  if (msg.alg !== ALG_EDDSA || msg.signature.length !== 64 || publicKey.length !== 32) return false;
  const tbs = encodeSigStructure(msg.protectedBytes, msg.payload);
  try {
    return await ed.verifyAsync(msg.signature, tbs, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

// The key id: the first 8 bytes of SHA-256 of the raw public key.
export async function kidOf(publicKey) {
  const d = await crypto.subtle.digest('SHA-256', publicKey);
  return new Uint8Array(d, 0, 8).slice();
}

export const sameBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
export const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
export function fromHex(s) {
  if (typeof s !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(s)) return null;
  return Uint8Array.from(s.match(/../g) || [], (h) => parseInt(h, 16));
}
