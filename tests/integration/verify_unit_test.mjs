// Unit tests of the certificate verifier page's modules, in node (ctest integration/verify_unit):
//   node verify_unit_test.mjs SITE_DIR
// SITE_DIR is the built page (assets/verify/build.mjs). Certificates and lists are made here with
// node's own Ed25519 and a small CBOR writer, as core/FORMATS.md describes them, so that every
// verdict, the forward-compatible keys, and truncated, oversized and random inputs are covered
// without shelterctl (verify_page_test.sh compares the page with shelterctl itself).
import crypto from 'node:crypto';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { M, base45Encode, cbor, jdv1, newKey, sign1 } from './verify_fixtures.mjs';

const site = path.resolve(process.argv[2] || '');
const load = (rel) => import(pathToFileURL(path.join(site, rel)).href);
const { CborError, CborMap, decodeCbor } = await load('js/cbor_read.js');
const { parseSign1 } = await load('js/cose.js');
const { WireError, decodeWire } = await load('js/wire.js');
const { ListError, supersedes, verifyStatusList, verifyTrustList } = await load('js/lists.js');
const { STATUSES, verifyJdv1 } = await load('js/certificate.js');
const { formatDateInt, dateIntFromUnix } = await load('js/dates.js');

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) passed += 1;
  else {
    failed += 1;
    console.log(`FAIL ${what}`);
  }
}
async function throwsAsync(fn, type) {
  try {
    await fn();
    return false;
  } catch (e) {
    return e instanceof type;
  }
}
const throws = (fn, type) => {
  try {
    fn();
    return false;
  } catch (e) {
    return e instanceof type;
  }
};

// ---- a municipality
const CODE = '131016';
const root = newKey();
const otherRoot = newKey();
const office = newKey(); // risai, hisai, hinan
const tablet = newKey(); // hinan only
const withdrawnKey = newKey();
const oldKey = newKey(); // valid 2020 only
const stranger = newKey(); // on no list
const NOW = 1754800000; // 2025-08-10
const keyEntry = (k, label, prefix, types, nb, na, withdrawn, extra = []) =>
  M(
    [1, k.kid],
    [2, k.pk],
    [3, label],
    [4, prefix],
    [5, types],
    [6, nb],
    [7, na],
    [8, withdrawn],
    ...extra,
  );
const trustPayload = (version, extra = []) =>
  M(
    [0, 'JTL1'],
    [1, version],
    [2, NOW - 100],
    [3, CODE],
    [
      4,
      [
        keyEntry(
          office,
          '千代田区税務課',
          'K001',
          [1, 2, 3],
          NOW - 86400,
          NOW + 86400 * 365,
          false,
          [
            [9, '千代田区長'],
            [42, 'an unknown extra key'],
          ],
        ),
        keyEntry(tablet, '麹町小 tablet', 'K002', [3], NOW - 86400, NOW + 86400, false),
        keyEntry(withdrawnKey, 'lost tablet', 'K003', [1, 2, 3], NOW - 86400, NOW + 86400, true),
        keyEntry(oldKey, 'old key', 'K004', [1, 2, 3], 1577836800, 1609459199, false),
      ],
    ],
    ...extra,
  );
const trustBytes = sign1(cbor(trustPayload(3, [[5, '千代田区']])), root);
const trust = await verifyTrustList(trustBytes, root.pk);
check(trust.version === 3 && trust.code === CODE && trust.keys.length === 4, 'trust list read');
check(trust.name === '千代田区', 'trust list key 5: the municipality name');
check(
  trust.keys[0].title === '千代田区長' && trust.keys[1].title === '',
  'key entry 9: issuer title',
);
check(
  await throwsAsync(() => verifyTrustList(trustBytes, otherRoot.pk), ListError),
  'a trust list not signed by this root is refused',
);
const byOther = sign1(cbor(trustPayload(9)), otherRoot);
check(
  await throwsAsync(() => verifyTrustList(byOther, root.pk), ListError),
  'a trust list signed by another root is refused',
);
const badKid = sign1(
  cbor(
    M(
      [0, 'JTL1'],
      [1, 1],
      [2, 0],
      [3, CODE],
      [4, [keyEntry({ ...office, kid: tablet.kid }, 'x', 'K1', [1], 0, 1, false)]],
    ),
  ),
  root,
);
check(
  await throwsAsync(() => verifyTrustList(badKid, root.pk), ListError),
  "a key entry whose kid is not its key's is refused",
);

const statusPayload = (entries) => M([0, 'JSL1'], [1, 2], [2, NOW + 50], [3, CODE], [4, entries]);
const statusBytes = sign1(
  cbor(
    statusPayload([
      ['K001-000005', 0, NOW + 10, 'fraud'],
      ['K001-000006', 2, NOW + 20],
      ['K001-000007', 0, NOW + 30],
    ]),
  ),
  root,
);
const status = await verifyStatusList(statusBytes, root.pk);
check(
  status.entries.length === 3 && status.entries[0].reason === 'fraud',
  'status list, 4th element: reason',
);
check(status.entries[1].reason === '', 'status list entry without a reason');
const unsorted = sign1(
  cbor(
    statusPayload([
      ['K002', 0, 1],
      ['K001', 0, 1],
    ]),
  ),
  root,
);
check(
  await throwsAsync(() => verifyStatusList(unsorted, root.pk), ListError),
  'unsorted revocations refused',
);
const fiveElems = sign1(cbor(statusPayload([['K001', 0, 1, 'error', 'x']])), root);
check(
  await throwsAsync(() => verifyStatusList(fiveElems, root.pk), ListError),
  'a 5-element revocation refused',
);
check(
  await throwsAsync(() => verifyStatusList(trustBytes, root.pk), ListError),
  'a trust list is not a status list',
);
check(
  supersedes({ version: 4, issuedAt: 0 }, [1], { version: 3, issuedAt: 9 }, [2]),
  'higher version wins',
);
check(
  !supersedes({ version: 3, issuedAt: 0 }, [1], { version: 3, issuedAt: 9 }, [2]),
  'earlier issued_at loses',
);
check(
  supersedes({ version: 3, issuedAt: 9 }, [2], { version: 3, issuedAt: 9 }, [1]),
  'greater bytes win a tie',
);

// ---- certificates
const body = (type, serial, extra = []) => {
  const m = M(
    [0, 1],
    [1, type],
    [2, serial],
    [3, '令和7年8月の大雨'],
    [4, 20250810],
    [5, '山田 太郎'],
    [6, '東京都千代田区麹町二丁目八番'],
  );
  if (type === 1) m.set(7, 1);
  m.set(9, 20250820);
  if (type === 3) {
    m.set(14, '麹町小学校');
    m.set(15, 20250810);
  }
  for (const [k, v] of extra) m.set(k, v);
  return m;
};
const cwt = (b, { iss = CODE, iat = NOW } = {}) => M([1, iss], [6, iat], [-70001, b]);
const cert = (key, b, opts) => jdv1(sign1(cbor(cwt(b, opts)), key));
const verdict = async (text, st = status) => verifyJdv1(text, trust, st);

const cases = [
  ['valid 罹災', cert(office, body(1, 'K001-000001')), 'valid'],
  ['valid 被災', cert(office, body(2, 'K001-000002', [[17, 'カーポート']])), 'valid'],
  ['valid 避難 by the tablet', cert(tablet, body(3, 'K002-000001')), 'valid'],
  [
    'uncompressed wire bytes',
    jdv1(sign1(cbor(cwt(body(1, 'K001-000003'))), office), { compress: false }),
    'valid',
  ],
  [
    'keys 19 and 13, and unknown extra keys',
    cert(
      office,
      body(1, 'K001-000004', [
        [13, '千代田区長'],
        [19, '千代田区'],
        [99, 'x'],
        [20, [1, 2]],
      ]),
    ),
    'valid',
  ],
  // Signed by a listed key, but naming an issuer the trust list does not give it.
  [
    'a title the trust list does not give the key',
    cert(office, body(1, 'K001-000016', [[13, '千代田区長 山田']])),
    'key_not_allowed',
  ],
  [
    'a municipality name the trust list does not give',
    cert(office, body(1, 'K001-000017', [[19, '港区']])),
    'key_not_allowed',
  ],
  ['revoked (every issue)', cert(office, body(1, 'K001-000005')), 'revoked'],
  ['superseded issue 1', cert(office, body(2, 'K001-000006', [[17, 'x']])), 'revoked'],
  [
    'reissue 2 not superseded',
    cert(
      office,
      body(2, 'K001-000006', [
        [17, 'x'],
        [18, 2],
      ]),
    ),
    'valid',
  ],
  ['unknown key', cert(stranger, body(1, 'K001-000008')), 'unknown_key'],
  ['signed by the root, not an issuing key', cert(root, body(1, 'K001-000009')), 'unknown_key'],
  ['tablet may not issue 罹災', cert(tablet, body(1, 'K002-000002')), 'key_not_allowed'],
  [
    'another municipality',
    cert(office, body(1, 'K001-000010'), { iss: '271004' }),
    'key_not_allowed',
  ],
  ['withdrawn key', cert(withdrawnKey, body(1, 'K003-000001')), 'key_withdrawn'],
  ['expired key', cert(oldKey, body(1, 'K004-000001')), 'key_expired'],
  [
    'issued before the key',
    cert(office, body(1, 'K001-000011'), { iat: NOW - 86400 * 2 }),
    'key_expired',
  ],
  ['signed, schema 2', cert(office, M([0, 2], [1, 1], [2, 'K001-1'], [9, 20250820])), 'malformed'],
  ['signed, no serial', cert(office, M([0, 1], [1, 1], [9, 20250820])), 'malformed'],
  ['signed, a bad date', cert(office, body(1, 'K001-000012', [[9, 20250231]])), 'malformed'],
  ['signed, level 6', cert(office, body(1, 'K001-000013', [[7, 6]])), 'malformed'],
  [
    'signed, 21 members',
    cert(office, body(1, 'K001-000014', [[12, Array(21).fill('a')]])),
    'malformed',
  ],
  [
    'signed, 201-byte text',
    cert(office, body(1, 'K001-000015', [[5, 'あ'.repeat(67)]])),
    'malformed',
  ],
  ['signed, payload not CBOR', jdv1(sign1(Uint8Array.of(0xff, 1), office)), 'malformed'],
  ['not JDV1', 'HC1:NCFOXN', 'malformed'],
  ['bad Base45', 'JDV1:!!!', 'malformed'],
  ['empty', 'JDV1:', 'malformed'],
  ['too long', `JDV1:${'0'.repeat(4100)}`, 'malformed'],
  [
    'other algorithm',
    jdv1(sign1(cbor(cwt(body(1, 'K001-1'))), office, { protectedBytes: cbor(M([1, -7])) })),
    'malformed',
  ],
];
// tampered: one byte of the signed payload changed, the envelope encoded again
{
  const payload = cbor(cwt(body(1, 'K001-000016')));
  const cose = sign1(payload, office);
  const msg = parseSign1(cose);
  const changed = Uint8Array.from(msg.payload);
  changed[changed.length - 2] ^= 1;
  const forged = cbor({
    tag: 18,
    value: [msg.protectedBytes, M([4, office.kid]), changed, msg.signature],
  });
  cases.push(['tampered payload', jdv1(forged), 'tampered']);
  const sig = Uint8Array.from(msg.signature);
  sig[3] ^= 0x40;
  cases.push([
    'tampered signature',
    jdv1(cbor({ tag: 18, value: [msg.protectedBytes, M([4, office.kid]), payload, sig] })),
    'tampered',
  ]);
  // kid in the protected header, untagged array: accepted as the C++ reader accepts them
  const prot = cbor(M([1, -8], [4, office.kid]));
  const tbs = cbor(['Signature1', prot, new Uint8Array(0), payload]);
  const s2 = new Uint8Array(crypto.sign(null, tbs, office.sk));
  cases.push(['untagged, kid protected', jdv1(cbor([prot, M(), payload, s2])), 'valid']);
}
for (const [what, text, want] of cases) {
  const v = await verdict(text);
  check(v.status === want, `${what}: ${v.status} (${v.reason}), want ${want}`);
  check(want === 'valid' ? !!v.claims : v.claims === undefined, `${what}: claims only when valid`);
}
{
  const v = await verdict(
    cert(
      office,
      body(1, 'K001-000004', [
        [13, '千代田区長'],
        [19, '千代田区'],
      ]),
    ),
  );
  check(
    v.claims.municipalityName === '千代田区' && v.claims.issuerName === '千代田区長',
    'claims 19 and 13',
  );
  check(
    v.issuer.name === '千代田区' && v.issuer.title === '千代田区長' && v.issuer.code === '131016',
    'the verdict names its issuer',
  );
  check(
    v.claims.level === 'daikibo_hankai' && v.claims.certifiedOn === 20250820,
    'claims level and date',
  );
  const r = await verdict(cert(office, body(1, 'K001-000005')));
  check(
    r.revocation.reason === 'fraud' && r.revocation.at === NOW + 10,
    'revocation date and reason',
  );
  const n = await verdict(cert(office, body(1, 'K001-000005')), null);
  check(
    n.status === 'valid' && !n.revocationChecked,
    'no status list: valid, revocation not checked',
  );
  const other = await verifyStatusList(
    sign1(cbor(M([0, 'JSL1'], [1, 1], [2, 0], [3, '271004'], [4, [['K001-000005', 0, 1]]])), root),
    root.pk,
  );
  check(
    (await verdict(cert(office, body(1, 'K001-000005')), other)).status === 'valid',
    "another municipality's status list is not applied",
  );
}

// ---- the CBOR reader: strictness, limits, truncation, garbage
const sample = cbor(
  M([1, 'x'], [-70001, M([0, 1], [2, new Uint8Array(5)], [3, [true, false, null]])], [6, 2 ** 40]),
);
check(decodeCbor(sample) instanceof CborMap, 'sample decodes');
let truncOk = true;
for (let n = 0; n < sample.length; ++n)
  truncOk &&= throws(() => decodeCbor(sample.subarray(0, n)), CborError);
check(truncOk, 'every truncation of a document is refused');
check(
  throws(() => decodeCbor(Uint8Array.of(...sample, 0)), CborError),
  'trailing bytes refused',
);
check(
  throws(() => decodeCbor(Uint8Array.of(0x9f, 0xff)), CborError),
  'indefinite array refused',
);
check(
  throws(() => decodeCbor(Uint8Array.of(0x5f, 0xff)), CborError),
  'indefinite bytes refused',
);
check(
  throws(() => decodeCbor(Uint8Array.of(0xf9, 0, 0)), CborError),
  'half float refused',
);
check(
  throws(() => decodeCbor(Uint8Array.of(0xfb, 0, 0, 0, 0, 0, 0, 0, 0)), CborError),
  'double refused',
);
check(
  throws(() => decodeCbor(Uint8Array.of(0xf7)), CborError),
  'undefined refused',
);
check(
  throws(() => decodeCbor(Uint8Array.of(0x62, 0xc3, 0x28)), CborError),
  'invalid UTF-8 refused',
);
check(
  throws(() => decodeCbor(Uint8Array.of(0x63, 0xed, 0xa0, 0x80)), CborError),
  'a UTF-8 surrogate refused',
);
check(
  decodeCbor(Uint8Array.of(0x1b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)) ===
    (1n << 63n) - 1n,
  'int64 max',
);
check(
  decodeCbor(Uint8Array.of(0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)) === -(1n << 63n),
  'int64 min',
);
check(
  throws(() => decodeCbor(Uint8Array.of(0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0)), CborError),
  'beyond int64 refused',
);
check(
  throws(
    () => decodeCbor(Uint8Array.of(0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
    CborError,
  ),
  'a 2^64-byte string claim refused at once',
);
check(
  throws(() => decodeCbor(Uint8Array.of(0x9a, 0xff, 0xff, 0xff, 0xff)), CborError),
  'an oversized array refused',
);
check(
  throws(() => decodeCbor(Uint8Array.of(0xba, 0x7f, 0xff, 0xff, 0xff, 0)), CborError),
  'an oversized map refused',
);
check(
  throws(() => decodeCbor(new Uint8Array(40).fill(0x81), { maxDepth: 16 }), CborError),
  'nesting limit',
);
check(
  throws(() => decodeCbor(cbor(Array(50).fill(0)), { maxItems: 20 }), CborError),
  'item limit',
);
check(decodeCbor(Uint8Array.of(0xc1, 0x00)).tag === 1, 'a tag is kept');

// ---- wire: zlib bomb, damaged zlib, sizes
const bomb = new Uint8Array(zlib.deflateSync(new Uint8Array(100000)));
check(
  await throwsAsync(() => decodeWire(`JDV1:${base45Encode(bomb)}`, 'JDV1:'), WireError),
  'a zlib bomb is refused',
);
const damaged = new Uint8Array(zlib.deflateSync(sample));
damaged[damaged.length - 1] ^= 0xff;
check(
  await throwsAsync(() => decodeWire(`JDV1:${base45Encode(damaged)}`, 'JDV1:'), WireError),
  'a damaged zlib checksum is refused',
);
check(await throwsAsync(() => decodeWire('JDV1:0', 'JDV1:'), WireError), 'dangling Base45 refused');
check(
  await throwsAsync(() => decodeWire('jdv1:00', 'JDV1:'), WireError),
  'lower-case prefix refused',
);
check(
  (await decodeWire(' \n JDV1:00 \t', 'JDV1:')).length === 1,
  'surrounding white space ignored',
);

// ---- random garbage and mutations never throw and never yield claims unless valid
let seed = 12345;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const good = parseSign1(sign1(cbor(cwt(body(1, 'K001-000001'))), office));
const goodCose = sign1(cbor(cwt(body(1, 'K001-000001'))), office);
let robust = true;
let validMutants = 0;
for (let i = 0; i < 3000; ++i) {
  let bytes;
  if (i % 3 === 0) bytes = Uint8Array.from({ length: rnd(300) }, () => rnd(256));
  else {
    bytes = Uint8Array.from(goodCose);
    for (let k = 0; k <= rnd(3); ++k) bytes[rnd(bytes.length)] = rnd(256);
    if (i % 3 === 2) bytes = bytes.subarray(0, rnd(bytes.length));
  }
  try {
    const v = await verifyJdv1(jdv1(bytes, { compress: i % 2 === 0 }), trust, status);
    if (!STATUSES.includes(v.status) || (v.status !== 'valid') === !!v.claims) robust = false;
    if (v.status === 'valid') validMutants += 1;
  } catch (e) {
    robust = false;
    console.log(`threw on input ${i}: ${e}`);
    break;
  }
}
check(robust, '3,000 random and mutated inputs: a verdict each, claims only when valid');
check(
  validMutants < 30,
  `mutants rarely stay valid (only where the change is outside the signed bytes): ${validMutants}`,
);
check(good.payload.length > 0, 'sample envelope parses');

// ---- the lists: random changes and truncations give a ListError, never another exception
let listsRobust = true;
let listsAccepted = 0;
for (let i = 0; i < 600; ++i) {
  const src = i % 2 ? trustBytes : statusBytes;
  let bytes = Uint8Array.from(src);
  if (i % 3 === 0) bytes = bytes.subarray(0, rnd(bytes.length));
  else for (let k = 0; k <= rnd(3); ++k) bytes[rnd(bytes.length)] = rnd(256);
  try {
    await (i % 2 ? verifyTrustList : verifyStatusList)(bytes, root.pk);
    listsAccepted += 1;
  } catch (e) {
    if (!(e instanceof ListError)) {
      listsRobust = false;
      console.log(`list input ${i}: ${e}`);
      break;
    }
  }
}
check(listsRobust, '600 damaged lists: each refused with a ListError or still valid');
check(listsAccepted < 12, `damaged lists rarely still verify: ${listsAccepted}`);

// ---- dates
check(formatDateInt(20250810, 'ja') === '令和7年8月10日', 'era date');
check(formatDateInt(20190501, 'ja') === '令和元年5月1日', 'first year of an era');
check(formatDateInt(20250810, 'en') === '2025-08-10', 'English date');
check(dateIntFromUnix(1754751600) === 20250810, 'unix to JST date (midnight JST)');
check(dateIntFromUnix(1754751599) === 20250809, 'unix to JST date (a second before)');

console.log(`verify unit: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
