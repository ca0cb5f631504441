// The QR texts that carry COSE documents (core/FORMATS.md): a prefix (JDV1: a certificate, JTL1:
// a trust list, JSL1: a status list), then Base45 of the wire bytes, which are zlib(COSE) when the
// first byte is 0x78, else the COSE bytes. Inflating stops at a cap (a zlib bomb is refused).

import { base45Decode } from './base45.js';

export class WireError extends Error {}

export const PREFIXES = ['JDV1:', 'JTL1:', 'JSL1:'];
export const JDV1_MAX_CHARS = 4096;
export const JDV1_MAX_COSE = 378 * 4; // core/formats/certificate: kCoseMaxBytes * 4
export const LIST_MAX_CHARS = 1 << 20;
export const LIST_MAX_COSE = 8 << 20;

// Which of the prefixes the text starts with (after surrounding white space), or ''.
export function prefixOf(text) {
  const t = trimSpace(String(text));
  return PREFIXES.find((p) => t.startsWith(p)) || '';
}

// C's isspace: space, \t \n \v \f \r.
export const trimSpace = (s) => s.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');

// Inflates zlib bytes, failing beyond maxBytes.
export async function inflate(bytes, maxBytes) {
  if (typeof DecompressionStream === 'undefined') throw new WireError('no DecompressionStream');
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  const reader = stream.getReader();
  const parts = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        reader.cancel().catch(() => {});
        throw new WireError('inflated data too large');
      }
      parts.push(value);
    }
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError('bad zlib data');
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// The COSE bytes inside "PREFIX...". Throws WireError for a missing prefix, text over maxChars,
// bad Base45, bad zlib, or more than maxCose bytes once inflated.
export async function decodeWire(text, prefix, maxChars = JDV1_MAX_CHARS, maxCose = JDV1_MAX_COSE) {
  const t = trimSpace(String(text));
  if (t.length > maxChars) throw new WireError(`${prefix} text too long`);
  if (!t.startsWith(prefix)) throw new WireError(`no ${prefix} prefix`);
  const wire = base45Decode(t.slice(prefix.length));
  if (!wire) throw new WireError('bad Base45');
  if (wire.length === 0) throw new WireError('empty');
  if (wire[0] === 0x78) return inflate(wire, maxCose);
  return wire;
}
