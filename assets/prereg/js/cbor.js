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
