// Verifying a JDV1 certificate offline, in the order and with the verdicts of
// core/formats/certificate.cpp (core/FORMATS.md "Certificates: JDV1 QR payloads"): envelope,
// kid on the trust list, signature, claims, municipality and type, withdrawn, validity,
// revocation. The claims are handed out only for a valid certificate: the page never shows what
// an invalid one says.

import { CborError, CborMap, decodeCbor } from './cbor_read.js';
import { CoseError, parseSign1, toHex, verifySign1 } from './cose.js';
import { byteLength, findKey, isInt, revokes } from './lists.js';
import { WireError, decodeWire } from './wire.js';

export const STATUSES = [
  'valid',
  'malformed',
  'tampered',
  'unknown_key',
  'key_not_allowed',
  'key_expired',
  'key_withdrawn',
  'revoked',
];
export const TYPES = { 1: 'risai', 2: 'hisai', 3: 'hinan' };
export const LEVELS = [
  'zenkai',
  'daikibo_hankai',
  'chukibo_hankai',
  'hankai',
  'jun_hankai',
  'below_jun_hankai',
];
export const FLOODS = ['', 'above_floor', 'below_floor'];

const CLAIM_CERT = -70001;
const MAX_TEXT = 200;
const MAX_MEMBERS = 20;

export function validDate(d) {
  if (!Number.isSafeInteger(d)) return false;
  const y = Math.floor(d / 10000);
  const m = Math.floor(d / 100) % 100;
  const day = d % 100;
  if (y < 1868 || y > 2199 || m < 1 || m > 12 || day < 1) return false;
  const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return day <= days[m - 1] + (m === 2 && leap ? 1 : 0);
}

class ClaimsError extends Error {}

// The CWT claims map -> the certificate's claims; throws ClaimsError where ClaimsFromCwt fails.
export function claimsFromCwt(cwt) {
  const bad = (what) => {
    throw new ClaimsError(`certificate claims: ${what}`);
  };
  if (!(cwt instanceof CborMap)) bad('missing iss, iat or certificate body');
  const iss = cwt.get(1);
  const iat = cwt.get(6);
  const m = cwt.get(CLAIM_CERT);
  if (typeof iss !== 'string' || byteLength(iss) > 16 || !isInt(iat) || !(m instanceof CborMap)) {
    bad('missing iss, iat or certificate body');
  }
  const c = { issuerCode: iss, issuedAt: iat, issueNo: 1, members: [] };
  const text = (k, name) => {
    const v = m.get(k);
    if (v === undefined) return;
    if (typeof v !== 'string' || byteLength(v) > MAX_TEXT)
      bad('a text claim is not text or too long');
    c[name] = v;
  };
  const date = (k, name) => {
    const v = m.get(k);
    if (v === undefined) return;
    if (!isInt(v)) bad('a date claim is invalid');
    const clamped = v < 0 ? 0 : v > 1 << 30 ? 1 << 30 : Number(v);
    if (!validDate(clamped)) bad('a date claim is invalid');
    c[name] = Number(v);
  };
  if (m.get(0) !== 1) bad('unsupported schema version');
  const type = m.get(1);
  if (!isInt(type) || !TYPES[type]) bad('unknown type');
  c.type = TYPES[type];
  text(2, 'serial');
  text(3, 'disaster');
  text(5, 'headName');
  text(6, 'site');
  text(11, 'headAddress');
  text(13, 'issuerName');
  text(14, 'shelterName');
  text(17, 'damageNote');
  date(4, 'disasterDate');
  date(9, 'certifiedOn');
  date(15, 'stayFrom');
  date(16, 'stayTo');
  const level = m.get(7);
  if (level !== undefined) {
    if (!isInt(level) || level < 0 || level > 5) bad('unknown damage level');
    c.level = LEVELS[level];
  }
  const flood = m.get(8);
  if (flood !== undefined) {
    if (!isInt(flood) || flood < 0 || flood > 2) bad('unknown flood class');
    c.flood = FLOODS[flood];
  }
  const members = m.get(12);
  if (members !== undefined) {
    if (!Array.isArray(members) || members.length > MAX_MEMBERS) bad('members');
    for (const e of members) {
      if (typeof e !== 'string' || byteLength(e) > MAX_TEXT) bad('members');
      c.members.push(e);
    }
  }
  const n = m.get(18);
  if (n !== undefined) {
    if (!isInt(n) || n < 1 || n > 1000) bad('issue number');
    c.issueNo = Number(n);
  }
  // Added later (a municipality's name): read when it is text, ignored otherwise, as the C++
  // reader that predates it ignores it.
  const name = m.get(19);
  if (typeof name === 'string' && byteLength(name) <= MAX_TEXT) c.municipalityName = name;
  if (!c.headAddress) c.headAddress = c.site || '';
  if (!c.serial || !c.certifiedOn) bad('missing serial or certification date');
  return c;
}

// {status, reason (English, for the technical detail), claims (valid only), key, revocation,
// revocationChecked, revocationAsOf}.
export async function verifyCose(bytes, trust, status) {
  const v = { status: 'malformed', reason: '', revocationChecked: false };
  const fail = (s, reason, extra = {}) => Object.assign(v, { status: s, reason }, extra);
  let msg;
  try {
    msg = parseSign1(bytes);
  } catch (e) {
    if (e instanceof CborError || e instanceof CoseError) return fail('malformed', e.message);
    throw e;
  }
  const key = findKey(trust, msg.kid);
  if (!key) {
    return fail(
      'unknown_key',
      `signed by key ${toHex(msg.kid)}, which is not on the trust list (version ${trust.version})`,
    );
  }
  v.key = key;
  if (!(await verifySign1(msg, key.pk))) {
    return fail('tampered', 'the signature does not match the content: altered or forged');
  }
  let c;
  try {
    c = claimsFromCwt(decodeCbor(msg.payload, { maxDepth: 6, maxItems: 1024 }));
  } catch (e) {
    if (e instanceof CborError) return fail('malformed', 'signed, but the claims are not CBOR');
    if (e instanceof ClaimsError) return fail('malformed', `signed, but ${e.message}`);
    throw e;
  }
  if (c.issuerCode !== trust.code) {
    return fail(
      'key_not_allowed',
      `issued for municipality ${c.issuerCode} but the key belongs to ${trust.code}`,
      { otherMunicipality: c.issuerCode },
    );
  }
  const typeCode = Number(Object.keys(TYPES).find((k) => TYPES[k] === c.type));
  if (!key.allowed.includes(typeCode)) {
    return fail('key_not_allowed', `key '${key.label}' may not issue a ${c.type} certificate`);
  }
  // The issuer a certificate names is signed; where the trust list names one for this key it must
  // be that one (core/formats/certificate.cpp, the same rule). One made before certificates
  // carried them shows the list's.
  const namedOtherwise = (claimed, listed) => !!claimed && !!listed && claimed !== listed;
  if (namedOtherwise(c.municipalityName, trust.name) || namedOtherwise(c.issuerName, key.title)) {
    return fail('key_not_allowed', `names an issuer its key is not listed for (key '${key.label}')`);
  }
  v.issuer = {
    code: c.issuerCode,
    name: c.municipalityName || trust.name || '',
    title: c.issuerName || key.title || '',
  };
  if (key.withdrawn) {
    return fail('key_withdrawn', `key '${key.label}' was withdrawn from the trust list`);
  }
  if (c.issuedAt < key.notBefore || c.issuedAt > key.notAfter) {
    return fail('key_expired', `issued outside the validity of key '${key.label}'`);
  }
  if (status && status.code === trust.code) {
    v.revocationChecked = true;
    v.revocationAsOf = status.issuedAt;
    const r = revokes(status, c.serial, c.issueNo);
    if (r) {
      return fail(
        'revoked',
        r.belowIssue ? `superseded by a reissue (issue ${r.belowIssue})` : 'certificate revoked',
        { revocation: r },
      );
    }
  }
  v.status = 'valid';
  v.reason = v.revocationChecked ? 'valid' : 'valid (no revocation data on this device)';
  v.claims = c;
  return v;
}

// The same for the QR text "JDV1:...": malformed when it is not one.
export async function verifyJdv1(text, trust, status) {
  let cose;
  try {
    cose = await decodeWire(text, 'JDV1:');
  } catch (e) {
    if (e instanceof WireError) return { status: 'malformed', reason: e.message };
    throw e;
  }
  return verifyCose(cose, trust, status);
}
