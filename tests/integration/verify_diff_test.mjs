// Differential test of the verifier page's decoder against shelterctl, for verify_page_test.sh:
//   node verify_diff_test.mjs SITE_DIR OUT_DIR SHELTERCTL DATA_DIR
// Takes valid certificates from OUT_DIR/certs, makes 400 damaged copies (bytes changed, cut,
// added, Base45 characters changed) and envelopes that keep the signature but are written
// differently (untagged, longer heads, extra or repeated unprotected headers), and checks that
// the page's modules (in node) and `shelterctl cert verify` on DATA_DIR give every one the same
// verdict.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { M, cbor, jdv1 } from './verify_fixtures.mjs';

const [site, out, ctl, data] = process.argv.slice(2).map((p) => path.resolve(p));
const load = (rel) => import(pathToFileURL(path.join(site, rel)).href);
const { verifyJdv1 } = await load('js/certificate.js');
const { verifyStatusList, verifyTrustList } = await load('js/lists.js');
const { decodeWire } = await load('js/wire.js');
const { parseSign1 } = await load('js/cose.js');

const show = JSON.parse(fs.readFileSync(path.join(out, 'trust-show.json'), 'utf8'));
const rootPk = Uint8Array.from(Buffer.from(show.root_public_key, 'hex'));
const trust = await verifyTrustList(
  new Uint8Array(fs.readFileSync(path.join(out, 'trust.cbor'))),
  rootPk,
);
const status = await verifyStatusList(
  new Uint8Array(fs.readFileSync(path.join(out, 'status.cbor'))),
  rootPk,
);

function shelterctl(text) {
  const r = spawnSync(ctl, ['--data', data, '--json', 'cert', 'verify', text], {
    encoding: 'utf8',
  });
  try {
    return JSON.parse(r.stdout.split('\n')[0]).status;
  } catch {
    return `(no verdict: ${r.stderr.trim()})`;
  }
}

const certDir = path.join(out, 'certs');
const bases = [];
for (const name of [
  'risai-2',
  'hisai-2',
  'hinan-4',
  'hisai-reissued',
  'risai-5',
  'withdrawn-risai-1',
]) {
  const f = fs.readdirSync(certDir).find((x) => x.slice(3) === `${name}.txt`);
  bases.push(fs.readFileSync(path.join(certDir, f), 'utf8').trim());
}

let seed = 4242;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

// A CBOR head with a longer argument than needed (RFC 8949 allows it; neither reader refuses it).
const longHead = (major, n) => Uint8Array.of((major << 5) | 25, n >> 8, n & 0xff);
const concat = (...parts) => Uint8Array.from(parts.flatMap((p) => [...p]));
const bstr = (b, long = false) =>
  concat(long ? longHead(2, b.length) : cbor(b).subarray(0, cbor(b).length - b.length), b);

const texts = [];
for (const base of bases) {
  const cose = await decodeWire(base, 'JDV1:');
  const m = parseSign1(cose);
  const unprot = (pairs) => cbor(new Map(pairs));
  const envelope = (parts, { tagged = true, longArray = false, longPayload = false } = {}) =>
    concat(
      tagged ? [0xd2] : [],
      longArray ? [0x98, 4] : [0x84],
      bstr(m.protectedBytes),
      parts.unprot,
      bstr(m.payload, longPayload),
      bstr(m.signature),
    );
  const good = unprot([[4, m.kid]]);
  texts.push(jdv1(envelope({ unprot: good }, { tagged: false })));
  texts.push(jdv1(envelope({ unprot: good }, { longArray: true, longPayload: true })));
  texts.push(
    jdv1(
      envelope({
        unprot: unprot([
          [4, m.kid],
          [99, 'extra'],
          ['x', [1, 2]],
        ]),
      }),
    ),
  );
  texts.push(
    jdv1(
      envelope({
        unprot: unprot([
          [4, new Uint8Array(8)],
          [4, m.kid],
        ]),
      }),
    ),
  );
  texts.push(
    jdv1(
      envelope({
        unprot: unprot([
          [4, m.kid],
          [4, new Uint8Array(8)],
        ]),
      }),
    ),
  );
  texts.push(jdv1(envelope({ unprot: unprot([[4, 'text kid']]) })));
  texts.push(jdv1(envelope({ unprot: unprot([]) })));
  texts.push(
    jdv1(cbor({ tag: 17, value: [m.protectedBytes, M([4, m.kid]), m.payload, m.signature] })),
  );
  texts.push(jdv1(cbor({ tag: 18, value: [m.protectedBytes, M([4, m.kid]), m.payload] })));
  for (let i = 0; i < 400 / bases.length; ++i) {
    let b = Uint8Array.from(cose);
    const kind = rnd(5);
    if (kind === 0) for (let k = 0; k <= rnd(3); ++k) b[rnd(b.length)] ^= 1 << rnd(8);
    else if (kind === 1) b = b.subarray(0, rnd(b.length));
    else if (kind === 2)
      b = concat(
        b,
        Uint8Array.from({ length: 1 + rnd(4) }, () => rnd(256)),
      );
    else if (kind === 3) b[rnd(Math.min(24, b.length))] = rnd(256); // the envelope's heads
    if (kind === 4) {
      const t = base.split('');
      t[5 + rnd(t.length - 5)] = ALPHABET[rnd(45)];
      texts.push(t.join(''));
    } else texts.push(jdv1(b, { compress: rnd(2) === 0 }));
  }
}

const mismatches = [];
const counts = {};
for (const text of texts) {
  const page = (await verifyJdv1(text, trust, status)).status;
  const cli = shelterctl(text);
  counts[page] = (counts[page] || 0) + 1;
  if (page !== cli) mismatches.push(`page ${page}, shelterctl ${cli}: ${text.slice(0, 60)}…`);
}
console.log(`     verdicts: ${JSON.stringify(counts)}`);
const ok = mismatches.length === 0;
console.log(
  `${ok ? 'ok  ' : 'FAIL'} ${texts.length} damaged and rewritten certificates: the page's verdict is shelterctl's` +
    (ok ? '' : `\n     ${mismatches.slice(0, 12).join('\n     ')}`),
);
process.exit(ok ? 0 : 1);
