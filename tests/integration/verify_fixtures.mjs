// Test fixtures for the certificate verifier page (verify_unit_test.mjs, verify_page_test.mjs):
// a small CBOR writer, Ed25519 keys and COSE_Sign1 made with node's own crypto, and the QR text
// form (core/FORMATS.md), so that lists and certificates can be made without shelterctl, with
// the keys later versions add.
import crypto from 'node:crypto';
import zlib from 'node:zlib';

// ---- a small CBOR writer (Map -> map in insertion order, Uint8Array -> bstr, {tag, value})
export function enc(v, out = []) {
  const head = (major, n) => {
    const m = major << 5;
    if (typeof n === 'bigint' || n >= 2 ** 32) {
      out.push(m | 27);
      const b = BigInt(n);
      for (let i = 7; i >= 0; --i) out.push(Number((b >> BigInt(8 * i)) & 0xffn));
    } else if (n < 24) out.push(m | n);
    else if (n < 0x100) out.push(m | 24, n);
    else if (n < 0x10000) out.push(m | 25, n >> 8, n & 0xff);
    else out.push(m | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  };
  if (v === true || v === false) out.push(v ? 0xf5 : 0xf4);
  else if (v === null) out.push(0xf6);
  else if (typeof v === 'number' || typeof v === 'bigint') {
    if (v >= 0) head(0, v);
    else head(1, typeof v === 'bigint' ? -1n - v : -1 - v);
  } else if (typeof v === 'string') {
    const b = new TextEncoder().encode(v);
    head(3, b.length);
    out.push(...b);
  } else if (v instanceof Uint8Array) {
    head(2, v.length);
    out.push(...v);
  } else if (Array.isArray(v)) {
    head(4, v.length);
    for (const x of v) enc(x, out);
  } else if (v instanceof Map) {
    head(5, v.size);
    for (const [k, x] of v) {
      enc(k, out);
      enc(x, out);
    }
  } else if (v && 'tag' in v) {
    head(6, v.tag);
    enc(v.value, out);
  } else throw new Error('enc');
  return out;
}
export const cbor = (v) => Uint8Array.from(enc(v));
export const M = (...pairs) => new Map(pairs);

// ---- keys, COSE_Sign1
export function newKey() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const pk = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url'));
  const kid = new Uint8Array(crypto.createHash('sha256').update(pk).digest().subarray(0, 8));
  return { pk, kid, sk: privateKey };
}
const PROTECTED = cbor(M([1, -8]));
export function sign1(payloadBytes, key, { kid = key.kid, protectedBytes = PROTECTED } = {}) {
  const tbs = cbor(['Signature1', protectedBytes, new Uint8Array(0), payloadBytes]);
  const sig = new Uint8Array(crypto.sign(null, tbs, key.sk));
  return cbor({ tag: 18, value: [protectedBytes, M([4, kid]), payloadBytes, sig] });
}
export function wireText(prefix, cose, { compress = true } = {}) {
  const z = new Uint8Array(zlib.deflateSync(cose, { level: 9 }));
  const wire = compress && z.length < cose.length ? z : cose;
  return `${prefix}${base45Encode(wire)}`;
}
export const jdv1 = (cose, options) => wireText('JDV1:', cose, options);

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
export function base45Encode(bytes) {
  let out = '';
  let i = 0;
  for (; i + 1 < bytes.length; i += 2) {
    const n = bytes[i] * 256 + bytes[i + 1];
    out += ALPHABET[n % 45] + ALPHABET[Math.floor(n / 45) % 45] + ALPHABET[Math.floor(n / 2025)];
  }
  if (i < bytes.length) out += ALPHABET[bytes[i] % 45] + ALPHABET[Math.floor(bytes[i] / 45)];
  return out;
}
