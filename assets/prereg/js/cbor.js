// A small CBOR encoder (RFC 8949) for the JPR1 code: definite lengths only, unsigned and negative
// integers, text, arrays, maps with keys in the order given, and booleans. No floats: the
// tablets' decoder refuses them.

const utf8 = new TextEncoder();

class Writer {
  constructor() {
    this.bytes = [];
  }

  head(major, n) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('CBOR: bad length or integer');
    const m = major << 5;
    if (n < 24) {
      this.bytes.push(m | n);
    } else if (n < 0x100) {
      this.bytes.push(m | 24, n);
    } else if (n < 0x10000) {
      this.bytes.push(m | 25, n >> 8, n & 0xff);
    } else if (n < 0x100000000) {
      this.bytes.push(m | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    } else {
      const hi = Math.floor(n / 0x100000000);
      const lo = n >>> 0;
      this.bytes.push(m | 27);
      for (const word of [hi, lo]) {
        this.bytes.push(
          (word >>> 24) & 0xff,
          (word >>> 16) & 0xff,
          (word >>> 8) & 0xff,
          word & 0xff,
        );
      }
    }
  }

  item(value) {
    if (typeof value === 'boolean') {
      this.bytes.push(value ? 0xf5 : 0xf4);
    } else if (typeof value === 'number') {
      if (!Number.isInteger(value)) throw new TypeError('CBOR: only integers are written');
      if (value >= 0) this.head(0, value);
      else this.head(1, -1 - value);
    } else if (typeof value === 'string') {
      const b = utf8.encode(value);
      this.head(3, b.length);
      for (const x of b) this.bytes.push(x);
    } else if (Array.isArray(value)) {
      this.head(4, value.length);
      for (const v of value) this.item(v);
    } else if (value instanceof Map) {
      this.head(5, value.size);
      for (const [k, v] of value) {
        this.item(k);
        this.item(v);
      }
    } else {
      throw new TypeError('CBOR: unsupported value');
    }
  }
}

// Encodes one value (boolean, integer, string, Array or Map) to a Uint8Array.
export function encodeCbor(value) {
  const w = new Writer();
  w.item(value);
  return Uint8Array.from(w.bytes);
}

// Decodes what encodeCbor writes (definite lengths; maps become Map). Throws RangeError on
// anything else, on truncation, or deeper than maxDepth; the caller catches.
export function decodeCbor(bytes, maxDepth = 6) {
  let at = 0;
  const byte = () => {
    if (at >= bytes.length) throw new RangeError('CBOR: truncated');
    return bytes[at++];
  };
  const arg = (info) => {
    if (info < 24) return info;
    const n = { 24: 1, 25: 2, 26: 4 }[info];
    if (!n) throw new RangeError('CBOR: unsupported length');
    let v = 0;
    for (let i = 0; i < n; ++i) v = v * 256 + byte();
    return v;
  };
  const item = (depth) => {
    if (depth > maxDepth) throw new RangeError('CBOR: too deep');
    const b = byte();
    const major = b >> 5;
    const info = b & 31;
    if (major === 7) {
      if (info === 20 || info === 21) return info === 21;
      throw new RangeError('CBOR: unsupported simple value');
    }
    const n = arg(info);
    if (major === 0) return n;
    if (major === 1) return -1 - n;
    if (major === 3) {
      if (at + n > bytes.length) throw new RangeError('CBOR: truncated');
      const s = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + n));
      at += n;
      return s;
    }
    if (n > bytes.length - at) throw new RangeError('CBOR: truncated');
    if (major === 4) return Array.from({ length: n }, () => item(depth + 1));
    if (major === 5) {
      const m = new Map();
      for (let i = 0; i < n; ++i) m.set(item(depth + 1), item(depth + 1));
      return m;
    }
    throw new RangeError('CBOR: unsupported type');
  };
  const v = item(0);
  if (at !== bytes.length) throw new RangeError('CBOR: trailing bytes');
  return v;
}
