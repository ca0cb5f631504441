// The municipality's signed trust list (JTL1) and status list (JSL1), read as
// core/formats/issuer_list reads them (core/FORMATS.md "Trust list and status list"): the root
// key's signature first, then every field. Keys added later (trust list 5: the municipality's
// name; key entry 9: the issuer's title; a fourth element of a revocation: its reason code) are
// read when present; other unknown keys are ignored.

import { CborError, CborMap, decodeCbor } from './cbor_read.js';
import { CoseError, kidOf, parseSign1, sameBytes, verifySign1 } from './cose.js';

export class ListError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind; // 'signature' (not the root key's), 'malformed', 'municipality'
  }
}

const MAX_KEYS = 10000;
const MAX_REVOCATIONS = 1000000;
const MAX_TEXT = 256;
const utf8 = new TextEncoder();
export const isInt = (v) => typeof v === 'number' || typeof v === 'bigint';
export const byteLength = (s) => utf8.encode(s).length;
const textAt = (m, k, max = MAX_TEXT) => {
  const v = m instanceof CborMap ? m.get(k) : undefined;
  return typeof v === 'string' && byteLength(v) <= max ? v : null;
};
const intAt = (m, k) => {
  const v = m instanceof CborMap ? m.get(k) : undefined;
  return isInt(v) ? v : null;
};

// Byte order of UTF-8 (std::string's <), not JavaScript's UTF-16 order.
export function compareUtf8(a, b) {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); ++i) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

async function openSigned(bytes, rootPk, magic, limits) {
  let msg;
  let payload;
  try {
    msg = parseSign1(bytes);
  } catch (e) {
    if (e instanceof CborError || e instanceof CoseError)
      throw new ListError('malformed', e.message);
    throw e;
  }
  if (!(await verifySign1(msg, rootPk))) {
    throw new ListError('signature', "signed list is not signed by this municipality's root key");
  }
  try {
    payload = decodeCbor(msg.payload, limits);
  } catch (e) {
    if (e instanceof CborError) throw new ListError('malformed', e.message);
    throw e;
  }
  if (!(payload instanceof CborMap) || textAt(payload, 0) !== magic) {
    throw new ListError('malformed', 'signed list: wrong document type');
  }
  return payload;
}

// Which list a root-signed COSE document is, without trusting it: 'JTL1', 'JSL1' or ''.
export function listKind(bytes) {
  try {
    const p = decodeCbor(parseSign1(bytes).payload, { maxDepth: 6, maxItems: 4 * MAX_REVOCATIONS });
    return p instanceof CborMap ? { JTL1: 'JTL1', JSL1: 'JSL1' }[p.get(0)] || '' : '';
  } catch {
    return '';
  }
}

// {version, issuedAt, code, name, keys: [{kid, pk, label, prefix, allowed, notBefore, notAfter,
// withdrawn, title}]}. Throws ListError.
export async function verifyTrustList(bytes, rootPk) {
  const p = await openSigned(bytes, rootPk, 'JTL1', { maxDepth: 6, maxItems: 200000 });
  const bad = (what) => {
    throw new ListError('malformed', `signed list: ${what}`);
  };
  const version = intAt(p, 1);
  const issuedAt = intAt(p, 2);
  const code = textAt(p, 3);
  const keys = p.get(4);
  if (version === null || version < 0 || issuedAt === null || code === null) bad('header');
  if (!Array.isArray(keys) || keys.length > MAX_KEYS) bad('header');
  const list = { version, issuedAt, code, name: textAt(p, 5) || '', keys: [] };
  for (const e of keys) {
    const kid = e instanceof CborMap ? e.get(1) : undefined;
    const pk = e instanceof CborMap ? e.get(2) : undefined;
    const types = e instanceof CborMap ? e.get(5) : undefined;
    const withdrawn = e instanceof CborMap ? e.get(8) : undefined;
    const k = {
      kid,
      pk,
      label: textAt(e, 3),
      prefix: textAt(e, 4),
      allowed: [],
      notBefore: intAt(e, 6),
      notAfter: intAt(e, 7),
      withdrawn,
      title: textAt(e, 9) || '',
    };
    if (!(kid instanceof Uint8Array) || kid.length !== 8 || !(pk instanceof Uint8Array)) {
      bad('issuing key entry');
    }
    if (pk.length !== 32 || k.label === null || k.prefix === null || !Array.isArray(types)) {
      bad('issuing key entry');
    }
    if (types.length > 3 || k.notBefore === null || k.notAfter === null) bad('issuing key entry');
    if (typeof withdrawn !== 'boolean') bad('issuing key entry');
    if (!sameBytes(await kidOf(pk), kid)) bad('kid does not match its key');
    for (const t of types) {
      if (!isInt(t) || t < 1 || t > 3) bad('certificate type');
      k.allowed.push(Number(t));
    }
    if (findKey(list, kid)) bad('duplicate kid');
    list.keys.push(k);
  }
  return list;
}

export const findKey = (trust, kid) => trust.keys.find((k) => sameBytes(k.kid, kid)) || null;

export const REASONS = ['error', 'duplicate', 'superseded', 'withdrawn', 'fraud'];

// {version, issuedAt, code, entries: [{serial, belowIssue, at, reason}]}. Throws ListError.
export async function verifyStatusList(bytes, rootPk) {
  const p = await openSigned(bytes, rootPk, 'JSL1', {
    maxDepth: 6,
    maxItems: 4 * MAX_REVOCATIONS + 16,
  });
  const bad = (what) => {
    throw new ListError('malformed', `signed list: ${what}`);
  };
  const version = intAt(p, 1);
  const issuedAt = intAt(p, 2);
  const code = textAt(p, 3);
  const entries = p.get(4);
  if (version === null || version < 0 || issuedAt === null || code === null) bad('header');
  if (!Array.isArray(entries) || entries.length > MAX_REVOCATIONS) bad('header');
  const list = { version, issuedAt, code, entries: [] };
  for (const a of entries) {
    if (!Array.isArray(a) || (a.length !== 3 && a.length !== 4)) bad('revocation entry');
    const [serial, below, at, reason] = a;
    if (typeof serial !== 'string' || !isInt(below) || !isInt(at)) bad('revocation entry');
    if (below < 0 || below > 0xffffffff) bad('revocation entry');
    const r = { serial, belowIssue: Number(below), at, reason: '' };
    if (typeof reason === 'string' && REASONS.includes(reason)) r.reason = reason;
    const last = list.entries[list.entries.length - 1];
    if (last && !(compareUtf8(last.serial, r.serial) < 0)) bad('revocations not sorted');
    list.entries.push(r);
  }
  return list;
}

// The entry that revokes this issue of the serial, or null (entries are sorted: binary search).
export function revokes(status, serial, issueNo) {
  let lo = 0;
  let hi = status.entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareUtf8(status.entries[mid].serial, serial) < 0) lo = mid + 1;
    else hi = mid;
  }
  const r = status.entries[lo];
  if (!r || r.serial !== serial) return null;
  return r.belowIssue === 0 || issueNo < r.belowIssue ? r : null;
}

// Whether a list replaces the one held (same kind): the higher version; at an equal version the
// later issued_at, then the greater bytes (core/formats/issuer_list ListSupersedes).
export function supersedes(candidate, candidateBytes, held, heldBytes) {
  if (candidate.version !== held.version) return candidate.version > held.version;
  if (candidate.issuedAt !== held.issuedAt) return candidate.issuedAt > held.issuedAt;
  for (let i = 0; i < Math.min(candidateBytes.length, heldBytes.length); ++i) {
    if (candidateBytes[i] !== heldBytes[i]) return candidateBytes[i] > heldBytes[i];
  }
  return candidateBytes.length > heldBytes.length;
}
