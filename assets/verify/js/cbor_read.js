// A strict CBOR (RFC 8949) decoder for untrusted bytes, shaped like core/codec/cbor: definite
// lengths only; unsigned and negative integers up to 2^63 - 1 in size; byte and text strings
// (text must be valid UTF-8); arrays, maps, tags; false, true and null. Floats, other simple
// values, indefinite lengths, trailing bytes, nesting deeper than maxDepth and more than maxItems
// items are refused. Throws CborError; callers catch it.
//
// Values: integers are Numbers when they are safe integers, else BigInts; byte strings are
// Uint8Array; maps are CborMap (entries kept in order, duplicates kept, lookup finds the first, as
// the C++ decoder does); tags are {tag, value} (CborTag).

export class CborError extends Error {}

export class CborMap {
  constructor(entries) {
    this.entries = entries; // [[key, value], ...]
  }

  // The value of the first entry whose key is this integer or text, or undefined.
  get(key) {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }

  get size() {
    return this.entries.length;
  }
}

export class CborTag {
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const TWO63 = 1n << 63n;

export function decodeCbor(bytes, { maxDepth = 16, maxItems = 1 << 20 } = {}) {
  if (!(bytes instanceof Uint8Array)) throw new CborError('CBOR: not bytes');
  let pos = 0;
  let items = 0;
  const fail = (what) => {
    throw new CborError(`CBOR: ${what} at byte ${pos}`);
  };

  // The head's argument as a BigInt when over 2^53, else a Number.
  const readArg = (info) => {
    if (info < 24) return info;
    const n = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
    if (!n) fail('indefinite length or reserved value');
    if (bytes.length - pos < n) fail('truncated');
    let v = 0n;
    for (let i = 0; i < n; ++i) v = (v << 8n) | BigInt(bytes[pos + i]);
    pos += n;
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const remaining = () => bytes.length - pos;

  const read = (depth) => {
    if (depth > maxDepth) fail('nesting too deep');
    if (++items > maxItems) fail('too many items');
    if (pos >= bytes.length) fail('truncated');
    const head = bytes[pos++];
    const major = head >> 5;
    const info = head & 31;
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      fail('unsupported simple value or float');
    }
    const arg = readArg(info);
    switch (major) {
      case 0:
        if (typeof arg === 'bigint' && arg >= TWO63) fail('integer out of range');
        return arg;
      case 1: {
        if (typeof arg === 'bigint' && arg >= TWO63) fail('integer out of range');
        const v = -1n - BigInt(arg);
        return v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      case 2:
      case 3: {
        if (typeof arg === 'bigint' || arg > remaining()) fail('truncated string');
        const s = bytes.subarray(pos, pos + arg);
        pos += arg;
        if (major === 2) return Uint8Array.from(s);
        try {
          return utf8.decode(s);
        } catch {
          return fail('invalid UTF-8 in text string');
        }
      }
      case 4: {
        if (typeof arg === 'bigint' || arg > remaining()) fail('array longer than input');
        const a = [];
        for (let i = 0; i < arg; ++i) a.push(read(depth + 1));
        return a;
      }
      case 5: {
        if (typeof arg === 'bigint' || arg > remaining() / 2) fail('map longer than input');
        const m = [];
        for (let i = 0; i < arg; ++i) {
          const k = read(depth + 1);
          m.push([k, read(depth + 1)]);
        }
        return new CborMap(m);
      }
      case 6:
        return new CborTag(arg, read(depth + 1));
      default:
        return fail('unknown major type');
    }
  };
  const v = read(0);
  if (pos !== bytes.length) fail('trailing bytes');
  return v;
}

// The few writes verifying needs: the Sig_structure ["Signature1", protected, h'', payload].
function head(major, n, out) {
  const m = major << 5;
  if (n < 24) out.push(m | n);
  else if (n < 0x100) out.push(m | 24, n);
  else if (n < 0x10000) out.push(m | 25, n >> 8, n & 0xff);
  else out.push(m | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

export function encodeSigStructure(protectedBytes, payload) {
  const out = [];
  head(4, 4, out);
  const context = new TextEncoder().encode('Signature1');
  head(3, context.length, out);
  out.push(...context);
  const parts = [protectedBytes, new Uint8Array(0), payload];
  const lengths = [];
  for (const p of parts) {
    const h = [];
    head(2, p.length, h);
    lengths.push(h);
  }
  const total = out.length + lengths.reduce((n, h, i) => n + h.length + parts[i].length, 0);
  const buf = new Uint8Array(total);
  buf.set(out, 0);
  let at = out.length;
  parts.forEach((p, i) => {
    buf.set(lengths[i], at);
    at += lengths[i].length;
    buf.set(p, at);
    at += p.length;
  });
  return buf;
}
