// Drives the certificate verifier page in headless Chromium (playwright-core), for
// verify_page_test.sh:
//   node verify_page_test.mjs OUT_DIR NPM_DIR
// OUT_DIR holds site/ (the built page with config.json and an older trust_list.cbor),
// certs/NN-name.txt (a JDV1 text each) with NN-name.verify.json (`shelterctl cert verify --json`),
// trust-qr.png (the newer trust list as a JTL1 QR code), status-old.txt (JSL1 text of an older
// status list), status.cbor, risai-page.pgm (the printed
// 罹災証明書, made into a camera video here), hinan-photo.png and hisai.pdf. The page is served by
// python3 -m http.server on 127.0.0.1; the server is stopped for the offline part.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { M, cbor, jdv1, newKey, sign1 } from './verify_fixtures.mjs';

const [out, npm] = process.argv.slice(2).map((p) => path.resolve(p));
const require = createRequire(path.join(npm, 'node_modules', '/'));
const { chromium } = require('playwright-core');
const jsQR = require('jsqr');

let passed = 0;
let failed = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (ok) passed += 1;
  else failed += 1;
}

// ---- the camera: the printed page around its QR code as a 1280x720 Y4M video (4:2:0, grey)
function readPgm(file) {
  const b = fs.readFileSync(file);
  const header = b.subarray(0, 64).toString('latin1');
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (!m) throw new Error(`${file}: not a binary PGM`);
  return { w: Number(m[1]), h: Number(m[2]), pixels: b.subarray(m[0].length) };
}
function cameraVideo(pgmFile, y4mFile) {
  const page = readPgm(pgmFile);
  const rgba = new Uint8ClampedArray(page.w * page.h * 4);
  for (let i = 0; i < page.w * page.h; ++i) {
    rgba.fill(page.pixels[i], i * 4, i * 4 + 3);
    rgba[i * 4 + 3] = 255;
  }
  const qr = jsQR(rgba, page.w, page.h);
  if (!qr) throw new Error('no QR code on the rendered page');
  const xs = [qr.location.topLeftCorner.x, qr.location.bottomRightCorner.x];
  const ys = [qr.location.topLeftCorner.y, qr.location.bottomRightCorner.y];
  const cx = (xs[0] + xs[1]) / 2;
  const cy = (ys[0] + ys[1]) / 2;
  const [W, H] = [1280, 720];
  // The code about 420 px high in the frame, as a phone held over the paper sees it.
  const scale = 420 / Math.abs(ys[1] - ys[0]);
  const frames = 8;
  const parts = [Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let f = 0; f < frames; ++f) {
    const y = Buffer.alloc(W * H);
    const shift = f * 3; // the hand moves a little
    for (let r = 0; r < H; ++r) {
      for (let c = 0; c < W; ++c) {
        const sx = Math.round(cx + (c - W / 2 + shift) / scale);
        const sy = Math.round(cy + (r - H / 2) / scale);
        const v =
          sx >= 0 && sy >= 0 && sx < page.w && sy < page.h ? page.pixels[sy * page.w + sx] : 60;
        y[r * W + c] = Math.round(30 + v * 0.8); // a print under room light: grey, not white
      }
    }
    parts.push(Buffer.from('FRAME\n'), y, Buffer.alloc((W / 2) * (H / 2) * 2, 128));
  }
  fs.writeFileSync(y4mFile, Buffer.concat(parts));
  return qr.data;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer(dir, port) {
  const proc = spawn(
    '/usr/bin/python3',
    ['-m', 'http.server', '--bind', '127.0.0.1', String(port)],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', fs.openSync(path.join(out, 'http.log'), 'a')],
    },
  );
  for (let i = 0; i < 100; ++i) {
    const up = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (up) return proc;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('python3 -m http.server did not start');
}

// ---- the certificates and what shelterctl says of them
const certDir = path.join(out, 'certs');
const certs = fs
  .readdirSync(certDir)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => {
    const base = f.slice(0, -4);
    const text = fs.readFileSync(path.join(certDir, f), 'utf8').trim();
    let expected = '';
    try {
      // The verification's JSON is the first line (an error line may follow).
      const lines = fs.readFileSync(path.join(certDir, `${base}.verify.json`), 'utf8').split('\n');
      expected = JSON.parse(lines[0]).status;
    } catch {
      expected = ''; // no verdict from shelterctl: the check below fails
    }
    return { name: base, text, expected };
  });
check(
  certs.length === 50 && certs.every((c) => c.expected),
  `50 certificates, each with shelterctl's verdict`,
);
const byName = (name) => certs.find((c) => c.name.slice(3) === name); // NN-name
const verdicts = new Set(certs.map((c) => c.expected));
check(
  [
    'valid',
    'malformed',
    'tampered',
    'unknown_key',
    'key_not_allowed',
    'key_expired',
    'key_withdrawn',
    'revoked',
  ].every((s) => verdicts.has(s)),
  `every verdict among them: ${[...verdicts].sort().join(' ')}`,
);

const cameraText = cameraVideo(path.join(out, 'risai-page.pgm'), path.join(out, 'camera.y4m'));
const cameraCert = certs.find((c) => c.text === cameraText);
check(!!cameraCert, 'the camera video shows one of the certificates');

const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
let server = await startServer(path.join(out, 'site'), port);

let browser;
try {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${path.join(out, 'camera.y4m')}`,
    ],
  });
} catch (e) {
  console.log(`FAIL chromium did not start: ${e.message.split('\n')[0]}`);
  server.kill();
  process.exit(1);
}

const requests = [];
const pageErrors = [];
const ctx = await browser.newContext({
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  serviceWorkers: 'allow',
  locale: 'ja-JP',
});
await ctx.grantPermissions(['camera'], { origin });
ctx.on('request', (r) => requests.push(r.url()));
let page = await ctx.newPage();
page.on('pageerror', (e) => pageErrors.push(e.message));
page.on('console', (m) => m.type() === 'error' && pageErrors.push(`console: ${m.text()}`));

const ready = () => page.waitForSelector('body[data-ready="ready"]', { timeout: 20000 });
const listVersions = () =>
  page.$eval('#lists-state', (p) => [p.dataset.trustVersion, p.dataset.statusVersion]);
const seq = () => page.$eval('#result', (r) => Number(r.dataset.seq || 0));
async function waitResult(before, timeout = 20000) {
  await page.waitForFunction(
    (b) => Number(document.querySelector('#result').dataset.seq || 0) > b,
    before,
    {
      timeout,
    },
  );
  return page.evaluate(() => {
    const r = document.querySelector('#result');
    return {
      status: r.dataset.status,
      source: r.dataset.source,
      claimsShown: !document.querySelector('#claims-box').hidden,
      claimRows: document.querySelectorAll('#claims dt').length,
      claimsText: document.querySelector('#claims').textContent,
      revocation: document.querySelector('#revocation').textContent,
      reason: document.querySelector('#verdict-reason').textContent,
    };
  });
}
async function viaText(text) {
  const before = await seq();
  if (!(await page.$eval('details.paste', (d) => d.open)))
    await page.click('details.paste summary');
  await page.fill('#text-input', text);
  await page.click('#text-check');
  return waitResult(before);
}
async function viaFile(selector, file) {
  const before = await seq();
  await page.setInputFiles(selector, file);
  return waitResult(before, 60000);
}
const claimsOk = (r, c) =>
  r.status === 'valid' ? r.claimsShown && r.claimRows >= 6 : !r.claimsShown && r.claimRows === 0;
async function noSidewaysScroll(what) {
  const [sw, w] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  check(sw <= w, `${what}: no sideways scroll at 390 px (${sw} <= ${w})`);
}

// ---- first load: the page and the older trust list from the server
await page.goto(`${origin}/`);
await ready();
await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
const [oldTrust, noStatus] = await listVersions();
check(oldTrust && !noStatus, `published with trust list version ${oldTrust} and no status list`);
check(
  (await page.textContent('#municipality')).includes('千代田区') &&
    (await page.textContent('#page-address')).includes(
      'https://www.city.chiyoda.example.jp/shoumei/',
    ),
  'config.json: the municipality and the page address are shown',
);

// ---- the lists updated: a photo of the JTL1 QR code, then the status list file
await page.setInputFiles('#photo-input', path.join(out, 'trust-qr.png'));
await page.waitForFunction(
  (v) => document.querySelector('#lists-state').dataset.trustVersion !== v,
  oldTrust,
  {
    timeout: 20000,
  },
);
// The older status list as pasted JSL1 text, then the newer one as a file.
await page.click('details.paste summary');
await page.fill('#text-input', fs.readFileSync(path.join(out, 'status-old.txt'), 'utf8'));
await page.click('#text-check');
await page.waitForFunction(
  () => document.querySelector('#lists-state').dataset.statusVersion,
  null,
  {
    timeout: 20000,
  },
);
const pastedStatus = Number((await listVersions())[1]);
await page.setInputFiles('#list-input', path.join(out, 'status.cbor'));
await page.waitForFunction(
  (v) => Number(document.querySelector('#lists-state').dataset.statusVersion) > v,
  pastedStatus,
  { timeout: 20000 },
);
const show = JSON.parse(fs.readFileSync(path.join(out, 'trust-show.json'), 'utf8'));
const [trustV, statusV] = await listVersions();
check(
  Number(trustV) === show.version && Number(statusV) === show.status_list.version,
  `lists updated from a JTL1 QR photo, JSL1 text (status ${pastedStatus}) and a status list file: trust ${trustV}, status ${statusV}`,
);
const before = await page.textContent('#lists-state');
await page.setInputFiles('#photo-input', path.join(out, 'trust-qr.png'));
await page.waitForFunction(
  () => document.querySelector('#lists-notice').textContent.includes('同じか古い'),
  null,
  { timeout: 20000 },
);
check(
  (await page.textContent('#lists-state')) === before &&
    (await page.textContent('#lists-notice')).includes(`第${trustV}版`),
  'the same trust list again changes nothing and says so',
);
await page.screenshot({ path: path.join(out, 'lists.png'), fullPage: true });

// ---- every certificate by its text
const mismatches = [];
const leaks = [];
for (const c of certs) {
  const r = await viaText(c.text);
  if (r.status !== c.expected)
    mismatches.push(`${c.name}: page ${r.status}, shelterctl ${c.expected}`);
  if (!claimsOk(r, c)) leaks.push(`${c.name}: ${r.status} with ${r.claimRows} claims shown`);
  c.page = r;
}
check(
  mismatches.length === 0,
  `50 certificates by text: the page's verdict is shelterctl's${mismatches.length ? `\n     ${mismatches.join('\n     ')}` : ''}`,
);
check(
  leaks.length === 0,
  `no claim shown for an invalid certificate, claims for every valid one${leaks.length ? `\n     ${leaks.join('\n     ')}` : ''}`,
);
const counts = {};
for (const c of certs) counts[c.expected] = (counts[c.expected] || 0) + 1;
console.log(`     verdicts: ${JSON.stringify(counts)}`);

const revoked = byName('risai-5');
check(
  revoked &&
    /\d/.test(revoked.page.revocation) &&
    revoked.page.revocation.includes('取消日') &&
    revoked.page.claimRows === 0,
  'revoked: the revocation date shown, no claim',
);
const expired = byName('expired-risai-1');
check(
  expired.page.revocation.includes('鍵の有効期間') && expired.page.revocation.includes('令和2年'),
  `key expired: the key's validity (2020) shown: ${expired.page.revocation}`,
);
const valid = byName('risai-2'); // with the members
check(
  valid.page.claimsText.includes('山田 太郎') &&
    valid.page.claimsText.includes('大規模半壊') &&
    valid.page.claimsText.includes('山田 花子') &&
    valid.page.claimsText.includes('令和'),
  `valid 罹災証明書: the head, the level, the members and an era date shown`,
);

// ---- screenshots at 390x844 in the three languages
await viaText(valid.text);
await noSidewaysScroll('valid 罹災証明書 (日本語)');
await page.screenshot({ path: path.join(out, 'valid-ja.png'), fullPage: true });
await page.click('button[data-set-lang="en"]');
await viaText(revoked.text);
check(
  (await page.textContent('#verdict-text')).includes('revoked'),
  'English: the verdict in English',
);
await noSidewaysScroll('revoked (English)');
await page.screenshot({ path: path.join(out, 'revoked-en.png'), fullPage: true });
await page.click('button[data-set-lang="ja-easy"]');
await viaText(byName('hinan-5').text);
await noSidewaysScroll('valid 避難証明 (やさしい日本語)');
await page.screenshot({ path: path.join(out, 'hinan-easy.png'), fullPage: true });
await page.click('button[data-set-lang="ja"]');
await viaText(certs.find((c) => c.expected === 'tampered').text);
await page.screenshot({ path: path.join(out, 'tampered-ja.png'), fullPage: true });
// The narrowest phones: 320 px.
await page.setViewportSize({ width: 320, height: 640 });
await viaText(valid.text);
await noSidewaysScroll('valid 罹災証明書 at 320 px');
await page.screenshot({ path: path.join(out, 'valid-320.png'), fullPage: true });
await page.setViewportSize({ width: 390, height: 844 });

// ---- a PDF, a photo, the camera
const pdfCert = byName('hisai-1');
let r = await viaFile('#pdf-input', path.join(out, 'hisai.pdf'));
check(
  r.source === 'pdf' && r.status === pdfCert.expected && claimsOk(r),
  `the 被災証明書 PDF: ${r.status}`,
);
const photoCert = byName('hinan-1');
r = await viaFile('#photo-input', path.join(out, 'hinan-photo.png'));
check(
  r.source === 'photo' && r.status === photoCert.expected && claimsOk(r),
  `a photo of the 避難証明 (${photoCert.name}): ${r.status}, shelterctl ${photoCert.expected}, ${r.claimRows} claims`,
);
let s0 = await seq();
await page.click('#camera-start');
r = await waitResult(s0, 30000);
check(
  r.source === 'camera' && r.status === cameraCert.expected && claimsOk(r),
  `the printed 罹災証明書 through the camera (${cameraCert.name}): ${r.status}, shelterctl ${cameraCert.expected}`,
);
check(await page.$eval('#camera-box', (b) => b.hidden), 'the camera stops once a code is read');
// What the phone's screen shows right after the scan: the verdict, not the buttons.
const verdictBox = await page.$eval('#verdict', (v) => {
  const b = v.getBoundingClientRect();
  return [b.top, b.bottom, window.innerHeight];
});
check(
  verdictBox[0] >= 0 && verdictBox[1] <= verdictBox[2],
  `after the scan the verdict is on the screen (${verdictBox.map(Math.round).join(', ')})`,
);
await page.screenshot({ path: path.join(out, 'camera-ja.png') });

// ---- offline: the server stopped, the page reloaded
server.kill();
await new Promise((res) => server.on('exit', res));
await page.reload();
await ready();
const [offTrust, offStatus] = await listVersions();
check(
  offTrust === trustV && offStatus === statusV,
  `offline: the page opens with the lists it took (${offTrust}, ${offStatus})`,
);
const sample = [
  valid,
  revoked,
  ...[
    'tampered',
    'unknown_key',
    'key_withdrawn',
    'key_expired',
    'key_not_allowed',
    'malformed',
  ].map((s) => certs.find((c) => c.expected === s)),
];
const offBad = [];
for (const c of sample) {
  const res = await viaText(c.text);
  if (res.status !== c.expected || !claimsOk(res)) offBad.push(`${c.name}: ${res.status}`);
}
check(
  offBad.length === 0,
  `offline: ${sample.length} certificates, one of each verdict, as shelterctl says${offBad.length ? `: ${offBad.join(', ')}` : ''}`,
);
r = await viaFile('#pdf-input', path.join(out, 'hisai.pdf'));
check(
  r.status === pdfCert.expected,
  `offline: the PDF is read (pdf.js from the cache): ${r.status}`,
);
await page.screenshot({ path: path.join(out, 'offline-ja.png'), fullPage: true });

// ---- keys later versions add: a municipality made here (node's Ed25519), its trust list with
// the municipality's name (5) and issuer titles (9), revocation reasons (a 4th element),
// certificates with the municipality's name (19), the issuer (13) and unknown extra keys.
const next = path.join(out, 'site-next');
fs.cpSync(path.join(out, 'site'), next, { recursive: true });
const root = newKey();
const issuer = newKey();
const NOW = Math.floor(Date.now() / 1000);
const CODE = '999999';
fs.writeFileSync(
  path.join(next, 'config.json'),
  JSON.stringify({
    municipality_code: CODE,
    root_public_key: Buffer.from(root.pk).toString('hex'),
    page_url: 'https://www.city.kaku.example.jp/check/',
  }),
);
const entry = M(
  [1, issuer.kid],
  [2, issuer.pk],
  [3, '架空市 市民課'],
  [4, 'K001'],
  [5, [1, 2, 3]],
  [6, NOW - 86400],
  [7, NOW + 86400],
  [8, false],
  [9, '架空市長 架空 太郎'],
  [77, 'an unknown key'],
);
const trustPayload = M(
  [0, 'JTL1'],
  [1, 1],
  [2, NOW],
  [3, CODE],
  [4, [entry]],
  [5, '架空市'],
  [6, 1],
);
fs.writeFileSync(path.join(next, 'trust_list.cbor'), sign1(cbor(trustPayload), root));
const revs = [
  ['K001-000002', 0, NOW - 3600, 'fraud'],
  ['K001-000003', 2, NOW - 3600, 'superseded'],
  ['K001-000004', 0, NOW - 3600],
];
const statusPayload = M([0, 'JSL1'], [1, 1], [2, NOW], [3, CODE], [4, revs]);
fs.writeFileSync(path.join(next, 'status_list.cbor'), sign1(cbor(statusPayload), root));
const nextCert = (serial, extra = []) =>
  jdv1(
    sign1(
      cbor(
        M(
          [1, CODE],
          [6, NOW - 60],
          [
            -70001,
            M(
              [0, 1],
              [1, 1],
              [2, serial],
              [3, '令和8年12月の地震'],
              [4, 20261201],
              [5, '架空 花子'],
              [6, '架空市本町1-1'],
              [7, 0],
              [9, 20261202],
              ...extra,
            ),
          ],
        ),
      ),
      issuer,
    ),
  );
const nextPort = await freePort();
const nextOrigin = `http://127.0.0.1:${nextPort}`;
server = await startServer(next, nextPort);
await page.goto(`${nextOrigin}/`);
await ready();
check(
  (await page.textContent('#municipality')).includes('架空市'),
  'trust list key 5: the municipality name shown (config.json has none)',
);
r = await viaText(
  nextCert('K001-000001', [
    [13, '架空市長 架空 太郎'],
    [19, '架空市'],
    [99, 'x'],
  ]),
);
check(
  r.status === 'valid' &&
    r.claimsText.includes('架空市（999999）') &&
    r.claimsText.includes('架空 太郎'),
  `certificate keys 19 and 13 (and an unknown 99): ${r.status}, shown`,
);
// A title the trust list does not give this key: not valid, and nothing of it shown.
r = await viaText(nextCert('K001-000006', [[13, '架空市長 架空 一郎']]));
check(
  r.status === 'key_not_allowed' && !r.claimsText.includes('架空 一郎'),
  `certificate key 13 naming another title: ${r.status}, claims hidden`,
);
r = await viaText(nextCert('K001-000005'));
check(
  r.status === 'valid' && r.claimsText.includes('架空 太郎'),
  'no key 13: the issuer title of the trust list (key entry 9) shown',
);
r = await viaText(nextCert('K001-000002'));
check(
  r.status === 'revoked' && r.revocation.includes('不正な申請') && !r.claimsShown,
  `revoked with a reason code: the reason shown, no claim (${r.revocation})`,
);
await page.screenshot({ path: path.join(out, 'revoked-reason-ja.png'), fullPage: true });
r = await viaText(nextCert('K001-000004'));
check(r.status === 'revoked' && !r.revocation.includes('理由'), 'revoked without a reason code');
r = await viaText(nextCert('K001-000003'));
check(
  r.status === 'revoked' && r.reason.includes('第2版'),
  'an earlier issue superseded by issue 2',
);
r = await viaText(nextCert('K001-000003', [[18, 2]]));
check(r.status === 'valid', 'issue 2 itself is valid');

// ---- axe-core: no accessibility violations on a valid and on a revoked result, in two languages
const axePath = path.join(npm, 'node_modules', 'axe-core', 'axe.min.js');
// The page's policy allows only its own scripts; this one context lets the audit script in.
const audit = await browser.newContext({
  viewport: { width: 390, height: 844 },
  isMobile: true,
  locale: 'ja-JP',
  bypassCSP: true,
});
audit.on('request', (q) => requests.push(q.url()));
const mainPage = page;
page = await audit.newPage();
await page.goto(`${nextOrigin}/`);
await ready();
const found = [];
for (const [lang, serial] of [
  ['ja', 'K001-000001'],
  ['en', 'K001-000002'],
  ['ja-easy', 'K001-000005'],
]) {
  await page.click(`button[data-set-lang="${lang}"]`);
  await viaText(nextCert(serial));
  await page.addScriptTag({ path: axePath });
  const v = await page.evaluate(async () =>
    (await window.axe.run(document)).violations.map(
      (x) => `${x.id} (${x.nodes.length}: ${x.nodes[0]?.target.join(' ')})`,
    ),
  );
  found.push(...v.map((x) => `${lang} ${serial}: ${x}`));
}
check(
  found.length === 0,
  `axe-core finds no violations${found.length ? `: ${found.join('; ')}` : ''}`,
);
await audit.close();
page = mainPage;
server.kill();

// ---- a page published without config.json says so and checks nothing
const bare = path.join(out, 'site-bare');
fs.cpSync(path.join(out, 'site'), bare, { recursive: true });
fs.rmSync(path.join(bare, 'config.json'));
const barePort = await freePort();
const bareOrigin = `http://127.0.0.1:${barePort}`;
server = await startServer(bare, barePort);
await page.goto(`${bareOrigin}/`);
await page.waitForSelector('body[data-ready="unconfigured"]', { timeout: 20000 });
check(
  !(await page.$eval('#setup-error', (e) => e.hidden)) &&
    (await page.textContent('#setup-error')).includes('設定されていない'),
  'without config.json: the page says it is not set up',
);
s0 = await seq();
await page.click('details.paste summary');
await page.fill('#text-input', valid.text);
await page.click('#text-check');
await page.waitForTimeout(500);
check(
  (await seq()) === s0 && (await page.$eval('#result', (e) => e.hidden)),
  '...and shows no verdict',
);
server.kill();

// ---- nothing left 127.0.0.1, no script errors
const outside = requests.filter(
  (u) =>
    ![origin, nextOrigin, bareOrigin].some((o) => u.startsWith(`${o}/`)) &&
    !/^(blob|data):/.test(u),
);
check(
  outside.length === 0,
  `${requests.length} requests, none outside 127.0.0.1${outside.length ? `: ${outside.slice(0, 5).join(' ')}` : ''}`,
);
const errors = pageErrors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(e));
check(
  errors.length === 0,
  `no script errors${errors.length ? `: ${errors.slice(0, 5).join(' | ')}` : ''}`,
);

await browser.close();
console.log(`verify page: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
