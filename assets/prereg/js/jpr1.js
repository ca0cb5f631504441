// The JPR1 pre-registration code (core/FORMATS.md "JPR1"): "JPR1:" + Base45(zlib(CBOR map)).
// checkJpr1() lists every field over its limit; encodeJpr1() builds the text, or says that it
// does not fit one QR code (a version-25 symbol at level M).

import { base45Decode, base45Encode } from './base45.js';
import { decodeCbor, encodeCbor } from './cbor.js';

export const PREFIX = 'JPR1:';
export const MAX_CHARS = 1451;
export const MAX_MEMBERS = 20;
export const MAX_PETS = 10;
export const MAX_LIST = 24;

// 要配慮者 codes and allergen codes, as the tablets know them (core/model/entities.cpp).
export const NEED_CODES =
  'ELD NUR DIS-P DIS-V DIS-H DIS-I DIS-M INF PRG FOR CHR MED MED-POWER ALG ILL DIET'.split(' ');
export const ALLERGEN_CODES = 'egg milk wheat buckwheat peanut shrimp crab walnut'.split(' ');
export const RELATIONSHIPS = 'head spouse child parent grandchild sibling other'.split(' ');

// Consent bits for 安否情報: who may be told that the person is at the shelter. A code without
// key 13 means family and acquaintances (the format's default for older codes); the page always
// writes the resident's own choice, 0 when nothing was ticked.
export const CONSENT = { family: 1, acquaintances: 2, public: 4, supporters: 8 };
export const CONSENT_ABSENT = CONSENT.family | CONSENT.acquaintances;

// UTF-8 byte limits of the text fields.
export const LIMITS = {
  language: 64,
  address: 400,
  residence: 400,
  phone: 64,
  vehicle: 128,
  damage: 128,
  note: 400,
  name: 128,
  kana: 128,
  relationship: 64,
  nationality: 64,
  memberLanguage: 64,
  memberPhone: 64,
  memberNote: 400,
  listItem: 64,
  petKind: 64,
};

const utf8 = new TextEncoder();
export const byteLength = (s) => utf8.encode(s).length;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// True for a real calendar date written YYYY-MM-DD.
export function isRealDate(s) {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

// Every problem as {field, problem, max?}: field is a household key ("address"), "pets.N.kind"
// or "members.N.name"; problem is "tooLong", "required", "range", "date" or "tooMany".
export function checkJpr1(pre) {
  const out = [];
  const text = (field, value, max) => {
    if (value && byteLength(value) > max) out.push({ field, problem: 'tooLong', max });
  };
  text('language', pre.language, LIMITS.language);
  for (const k of ['address', 'residence', 'phone', 'vehicle', 'damage', 'note']) {
    text(k, pre[k], LIMITS[k]);
  }
  const pets = pre.pets || [];
  if (pets.length > MAX_PETS) out.push({ field: 'pets', problem: 'tooMany', max: MAX_PETS });
  pets.forEach((p, i) => {
    if (!p.kind) out.push({ field: `pets.${i}.kind`, problem: 'required' });
    text(`pets.${i}.kind`, p.kind, LIMITS.petKind);
    if (!Number.isInteger(p.count) || p.count < 1 || p.count > 99) {
      out.push({ field: `pets.${i}.count`, problem: 'range' });
    }
  });
  const members = pre.members || [];
  if (members.length < 1 || members.length > MAX_MEMBERS) {
    out.push({ field: 'members', problem: 'tooMany', max: MAX_MEMBERS });
  }
  members.forEach((m, i) => {
    const f = (k) => `members.${i}.${k}`;
    if (!m.name && !m.kana) out.push({ field: f('name'), problem: 'required' });
    text(f('name'), m.name, LIMITS.name);
    text(f('kana'), m.kana, LIMITS.kana);
    if (m.dob && !isRealDate(m.dob)) out.push({ field: f('dob'), problem: 'date' });
    text(f('relationship'), m.relationship, LIMITS.relationship);
    text(f('nationality'), m.nationality, LIMITS.nationality);
    text(f('language'), m.language, LIMITS.memberLanguage);
    text(f('phone'), m.phone, LIMITS.memberPhone);
    text(f('note'), m.note, LIMITS.memberNote);
    for (const k of ['needs', 'allergies']) {
      const list = m[k] || [];
      if (list.length > MAX_LIST) out.push({ field: f(k), problem: 'tooMany', max: MAX_LIST });
      for (const item of list) text(f(k), item, LIMITS.listItem);
    }
    if (!(m.careLevel >= 0 && m.careLevel <= 5))
      out.push({ field: f('careLevel'), problem: 'range' });
    if (!(m.sex >= 0 && m.sex <= 3)) out.push({ field: f('sex'), problem: 'range' });
  });
  return out;
}

// The CBOR map, keys ascending as the tablets' own encoder writes them; empty fields are left out.
export function jpr1Map(pre) {
  const put = (map, key, v) => {
    if (v !== undefined && v !== null && v !== '') map.set(key, v);
  };
  const h = new Map();
  if (pre.created > 0) h.set(1, pre.created);
  put(h, 2, pre.language);
  put(h, 3, pre.address);
  put(h, 4, pre.residence);
  put(h, 5, pre.phone);
  h.set(
    6,
    pre.members.map((m) => {
      const p = new Map();
      put(p, 1, m.name);
      put(p, 2, m.kana);
      put(p, 3, m.dob);
      if (m.sex) p.set(4, m.sex);
      put(p, 5, m.relationship);
      put(p, 6, m.nationality);
      put(p, 7, m.language);
      put(p, 8, m.phone);
      if (m.needs && m.needs.length) p.set(9, [...m.needs]);
      if (m.allergies && m.allergies.length) p.set(10, [...m.allergies]);
      if (m.careLevel > 0) p.set(11, m.careLevel);
      if (m.evacSupport) p.set(12, true);
      const consent = m.consent ?? 0;
      if (consent !== CONSENT_ABSENT) p.set(13, consent);
      put(p, 14, m.note);
      return p;
    }),
  );
  if (pre.pets && pre.pets.length) {
    h.set(
      7,
      pre.pets.map((p) => [p.kind, p.count, p.together ? 1 : 0]),
    );
  }
  put(h, 8, pre.vehicle);
  put(h, 9, pre.damage);
  put(h, 10, pre.note);
  return h;
}

// zlib (RFC 1950) through the browser's own compressor.
export async function zlibDeflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// The members' names (or kana) in a JPR1 text the page made, for the printed card of a code kept
// on the phone; null when the text is not such a code. Reads at most 16 KiB of CBOR.
export async function jpr1Names(text) {
  try {
    if (!text.startsWith(PREFIX) || text.length > MAX_CHARS) return null;
    const z = base45Decode(text.slice(PREFIX.length));
    if (!z) return null;
    const stream = new Blob([z]).stream().pipeThrough(new DecompressionStream('deflate'));
    const reader = stream.getReader();
    const parts = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > 16384) return null;
      parts.push(value);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const members = decodeCbor(bytes).get(6);
    if (!Array.isArray(members)) return null;
    return members.map((m) => String((m instanceof Map && (m.get(1) || m.get(2))) || ''));
  } catch {
    return null;
  }
}

// Resolves to {text} or {error: "invalid", problems} or {error: "tooBig", length}.
export async function encodeJpr1(pre) {
  const problems = checkJpr1(pre);
  if (problems.length) return { error: 'invalid', problems };
  const z = await zlibDeflate(encodeCbor(jpr1Map(pre)));
  const text = PREFIX + base45Encode(z);
  if (text.length > MAX_CHARS) return { error: 'tooBig', length: text.length };
  return { text };
}
